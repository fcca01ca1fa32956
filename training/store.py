"""The run store: SQLite (WAL) tables for runs and per-epoch logs, and a folder per run.

Every operation opens its own connection, so one `RunStore` can be shared by threads and
several processes can write the same file; SQLite's busy timeout serialises the writers.
A run left `running` by a process that died is marked `interrupted` when a store is opened.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import socket
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from data.paths import app_home
from training.events import INTERRUPTED, RUNNING, RunConfig

BUSY_TIMEOUT_SECONDS = 30.0
# A live run refreshes its heartbeat at least this often (see engine.HEARTBEAT_SECONDS); one
# silent for much longer belongs to a process that is gone or frozen.
STALE_AFTER_SECONDS = 15 * 60

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    arch TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    config TEXT NOT NULL,
    params INTEGER NOT NULL DEFAULT 0,
    learned INTEGER NOT NULL DEFAULT 1,
    epochs_run INTEGER NOT NULL DEFAULT 0,
    train_seconds REAL NOT NULL DEFAULT 0,
    seconds_per_epoch REAL NOT NULL DEFAULT 0,
    metrics TEXT NOT NULL DEFAULT '{}',
    extra TEXT NOT NULL DEFAULT '{}',
    versions TEXT NOT NULL DEFAULT '{}',
    owner TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started_at REAL NOT NULL,
    heartbeat_at REAL NOT NULL,
    finished_at REAL,
    peak_memory_mb REAL NOT NULL DEFAULT 0,
    wall_seconds REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_by_task ON runs (task, arch, started_at);
CREATE TABLE IF NOT EXISTS epochs (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    logs TEXT NOT NULL,
    PRIMARY KEY (run_id, epoch)
);
"""
JSON_COLUMNS = ("config", "metrics", "extra", "versions")
# Columns added after the first release: stores written before them get them on opening.
ADDED_COLUMNS = {"peak_memory_mb": "REAL NOT NULL DEFAULT 0", "wall_seconds": "REAL NOT NULL DEFAULT 0"}
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# A sweep's trials carry its id in their config (RunConfig.sweep): no column to migrate. A damaged
# config must not make SQLite fail the whole query ("malformed JSON"), hence json_valid.
SWEEP_SQL = "(CASE WHEN json_valid(config) THEN json_extract(config, '$.sweep') END)"
NUMBER_COLUMNS = {"params": int, "learned": int, "epochs_run": int, "train_seconds": float,
                  "seconds_per_epoch": float, "started_at": float, "heartbeat_at": float,
                  "peak_memory_mb": float, "wall_seconds": float}


class RunRecord(TypedDict):
    """One row of the runs table as the store returns it: JSON columns parsed, numbers checked.
    A TypedDict rather than a class, so pages, exports and the Ray driver keep reading it as the
    plain dict (and JSON object) it also is."""

    run_id: str
    task: str
    arch: str
    status: str
    message: str
    config: dict
    params: int
    learned: int
    epochs_run: int
    train_seconds: float
    seconds_per_epoch: float
    metrics: dict
    extra: dict
    versions: dict
    owner: str
    pid: int
    host: str
    started_at: float
    heartbeat_at: float
    finished_at: float | None
    peak_memory_mb: float
    wall_seconds: float
    problems: NotRequired[list[str]]  # what was damaged in the stored row, when anything was


def parse_object(text: Any) -> tuple[dict, str]:
    """A JSON object stored as text, and '' or what is wrong with it (then the object is {})."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as error:
        return {}, f"not valid JSON: {error}"
    if not isinstance(value, dict):
        return {}, f"a JSON {type(value).__name__}, not an object"
    return value, ""


def library_versions() -> dict[str, str]:
    """Versions read from package metadata, so recording them never imports TensorFlow."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for package in ("numpy", "keras", "tensorflow", "tensorflow-cpu"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return versions


