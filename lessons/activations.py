"""Lesson 3, activation functions and their derivatives, in NumPy.

Definitions follow Keras 3 (`keras.activations`), so the tests can compare values and derivatives
with the framework: hard sigmoid is relu6(x + 3) / 6, ELU uses alpha = 1, leaky ReLU uses
negative_slope = 0.2 and PReLU is leaky ReLU whose slope is learned (here a fixed example value).
At a kink (x = 0 for ReLU) we use the derivative of the right-hand piece for x > 0 and of the
left-hand piece otherwise, as TensorFlow does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question

LEAKY_SLOPE = 0.2
PRELU_SLOPE = 0.1  # a PReLU learns this; 0.1 is only the value shown


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def sigmoid_derivative(x):
    value = sigmoid(x)
    return value * (1.0 - value)


def tanh(x):
    return np.tanh(np.asarray(x, dtype=float))


def tanh_derivative(x):
    return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def relu_derivative(x):
    """The Heaviside step: 0 for x < 0, 1 for x > 0 (not sgn, which would be -1 on the left)."""
    return (np.asarray(x, dtype=float) > 0).astype(float)


def hard_sigmoid(x):
    return np.clip(np.asarray(x, dtype=float) / 6.0 + 0.5, 0.0, 1.0)


def hard_sigmoid_derivative(x):
    x = np.asarray(x, dtype=float)
    return np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


def elu(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))


def elu_derivative(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))


def leaky_relu(x, slope: float = LEAKY_SLOPE):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, slope * x)


def leaky_relu_derivative(x, slope: float = LEAKY_SLOPE):
    return np.where(np.asarray(x, dtype=float) > 0, 1.0, slope)


@dataclass(frozen=True)
class Activation:
    name: str
    function: Callable
    derivative: Callable
    formula: str
    note: str


ACTIVATIONS = {
    item.name: item for item in [
        Activation("sigmoid", sigmoid, sigmoid_derivative, "1 / (1 + e^(-x))",
                   N_("Squashes to (0, 1); its slope is at most 1/4, so stacked sigmoids shrink gradients.")),
        Activation("tanh", tanh, tanh_derivative, "(e^x - e^(-x)) / (e^x + e^(-x))",
                   N_("A sigmoid rescaled to (-1, 1) and centred on 0; slope at most 1.")),
        Activation("ReLU", relu, relu_derivative, "max(0, x)",
                   N_("Slope 1 for x > 0 and 0 for x < 0: cheap, no saturation on the right.")),
        Activation(N_("hard sigmoid"), hard_sigmoid, hard_sigmoid_derivative, "clip(x / 6 + 1/2, 0, 1)",
                   N_("Three straight pieces; Keras 3 computes relu6(x + 3) / 6.")),
        Activation("ELU", elu, elu_derivative, "x if x > 0 else e^x - 1",
                   N_("Like ReLU on the right, smooth and negative on the left.")),
        Activation("leaky ReLU / PReLU", lambda x: leaky_relu(x, PRELU_SLOPE),
                   lambda x: leaky_relu_derivative(x, PRELU_SLOPE), "x if x > 0 else a·x",
                   N_("A small slope a on the left keeps gradients alive; PReLU learns a (a = 0.1 shown).")),
    ]
}


def curves(names: list[str], low: float = -6.0, high: float = 6.0, samples: int = 241) -> dict:
    """{name: (x, value, derivative)} on a common grid, for plotting."""
    unknown = set(names) - set(ACTIVATIONS)
    if unknown:
        raise ValueError(f"unknown activations {sorted(unknown)}; choose from {list(ACTIVATIONS)}")
    x = np.linspace(low, high, samples)
    return {name: (x, ACTIVATIONS[name].function(x), ACTIVATIONS[name].derivative(x)) for name in names}


# ---- curves built from pieces (note 002) ----------------------------------------------------------
# Lesson 3 demo (note 002): a curve built from a constant plus a sum of hard sigmoids.
#
# A "hard sigmoid" here is the flat-ramp-flat shape of the lecture: 0 left of `start`, rising
# linearly to 1 at `end`, 1 after. Two ReLUs make it exactly,
#     ramp(x) = (relu(x - start) - relu(x - end)) / (end - start),
# and a sigmoid with slope 4 / (end - start) at the middle approximates it smoothly. With n ramps
# on consecutive intervals of [low, high], `c0 + sum c_i ramp_i(x)` is any continuous curve that
# is linear on each of the n intervals, so least squares finds the best n-piece fit.

KINDS = (N_("two ReLUs"), "sigmoid")


def ramp_from_relus(x, start: float, end: float) -> np.ndarray:
    if end <= start:
        raise ValueError(f"a ramp needs end > start, got start={start}, end={end}")
    return (relu(np.asarray(x, dtype=float) - start) - relu(np.asarray(x, dtype=float) - end)) / (end - start)


def ramp_from_sigmoid(x, start: float, end: float) -> np.ndarray:
    """A sigmoid with the ramp's midpoint and the ramp's slope there (1 / width)."""
    if end <= start:
        raise ValueError(f"a ramp needs end > start, got start={start}, end={end}")
    middle, width = (start + end) / 2.0, end - start
    return sigmoid(4.0 * (np.asarray(x, dtype=float) - middle) / width)


def target_curve(x) -> np.ndarray:
    """The smooth curve the demo approximates."""
    x = np.asarray(x, dtype=float)
    return np.sin(1.5 * x) + 0.3 * x


def knots(pieces: int, low: float, high: float) -> np.ndarray:
    if pieces < 1:
        raise ValueError(f"need at least one piece, got {pieces}")
    if high <= low:
        raise ValueError(f"need high > low, got low={low}, high={high}")
    return np.linspace(low, high, pieces + 1)


def basis(x, pieces: int, low: float, high: float, kind: str = "two ReLUs") -> np.ndarray:
    """Design matrix, shape (len(x), pieces + 1): a column of ones, then one ramp per interval."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {KINDS}")
    ramp = ramp_from_relus if kind == "two ReLUs" else ramp_from_sigmoid
    edges = knots(pieces, low, high)
    x = np.asarray(x, dtype=float)
    columns = [np.ones_like(x)] + [ramp(x, edges[i], edges[i + 1]) for i in range(pieces)]
    return np.stack(columns, axis=1)


