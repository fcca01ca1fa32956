"""Quick mode against the full recipe, side by side, per task: does the quick run teach the same
lesson? Targets (issue 13): every quick run trains in <= 45 s on 2 cores and lands within 3
accuracy points (traffic: within 5 % MAE at 15, 30 and 60 minutes) of its full recipe, and the
task's best model in the full table is the best one in quick mode too.

The quick runs are trained here (mean over seeds); the full side is read from the 3-seed table
`bench/results/accuracy_<task>.json` written by `bench.accuracy` with the same code, or trained
here as well with `--train-full`. Each task has its own function, so tasks can be added apart.

    python -m bench.quick_vs_full [--tasks mnist imdb traffic] [--archs dnn gcn_embed] [--seeds 3] [--train-full]

--quick (the smoke run of every bench script) trains both sides here for one epoch and one seed.
"""

from __future__ import annotations

import json
import sys

from bench.accuracy import summarise
from bench.common import RESULTS_DIR, merged_with_stored, parser, write_results

QUICK_SECONDS = 45.0
ACCURACY_POINTS = 3.0  # percentage points
MAE_SHARE = 0.05  # 5 % of the full recipe's MAE
TRAFFIC_HORIZONS = (15, 30, 60)


def train_rows(task: str, archs: list[str], seeds: int, quick: bool, data, epochs: int | None = None) -> list[dict]:
    """The accuracy table's row per architecture (mean ± std over seeds) for quick or full."""
    from training.engine import train
    from training.events import RunConfig

    rows = []
    for arch in archs:
        results = []
        for seed in range(seeds):
            config = RunConfig(task=task, arch=arch, seed=seed, quick=quick, epochs=epochs)
            result = train(config, store=False, data=data)
            print(f"{task}/{arch} {'quick' if quick else 'full'} seed {seed}: {result.status} "
                  f"{result.train_seconds:.1f}s {result.message}", file=sys.stderr)
            results.append(result)
        rows.append(summarise(task, arch, results))
    return rows


def stored_full_rows(task: str) -> tuple[list[dict], str]:
    path = RESULTS_DIR / f"accuracy_{task}.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `python -m bench.accuracy --tasks {task}` or pass --train-full")
    payload = json.loads(path.read_text(encoding="utf-8"))
    return payload["rows"], f"{path.name} ({payload['command']}, finished {payload['finished']})"


def full_rows(task: str, archs: list[str], options, data) -> tuple[list[dict], str]:
    if options.train_full or options.quick:
        epochs = 1 if options.quick else None
        return train_rows(task, archs, options.seeds, False, data, epochs), "trained in this run"
    rows, source = stored_full_rows(task)
    return [row for row in rows if row["arch"] in archs], source


def side_by_side(quick: list[dict], full: list[dict], metrics: list[str], lower_is_better: bool) -> list[dict]:
    """One row per architecture: quick and full means, the gap, and whether it is within target."""
    full_by_arch = {row["arch"]: row for row in full}
    rows = []
    for quick_row in quick:
        full_row = full_by_arch.get(quick_row["arch"])
        row = {"arch": quick_row["arch"], "quick_seconds": quick_row.get("train_seconds", {}).get("mean"),
               "full_seconds": (full_row or {}).get("train_seconds", {}).get("mean")}
        within = True
        for metric in metrics:
            quick_value = quick_row.get(metric, {}).get("mean")
            full_value = (full_row or {}).get(metric, {}).get("mean")
            row[f"quick_{metric}"], row[f"full_{metric}"] = quick_value, full_value
            row[f"quick_{metric}_std"] = quick_row.get(metric, {}).get("std")
            if quick_value is None or full_value is None:
                within = False
                continue
            if lower_is_better:
                gap = quick_value / full_value - 1.0  # relative MAE gap
                within = within and gap <= MAE_SHARE
            else:
                gap = 100.0 * (full_value - quick_value)  # accuracy points lost
                within = within and gap <= ACCURACY_POINTS
            row[f"gap_{metric}"] = gap
        row["within_target"] = within
        row["quick_fast_enough"] = row["quick_seconds"] is not None and row["quick_seconds"] <= QUICK_SECONDS
        rows.append(row)
    return rows


