"""The Keras part of `train`: build, compile, fit with the progress bridge, evaluate, save."""

from __future__ import annotations

import math
import time
import traceback

import keras
import numpy as np

from models.registry import ArchInfo, Recipe, build
from training.bounds import max_train_seconds
from training.datasets import Prepared
from training.events import (
    CANCELLED,
    CANCELLED_HELP,
    DIVERGED,
    DIVERGED_HELP,
    EXPLOSION_FACTOR,
    FAILED,
    FINISHED,
    Cancel,
    RunConfig,
    RunResult,
    TrainingCallbacks,
    budget_help,
    exploded_help,
)
from training.recording import finish, new_result, save_predictions
from training.standalone import batches_in_epoch, epoch_end_callbacks, make_optimizer, prediction_batch_size
from training.store import RunStore
from training.tasks import fit_data
from training.tensorboard import EpochScalars

HEARTBEAT_SECONDS = 60.0
BUDGET = "budget"  # a StopRun status that is not an outcome: evaluate the best epoch and finish


def is_finite_loss(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


class StopRun(Exception):
    """Raised inside `fit` to leave it at once (cancel or divergence), skipping validation."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class ProgressBridge(keras.callbacks.Callback):
    """Forwards Keras' batch and epoch events to a TrainingCallbacks and to the store."""

    def __init__(self, run_id: str, user_callbacks: TrainingCallbacks, cancel: Cancel | None, store: RunStore | None,
                 batches_per_epoch: int, budget_seconds: float | None = None):
        super().__init__()
        self.budget_seconds = budget_seconds
        self.fit_started = time.perf_counter()
        self.best_val_loss = math.inf
        self.best_weights = None  # kept only under a time budget, to finish with the best epoch
        self.run_id = run_id
        self.user_callbacks = user_callbacks
        self.cancel = cancel
        self.store = store
        self.batches_per_epoch = batches_per_epoch
        self.epoch = 0
        self.epoch_started = time.perf_counter()
        self.last_heartbeat = time.monotonic()
        self.history: dict[str, list[float]] = {}
        self.first_loss: float | None = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.epoch_started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        logs = {key: float(value) for key, value in (logs or {}).items()}
        loss = logs.get("loss", 0.0)
        if not is_finite_loss(loss):
            raise StopRun(DIVERGED, DIVERGED_HELP)
        if self.first_loss is None:
            self.first_loss = float(loss)
        elif self.first_loss > 0 and float(loss) > EXPLOSION_FACTOR * self.first_loss:
            raise StopRun(DIVERGED, exploded_help(self.first_loss, float(loss)))
        self.user_callbacks.on_batch_end(self.epoch, batch, self.batches_per_epoch, logs)
        if self.cancel is not None and self.cancel.is_set():
            raise StopRun(CANCELLED, CANCELLED_HELP)
        if self.budget_seconds is not None and time.perf_counter() - self.fit_started > self.budget_seconds:
            raise StopRun(BUDGET, "")
        if self.store is not None and time.monotonic() - self.last_heartbeat > HEARTBEAT_SECONDS:
            self.last_heartbeat = time.monotonic()
            self.store.heartbeat(self.run_id)

    def on_epoch_end(self, epoch, logs=None):
        logs = {key: float(value) for key, value in (logs or {}).items()}
        logs["seconds"] = time.perf_counter() - self.epoch_started
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        if self.store is not None:
            self.store.log_epoch(self.run_id, epoch, logs)
        self.user_callbacks.on_epoch_end(epoch, logs)
        if not is_finite_loss(logs.get("loss", 0.0)):
            raise StopRun(DIVERGED, DIVERGED_HELP)
        if self.budget_seconds is not None and logs.get("val_loss", math.inf) < self.best_val_loss:
            self.best_val_loss, self.best_weights = logs["val_loss"], self.model.get_weights()


def run_learned(config: RunConfig, info: ArchInfo, recipe: Recipe, data: Prepared, callbacks: TrainingCallbacks,
                cancel: Cancel | None, store: RunStore | None, started: float) -> RunResult:
    try:
        return _run_learned(config, info, recipe, data, callbacks, cancel, store, started)
    finally:
        # Models built in a loop (the CLI's --compare, benchmarks) pile up graphs and kernel caches
        # (keras #17458); a worker process trains once and exits, so this matters only there.
        keras.utils.clear_session()


def _run_learned(config, info, recipe, data, callbacks, cancel, store, started) -> RunResult:
    keras.utils.set_random_seed(config.seed)
    prepared = fit_data(info, data, config.hyperparameters)
    model = build(info, prepared.hyperparameters, **prepared.builder_arguments)
    train_size = len(prepared.y_train)
    batches_per_epoch = batches_in_epoch(train_size, recipe.batch_size)
    optimizer = make_optimizer(recipe.learning_rate, recipe.epochs, batches_per_epoch, recipe.cosine_decay,
                               config.clip_norm, recipe.optimizer, recipe.ema_momentum)
    model.compile(optimizer=optimizer, loss=prepared.loss, metrics=prepared.metrics)
    params = int(model.count_params())
    extra = {"epochs": recipe.epochs, "batch_size": recipe.batch_size,
             "learning_rate": recipe.learning_rate, "cosine_decay": recipe.cosine_decay,
             "optimizer": recipe.optimizer, "ema_momentum": recipe.ema_momentum,
             "limit": recipe.limit, "train_size": train_size,
             "hyperparameters": prepared.hyperparameters, **prepared.extra}
    run_id, folder = new_result(config, store, params, True, extra)
    budget = max_train_seconds()
    bridge = ProgressBridge(run_id, callbacks, cancel, store, batches_per_epoch, budget)
    scalars = EpochScalars(folder) if folder is not None else None  # TensorBoard files in the run folder
    keras_callbacks = epoch_end_callbacks(recipe.ema_momentum, config.early_stopping,
                                          [bridge, *([scalars] if scalars is not None else [])])
    status, message, metrics, predictions = FINISHED, "", {}, None
    clock = time.perf_counter()
    try:
        callbacks.on_start(run_id, config, params, recipe.epochs, batches_per_epoch)
        callbacks.on_model_ready(model)
        model.fit(**prepared.fit_arguments(recipe.batch_size, config.seed), epochs=recipe.epochs,
                  callbacks=keras_callbacks, verbose=0)
    except StopRun as stop:
        status, message = stop.status, stop.message
        if status == BUDGET:
            status = FINISHED
            message = budget_help(budget, len(bridge.history.get("loss", [])), recipe.epochs)
            if bridge.best_weights is not None:
                model.set_weights(bridge.best_weights)
    except Exception as error:  # noqa: BLE001 - any failure is recorded, not lost in a thread
        status, message = FAILED, f"{type(error).__name__}: {error}"
        traceback.print_exc()
    finally:
        if scalars is not None:
            scalars.close()
    train_seconds = time.perf_counter() - clock
    epochs_run = len(bridge.history.get("loss", []))
    if status == FINISHED:
        try:
            prediction_batch = prediction_batch_size(recipe.batch_size, prepared.sequences_per_example)
            raw = model.predict(**prepared.test_arguments(prediction_batch), verbose=0)
            predictions, metrics = prepared.score(np.asarray(raw))
            if folder is not None:
                model.save_weights(f"{folder}/model.weights.h5")
                prepared.save_assets(store.run_dir(run_id))
                save_predictions(folder, predictions)
        except Exception as error:  # noqa: BLE001
            status, message = FAILED, f"evaluation failed: {type(error).__name__}: {error}"
            traceback.print_exc()
    seconds_per_epoch = train_seconds / epochs_run if epochs_run else 0.0
    result = RunResult(run_id=run_id, config=config, status=status, message=message, metrics=metrics,
                       history=bridge.history, params=params, epochs_run=epochs_run,
                       train_seconds=train_seconds, seconds_per_epoch=seconds_per_epoch,
                       predictions=predictions,
                       model=prepared.finalize(model) if status in (FINISHED, CANCELLED) else None,
                       run_dir=folder)
    finish(store, result, started)
    callbacks.on_finish(result)
    return result