@dataclass(frozen=True)
class PiecewiseFit:
    x: np.ndarray
    target: np.ndarray
    fitted: np.ndarray
    coefficients: np.ndarray  # (pieces + 1,): the constant, then one height per ramp
    components: np.ndarray  # (len(x), pieces): each ramp times its height
    knots: np.ndarray
    rmse: float


def fit(pieces: int, kind: str = "two ReLUs", low: float = -3.0, high: float = 3.0,
        samples: int = 301, target=target_curve) -> PiecewiseFit:
    """Least-squares heights for `pieces` ramps (plus a constant) fitted to `target` on [low, high]."""
    x = np.linspace(low, high, samples)
    goal = np.asarray(target(x), dtype=float)
    design = basis(x, pieces, low, high, kind)
    coefficients, *_ = np.linalg.lstsq(design, goal, rcond=None)
    fitted = design @ coefficients
    return PiecewiseFit(x=x, target=goal, fitted=fitted, coefficients=coefficients,
                        components=design[:, 1:] * coefficients[1:], knots=knots(pieces, low, high),
                        rmse=float(np.sqrt(np.mean((fitted - goal) ** 2))))


# ---- softmax, its temperature and the cross-entropy -----------------------------------------------
# Lesson 3, softmax: the output layer of a multi-class network, its temperature, and why it is
# paired with the cross-entropy loss. NumPy, with the conventions of `keras.ops.softmax` and
# `keras.losses.categorical_crossentropy(from_logits=True)`.
#
# softmax(z)_j = e^(z_j) / sum_k e^(z_k) turns any scores ("logits") into probabilities. Dividing
# the logits by a temperature T first sharpens (T < 1) or flattens (T > 1) the distribution.
# With the cross-entropy loss -log p_true, the gradient with respect to the logits is simply
# p - y (the probabilities minus the one-hot target): it never vanishes while the answer is wrong.


def softmax(logits) -> np.ndarray:
    logits = np.asarray(logits, dtype=float)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))  # subtracting the max avoids overflow
    return shifted / shifted.sum(axis=-1, keepdims=True)


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


# ---- check yourself, and the course notes checked ------------------------------------------------

_PROBABILITIES = with_temperature([2.0, 1.0, 0.0])

