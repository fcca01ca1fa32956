"""Machine facts, argument parsing and result files shared by every benchmark script."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from reference.results import RESULTS_DIR

PACKAGES = ("tensorflow-cpu", "tensorflow", "keras", "streamlit", "numpy", "pandas", "altair")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    try:
        load = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = None
    # The load average tells a reader whether something else was running during the measurement.
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "memory_gb": memory_gb, "load_average_1_5_15_min": load,
            "os": platform.platform(), "python": platform.python_version(), "packages": versions}


def parser(description: str) -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(description=description)
    arguments.add_argument("--quick", action="store_true",
                           help="a smoke run in a few minutes on small data; results go to --out")
    arguments.add_argument("--out", type=Path, default=None,
                           help="results folder (default: bench/results for full runs, a temp folder for --quick)")
    return arguments


def results_folder(options) -> Path:
    if options.out is not None:
        folder = options.out
    elif options.quick:
        folder = Path(os.environ.get("TMPDIR", "/tmp")) / "dllab-bench-quick"
    else:
        folder = RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def merged_with_stored(options, script: str, name: str, rows: list[dict], order: list[tuple[str, str]],
                       stored_key: str = "rows") -> list[dict]:
    """`rows` (just measured, each naming its task and arch) plus, when only some architectures
    were measured (--archs), the other rows of the stored `name`.json (its list `stored_key`), in
    `order` of (task, arch), so one changed recipe can be measured alone. Each row says which
    command measured it, when, and on which CPU (the file's machine is the last run's)."""
    measured_now = {"measured_by": f"python -m bench.{script} " + " ".join(sys.argv[1:]),
                    "measured": datetime.now(UTC).isoformat(timespec="seconds"), "measured_on": cpu_model()}
    rows = [{**row, **measured_now} for row in rows]
    path = results_folder(options) / f"{name}.json"
    if not options.archs or not path.exists():
        return rows
    stored = json.loads(path.read_text(encoding="utf-8"))
    earlier = {"measured_by": stored["command"], "measured": stored["finished"],
               "measured_on": stored.get("machine", {}).get("cpu")}
    by_key = {(row["task"], row["arch"]): {**earlier, **row} for row in stored.get(stored_key, [])}
    by_key.update({(row["task"], row["arch"]): row for row in rows})
    return [by_key[key] for key in order if key in by_key]


def write_results(options, name: str, rows: list[dict], extra: dict | None = None, script: str | None = None) -> Path:
    """One JSON file per benchmark (`name`.json): machine, command, time and rows of measurements.
    `script` is the bench module when it writes several files (accuracy writes one per task)."""
    payload = {
        "benchmark": name,
        "command": f"python -m bench.{script or name} " + " ".join(sys.argv[1:]),
        "quick": bool(options.quick),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "rows": rows,
        **(extra or {}),
    }
    path = results_folder(options) / f"{name}.json"
    temporary = path.with_suffix(".json.part")
    temporary.write_text(json.dumps(payload, indent=2, default=float) + "\n", encoding="utf-8")
    temporary.replace(path)
    print(f"wrote {path}", file=sys.stderr)
    return path


def mean_std(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)