def to_json(value: Any) -> str:
    """JSON with NaN/inf written as null (SQLite JSON and browsers reject NaN)."""

    def clean(item):
        if isinstance(item, float):
            return item if math.isfinite(item) else None
        if isinstance(item, dict):
            return {str(key): clean(inner) for key, inner in item.items()}
        if isinstance(item, (list, tuple)):
            return [clean(inner) for inner in item]
        if hasattr(item, "item") and callable(item.item):  # NumPy scalars
            return clean(item.item())
        if hasattr(item, "tolist"):
            return clean(item.tolist())
        return item

    return json.dumps(clean(value))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def new_run_id(task: str, arch: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{task}-{arch}-{secrets.token_hex(3)}"


class RunStore:
    """Runs in `path` (default `$DLLAB_HOME/runs.sqlite`), run folders beside it in `runs/`."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else app_home() / "runs.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.runs_root = self.path.parent / "runs"
        with closing(self._connect()) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            present = {row["name"] for row in connection.execute("PRAGMA table_info(runs)")}
            for column, kind in ADDED_COLUMNS.items():
                if column not in present:
                    connection.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
        self.mark_interrupted()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def _write(self, sql: str, parameters: tuple = ()) -> int:
        with closing(self._connect()) as connection, connection:
            return connection.execute(sql, parameters).rowcount

    def _read(self, sql: str, parameters: tuple = ()) -> list[dict]:
        with closing(self._connect()) as connection:
            return [self._row(row) for row in connection.execute(sql, parameters).fetchall()]

    @staticmethod
    def _row(row: sqlite3.Row) -> RunRecord:
        """A run as a RunRecord. A damaged value (not JSON, not a number) is replaced by an empty one
        and named in `record["problems"]`, so one bad row never breaks a page listing runs."""
        record, problems = dict(row), []
        for column in JSON_COLUMNS:
            if column in record:
                record[column], problem = parse_object(record[column])
                if problem:
                    problems.append(f"its {column} is damaged ({problem})")
        for column, kind in NUMBER_COLUMNS.items():
            if column in record and not isinstance(record[column], kind | float) and record[column] is not None:
                problems.append(f"its {column} is not a number ({str(record[column])[:40]!r})")
                record[column] = kind(0)
        if problems:
            record["problems"] = problems
        return record  # type: ignore[return-value]: the runs table's columns, checked above

    def start_run(self, config: RunConfig, params: int = 0, extra: dict | None = None, *,
                  owner: str = "", learned: bool = True, run_id: str | None = None) -> str:
        """Record a new `running` run and create its folder; returns its id."""
        run_id = run_id or new_run_id(config.task, config.arch)
        now = time.time()
        self._write(
            "INSERT INTO runs (run_id, task, arch, status, config, params, learned, extra, versions, "
            "owner, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, config.task, config.arch, RUNNING, to_json(config.to_dict()), int(params),
             int(learned), to_json(extra or {}), to_json(library_versions()), owner, os.getpid(),
             socket.gethostname(), now, now))
        self.run_dir(run_id).mkdir(parents=True, exist_ok=True)
        return run_id

    def heartbeat(self, run_id: str) -> None:
        self._write("UPDATE runs SET heartbeat_at = ? WHERE run_id = ?", (time.time(), run_id))

    def log_epoch(self, run_id: str, epoch: int, logs: dict) -> None:
        with closing(self._connect()) as connection, connection:
            connection.execute("INSERT OR REPLACE INTO epochs (run_id, epoch, logs) VALUES (?, ?, ?)",
                               (run_id, int(epoch), to_json(logs)))
            connection.execute("UPDATE runs SET heartbeat_at = ?, epochs_run = ? WHERE run_id = ?",
                               (time.time(), int(epoch) + 1, run_id))

    def finish_run(self, run_id: str, status: str, message: str = "", metrics: dict | None = None,
                   train_seconds: float = 0.0, seconds_per_epoch: float = 0.0,
                   epochs_run: int = 0) -> None:
        now = time.time()
        self._write(
            "UPDATE runs SET status = ?, message = ?, metrics = ?, train_seconds = ?, "
            "seconds_per_epoch = ?, epochs_run = ?, heartbeat_at = ?, finished_at = ? WHERE run_id = ?",
            (status, message, to_json(metrics or {}), float(train_seconds), float(seconds_per_epoch),
             int(epochs_run), now, now, run_id))

    def record_resources(self, run_id: str, peak_memory_mb: float, wall_seconds: float) -> None:
        """The training process's peak resident memory and the run's wall time, start-up included."""
        self._write("UPDATE runs SET peak_memory_mb = ?, wall_seconds = ? WHERE run_id = ?",
                    (float(peak_memory_mb), float(wall_seconds), run_id))

    def list_runs(self, task: str | None = None, arch: str | None = None, status: str | None = None,
                  owner: str | None = None, sweep: str | None = None) -> list[RunRecord]:
        """Runs, newest first, filtered by any of task, arch, status, owner and sweep id."""
        filters = {"task": task, "arch": arch, "status": status, "owner": owner, SWEEP_SQL: sweep}
        where = [f"{column} = ?" for column, value in filters.items() if value is not None]
        parameters = tuple(value for value in filters.values() if value is not None)
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
        return self._read(sql + " ORDER BY started_at DESC, run_id DESC", parameters)  # type: ignore[return-value]

    def sweeps(self) -> list[dict]:
        """Every sweep in the store, newest first: its id, task, number of runs, first start."""
        return self._read(f"SELECT {SWEEP_SQL} AS sweep, task, COUNT(*) AS runs, MIN(started_at) AS started_at "
                          f"FROM runs WHERE {SWEEP_SQL} <> '' GROUP BY {SWEEP_SQL}, task "
                          "ORDER BY started_at DESC")

    def import_run(self, record: dict, epochs: list[dict], files: dict[str, bytes]) -> str:
        """Record a run that ended in another process or on another machine (a Ray trial).

        `record` is its row as `get_run` returns it, `epochs` its per-epoch logs as `epochs`
        returns them, `files` the contents of its run folder by file name. The files are
        written first, so the run never shows up without its weights.
        """
        run_id = record["run_id"]
        if record.get("status") == RUNNING:
            raise ValueError(f"run {run_id} is still running; only a run that ended can be imported")
        if self.get_run(run_id) is not None:
            raise ValueError(f"run {run_id} is already in the store")
        folder = self.run_dir(run_id)
        for name in files:
            if Path(name).name != name or name.startswith(".") or "\\" in name:
                raise ValueError(f"not a plain file name for a run folder: {name!r}")
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            partial = folder / f".{name}.part"
            partial.write_bytes(content)
            partial.replace(folder / name)
        with closing(self._connect()) as connection, connection:
            known = {row["name"] for row in connection.execute("PRAGMA table_info(runs)")}
            columns = [column for column in record if column in known]
            values = [to_json(record[column]) if column in JSON_COLUMNS else record[column] for column in columns]
            connection.execute(f"INSERT INTO runs ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                               values)
            connection.executemany("INSERT INTO epochs (run_id, epoch, logs) VALUES (?, ?, ?)",
                                   [(run_id, int(logs["epoch"]),
                                     to_json({key: value for key, value in logs.items() if key != "epoch"}))
                                    for logs in epochs])
        return run_id

    def get_run(self, run_id: str) -> RunRecord | None:
        rows = self._read("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        return rows[0] if rows else None  # type: ignore[return-value]: a runs row, see _row

    def epochs(self, run_id: str) -> list[dict]:
        """Per-epoch logs in order, each with its `epoch` number (0-based)."""
        with closing(self._connect()) as connection:
            rows = connection.execute("SELECT epoch, logs FROM epochs WHERE run_id = ? ORDER BY epoch",
                                      (run_id,)).fetchall()
        epochs = []
        for row in rows:
            logs, problem = parse_object(row["logs"])
            if not problem:  # a damaged epoch is left out: the curves show the others
                epochs.append({"epoch": row["epoch"], **logs})
        return epochs

    def run_dir(self, run_id: str) -> Path:
        if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
            raise ValueError(f"not a run id: {run_id!r}")
        return self.runs_root / run_id

    def weights_path(self, run_id: str) -> Path | None:
        path = self.run_dir(run_id) / "model.weights.h5"
        return path if path.is_file() else None

    def weights_problem(self, run_id: str) -> str:
        """'' when the run's `model.weights.h5` opens as an HDF5 file with content; else what is
        wrong with it, in words (missing, or damaged). Reads the file's structure only."""
        path = self.run_dir(run_id) / "model.weights.h5"
        if not path.is_file():
            return "its weights file (model.weights.h5) is missing"
        with open(path, "rb") as handle:
            if handle.read(len(HDF5_SIGNATURE)) != HDF5_SIGNATURE:
                return "its weights file (model.weights.h5) is damaged: not an HDF5 file"
        import h5py

        try:
            with h5py.File(path, "r") as weights:
                names = []
                weights.visit(names.append)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            return f"its weights file (model.weights.h5) is damaged: {error}"
        return "" if names else "its weights file (model.weights.h5) is empty"

    def delete_run(self, run_id: str) -> None:
        """Remove the run, its epochs and its folder (weights, predictions, logs)."""
        self._write("DELETE FROM runs WHERE run_id = ?", (run_id,))
        shutil.rmtree(self.run_dir(run_id), ignore_errors=True)

    def mark_interrupted(self) -> int:
        """Runs still `running` whose process is gone become `interrupted`; returns how many.

        Runs of this process are left alone. On this host a dead pid is enough; a run from
        another host (or a reused pid) is judged by its heartbeat.
        """
        now, host, stale = time.time(), socket.gethostname(), []
        for run in self._read("SELECT run_id, pid, host, heartbeat_at FROM runs WHERE status = ?",
                              (RUNNING,)):
            if run["host"] == host and run["pid"] == os.getpid():
                continue
            dead = run["host"] == host and not pid_alive(run["pid"])
            if dead or now - run["heartbeat_at"] > STALE_AFTER_SECONDS:
                stale.append(run["run_id"])
        for run_id in stale:
            self._write("UPDATE runs SET status = ?, message = ?, finished_at = ? "
                        "WHERE run_id = ? AND status = ?",
                        (INTERRUPTED, "The process running this training stopped before it finished "
                                      "(app restarted or crashed).", now, run_id, RUNNING))
        return len(stale)
