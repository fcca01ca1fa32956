"""Accuracy table: every task x architecture with its default recipe on the full data, over
several seeds: mean ± std of the test metrics, parameters, seconds per epoch and total time.
Each task is written to its own file (bench/results/accuracy_<task>.json) as soon as it is done,
so the tasks can be measured in separate runs (with different --seeds) and a long run that is
interrupted keeps what it finished.

    python -m bench.accuracy [--quick] [--tasks mnist imdb traffic] [--archs cnn gcn_gru] [--seeds 3]

With --archs, the other architectures' rows are kept from the task's existing file (each row says
which command measured it and when), so one changed model can be measured again on its own.
"""

from __future__ import annotations

import sys

from bench.common import mean_std, merged_with_stored, parser, write_results
from models.tasks import TASKS


def summarise(task: str, arch: str, results: list) -> dict:
    finished = [result for result in results if result.ok]
    row = {"task": task, "arch": arch, "runs": len(results), "finished": len(finished),
           "statuses": sorted({result.status for result in results})}
    if not finished:
        return row
    row["params"] = finished[0].params
    row["epochs"] = finished[0].epochs_run
    for name in TASKS[task].metric_keys:
        mean, std = mean_std([float(result.metrics[name]) for result in finished])
        row[name] = {"mean": mean, "std": std}
    for name in ("seconds_per_epoch", "train_seconds"):
        mean, std = mean_std([getattr(result, name) for result in finished])
        row[name] = {"mean": mean, "std": std}
    return row


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", nargs="+", default=["mnist", "imdb", "traffic"])
    arguments.add_argument("--archs", nargs="+", default=None, help="only these architectures")
    arguments.add_argument("--seeds", type=int, default=None, help="seeds per model (default 3, quick 1)")
    options = arguments.parse_args()
    seeds = options.seeds or (1 if options.quick else 3)

    from models.registry import ARCHITECTURES
    from training.datasets import prepare
    from training.engine import train
    from training.events import RunConfig

    for task in options.tasks:
        rows = []
        data = prepare(task)
        for arch in ARCHITECTURES[task]:
            if options.archs and arch not in options.archs:
                continue
            results = []
            for seed in range(seeds):
                # --quick: the quick recipe on a training subset and one epoch, to check the plumbing.
                config = RunConfig(task=task, arch=arch, seed=seed, quick=options.quick,
                                   epochs=1 if options.quick else None)
                result = train(config, store=False, data=data)
                shown = ({name: result.metrics[name] for name in TASKS[task].metric_keys} if result.ok
                         else result.message)
                print(f"{task}/{arch} seed {seed}: {result.status} {shown} {result.train_seconds:.1f}s",
                      file=sys.stderr)
                results.append(result)
            rows.append(summarise(task, arch, results))
        order = [(task, arch) for arch in ARCHITECTURES[task]]
        rows = merged_with_stored(options, "accuracy", f"accuracy_{task}", rows, order)
        write_results(options, f"accuracy_{task}", rows, {"seeds": seeds, "task": task}, script="accuracy")


if __name__ == "__main__":
    main()
