"""Lesson 6, why deep: the same number of parameters spent on width or on depth.

Two pieces of evidence. (1) An exact construction: composing the tent map d times gives a
sawtooth with 2^d straight pieces; a ReLU network two units wide and d layers deep computes it
with about 6d parameters, while one hidden layer needs a unit per kink, 2^d - 1 units. (2) An
experiment: a shallow-wide and a deep-narrow network with about the same parameter count,
trained the same way on the same two-spirals data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons import keras_demo
from lessons.activations import relu
from lessons.neuron import accuracy
from lessons.quiz import NOTE_PARTLY, Correction, Question
from lessons.toy_data import grid_over, two_spirals


def dense_parameter_count(input_dim: int, hidden_units: list[int], output_dim: int = 1) -> int:
    """Weights plus biases of a stack of Dense layers: sum over layers of (inputs + 1) * units."""
    sizes = [input_dim, *hidden_units, output_dim]
    if any(size < 1 for size in sizes):
        raise ValueError(f"every layer size must be positive, got {sizes}")
    return sum((inputs + 1) * units for inputs, units in zip(sizes[:-1], sizes[1:]))


def matched_widths(budget: int, input_dim: int = 2, deep_layers: int = 4,
                   output_dim: int = 1) -> tuple[int, int]:
    """(shallow width, deep width) whose parameter counts come closest to `budget`."""
    if deep_layers < 2:
        raise ValueError(f"a deep network needs at least 2 hidden layers, got {deep_layers}")

    def closest(count_for_width) -> int:
        widths = range(1, budget + 1)
        return min(widths, key=lambda width: (abs(count_for_width(width) - budget), width))

    shallow = closest(lambda width: dense_parameter_count(input_dim, [width], output_dim))
    deep = closest(lambda width: dense_parameter_count(input_dim, [width] * deep_layers, output_dim))
    return shallow, deep


def tent(x) -> np.ndarray:
    """1 - |2x - 1| on [0, 1]: up from 0 to 1, then down to 0."""
    return 1.0 - np.abs(2.0 * np.asarray(x, dtype=float) - 1.0)


def sawtooth(x, depth: int) -> np.ndarray:
    """The tent map applied `depth` times: 2^(depth - 1) teeth, 2^depth straight pieces."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    value = np.asarray(x, dtype=float)
    for _ in range(depth):
        value = tent(value)
    return value


