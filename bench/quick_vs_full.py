"""Quick mode against the full recipe, side by side: per model its quick run (what a learner gets
with Quick on) and its full recipe, the gap, and whether the quick table ranks the best model
as the full one does. One function per task; each writes bench/results/quick_vs_full_<task>.json.

    DLLAB_DATA_MIRROR=/work/shared/datasets python -m bench.quick_vs_full --tasks imdb [--seeds 3]
        [--archs nbsvm lstm] [--full-from bench/results/accuracy_imdb.json]

`--full-from` reads the full-recipe numbers from a 3-seed accuracy table (bench.accuracy: the same
recipe on the same data) instead of training them again; without it both are trained here.
Targets (issue 13): each quick run trains in <= 45 s on 2 cores and lands within 3 accuracy
points of its full recipe; the quick ranking's best model is the full ranking's best.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.common import mean_std, parser, write_results

QUICK_SECONDS = 45.0
ACCURACY_POINTS = 3.0


def train_seeds(task: str, arch: str, quick: bool, seeds: int, data) -> list:
    """`seeds` runs of task/arch (quick or full), each timed from the prepared data to the test
    metrics (vectorizing included: a learner waits for it too)."""
    from training.engine import train
    from training.events import RunConfig

    results = []
    for seed in range(seeds):
        started = time.perf_counter()
        result = train(RunConfig(task=task, arch=arch, seed=seed, quick=quick), store=False, data=data)
        result.wall_seconds = time.perf_counter() - started
        print(f"{task}/{arch} {'quick' if quick else 'full'} seed {seed}: {result.status} "
              f"{result.metrics.get('accuracy')} train {result.train_seconds:.1f}s wall {result.wall_seconds:.1f}s",
              file=sys.stderr, flush=True)
        results.append(result)
    return results


def accuracy_summary(results: list) -> dict:
    finished = [result for result in results if result.ok]
    if not finished:
        return {"runs": len(results), "finished": 0}
    accuracy = mean_std([float(result.metrics["accuracy"]) for result in finished])
    train_seconds = mean_std([result.train_seconds for result in finished])
    wall_seconds = mean_std([result.wall_seconds for result in finished])
    return {"runs": len(results), "finished": len(finished),
            "accuracy": {"mean": accuracy[0], "std": accuracy[1]},
            "train_seconds": {"mean": train_seconds[0], "std": train_seconds[1]},
            "wall_seconds": {"mean": wall_seconds[0], "std": wall_seconds[1]}}


def full_from_table(path: Path, arch: str) -> dict | None:
    table = json.loads(path.read_text(encoding="utf-8"))
    for row in table["rows"]:
        if row["arch"] == arch and "accuracy" in row:
            return {"runs": row["runs"], "finished": row["finished"], "accuracy": row["accuracy"],
                    "train_seconds": row["train_seconds"], "from": str(path)}
    return None


def compare_accuracy(task: str, archs: list[str], seeds: int, full_from: Path | None):
    """Rows of quick vs full accuracy for a classification task, one per architecture as it is done."""
    from training.datasets import prepare

    data = prepare(task)
    for arch in archs:
        quick = accuracy_summary(train_seeds(task, arch, True, seeds, data))
        full = full_from_table(full_from, arch) if full_from is not None else None
        if full is None:
            full = accuracy_summary(train_seeds(task, arch, False, seeds, data))
        row = {"task": task, "arch": arch, "quick": quick, "full": full}
        if "accuracy" in quick and "accuracy" in full:
            gap = 100 * (full["accuracy"]["mean"] - quick["accuracy"]["mean"])
            row.update(gap_points=gap, within_points=abs(gap) <= ACCURACY_POINTS,
                       quick_within_seconds=quick["train_seconds"]["mean"] <= QUICK_SECONDS)
        print(json.dumps(row, default=float), file=sys.stderr, flush=True)
        yield row


def merged(options, task: str, rows: list[dict], order: list[str]) -> list[dict]:
    """With --archs, the new rows merged into the task's earlier file (other rows kept as they
    were measured, with that file's command), in the registry's order."""
    from bench.common import results_folder

    path = results_folder(options) / f"quick_vs_full_{task}.json"
    if not options.archs or not path.is_file():
        return rows
    old = json.loads(path.read_text(encoding="utf-8"))
    by_arch = {row["arch"]: {"measured_by": old.get("command"), **row} for row in old["rows"]}
    by_arch.update({row["arch"]: row for row in rows})
    return [by_arch[arch] for arch in order if arch in by_arch]


def ranking_of(rows: list[dict]) -> dict:
    scored = [row for row in rows if "gap_points" in row]
    best = {kind: max(scored, key=lambda row: row[kind]["accuracy"]["mean"])["arch"] if scored else None
            for kind in ("quick", "full")}
    return {"best_quick": best["quick"], "best_full": best["full"],
            "best_matches": best["quick"] == best["full"] and best["full"] is not None}


def imdb(options) -> None:
    """IMDB: every architecture (NBSVM first), accuracy quick vs full."""
    from models.registry import ARCHITECTURES

    archs = options.archs or list(ARCHITECTURES["imdb"])
    done = []
    for row in compare_accuracy("imdb", archs, options.seeds, options.full_from):
        done.append(row)  # written after each model, so a long run stopped early keeps what it measured
        rows = merged(options, "imdb", done, list(ARCHITECTURES["imdb"]))
        write_results(options, "quick_vs_full_imdb", rows,
                      {"task": "imdb", "seeds": options.seeds, **ranking_of(rows),
                       "targets": {"quick_train_seconds": QUICK_SECONDS, "accuracy_points": ACCURACY_POINTS},
                       "timing": "train_seconds: fit only; wall_seconds: vectorizing, fit and test predictions "
                                 "(the data already loaded)"},
                      script="quick_vs_full")


TASKS = {"imdb": imdb}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", "--task", nargs="+", choices=sorted(TASKS), required=True)
    arguments.add_argument("--archs", nargs="+", default=None, help="only these architectures")
    arguments.add_argument("--seeds", type=int, default=3)
    arguments.add_argument("--full-from", type=Path, default=None,
                           help="an accuracy_<task>.json whose rows give the full-recipe numbers")
    options = arguments.parse_args()
    for task in options.tasks:
        TASKS[task](options)


if __name__ == "__main__":
    main()
