"""Sweeps: architectures x grid x seeds, each trial a normal run in the store tagged with the sweep id.

`plan` checks every name and value before anything starts. `run_local` trains the trials as
`training.jobs.Job`s (one worker per run) at most `max_concurrent` at once; the Ray Tune engine is
`training.sweep_ray.run_ray`. Both leave every trial in the run store, even one that failed or
never started, so `summarize(store.list_runs(sweep=...))` is the table the CLI prints and the
Compare page shows.
"""

from __future__ import annotations

import itertools
import math
import secrets
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from models.registry import architecture
from models.tasks import TASKS
from training.bounds import BATCH_RANGE, EPOCH_RANGE, LEARNING_RATE_RANGE, SEED_RANGE
from training.events import CANCELLED, FAILED, FINISHED, RUNNING, RunConfig

# Keys a grid may vary: the hyperparameters a learner sets on a task page, with the page's bounds.
GRID_KEYS = {"epochs": (int, EPOCH_RANGE), "batch_size": (int, BATCH_RANGE),
             "learning_rate": (float, LEARNING_RATE_RANGE)}
# Config fields that do not make a configuration: the seeds of one configuration are its trials.
NOT_CONFIGURATION = ("seed", "owner", "sweep")
POLL_SECONDS = 0.25
NEVER_STARTED = "Stopped before it started: the sweep was cancelled."


@dataclass(frozen=True)
class Trial:
    index: int
    config: RunConfig

    @property
    def label(self) -> str:
        return f"[{self.index + 1}] {configuration_label(self.config.to_dict())} seed {self.config.seed}"


@dataclass
class Sweep:
    id: str
    task: str
    trials: list[Trial]
    grid: dict[str, list] = field(default_factory=dict)


def new_sweep_id(task: str) -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{task}-sweep-{secrets.token_hex(3)}"


def _grid_value(key: str, text: str):
    kind, (low, high) = GRID_KEYS[key]
    try:
        value = kind(text)
    except ValueError:
        wanted = "whole numbers" if kind is int else "numbers"
        raise ValueError(f"grid {key} takes {wanted}, got {text!r}") from None
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"grid {key}={text} is out of range: {key} must be between {low:g} and {high:g}")
    return value


def parse_grid(items: list[str]) -> dict[str, list]:
    """`["learning_rate=1e-3,3e-3", "batch_size=64"]` -> `{"learning_rate": [0.001, 0.003], ...}`.

    Refuses unknown keys, a key given twice, empty or repeated values and values outside the
    task pages' bounds (training.bounds), each with a message that says how to write it.
    """
    grid: dict[str, list] = {}
    for item in items:
        key, equals, text = (part.strip() for part in item.partition("="))
        if not equals:
            raise ValueError(f"grid item {item!r} must look like key=value1,value2 (e.g. learning_rate=1e-3,3e-3)")
        if key not in GRID_KEYS:
            raise ValueError(f"unknown grid key {key!r}; choose from {', '.join(GRID_KEYS)}")
        if key in grid:
            raise ValueError(f"grid key {key!r} is given twice; list its values once: {key}=a,b")
        texts = [part.strip() for part in text.split(",")]
        if not all(texts):
            raise ValueError(f"grid {key} has an empty value in {item!r}; write {key}=a,b with no empty entries")
        values = []
        for part in texts:
            value = _grid_value(key, part)
            if value in values:
                raise ValueError(f"grid {key} lists {part} twice")
            values.append(value)
        grid[key] = values
    return grid


def check_seeds(seeds: list[int]) -> list[int]:
    if not seeds:
        raise ValueError("give at least one seed (--seeds 0 1 2)")
    low, high = SEED_RANGE
    for seed in seeds:
        if not (isinstance(seed, int) and low <= seed <= high):
            raise ValueError(f"seed {seed!r} is out of range: seeds must be whole numbers from {low} to {high}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must differ, got {seeds}")
    return list(seeds)