def relu_sawtooth(x, depth: int) -> np.ndarray:
    """The same sawtooth from a ReLU network of width 2: tent(v) = 2 relu(v) - 4 relu(v - 1/2)."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    value = np.asarray(x, dtype=float)
    for _ in range(depth):
        value = 2.0 * relu(value) - 4.0 * relu(value - 0.5)
    return value


def count_linear_pieces(x: np.ndarray, y: np.ndarray, tolerance: float = 1e-6) -> int:
    """Number of straight pieces of a sampled curve (slope changes + 1), for a fine enough grid."""
    slopes = np.diff(y) / np.diff(x)
    changes = np.abs(np.diff(slopes)) > tolerance * max(1.0, float(np.max(np.abs(slopes))))
    # A kink between grid points bends two neighbouring slopes; count each run of changes once.
    starts = changes & ~np.concatenate([[False], changes[:-1]])
    return int(starts.sum()) + 1


def sawtooth_costs(depth: int) -> dict[str, int]:
    """Pieces of the depth-d sawtooth and the parameters each kind of network needs for it exactly."""
    pieces = 2 ** depth
    return {N_("depth"): depth, N_("straight pieces"): pieces,  # N_: column names shown on the page
            N_("deep ReLU net (width 2)"): dense_parameter_count(1, [2] * depth),
            N_("one hidden layer (one unit per kink)"): dense_parameter_count(1, [pieces - 1])}


@dataclass(frozen=True)
class ArchitectureResult:
    name: str
    hidden_units: list[int]
    parameters: int  # counted by Keras
    train_accuracy: float
    validation_accuracy: float
    train_loss: np.ndarray  # per step
    validation_loss: np.ndarray
    grid: np.ndarray  # (g, 2)
    grid_probabilities: np.ndarray  # (g,)
    seconds: float


def compare_depth(budget: int = 400, seed: int = 0, steps: int = 300, learning_rate: float = 0.01,
                  deep_layers: int = 4, count: int = 400, resolution: int = 50) -> list[ArchitectureResult]:
    """Train a shallow-wide and a deep-narrow network of about `budget` parameters on two spirals."""
    features, labels = two_spirals(count=count, seed=seed)
    validation_features, validation_labels = two_spirals(count=count, seed=seed + 1000)
    shallow_width, deep_width = matched_widths(budget, 2, deep_layers)
    results = []
    shapes = ((N_("shallow and wide"), [shallow_width]), (N_("deep and narrow"), [deep_width] * deep_layers))
    for name, hidden in shapes:
        keras_demo.reset()
        model = keras_demo.dense_network(2, hidden, seed=seed, name=name.replace(" ", "_"))
        history = keras_demo.fit_full_batch(model, features, labels, steps, learning_rate,
                                            validation=(validation_features, validation_labels))
        grid = grid_over(features, resolution=resolution)
        results.append(ArchitectureResult(
            name=name, hidden_units=hidden, parameters=model.count_params(),
            train_accuracy=accuracy(keras_demo.predict(model, features), labels),
            validation_accuracy=accuracy(keras_demo.predict(model, validation_features), validation_labels),
            train_loss=history.train_loss, validation_loss=history.validation_loss, grid=grid,
            grid_probabilities=keras_demo.predict(model, grid), seconds=history.seconds))
    return results


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("To compare a deep and a shallow network fairly, what should be about the same?",
             ("The number of parameters", "The number of layers", "The learning rate only", "The number of outputs"), 0,
             "Otherwise the bigger network may win just by being bigger. The notes make this point correctly."),
    Question("A ReLU network two units wide and d layers deep can compute a sawtooth with how many straight pieces?",
             ("d", "2d", "d²", "2^d"), 3,
             "Each layer folds the interval in two (the tent map), doubling the pieces. One hidden layer needs one "
             "unit per kink, 2^d − 1 units, for the same curve."),
    Question("The universal approximation theorem: for any continuous function on a bounded, closed region and "
             "any tolerance ε > 0, some network with one hidden layer of non-polynomial activations stays within "
             "ε of the function everywhere on the region. What does it NOT tell you?",
             ("That such a network exists however small ε is",
              "How many hidden units that takes, or whether training will find those weights",
              "That it covers continuous functions on a bounded, closed region",
              "That one hidden layer is enough"), 1,
             "The other three are in the statement. It is an existence result: the number of units can be "
             "astronomically large (the sawtooth table), and it says nothing about gradient descent finding them."),
    Question("How many parameters has a network 2 inputs → Dense(100) → Dense(1)?", ("201", "300", "401", "10,100"), 2,
             "(2 + 1)·100 weights and biases into the hidden layer, (100 + 1)·1 into the output: 300 + 101 = 401."),
    Question("What does 'modularity' mean in the why-deep argument?",
             ("Each layer is trained separately", "The network is split across machines",
              "Early layers learn simple features that later layers re-use, so later units need fewer parameters "
              "and less data", "Every layer has the same width"), 2,
             "A feature detected once (an edge, a stroke) is shared by everything built on it, instead of each "
             "output unit learning it again from scratch."),
    # end to end
    Question("In end-to-end learning, who decides what each hidden layer computes?",
             ("The engineer, one stage at a time", "Training: gradient descent on the final loss sets every "
              "layer's weights together", "Each layer's own loss", "Nobody: the hidden layers stay random"), 1,
             "Only the input and the desired output are given; backpropagation carries the final error to every "
             "layer, so each layer becomes whatever helps the output."),
]

CORRECTIONS = [
    Correction("note 000",
               "As long as the hidden layer has enough neurons, one hidden layer can fit any continuous function.",
               "It can approximate (not fit exactly) any continuous function on a bounded, closed input region, to "
               "any accuracy, with a non-polynomial activation, given enough units. 'Enough' can mean exponentially "
               "many (the sawtooth table), and the theorem says nothing about whether training finds the weights.",
               kind=NOTE_PARTLY),
    Correction("note 000", "Any function can be fitted with ReLUs (任意函数都能使用Relu函数去拟合).",
               "Any continuous function on a bounded region, approximately. Far outside its training range a ReLU "
               "network is linear, so it cannot follow sin(x) over the whole real line.", kind=NOTE_PARTLY),
    Correction("note 000", "Depth only makes the model learn better and faster (deep 只是让模型更好更快的学习出).",
               "Depth changes what a given number of parameters can represent: 2^d pieces from about 6d parameters "
               "instead of 3·2^d. It does not make training faster; very deep plain networks are harder to train."),
    Correction("note 002", "'Fat' means the network has more features.",
               "'Fat' (wide) means more neurons per layer; 'deep' means more layers."),
]
