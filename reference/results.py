"""Read the benchmark results the repo ships (bench/results/*.json, written by the scripts in
`bench/`) and the published numbers (bench/published.json). Streamlit-free and Keras-free: the
app's "Reference results" views, the lessons and `bench.report` read these; the app never imports
`bench/` itself."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"
RESULTS_DIR = BENCH_DIR / "results"
STATUS_LABELS = {"verified": "verified in the source", "corroborated": "several copies agree",
                 "unverified": "UNVERIFIED (from memory of the paper)"}


def load(name: str, folder: Path | None = None) -> dict | None:
    """The results of benchmark `name`, or None when it has not been run (or the file is damaged)."""
    path = Path(folder or RESULTS_DIR) / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def _published() -> tuple[dict, ...]:
    return tuple(json.loads((BENCH_DIR / "published.json").read_text(encoding="utf-8"))["results"])


def published(task: str) -> list[dict]:
    return [dict(row) for row in _published() if row["task"] == task]


def cell(value) -> str:
    """'mean ± std' for a {mean, std} measurement; plain numbers and text pass through."""
    if isinstance(value, dict) and "mean" in value:
        return f"{value['mean']:.4g} ± {value['std']:.2g}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def machine_line(results: dict) -> str:
    machine = results.get("machine", {})
    packages = ", ".join(f"{name} {version}" for name, version in machine.get("packages", {}).items())
    load = machine.get("load_average_1_5_15_min")
    return (f"{machine.get('cpu', '?')}, {machine.get('cores', '?')} cores"
            + (f" (load average {load[0]} at the end)" if load else "")
            + f"; Python {machine.get('python', '?')}; "
            f"{packages}. Command: `{results.get('command', '?')}`, finished {results.get('finished', '?')}"
            + (" (quick smoke run, not a measurement)" if results.get("quick") else ""))


def accuracy_rows(task: str, results: dict | None) -> list[dict]:
    """Flat rows of the accuracy benchmark for one task: metric cells as 'mean ± std'."""
    if not results:
        return []
    rows = []
    for row in results.get("rows", []):
        if row.get("task") != task:
            continue
        flat = {"architecture": row["arch"], "runs": f"{row.get('finished', 0)}/{row.get('runs', 0)}"}
        for key, value in row.items():
            if key not in ("task", "arch", "runs", "finished", "statuses"):
                flat[key] = cell(value)
        rows.append(flat)
    return rows


def published_rows(task: str) -> list[dict]:
    def shown(value):
        return ", ".join(f"{item:g}" for item in value) if isinstance(value, list) else f"{value:g}"

    return [{"model": row["model"], "metric": row["metric"], "value": shown(row["value"]),
             "setup": row["setup"], "source": row["source"], "status": STATUS_LABELS[row["status"]],
             "same data and protocol": "yes" if row["like_for_like"] else "no: context only"}
            for row in published(task)]
