"""Tiny Keras networks trained full-batch for the lesson demos (a few hundred steps, a few seconds).

Keras is imported inside the functions: importing TensorFlow costs about 2 s, and the lesson
pages that only read must not pay for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FitHistory:
    """Per-step training (and validation) loss and accuracy of one full-batch run."""

    train_loss: np.ndarray
    train_accuracy: np.ndarray
    validation_loss: np.ndarray | None
    validation_accuracy: np.ndarray | None
    seconds: float


def dense_network(input_dim: int, hidden_units: list[int], output_activation: str | None = "sigmoid",
                  activation: str = "relu", dropout_rate: float = 0.0, seed: int = 0, name: str = "net"):
    """Input -> Dense(units, activation) [-> Dropout] for each hidden layer -> Dense(1)."""
    import keras

    if input_dim < 1 or any(units < 1 for units in hidden_units):
        raise ValueError(f"input_dim and every hidden width must be positive, got {input_dim}, {hidden_units}")
    if not 0.0 <= dropout_rate < 1.0:
        raise ValueError(f"dropout_rate must be in [0, 1), got {dropout_rate}")
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(input_dim,), name="features")
    hidden = inputs
    for index, units in enumerate(hidden_units, start=1):
        hidden = keras.layers.Dense(units, activation=activation, name=f"hidden_{index}")(hidden)
        if dropout_rate:
            hidden = keras.layers.Dropout(dropout_rate, seed=seed + index, name=f"dropout_{index}")(hidden)
    outputs = keras.layers.Dense(1, activation=output_activation, name="output")(hidden)
    return keras.Model(inputs, outputs, name=name)


def fit_full_batch(model, features: np.ndarray, labels: np.ndarray, steps: int, learning_rate: float,
                   validation: tuple[np.ndarray, np.ndarray] | None = None,
                   loss: str = "binary_crossentropy") -> FitHistory:
    """Adam on the whole training set at every step, so one step is one epoch and one update.

    `train_on_batch` keeps the compiled step of `fit` without fit's per-epoch overhead, which on two
    shared cores is most of the time of a 300-point demo.
    """
    import keras

    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    metrics = ["binary_accuracy"] if loss == "binary_crossentropy" else []
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=metrics)
    targets = labels.reshape(-1, 1).astype("float32")  # (n, 1)
    if validation is not None:
        validation_targets = validation[1].reshape(-1, 1).astype("float32")  # (m, 1)
    history = {"train": [], "validation": []}
    start = time.perf_counter()
    for _ in range(steps):
        history["train"].append(_as_pair(model.train_on_batch(features, targets)))
        if validation is not None:
            history["validation"].append(_as_pair(model.test_on_batch(validation[0], validation_targets)))
    seconds = time.perf_counter() - start
    train = np.array(history["train"], dtype=float)
    checked = np.array(history["validation"], dtype=float) if validation is not None else None
    return FitHistory(train_loss=train[:, 0], train_accuracy=train[:, 1],
                      validation_loss=None if checked is None else checked[:, 0],
                      validation_accuracy=None if checked is None else checked[:, 1], seconds=seconds)


def _as_pair(result) -> tuple[float, float]:
    """(loss, accuracy) from train_on_batch/test_on_batch; accuracy is NaN for regression."""
    values = np.atleast_1d(np.asarray(result, dtype=float))
    return float(values[0]), float(values[1]) if len(values) > 1 else float("nan")


def predict(model, features: np.ndarray) -> np.ndarray:
    """Model outputs as a flat NumPy array; calling the model avoids predict()'s per-call set-up."""
    return np.asarray(model(features, training=False)).reshape(-1)  # (n,)


def reset() -> None:
    """Free the graph state left by earlier demo models (Keras grows memory when models are rebuilt)."""
    import keras

    keras.utils.clear_session()
