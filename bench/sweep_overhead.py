"""Ray Tune's overhead on sweeps: the same sweep of one architecture x seeds, trials one at a time,
through the local engine (training.jobs workers) and through Ray Tune on a single-node Ray on this
machine, alternating local/Ray then Ray/local so that machine noise hits both. Reports per
architecture the wall seconds per trial of each engine and Ray's overhead per trial (seconds and
ratio, median over pairs; goal <= 10 % on trials of 30 s or more). Starting Ray is measured apart:
a sweep pays it once, whatever its size.

    python -m bench.sweep_overhead [--quick] [--pairs 2] [--archs dnn gcn_gru] [--seeds 0 1 2]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, write_results


def timed_sweep(engine: str, task: str, arch: str, seeds: list[int], grid: dict, quick: bool, store) -> dict:
    from training.sweep import plan, run_local
    from training.sweep_ray import run_ray

    sweep = plan(task, [arch], seeds, grid, quick=quick, owner="bench")
    started = time.perf_counter()
    if engine == "ray":
        records = run_ray(sweep, store, max_concurrent=1)
    else:
        records = run_local(sweep, store, max_concurrent=1)
    seconds = time.perf_counter() - started
    unfinished = [f"{record['status']}: {record['message']}" for record in records if record["status"] != "finished"]
    if unfinished:
        raise RuntimeError(f"{engine} sweep of {arch} did not finish: {unfinished}")
    return {"engine": engine, "arch": arch, "trials": len(records), "wall_seconds": round(seconds, 2),
            "seconds_per_trial": round(seconds / len(records), 2),
            "train_seconds_per_trial": round(statistics.fmean(record["train_seconds"] for record in records), 2)}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--pairs", type=int, default=None)
    arguments.add_argument("--task", default="traffic")
    arguments.add_argument("--archs", nargs="+", default=["dnn", "gcn_gru"])
    arguments.add_argument("--seeds", nargs="+", type=int, default=None)
    options = arguments.parse_args()
    pairs = options.pairs or (1 if options.quick else 2)
    seeds = options.seeds or ([0] if options.quick else [0, 1, 2])
    grid = {"epochs": [1]} if options.quick else {}  # full runs: each architecture's own recipe

    # Ray renices its workers to 15 so that its own daemons stay responsive; the local engine's
    # workers run at 0. On a machine shared with other work that alone slows Ray's trials several
    # times (measured here at load 25: 1,046 s for a trial the local engine ran in 95-132 s), so
    # both engines are compared at the same priority unless the caller chose otherwise.
    os.environ.setdefault("RAY_worker_niceness", "0")
    import keras  # noqa: F401 - the local engine's first trial must not pay this process's imports

    from training.store import RunStore
    from training.sweep_ray import connect

    started = time.perf_counter()
    connect(None)  # one single-node Ray for every Ray sweep below, started and timed once
    ray_start_seconds = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory() as home:
        store = RunStore(Path(home) / "runs.sqlite")
        for arch in options.archs:
            for pair in range(pairs):
                order = ["local", "ray"] if pair % 2 == 0 else ["ray", "local"]
                for engine in order:
                    row = timed_sweep(engine, options.task, arch, seeds, grid, options.quick, store)
                    rows.append({"pair": pair, "first": order[0], **row})
                    print(rows[-1], file=sys.stderr)
    import ray

    ray.shutdown()
    summary = []
    for arch in options.archs:
        local = {row["pair"]: row for row in rows if row["arch"] == arch and row["engine"] == "local"}
        ray = {row["pair"]: row for row in rows if row["arch"] == arch and row["engine"] == "ray"}
        overhead = [ray[pair]["seconds_per_trial"] - local[pair]["seconds_per_trial"] for pair in local]
        ratio = [ray[pair]["seconds_per_trial"] / local[pair]["seconds_per_trial"] - 1 for pair in local]
        summary.append({
            "arch": arch,
            "local_seconds_per_trial": statistics.median(row["seconds_per_trial"] for row in local.values()),
            "ray_seconds_per_trial": statistics.median(row["seconds_per_trial"] for row in ray.values()),
            "local_train_seconds": statistics.median(row["train_seconds_per_trial"] for row in local.values()),
            "ray_train_seconds": statistics.median(row["train_seconds_per_trial"] for row in ray.values()),
            "ray_overhead_seconds_per_trial": round(statistics.median(overhead), 2),
            "ray_overhead_ratio": round(statistics.median(ratio), 3)})
    write_results(options, "sweep_overhead", rows, {
        "summary": summary, "ray_start_seconds": round(ray_start_seconds, 2),
        "setup": f"{options.task} {', '.join(options.archs)} x seeds {seeds}, "
                 f"{'quick recipe, 1 epoch' if options.quick else 'default recipes'}, one trial at a time, "
                 f"{pairs} pair(s) alternated; Ray: single node on this machine, started once, workers at "
                 f"niceness {os.environ['RAY_worker_niceness']} (RAY_worker_niceness; the local engine's at 0)"})


if __name__ == "__main__":
    main()