def plan(task: str, archs: list[str], seeds: list[int], grid: dict[str, list] | None = None, *,
         quick: bool = False, owner: str = "cli", sweep_id: str | None = None) -> Sweep:
    """Every trial of the sweep, in the order arch, grid point, seed; ValueError when anything is
    wrong (names, seeds, values), before any run starts. Baselines have no hyperparameters, so
    they get one configuration whatever the grid."""
    from training.engine import resolve_recipe

    grid = dict(grid or {})
    if not archs:
        raise ValueError("give at least one architecture (--archs A B ...)")
    if len(set(archs)) != len(archs):
        raise ValueError(f"architectures must differ, got {archs}")
    for key, values in grid.items():
        if key not in GRID_KEYS or not values:
            raise ValueError(f"grid {key!r}: known keys are {', '.join(GRID_KEYS)}, each with at least one value")
    seeds = check_seeds(seeds)
    sweep_id = sweep_id or new_sweep_id(task)
    points = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    trials = []
    for arch in archs:
        info = architecture(task, arch)
        for point in points if info.learned else [{}]:
            for seed in seeds:
                config = RunConfig(task=task, arch=arch, seed=seed, quick=quick, owner=owner, sweep=sweep_id,
                                   **point)
                resolve_recipe(config, info)  # the engine's own checks, before anything starts
                trials.append(Trial(len(trials), config))
    return Sweep(sweep_id, task, trials, grid)


def record_unstarted(store, trial: Trial, status: str, message: str) -> str:
    """A trial that never reached the engine (cancelled in line, or failed to start) still gets
    a run in the store, so a sweep lists every trial it planned."""
    run_id = store.start_run(trial.config, owner=trial.config.owner)
    store.finish_run(run_id, status, message)
    return run_id


class Progress:
    """One line per event on stderr, each with the trial's label (trials may run side by side)."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream or sys.stderr

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def started(self, trial: Trial, detail: str = "") -> None:
        self.say(f"{trial.label}: started" + (f" {detail}" if detail else ""))

    def epoch(self, trial: Trial, epoch: int, epochs: int, logs: dict) -> None:
        shown = ", ".join(f"{key} {value:.4f}" for key, value in logs.items()
                          if key not in ("seconds", "epoch", "params") and isinstance(value, (int, float)))
        self.say(f"{trial.label}: epoch {epoch}/{epochs or '?'}: {shown}")

    def ended(self, trial: Trial, record: dict) -> None:
        if record["status"] == FINISHED:
            text = f"{TASKS[record['task']].headline_text(record['metrics'])} ({record['train_seconds']:.1f} s)"
        else:
            text = f"{record['status']}. {record['message']}"
        where = f" on {record['host']}" if record["host"] != socket.gethostname() else ""
        self.say(f"{trial.label}: {text}{where}")


def run_local(sweep: Sweep, store, *, max_concurrent: int = 1, cancel: threading.Event | None = None,
              progress: Progress | None = None) -> list[dict]:
    """Train the trials as Jobs behind one TrainingGate; returns their store records in trial order.

    Setting `cancel` stops the running trials at their next batch (they are stored `cancelled`
    by the engine) and records the trials still waiting as `cancelled`.
    """
    from training.gate import TrainingGate
    from training.jobs import Job

    cancel = cancel or threading.Event()
    progress = progress or Progress(len(sweep.trials))
    gate = TrainingGate(max_concurrent)
    waiting, active, run_ids = list(sweep.trials), [], {}
    while active or (waiting and not cancel.is_set()):
        # Start no more jobs than may train: each waiting Job would hold a worker for nothing.
        while waiting and len(active) < max_concurrent and not cancel.is_set():
            trial = waiting.pop(0)
            active.append((trial, Job([trial.config], gate, store=store).start(), {"epochs": 0, "started": False}))
        time.sleep(POLL_SECONDS)
        for entry in list(active):
            trial, job, seen = entry
            if cancel.is_set():
                job.stop()
            job.poll()
            run = job.runs[0]
            if run.run_id and not seen["started"]:
                seen["started"] = True
                progress.started(trial, f"run {run.run_id} ({run.params:,} parameters)")
            for epoch in range(seen["epochs"], len(run.history.get("loss", []))):
                progress.epoch(trial, epoch + 1, run.epochs, {name: values[epoch] for name, values in
                                                              run.history.items() if epoch < len(values)})
            seen["epochs"] = len(run.history.get("loss", []))
            if job.finished:
                active.remove(entry)
                run_ids[trial.index] = _recorded(store, trial, run)
                progress.ended(trial, store.get_run(run_ids[trial.index]))
    for trial in waiting:
        run_ids[trial.index] = record_unstarted(store, trial, CANCELLED, NEVER_STARTED)
    return [store.get_run(run_ids[trial.index]) for trial in sweep.trials]


def _recorded(store, trial: Trial, run) -> str:
    """The trial's run id, making sure the store holds its final state."""
    if not run.run_id:  # failed or cancelled before the engine recorded anything
        return record_unstarted(store, trial, run.status, run.message)
    record = store.get_run(run.run_id)
    if record is not None and record["status"] == RUNNING:  # its worker died without a word
        store.finish_run(run.run_id, run.status if run.done else FAILED, run.message or "The worker stopped.")
    return run.run_id


