"""Lesson 4, loss functions in NumPy, with the same conventions as `keras.losses`.

Keras clips probabilities to [eps, 1 - eps] with eps = 1e-7 before taking logarithms, so a
confident wrong answer costs about 16 instead of infinity; we do the same.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-7


def mean_squared_error(targets, predictions) -> float:
    targets, predictions = _pair(targets, predictions)
    return float(np.mean((targets - predictions) ** 2))


def mean_absolute_error(targets, predictions) -> float:
    targets, predictions = _pair(targets, predictions)
    return float(np.mean(np.abs(targets - predictions)))


def binary_cross_entropy(targets, probabilities) -> float:
    """-mean(y log p + (1 - y) log(1 - p)) for labels y in {0, 1} and probabilities p of label 1."""
    targets, probabilities = _pair(targets, probabilities)
    probabilities = np.clip(probabilities, EPSILON, 1 - EPSILON)
    return float(-np.mean(targets * np.log(probabilities) + (1 - targets) * np.log(1 - probabilities)))


def categorical_cross_entropy(one_hot_targets, probabilities) -> float:
    """-mean over examples of log(probability given to the true class); rows are examples."""
    targets, probabilities = _pair(one_hot_targets, probabilities)
    if targets.ndim != 2:
        raise ValueError(f"expected (examples, classes) arrays, got shape {targets.shape}")
    probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
    probabilities = np.clip(probabilities, EPSILON, 1 - EPSILON)
    return float(-np.mean(np.sum(targets * np.log(probabilities), axis=1)))


def softmax(logits) -> np.ndarray:
    logits = np.asarray(logits, dtype=float)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))  # subtracting the max avoids overflow
    return shifted / shifted.sum(axis=-1, keepdims=True)


def single_example_curves(samples: int = 99) -> dict[str, np.ndarray]:
    """Loss of one example whose true label is 1, as the predicted probability goes from 0 to 1."""
    probability = np.linspace(0.01, 0.99, samples)
    return {
        "probability": probability,
        "squared error": (1.0 - probability) ** 2,
        "cross-entropy": -np.log(probability),
    }


def _pair(first, second) -> tuple[np.ndarray, np.ndarray]:
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if first.shape != second.shape:
        raise ValueError(f"targets have shape {first.shape} but predictions have shape {second.shape}")
    return first, second
