"""Peak memory of every architecture's training, each in its own worker process as in the app:
the child's maximum resident memory (ru_maxrss), read from the run records. Each child is a fresh
interpreter (DLLAB_WORKER_START=spawn, unless set otherwise): a child forked from the app's
forkserver shares TensorFlow's pages with it and would not count them.

    DLLAB_DATA_MIRROR=/work/shared/datasets python -m bench.peak_memory [--epochs N] [--tasks T ...]
        [--archs A ...] [--quick]

With --archs, the rows of the other architectures are kept from the existing results file.

Without --epochs each architecture trains its full recipe; `--epochs 1` trains one epoch of the
full recipe (same data, batch size and model, so the same working set) to measure memory faster.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.common import merged_with_stored, parser, write_results

HOSTED_LIMIT_MB = 1200  # the server and one training must fit a 2.7 GB hosted machine
STARTS = {"spawn": "each architecture in its own spawned worker, which imports TensorFlow itself (on Linux the "
                   "app forks its workers from a server that has imported it)",
          "forkserver": "each architecture in a worker forked from a server that has imported TensorFlow (the "
                        "app's path on Linux; the pages shared with that server are not counted)"}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--epochs", type=int, default=None, help="epochs per run (default: the full recipe)")
    arguments.add_argument("--tasks", nargs="*", default=["mnist", "imdb", "traffic"])
    arguments.add_argument("--archs", nargs="*", default=None, help="only these architectures")
    arguments.add_argument("--name", default="peak_memory",
                           help="results file name (a subset keeps the full table's file intact)")
    options = arguments.parse_args()

    from models.registry import ARCHITECTURES
    from training.events import RunConfig
    from training.gate import TrainingGate
    from training.jobs import Job
    from training.process import START_VARIABLE, start_method
    from training.store import RunStore

    os.environ.setdefault(START_VARIABLE, "spawn")
    rows = []
    with tempfile.TemporaryDirectory() as home:
        if options.quick:
            from data.tiny import write_tiny_mirror

            os.environ["DLLAB_DATA_MIRROR"] = str(write_tiny_mirror(Path(home) / "mirror"))
        os.environ["DLLAB_HOME"] = home
        store, gate = RunStore(Path(home) / "runs.sqlite"), TrainingGate(1)
        for task in options.tasks:
            for arch in [arch for arch in ARCHITECTURES[task] if not options.archs or arch in options.archs]:
                epochs = 1 if options.quick else options.epochs
                job = Job([RunConfig(task, arch, epochs=epochs, quick=options.quick)], gate, store=store).start()
                job.wait()
                run = job.runs[0]
                record = store.get_run(run.run_id) if run.run_id else None
                peak = record["peak_memory_mb"] if record else 0.0
                rows.append({"task": task, "arch": arch, "status": run.status, "epochs": run.epoch,
                             "params": run.params, "peak_memory_mb": round(peak, 1),
                             "wall_seconds": round(record["wall_seconds"], 1) if record else None,
                             "train_seconds": round(record["train_seconds"], 1) if record else None,
                             "over_hosted_limit": peak > HOSTED_LIMIT_MB,
                             **({"message": run.message} if run.status != "finished" else {})})
                print(rows[-1], file=sys.stderr, flush=True)
    budget = os.environ.get("DLLAB_MAX_TRAIN_SECONDS")
    order = [(task, arch) for task in ARCHITECTURES for arch in ARCHITECTURES[task]]
    rows = merged_with_stored(options, "peak_memory", options.name, rows, order)
    write_results(options, options.name, rows, {
        "setup": STARTS[start_method()] + "; peak = the child's ru_maxrss; "
                 + (f"{options.epochs} epoch(s) of the full recipe" if options.epochs else "full recipes")
                 + (f", fit stopped after {budget} s (DLLAB_MAX_TRAIN_SECONDS), then the whole test split "
                    "predicted" if budget else ""),
        "hosted_limit_mb": HOSTED_LIMIT_MB}, script="peak_memory")


if __name__ == "__main__":
    main()
