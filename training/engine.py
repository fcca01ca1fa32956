"""`train`: the one function that builds, fits, evaluates and records every model of the app.

Progress goes to a `TrainingCallbacks`; an Event (threading or multiprocessing) cancels between
batches; a NaN/inf loss stops the run as `diverged`; DLLAB_MAX_TRAIN_SECONDS stops it at its
time budget with the best epoch's metrics. The app calls it in a spawned worker process
(`training.jobs`); the CLI and the benchmarks call it directly.
"""

from __future__ import annotations

import time
from dataclasses import replace

from models.registry import ArchInfo, Recipe, architecture, recipe_for
from training.bounds import BATCH_RANGE, EPOCH_RANGE, LEARNING_RATE_RANGE, check_range
from training.datasets import Prepared, prepare
from training.events import Cancel, RunConfig, RunResult, TrainingCallbacks
from training.store import RunStore


def resolve_recipe(config: RunConfig, info: ArchInfo) -> Recipe:
    """The config's values where given, else the architecture's (quick) recipe; validated against
    the same bounds as the task pages' form, so the CLI and sweeps cannot ask for more."""
    recipe = recipe_for(info, config.quick)
    resolved = Recipe(
        epochs=recipe.epochs if config.epochs is None else config.epochs,
        batch_size=recipe.batch_size if config.batch_size is None else config.batch_size,
        learning_rate=recipe.learning_rate if config.learning_rate is None else config.learning_rate,
        limit=config.limit if config.limit is not None else (recipe.limit if config.quick else None),
        cosine_decay=recipe.cosine_decay if config.cosine_decay is None else config.cosine_decay,
        optimizer=recipe.optimizer, sequence_length=recipe.sequence_length,
        ema_momentum=recipe.ema_momentum)
    if not info.learned:
        return replace(resolved, epochs=0)
    if not isinstance(resolved.epochs, int) or isinstance(resolved.epochs, bool):
        raise ValueError(f"epochs must be a whole number, got {resolved.epochs!r}")
    check_range("epochs", resolved.epochs, EPOCH_RANGE)
    if not isinstance(resolved.batch_size, int) or isinstance(resolved.batch_size, bool):
        raise ValueError(f"batch_size must be a whole number, got {resolved.batch_size!r}")
    check_range("batch_size", resolved.batch_size, BATCH_RANGE)
    if not isinstance(resolved.learning_rate, (int, float)) or resolved.learning_rate != resolved.learning_rate:
        raise ValueError(f"learning_rate must be a number (try 0.001), got {resolved.learning_rate!r}")
    check_range("learning_rate", resolved.learning_rate, LEARNING_RATE_RANGE, " (try 0.001)")
    if resolved.limit is not None and resolved.limit < 1:
        raise ValueError(f"limit must be a positive number of training samples, got {resolved.limit!r}")
    if config.clip_norm is not None and not config.clip_norm > 0:
        raise ValueError(f"clip_norm must be a positive number (try 1.0), got {config.clip_norm!r}")
    return resolved


def with_recipe_settings(config: RunConfig, recipe: Recipe) -> RunConfig:
    """`config` with the recipe's data settings as hyperparameters, unless the config sets them:
    the run then records what it read, and its exported script reads the same."""
    if recipe.sequence_length is None or "sequence_length" in config.hyperparameters:
        return config
    return replace(config, hyperparameters={**config.hyperparameters, "sequence_length": recipe.sequence_length})


def _store_for(store: RunStore | None | bool) -> RunStore | None:
    """None -> the default store under DLLAB_HOME; False -> record nothing; else the given store."""
    if store is None:
        return RunStore()
    if store is False:
        return None
    return store


def train(config: RunConfig, callbacks: TrainingCallbacks | None = None, cancel: Cancel | None = None,
          store: RunStore | None | bool = None, data: Prepared | None = None) -> RunResult:
    """Train `config` and return its result; the run is recorded in `store` unless it is False.

    Raises ValueError for an invalid config (unknown names, bad hyperparameters) and the data
    loaders' DatasetError before anything is recorded; any failure after the run has started
    is recorded and returned with status `failed`.
    """
    started = time.time()
    callbacks = callbacks or TrainingCallbacks()
    info = architecture(config.task, config.arch)
    recipe = resolve_recipe(config, info)
    config = with_recipe_settings(config, recipe)
    store = _store_for(store)
    data = data if data is not None else prepare(config.task, dataset=config.data)
    if data.task != config.task:
        raise ValueError(f"the data passed is for task {data.task!r}, the config for {config.task!r}")
    data = data.limited(recipe.limit)
    if not info.learned:
        from training.baseline_run import run_baseline

        return run_baseline(config, info, data, callbacks, store, started)
    from training.fit import run_learned

    return run_learned(config, info, recipe, data, callbacks, cancel, store, started)

