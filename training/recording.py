"""Starting and finishing a run's record: shared by learned models (`fit`) and baselines."""

from __future__ import annotations

import time

import numpy as np

from training.events import RunConfig, RunResult
from training.process import peak_memory_mb
from training.store import new_run_id


def new_result(config: RunConfig, store, params: int, learned: bool, extra: dict) -> tuple[str, str | None]:
    """Start the run in the store (when recording); returns (run_id, run folder or None)."""
    if store is None:
        return new_run_id(config.task, config.arch), None
    run_id = store.start_run(config, params, extra, owner=config.owner, learned=learned)
    return run_id, str(store.run_dir(run_id))


def save_predictions(folder: str | None, predictions: np.ndarray) -> None:
    if folder is not None:
        np.savez_compressed(f"{folder}/predictions.npz", predictions=np.asarray(predictions))


def finish(store, result: RunResult, started: float) -> RunResult:
    """Record the end of `result` (with this process's peak memory and the wall time since
    `started`, a `time.time()`); returns it with those two filled in."""
    result.peak_memory_mb, result.wall_seconds = peak_memory_mb(), time.time() - started
    if store is not None:
        store.finish_run(result.run_id, result.status, result.message, result.metrics, result.train_seconds,
                         result.seconds_per_epoch, result.epochs_run)
        store.record_resources(result.run_id, result.peak_memory_mb, result.wall_seconds)
    return result
