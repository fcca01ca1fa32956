"""Lesson 4, gradient descent on 2-D loss surfaces, in NumPy.

The update is p <- p - step * grad f(p). On a quadratic bowl with curvatures a (along x) and b
(along y) each coordinate is multiplied by (1 - step * curvature) at every step, so the step size
alone decides whether the walk converges smoothly, zig-zags, or blows up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question

BOWL_CURVATURES = (1.0, 10.0)  # a long narrow valley: steep across y, gentle along x
DIVERGED = 1e6  # a walk that gets this far from the origin has blown up


@dataclass(frozen=True)
class Surface:
    name: str
    loss: Callable[[np.ndarray], np.ndarray]  # points (..., 2) -> values (...)
    gradient: Callable[[np.ndarray], np.ndarray]  # points (..., 2) -> gradients (..., 2)
    bounds: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high for plots


def _bowl_loss(points):
    points = np.asarray(points, dtype=float)
    return 0.5 * (BOWL_CURVATURES[0] * points[..., 0] ** 2 + BOWL_CURVATURES[1] * points[..., 1] ** 2)


def _bowl_gradient(points):
    return np.asarray(points, dtype=float) * np.array(BOWL_CURVATURES)


# Wells of a bumpy landscape: (centre x, centre y, depth, width²). The first is the deepest.
WELLS = ((1.5, 1.0, 2.0, 0.8), (-1.6, -1.2, 1.4, 0.6), (-1.4, 1.8, 1.0, 0.4), (1.8, -1.8, 0.8, 0.5))
BOWL_WEIGHT = 0.05


def _bumpy_loss(points):
    points = np.asarray(points, dtype=float)
    value = BOWL_WEIGHT * np.sum(points ** 2, axis=-1)
    for centre_x, centre_y, depth, width in WELLS:
        offset = points - np.array([centre_x, centre_y])
        value = value - depth * np.exp(-np.sum(offset ** 2, axis=-1) / width)
    return value


def _bumpy_gradient(points):
    points = np.asarray(points, dtype=float)
    gradient = 2 * BOWL_WEIGHT * points
    for centre_x, centre_y, depth, width in WELLS:
        offset = points - np.array([centre_x, centre_y])
        bump = depth * np.exp(-np.sum(offset ** 2, axis=-1, keepdims=True) / width)
        gradient = gradient + bump * 2 * offset / width
    return gradient


BOWL = Surface("narrow valley (quadratic bowl)", _bowl_loss, _bowl_gradient, (-3.0, 3.0, -3.0, 3.0))
BUMPY = Surface("bumpy landscape (several minima)", _bumpy_loss, _bumpy_gradient, (-3.5, 3.5, -3.5, 3.5))


def descend(surface: Surface, start, step: float, steps: int) -> np.ndarray:
    """The path p_0 .. p_k of plain gradient descent, shape (k + 1, 2); stops early if it blows up."""
    if step < 0:
        raise ValueError(f"the step size must be non-negative, got {step}")
    if steps < 0:
        raise ValueError(f"steps must be non-negative, got {steps}")
    path = [np.asarray(start, dtype=float).reshape(2)]
    for _ in range(steps):
        point = path[-1] - step * surface.gradient(path[-1])
        path.append(point)
        if not np.all(np.isfinite(point)) or np.max(np.abs(point)) > DIVERGED:
            break
    return np.array(path)


def bowl_regime(step: float, curvatures=BOWL_CURVATURES) -> str:
    """What the step size does on a quadratic bowl: each coordinate is scaled by 1 - step·curvature."""
    factors = [abs(1.0 - step * curvature) for curvature in curvatures]
    if step <= 0:
        return N_("stays put")
    if max(factors) > 1.0:
        return N_("diverges")
    if max(factors) == 1.0:
        return N_("never settles")
    if any(step * curvature > 1.0 for curvature in curvatures):
        return N_("oscillates but converges")
    return N_("converges smoothly")


def describe_path(surface: Surface, path: np.ndarray) -> str:
    """The regime as seen in a computed path (used to check bowl_regime against the real walk)."""
    losses = surface.loss(path)
    if len(path) < 3:
        return "stays put"
    if not np.all(np.isfinite(path)) or losses[-1] > losses[0]:
        return "diverges"
    moves = np.diff(path, axis=0)
    sign_flips = np.any(np.sign(moves[1:]) * np.sign(moves[:-1]) < 0, axis=1)
    return "oscillates but converges" if sign_flips.any() else "converges smoothly"


@dataclass(frozen=True)
class Restart:
    start: np.ndarray
    end: np.ndarray
    loss: float


def random_restarts(surface: Surface, count: int, seed: int, step: float = 0.1,
                    steps: int = 300) -> list[Restart]:
    """Descend from `count` random starts inside the surface's bounds; the best run is the lowest."""
    if count < 1:
        raise ValueError(f"need at least one start, got {count}")
    rng = np.random.default_rng(seed)
    x_low, x_high, y_low, y_high = surface.bounds
    starts = np.stack([rng.uniform(x_low, x_high, count), rng.uniform(y_low, y_high, count)], axis=1)  # (count, 2)
    ends = starts.copy()
    for _ in range(steps):  # all walks at once: the surfaces take points of shape (..., 2)
        ends = ends - step * surface.gradient(ends)
    return [Restart(start=start, end=end, loss=float(surface.loss(end))) for start, end in zip(starts, ends)]


