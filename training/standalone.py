"""The steps of a training run as plain functions, shared by the engine and exported scripts.

The engine compiles every model with `make_optimizer`; `python -m training export RUN_ID`
(training.export) copies `reproduce_learned` or `reproduce_baseline`, `run_script` and the
project code they call into one script, so the script runs this code, not a copy kept by hand.
Runs in the script's own process: no worker, no store, no progress bridge.
"""

from __future__ import annotations

import argparse
import json
import math
import os

COSINE_FLOOR = 0.02  # cosine decay ends at 2 % of the starting learning rate
# Predicting needs no gradients, so larger batches are cheap, up to a point: counted in sequences,
# because a traffic window is one sequence per sensor (256 windows x 207 sensors took the FC-LSTM's
# prediction to 1,378 MB, against 957 MB at its training batch of 32, measured by bench.peak_memory).
PREDICTION_BATCH_MIN = 256
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD"}  # a recipe's optimizer -> its keras.optimizers class
EARLY_STOPPING_PATIENCE = 3  # epochs without a better validation loss before early stopping stops


def make_optimizer(learning_rate: float, epochs: int, batches_per_epoch: int, cosine_decay: bool,
                   clip_norm: float | None, optimizer: str = "adam", ema_momentum: float | None = None):
    """Adam (or plain SGD), with the learning rate lowered along a cosine over all batches when
    `cosine_decay`, keeping a moving average of the weights when `ema_momentum` is given."""
    import keras

    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
    if ema_momentum is not None and not 0 < ema_momentum < 1:
        raise ValueError(f"ema_momentum must be between 0 and 1 (try 0.99), got {ema_momentum!r}")
    if cosine_decay:
        learning_rate = keras.optimizers.schedules.CosineDecay(
            learning_rate, decay_steps=epochs * batches_per_epoch, alpha=COSINE_FLOOR)
    averaging = {"use_ema": True, "ema_momentum": ema_momentum} if ema_momentum is not None else {}
    return getattr(keras.optimizers, OPTIMIZERS[optimizer])(learning_rate=learning_rate, global_clipnorm=clip_norm,
                                                            **averaging)


def epoch_end_callbacks(ema_momentum: float | None, early_stopping: bool, progress=()) -> list:
    """Keras callbacks in the order the engine needs. With averaged weights, the average is put in
    the model at the end of each epoch and taken out at the start of the next, so validation,
    whatever `progress` reads at epoch end, early stopping's best weights and the finished model
    are all the average, the model a learner would keep if training stopped there."""
    import keras

    callbacks = [keras.callbacks.SwapEMAWeights(swap_on_epoch=True)] if ema_momentum is not None else []
    callbacks += list(progress)
    if early_stopping:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=EARLY_STOPPING_PATIENCE, restore_best_weights=True))
    return callbacks


def batches_in_epoch(train_size: int, batch_size: int) -> int:
    return max(1, -(-train_size // batch_size))


def prediction_batch_size(batch_size: int, sequences_per_example: int = 1) -> int:
    return max(batch_size, PREDICTION_BATCH_MIN // sequences_per_example)


def reproduce_learned(prepare_data, fit_data, builder, architecture, run: dict) -> dict:
    """Train as the engine does (same seed, data, model, recipe and order of steps); test metrics.

    `prepare_data()` gives the task's Prepared splits, `fit_data(architecture, data,
    hyperparameters)` the arrays and loss, `builder(**arguments)` the Keras model; `run` holds
    seed, epochs, batch_size, learning_rate, cosine_decay, optimizer, ema_momentum, limit, clip_norm,
    early_stopping and hyperparameters.
    """
    import keras
    import numpy as np

    keras.utils.set_random_seed(run["seed"])
    data = prepare_data().limited(run["limit"])
    prepared = fit_data(architecture, data, dict(run["hyperparameters"]))
    model = builder(**prepared.builder_arguments, **prepared.hyperparameters)
    batches = batches_in_epoch(len(prepared.y_train), run["batch_size"])
    optimizer = make_optimizer(run["learning_rate"], run["epochs"], batches, run["cosine_decay"],
                               run["clip_norm"], run["optimizer"], run["ema_momentum"])
    model.compile(optimizer=optimizer, loss=prepared.loss, metrics=prepared.metrics)
    model.summary()
    callbacks = epoch_end_callbacks(run["ema_momentum"], run["early_stopping"])
    model.fit(**prepared.fit_arguments(run["batch_size"], run["seed"]), epochs=run["epochs"], callbacks=callbacks,
              verbose=2)
    prediction_batch = prediction_batch_size(run["batch_size"], prepared.sequences_per_example)
    raw = model.predict(**prepared.test_arguments(prediction_batch), verbose=0)
    _, metrics = prepared.score(np.asarray(raw))
    return metrics


def reproduce_baseline(prepare_data, predict, score, architecture, run: dict) -> dict:
    """A baseline is not trained: predict the test windows from the training data and score them."""
    data = prepare_data().limited(run["limit"])
    return score(data, predict(architecture, data))


def scalar_metrics(metrics: dict) -> dict:
    return {key: value for key, value in metrics.items() if isinstance(value, (int, float))}


def run_script(reproduce, stored_metrics: dict, description: str, argv: list[str] | None = None) -> int:
    """The exported script's command line: where the data is, then train and print the metrics
    next to the ones the app stored; the last line is the metrics as JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--mirror", help="a folder with the dataset files in the app's layout (e.g. "
                                         "mnist/mnist.npz); default: $DLLAB_DATA_MIRROR")
    parser.add_argument("--home", help="where downloads and parsed caches go; default: $DLLAB_HOME "
                                       "or ~/.dllab")
    arguments = parser.parse_args(argv)
    if arguments.mirror:
        os.environ["DLLAB_DATA_MIRROR"] = arguments.mirror
    if arguments.home:
        os.environ["DLLAB_HOME"] = arguments.home
    metrics = reproduce()
    print(f"{'metric':<12} {'this run':>12} {'stored run':>12}")
    for key, value in scalar_metrics(metrics).items():
        stored = stored_metrics.get(key)
        shown = f"{stored:>12.4f}" if isinstance(stored, (int, float)) else f"{'-':>12}"
        print(f"{key:<12} {value:>12.4f} {shown}")
    print(json.dumps({key: (value if not isinstance(value, float) or math.isfinite(value) else None)
                      for key, value in metrics.items()}))
    return 0
