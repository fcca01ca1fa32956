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