QUESTIONS = [
    Question("What is the derivative of ReLU at x = −2?", ("−1", "0", "1", "It does not exist"), 1,
             "ReLU is flat (0) for x < 0, so its slope there is 0; for x > 0 it is 1. That is the Heaviside "
             "step function, not sgn, which would give −1 on the left.",
             notes_said="note 001: ReLU's derivative is sgn(x), i.e. −1 here"),
    Question("What is the largest value the sigmoid's derivative ever takes?", ("1", "1/2", "1/4", "e"), 2,
             "σ'(x) = σ(x)(1 − σ(x)) peaks where σ(x) = 1/2, at x = 0, giving 1/4. Every sigmoid layer a "
             "gradient passes through multiplies it by at most 1/4."),
    Question("How many ReLUs build one hard sigmoid (flat, ramp, flat) exactly?",
             ("1", "2", "3", "None: only approximately"), 1,
             "relu(x − s) − relu(x − e), divided by e − s, is 0 before s, rises linearly to 1 at e and stays 1. "
             "A sigmoid can only approximate that shape; two ReLUs give it exactly."),
    Question("Must an activation function be differentiable everywhere and monotonic?",
             ("Yes, both", "Only differentiable", "Only monotonic",
              "Neither: ReLU has a kink at 0, and GELU or Swish are not monotonic, yet all train well"), 3,
             "What matters is that it is non-linear and has useful gradients almost everywhere. At ReLU's kink "
             "frameworks simply use the slope of one side.",
             notes_said="note 004: an activation should be differentiable and monotonic"),
    # softmax
    Question("Logits (2, 1, 0) give softmax probabilities "
             f"({', '.join(f'{value:.2f}' for value in _PROBABILITIES)}). What do the logits (12, 11, 10) give?",
             ("The same probabilities", "Probabilities closer to (1, 0, 0)", "Probabilities closer to (⅓, ⅓, ⅓)",
              "Probabilities that no longer sum to 1"), 0,
             "Adding the same number c to every logit multiplies every e^z by e^c, which cancels in the division. "
             "Only differences between logits matter; that is also why the code may subtract the largest logit "
             "first, to keep e^z from overflowing."),
    Question("Softmax is applied to the logits divided by a temperature T = 0.1. Compared with T = 1, the "
             "probabilities are…",
             ("closer to a one-hot vector on the largest logit", "closer to uniform", "unchanged",
              "reversed in order"), 0,
             "Dividing by 0.1 multiplies every difference between logits by 10, so the largest logit takes "
             "almost everything: softmax tends to the hard max as T → 0. A large T flattens towards uniform; "
             "the order of the classes never changes."),
    Question("With a softmax output and the cross-entropy loss, the gradient of the loss with respect to the "
             "logit of class j is…",
             ("p_j − y_j (probability minus one-hot target)", "p_j (1 − p_j)", "(p_j − y_j)²", "−log p_j"), 0,
             "The loss is log Σ e^(z_k) − z_true; its derivative is p_j − y_j. It stays large while the "
             "answer is wrong: unlike a squared error after a saturated sigmoid, the gradient does not vanish."),
]

CORRECTIONS = [
    Correction("note 001", "ReLU's derivative is sgn (ignoring x = 0).",
               "It is the Heaviside step: 0 for x < 0 and 1 for x > 0. sgn would be −1 for x < 0, which would "
               "push gradients backwards instead of blocking them."),
    Correction("note 001", "The activation function is expensive and its derivative involves a division "
               "(the paragraph does not say which function).",
               "It describes the sigmoid. Its derivative σ(x)(1 − σ(x)) reuses the forward value, with no "
               "division; the cost is the exponential. Its real weakness is saturation: the slope is at most "
               "1/4 and nearly 0 for large |x|."),
    Correction("note 002", "A sigmoid approximates a hard sigmoid with one function, ReLU with two functions.",
               "Two ReLUs give a hard sigmoid exactly, not approximately (the demo's two-ReLU fit uses exact ramps); "
               "only the sigmoid version is an approximation.", kind=NOTE_PARTLY),
    Correction("note 002", "The hard sigmoid is not used as the basic function because it cannot be "
               "differentiated at its corners.",
               "ReLU has a corner too and is the most used activation: a kink at isolated points is harmless "
               "(frameworks use one side's slope). The hard sigmoid's weakness is that it is flat, with zero "
               "gradient, on both sides."),
    Correction("note 004", "An activation function should be differentiable and monotonic (可微, 单调).",
               "Neither is required: ReLU is not differentiable at 0, and GELU and Swish, common in modern "
               "networks, are not monotonic."),
]
