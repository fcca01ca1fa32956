"""`train`: the one function that builds, fits, evaluates and records every model of the app.

Safe to call from worker threads (one run per thread). Progress goes to a `TrainingCallbacks`;
a `threading.Event` cancels between batches; a NaN/inf loss stops the run as `diverged`.
"""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from models.registry import ArchInfo, Recipe, architecture, build, recipe_for
from training.datasets import Prepared, prepare
from training.events import (
    RunConfig,
    RunResult,
    TrainingCallbacks,
)
from training.store import RunStore, new_run_id

HEARTBEAT_SECONDS = 60.0
EARLY_STOPPING_PATIENCE = 3
CANCELLED_HELP = "Training was cancelled; the model keeps the weights it had reached."

_active_runs = 0
_active_lock = threading.Lock()


@contextmanager
def _counted_run():
    """Count trainings in progress in this process; clear Keras' session after the last one.

    `keras.utils.clear_session()` frees the graphs and kernel caches that otherwise pile up when
    models are built in a loop (keras #17458), but part of what it resets is process-wide (the
    TensorFlow default graph and kernel cache): clearing while another thread is still
    building or fitting could break that run, so only the last active run clears.
    """
    global _active_runs
    with _active_lock:
        _active_runs += 1
    try:
        yield
    finally:
        with _active_lock:
            _active_runs -= 1
            if _active_runs == 0:
                import keras

                keras.utils.clear_session()


def active_runs() -> int:
    with _active_lock:
        return _active_runs


def resolve_recipe(config: RunConfig, info: ArchInfo) -> Recipe:
    """The config's values where given, else the architecture's (quick) recipe; validated."""
    recipe = recipe_for(info, config.quick)
    resolved = Recipe(
        epochs=recipe.epochs if config.epochs is None else config.epochs,
        batch_size=recipe.batch_size if config.batch_size is None else config.batch_size,
        learning_rate=recipe.learning_rate if config.learning_rate is None else config.learning_rate,
        limit=config.limit if config.limit is not None else (recipe.limit if config.quick else None),
        cosine_decay=recipe.cosine_decay if config.cosine_decay is None else config.cosine_decay)
    if not info.learned:
        return replace(resolved, epochs=0)
    if not isinstance(resolved.epochs, int) or resolved.epochs < 1:
        raise ValueError(f"epochs must be a whole number of at least 1, got {resolved.epochs!r}")
    if not isinstance(resolved.batch_size, int) or resolved.batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {resolved.batch_size!r}")
    if not (isinstance(resolved.learning_rate, (int, float)) and 0 < resolved.learning_rate < 10):
        raise ValueError(f"learning_rate must be a positive number below 10 (try 0.001), "
                         f"got {resolved.learning_rate!r}")
    if resolved.limit is not None and resolved.limit < 1:
        raise ValueError(f"limit must be a positive number of training samples, got {resolved.limit!r}")
    if config.clip_norm is not None and not config.clip_norm > 0:
        raise ValueError(f"clip_norm must be a positive number (try 1.0), got {config.clip_norm!r}")
    return resolved


def _store_for(store):
    """None -> the default store under DLLAB_HOME; False -> record nothing; else the given store."""
    if store is None:
        return RunStore()
    if store is False:
        return None
    return store


def train(config: RunConfig, callbacks: TrainingCallbacks | None = None,
          cancel: threading.Event | None = None, store: RunStore | None | bool = None,
          data: Prepared | None = None) -> RunResult:
    """Train `config` and return its result; the run is recorded in `store` unless it is False.

    Raises ValueError for an invalid config (unknown names, bad hyperparameters) and the data
    loaders' DatasetError before anything is recorded; any failure after the run has started
    is recorded and returned with status `failed`.
    """
    callbacks = callbacks or TrainingCallbacks()
    info = architecture(config.task, config.arch)
    recipe = resolve_recipe(config, info)
    store = _store_for(store)
    data = data if data is not None else prepare(config.task)
    if data.task != config.task:
        raise ValueError(f"the data passed is for task {data.task!r}, the config for {config.task!r}")
    data = data.limited(recipe.limit)
    if not info.learned:
        from training.baseline_run import run_baseline

        return run_baseline(config, info, data, callbacks, store)
    with _counted_run():
        from training.fit import run_learned

        return run_learned(config, info, recipe, data, callbacks, cancel, store)


def build_model(config: RunConfig, data: Prepared | None = None):
    """An untrained model for `config` (IMDB models take token ids; see training.tasks)."""
    from training.tasks import fit_data

    info = architecture(config.task, config.arch)
    if data is None:
        return build(info, config.hyperparameters)
    prepared = fit_data(info, data, config.hyperparameters)
    return build(info, prepared.hyperparameters, **prepared.builder_arguments)


def is_finite_loss(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def new_result(config: RunConfig, store, params: int, learned: bool, extra: dict) -> tuple[str, str | None]:
    """Start the run in the store (when recording); returns (run_id, run folder or None)."""
    if store is None:
        return new_run_id(config.task, config.arch), None
    run_id = store.start_run(config, params, extra, owner=config.owner, learned=learned)
    return run_id, str(store.run_dir(run_id))


def save_predictions(folder: str | None, predictions: np.ndarray) -> None:
    if folder is not None:
        np.savez_compressed(f"{folder}/predictions.npz", predictions=np.asarray(predictions))