def best_arch(rows: list[dict], metric: str, lower_is_better: bool, learned_only: bool = False) -> str | None:
    scored = [row for row in rows if row.get(metric) is not None and (not learned_only or row.get("quick_seconds"))]
    if not scored:
        return None
    pick = min if lower_is_better else max
    return pick(scored, key=lambda row: row[metric])["arch"]


def summary(task: str, rows: list[dict], metrics: list[str], lower_is_better: bool) -> dict:
    best = {metric: {"quick": best_arch(rows, f"quick_{metric}", lower_is_better),
                     "full": best_arch(rows, f"full_{metric}", lower_is_better)} for metric in metrics}
    return {"task": task, "best": best,
            "best_matches": all(pair["quick"] == pair["full"] for pair in best.values()),
            "all_within_target": all(row["within_target"] for row in rows),
            "all_quick_fast_enough": all(row["quick_fast_enough"] for row in rows
                                         if row["quick_seconds"] is not None and row["quick_seconds"] > 1.0)}


def print_table(task: str, rows: list[dict], metrics: list[str], verdict: dict) -> None:
    print(f"\n{task}: quick vs full (mean over seeds)")
    header = ["arch", *[f"{side} {metric}" for metric in metrics for side in ("quick", "full")], "quick s", "ok"]
    print(" | ".join(header))
    for row in rows:
        cells = [row["arch"]]
        for metric in metrics:
            for side in ("quick", "full"):
                value = row.get(f"{side}_{metric}")
                cells.append("-" if value is None else f"{value:.4f}")
        cells.append("-" if row["quick_seconds"] is None else f"{row['quick_seconds']:.1f}")
        cells.append("yes" if row["within_target"] and row["quick_fast_enough"] else "no")
        print(" | ".join(cells))
    print(f"best model quick vs full: {verdict['best']} (matches: {verdict['best_matches']})")


def compare_task(task: str, archs: list[str], metrics: list[str], lower_is_better: bool, options) -> None:
    from training.datasets import prepare

    data = prepare(task)
    order = archs
    archs = [arch for arch in archs if not options.archs or arch in options.archs]
    quick = train_rows(task, archs, options.seeds, True, data, 1 if options.quick else None)
    quick = merged_with_stored(options, "quick_vs_full", f"quick_vs_full_{task}", quick,
                               [(task, arch) for arch in order], stored_key="quick_rows")
    archs = [row["arch"] for row in quick]
    full, source = full_rows(task, archs, options, data)
    rows = side_by_side(quick, full, metrics, lower_is_better)
    verdict = summary(task, rows, metrics, lower_is_better)
    print_table(task, rows, metrics, verdict)
    for row in rows:  # who measured the quick side
        row.update({key: value for key, value in by_arch(quick)[row["arch"]].items() if key.startswith("measured")})
    write_results(options, f"quick_vs_full_{task}", rows,
                  {"seeds": options.seeds, "full_source": source, "verdict": verdict, "quick_rows": quick,
                   "targets": {"quick_seconds": QUICK_SECONDS, "accuracy_points": ACCURACY_POINTS,
                               "mae_share": MAE_SHARE}}, script="quick_vs_full")


def by_arch(rows: list[dict]) -> dict[str, dict]:
    return {row["arch"]: row for row in rows}


def mnist_quick_vs_full(options) -> None:
    from models.registry import ARCHITECTURES

    compare_task("mnist", list(ARCHITECTURES["mnist"]), ["accuracy"], False, options)


def imdb_quick_vs_full(options) -> None:
    from models.registry import ARCHITECTURES

    compare_task("imdb", list(ARCHITECTURES["imdb"]), ["accuracy"], False, options)


def traffic_quick_vs_full(options) -> None:
    from models.registry import ARCHITECTURES

    compare_task("traffic", list(ARCHITECTURES["traffic"]), [f"mae_{minutes}" for minutes in TRAFFIC_HORIZONS],
                 True, options)


TASKS = {"mnist": mnist_quick_vs_full, "imdb": imdb_quick_vs_full, "traffic": traffic_quick_vs_full}


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    arguments.add_argument("--archs", nargs="+", default=None, help="only these architectures")
    arguments.add_argument("--seeds", type=int, default=None, help="seeds per model (default 3, --quick 1)")
    arguments.add_argument("--train-full", action="store_true", help="train the full recipes here too")
    options = arguments.parse_args()
    options.seeds = options.seeds or (1 if options.quick else 3)
    for task in options.tasks:
        TASKS[task](options)


if __name__ == "__main__":
    main()