# --- the summary: one row per configuration, mean and std over its seeds ---

def configuration_key(config: dict) -> str:
    import json

    return json.dumps({key: value for key, value in config.items() if key not in NOT_CONFIGURATION},
                      sort_keys=True, default=str)


def configuration_label(config: dict) -> str:
    settings = [f"{key}={config[key]:g}" for key in GRID_KEYS if config.get(key) is not None]
    return " ".join([config["arch"], *settings])


def mean_std(values: list[float]) -> dict[str, float | None]:
    """Mean and sample standard deviation (None with fewer than two values)."""
    if not values:
        return {"mean": None, "std": None}
    return {"mean": statistics.fmean(values), "std": statistics.stdev(values) if len(values) > 1 else None}


def summarize(records: list[dict]) -> list[dict]:
    """Rows = configurations (arch x grid point) in the order of `records`; each with
    the mean and std over its finished seeds of every summary metric, parameters and training
    seconds per trial, and the trials that did not finish with their messages."""
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        config = record["config"]
        row = rows.setdefault(configuration_key(config), {
            "arch": config["arch"], "label": configuration_label(config),
            **{key: config.get(key) for key in GRID_KEYS}, "quick": bool(config.get("quick")),
            "records": []})
        row["records"].append(record)
    summary = []
    for row in rows.values():
        trials = sorted(row.pop("records"), key=lambda record: record["config"]["seed"])
        finished = [record for record in trials if record["status"] == FINISHED]
        task = trials[0]["task"]
        metrics = {name: mean_std([float(record["metrics"][name]) for record in finished
                                   if isinstance(record["metrics"].get(name), (int, float))])
                   for name in TASKS[task].metric_keys}
        summary.append({
            **row, "task": task, "seeds": [record["config"]["seed"] for record in trials],
            "trials": len(trials), "finished": len(finished), "metrics": metrics,
            "params": max((record["params"] for record in trials), default=0),
            "seconds_per_trial": mean_std([round(record["train_seconds"], 3) for record in finished]),
            "run_ids": [record["run_id"] for record in trials],
            "problems": [{"seed": record["config"]["seed"], "run_id": record["run_id"], "status": record["status"],
                          "message": record["message"]} for record in trials if record["status"] != FINISHED]})
    return summary


def _mean_std_text(value: dict, digits: int) -> str:
    if value["mean"] is None:
        return "-"
    text = f"{value['mean']:.{digits}f}"
    return text if value["std"] is None else f"{text} ± {value['std']:.{digits}f}"


def summary_table(rows: list[dict]) -> str:
    """The rows as a fixed-width text table (the first metrics of the task; JSON has them all)."""
    if not rows:
        return "(no trials)"
    task = rows[0]["task"]
    metrics = TASKS[task].summary  # printed columns; JSON and the Compare page have every metric
    digits = 2 if task == "traffic" else 4
    grid = [key for key in GRID_KEYS if any(row[key] is not None for row in rows)]
    header = ["configuration", "done", *metrics, "params", "s/trial"]
    body = [[" ".join([row["arch"], *(f"{key}={row[key]:g}" for key in grid if row[key] is not None)]),
             f"{row['finished']}/{row['trials']}",
             *(_mean_std_text(row["metrics"][name], digits) for name in metrics),
             f"{row['params']:,}", _mean_std_text(row["seconds_per_trial"], 1)] for row in rows]
    widths = [max(len(line[column]) for line in [header, *body]) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(line, widths))) for line in [header, *body]]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def trial_summary(record: dict) -> dict:
    """One trial for the JSON output: what ran, how it ended, its summary metrics."""
    config, task = record["config"], record["task"]
    return {"run_id": record["run_id"], "arch": record["arch"], "seed": config["seed"],
            **{key: config.get(key) for key in GRID_KEYS}, "status": record["status"],
            "epochs": record["epochs_run"], "params": record["params"],
            "train_seconds": round(record["train_seconds"], 3),
            "metrics": {key: record["metrics"][key] for key in TASKS[task].metric_keys if key in record["metrics"]},
            "message": record["message"]}