def loss_grid(surface: Surface, resolution: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Grid points (resolution², 2) over the surface's bounds and the loss at each."""
    x_low, x_high, y_low, y_high = surface.bounds
    first, second = np.meshgrid(np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution))
    points = np.stack([first.ravel(), second.ravel()], axis=1)  # (resolution², 2)
    return points, surface.loss(points)


def updates_per_epoch(examples: int, batch_size: int) -> int:
    """One update per batch; the last, smaller batch counts too (Keras does the same)."""
    if examples < 1 or batch_size < 1:
        raise ValueError(f"examples and batch_size must be positive, got {examples}, {batch_size}")
    return math.ceil(examples / batch_size)


# ---- loss functions -------------------------------------------------------------------------------
# Lesson 4, loss functions in NumPy, with the same conventions as `keras.losses`.
#
# Keras clips probabilities to [eps, 1 - eps] with eps = 1e-7 before taking logarithms, so a
# confident wrong answer costs about 16 instead of infinity; we do the same.

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


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("A data set has N = 10,000 examples and the batch size is 10. How many parameter updates happen in "
             "one epoch?", ("10", "1,000", "10,000", "100,000"), 1,
             "One update per batch: 10,000 / 10 = 1,000 (the notes get this right). With N = 10,005 there would be "
             "1,001, the last batch holding 5 examples."),
    Question("On the narrow valley (curvatures 1 and 10), which step size makes gradient descent diverge?",
             ("0.01", "0.05", "0.15", "0.25"), 3,
             "Each step multiplies the steep coordinate by 1 − 10·step. Above step 0.2 that factor is below −1, "
             "so the walk overshoots further every time. At 0.15 it zig-zags but still converges."),
    Question("In which direction does gradient descent move the parameters?",
             ("Along the gradient", "Against the gradient (−∇f)", "Along a random direction", "Towards the origin"), 1,
             "The gradient points uphill, to where the loss grows fastest, so the update is x ← x − step·∇f(x).",
             notes_said="note 003: it descends 'in the direction of the gradient'"),
    Question("The label is 1 and the model says p = 0.01. Which loss punishes this more?",
             ("Squared error, (1 − p)² ≈ 0.98", "Cross-entropy, −ln p ≈ 4.6", "They are equal", "Neither"), 1,
             "Cross-entropy grows without bound as a confident answer gets more wrong, which is why it is the "
             "usual loss for classification; squared error is capped at 1 here."),
    Question("Gradient descent from one start ended in a poor local minimum. What can help?",
             ("Nothing: gradient descent always finds the global minimum", "Use a step size of zero",
              "Restart from several random points and keep the best end point", "Add more local minima"), 2,
             "Each start rolls into the basin it begins in. Several random restarts (or, in networks, several "
             "seeds) sample several basins; on a convex loss there is only one basin."),
    # loss
    Question("Nine delivery times, one of them a two-hour outlier. Which single prediction has the smallest "
             "mean absolute error (L1)?",
             ("The mean", "The median", "The largest time", "The midpoint of the smallest and largest"), 1,
             "The median: moving the prediction past a point changes the L1 loss by one unit per point on "
             "each side, whatever the distance, so the outlier counts only as 'one point above'."),
    Question("Pinball loss with q = 0.9: the prediction is 5 minutes off. When does it cost more?",
             ("When the delivery took 5 minutes longer than predicted",
              "When the delivery took 5 minutes less than predicted", "Both cost the same"), 0,
             "Under-predicting costs q per minute (0.9 × 5 = 4.5), over-predicting 1 − q (0.1 × 5 = 0.5). "
             "The best constant is therefore the 0.9-quantile: a time you beat 9 times in 10."),
    Question("What does a contrastive loss need for each training example?",
             ("A pair of examples and whether they are the same thing", "A class label per example",
              "A number to predict", "Nothing: it is unsupervised"), 0,
             "It learns distances: same pairs are pulled together, different pairs pushed at least a margin "
             "apart. Face verification and signature checking train this way, so new people need no retraining."),
]

CORRECTIONS = [
    Correction("note 001", "If each step lowers the loss, f(xᵗ⁺¹) < f(xᵗ), repeating it converges to a local minimum.",
               "A decreasing loss does not imply reaching a minimum: the walk can stall at a saddle point, slide "
               "forever down a slope with no minimum (the notes' own third bullet), or take ever smaller steps "
               "that stop short. If the gradient changes at most L per unit of distance and the loss is bounded "
               "below, a step below 2/L drives the gradient to zero: the walk approaches stationary points, "
               "which may still be saddles."),
    Correction("note 001", "From the Taylor expansion, Δx = −step·∇f(x) makes f(x + Δx) < f(x).",
               "Only for a small enough step: the first-order expansion ignores curvature. On the narrow valley "
               "any step above 0.2 makes the loss grow, as the slider shows.", kind=NOTE_PARTLY),
    Correction("note 003", "Gradient descent descends in the direction of the gradient (在梯度的方向上下降).",
               "It moves against the gradient: the gradient points uphill."),
    Correction("note 003",
               "Optimisation has roughly three methods: Newton's method, least squares and gradient descent.",
               "Least squares is a kind of problem (minimise a sum of squared errors), solvable in closed form, by "
               "gradient descent or by Newton's method. Optimisers are many: Newton and quasi-Newton (L-BFGS), "
               "conjugate gradients, SGD with momentum, Adam…"),
    Correction("note 002", "A hyperparameter is a parameter you set yourself to adjust the size of the step.",
               "The learning rate is one hyperparameter; the term covers every setting not learned from data: "
               "batch size, number of epochs, number and width of layers, activation, dropout rate.",
               kind=NOTE_PARTLY),
]
