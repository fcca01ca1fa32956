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


# ---- beyond squared error and cross-entropy (note 001 lists L1, quantile and contrastive) ----

# One small example for every loss: minutes a courier took for nine deliveries; the last one is
# the learner's outlier (a flat tyre). The "model" is one number c predicted for every delivery.
DELIVERY_MINUTES = (12.0, 14.0, 15.0, 15.0, 16.0, 18.0, 19.0, 21.0)


def pinball_loss(targets, predictions, quantile: float) -> float:
    """Quantile ("pinball") loss: mean of max(q·r, (q − 1)·r) with r = target − prediction.
    Under-predicting costs q per unit, over-predicting 1 − q, so the best constant is the
    q-quantile of the targets; q = 0.5 gives half the mean absolute error."""
    if not 0.0 < quantile < 1.0:
        raise ValueError(f"the quantile must be strictly between 0 and 1, got {quantile}")
    targets, predictions = _pair(targets, predictions)
    residuals = targets - predictions
    return float(np.mean(np.maximum(quantile * residuals, (quantile - 1.0) * residuals)))


def constant_losses(targets, candidates, quantile: float) -> dict[str, np.ndarray]:
    """Each loss of predicting the single constant c for every target, for each c in `candidates`."""
    targets = np.asarray(targets, dtype=float)
    if targets.ndim != 1 or targets.size == 0:
        raise ValueError(f"expected a non-empty list of targets, got shape {targets.shape}")
    candidates = np.asarray(candidates, dtype=float)
    residuals = targets[None, :] - candidates[:, None]  # (candidates, targets)
    return {"squared error (L2)": np.mean(residuals ** 2, axis=1),
            "absolute error (L1)": np.mean(np.abs(residuals), axis=1),
            f"pinball, q = {quantile:g}": np.mean(np.maximum(quantile * residuals, (quantile - 1.0) * residuals),
                                                  axis=1)}


def best_constants(targets, quantile: float, resolution: float = 0.01) -> dict[str, float]:
    """The constant that minimises each loss, found by trying every c on a fine grid (no formula
    used), so the lesson can set it beside the mean, the median and the quantile."""
    targets = np.asarray(targets, dtype=float)
    candidates = np.arange(targets.min(), targets.max() + resolution, resolution)
    return {name: round(float(candidates[np.argmin(values)]), 6)  # without the grid's rounding error
            for name, values in constant_losses(targets, candidates, quantile).items()}


def contrastive_loss(distances, same, margin: float = 1.0) -> float:
    """Contrastive loss (Hadsell, Chopra & LeCun, 2006) on pairs of embeddings: a pair of the
    same thing pays its squared distance (pulled together); a pair of different things pays
    max(0, margin − distance)² (pushed apart, but only until they are `margin` apart)."""
    if not margin > 0:
        raise ValueError(f"the margin must be positive, got {margin}")
    distances, same = _pair(distances, same)
    return float(np.mean(same * distances ** 2 + (1.0 - same) * np.maximum(0.0, margin - distances) ** 2))


# Six photos of three people (two each), as points in a 2-D embedding before any training.
PEOPLE = ("Ana", "Ana", "Ben", "Ben", "Chen", "Chen")


def all_pairs(names=PEOPLE) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i, j), i < j, as a (pairs, 2) index array, and 1.0 where both are the same person."""
    pairs = np.array([(i, j) for i in range(len(names)) for j in range(i + 1, len(names))])
    return pairs, np.array([float(names[i] == names[j]) for i, j in pairs])


def pair_distances(points: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    return np.linalg.norm(points[pairs[:, 0]] - points[pairs[:, 1]], axis=1)


def contrastive_gradient(points: np.ndarray, pairs: np.ndarray, same: np.ndarray, margin: float) -> np.ndarray:
    """d(mean contrastive loss) / d(points), by hand: a same pair pulls each point towards the
    other with 2·(p_i − p_j); a different pair closer than the margin pushes them apart along
    their direction with 2·(margin − d)."""
    points = np.asarray(points, dtype=float)
    difference = points[pairs[:, 0]] - points[pairs[:, 1]]  # (pairs, dims)
    distance = np.linalg.norm(difference, axis=1, keepdims=True)  # (pairs, 1)
    direction = difference / np.maximum(distance, 1e-12)
    push = np.maximum(0.0, margin - distance)
    per_pair = same[:, None] * 2.0 * difference - (1.0 - same[:, None]) * 2.0 * push * direction
    gradient = np.zeros_like(points)
    np.add.at(gradient, pairs[:, 0], per_pair)
    np.add.at(gradient, pairs[:, 1], -per_pair)
    return gradient / len(pairs)


def train_contrastive(margin: float = 1.0, steps: int = 200, step_size: float = 0.1,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Gradient descent on the positions of the six photos (the embedding is the parameter):
    (start points, end points, loss after every step)."""
    if steps < 0 or not step_size > 0:
        raise ValueError(f"steps must be >= 0 and step_size > 0, got {steps}, {step_size}")
    start = np.random.default_rng(seed).normal(0.0, 0.5, (len(PEOPLE), 2))
    pairs, same = all_pairs()
    points, history = start.copy(), []
    for _ in range(steps):
        points = points - step_size * contrastive_gradient(points, pairs, same, margin)
        history.append(contrastive_loss(pair_distances(points, pairs), same, margin))
    return start, points, history
