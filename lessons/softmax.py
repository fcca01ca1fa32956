"""Lesson 3, softmax: the output layer of a multi-class network, its temperature, and why it is
paired with the cross-entropy loss. NumPy, with the conventions of `keras.ops.softmax` and
`keras.losses.categorical_crossentropy(from_logits=True)`.

softmax(z)_j = e^(z_j) / sum_k e^(z_k) turns any scores ("logits") into probabilities. Dividing
the logits by a temperature T first sharpens (T < 1) or flattens (T > 1) the distribution.
With the cross-entropy loss -log p_true, the gradient with respect to the logits is simply
p - y (the probabilities minus the one-hot target): it never vanishes while the answer is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.losses import softmax


def _logits(logits) -> np.ndarray:
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 1 or logits.size < 2:
        raise ValueError(f"expected a vector of at least two logits, got shape {logits.shape}")
    if not np.all(np.isfinite(logits)):
        raise ValueError("the logits must be finite numbers")
    return logits


def with_temperature(logits, temperature: float = 1.0) -> np.ndarray:
    """softmax(z / T). T -> 0 approaches a one-hot vector on the largest logit (the "hard" max
    that softmax softens); T -> infinity approaches the uniform distribution."""
    if not temperature > 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    return softmax(_logits(logits) / temperature)


def log_sum_exp(logits) -> float:
    """log(sum_k e^(z_k)), computed after subtracting the largest logit so e^z cannot overflow."""
    logits = _logits(logits)
    largest = logits.max()
    return float(largest + np.log(np.sum(np.exp(logits - largest))))


def cross_entropy(logits, true_class: int, temperature: float = 1.0) -> float:
    """-log softmax(z / T)[true] = logsumexp(z / T) - z_true / T: no probability is ever rounded
    to 0 before its logarithm is taken, so the loss stays finite and exact."""
    logits = _logits(logits)
    _check_class(true_class, logits.size)
    if not temperature > 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    return log_sum_exp(logits / temperature) - float(logits[true_class] / temperature)


def cross_entropy_gradient(logits, true_class: int, temperature: float = 1.0) -> np.ndarray:
    """d(cross-entropy) / d(logits) = (p - y) / T, with y the one-hot target."""
    logits = _logits(logits)
    _check_class(true_class, logits.size)
    target = np.zeros_like(logits)
    target[true_class] = 1.0
    return (with_temperature(logits, temperature) - target) / temperature


def entropy(probabilities) -> float:
    """-sum p log p, in nats: 0 for a one-hot vector, log(K) for K equal probabilities."""
    probabilities = np.asarray(probabilities, dtype=float)
    positive = probabilities[probabilities > 0]
    return float(-np.sum(positive * np.log(positive)))


def _check_class(true_class: int, classes: int) -> None:
    if not 0 <= true_class < classes:
        raise ValueError(f"true_class must be 0..{classes - 1}, got {true_class}")


@dataclass(frozen=True)
class SoftmaxTable:
    """One row per class, for the lesson's table, and the loss of the true class."""

    probabilities: np.ndarray
    gradient: np.ndarray  # d loss / d logit for each class
    loss: float
    entropy: float


def explain(logits, true_class: int, temperature: float = 1.0) -> SoftmaxTable:
    probabilities = with_temperature(logits, temperature)
    return SoftmaxTable(probabilities, cross_entropy_gradient(logits, true_class, temperature),
                        cross_entropy(logits, true_class, temperature), entropy(probabilities))


def temperature_sweep(logits, temperatures) -> dict[float, np.ndarray]:
    """The probabilities at each temperature, for a chart of how T reshapes them."""
    return {float(temperature): with_temperature(logits, temperature) for temperature in temperatures}
