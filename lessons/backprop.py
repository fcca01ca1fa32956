"""Lesson 5, backpropagation by hand on a 2-2-1 network with sigmoid units and squared error.

Shapes follow Keras (kernel = (inputs, units)) so the same numbers can be loaded into a Keras
model: x (n, 2) -> z1 = x W1 + b1 (n, 2) -> a1 = sigmoid(z1) -> z2 = a1 W2 + b2 (n, 1)
-> a2 = sigmoid(z2) -> loss = mean((a2 - y)²). The loss is a sum over *examples*; its gradient
is the sum (here the mean) of the per-example gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.activations import sigmoid
from lessons.quiz import NOTE_PARTLY, Correction, Question


@dataclass(frozen=True)
class Parameters:
    W1: np.ndarray  # (2, 2)
    b1: np.ndarray  # (2,)
    W2: np.ndarray  # (2, 1)
    b2: np.ndarray  # (1,)

    def as_dict(self) -> dict[str, np.ndarray]:
        return {"W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}


def example_parameters() -> Parameters:
    """The numbers of the lecture's worked example: inputs (1, -1) give z1 = (4, -2)."""
    return Parameters(W1=np.array([[1.0, -1.0], [-2.0, 1.0]]), b1=np.array([1.0, 0.0]),
                      W2=np.array([[2.0], [-1.0]]), b2=np.array([0.0]))


def random_parameters(seed: int, scale: float = 1.0) -> Parameters:
    rng = np.random.default_rng(seed)
    return Parameters(W1=rng.normal(0, scale, (2, 2)), b1=np.zeros(2),
                      W2=rng.normal(0, scale, (2, 1)), b2=np.zeros(1))


def constant_parameters(value: float = 0.0) -> Parameters:
    """Every weight the same: both hidden units compute the same thing and get the same gradient."""
    return Parameters(W1=np.full((2, 2), value), b1=np.zeros(2), W2=np.full((2, 1), value), b2=np.zeros(1))


def _inputs(x, y):
    x = np.atleast_2d(np.asarray(x, dtype=float))
    y = np.asarray(y, dtype=float).reshape(-1, 1)  # (n, 1)
    if x.shape[1] != 2 or len(x) != len(y):
        raise ValueError(f"expected x of shape (n, 2) and n targets, got {x.shape} and {len(y)} targets")
    return x, y


def forward(params: Parameters, x, y) -> dict[str, np.ndarray]:
    x, y = _inputs(x, y)
    z1 = x @ params.W1 + params.b1
    a1 = sigmoid(z1)
    z2 = a1 @ params.W2 + params.b2
    a2 = sigmoid(z2)
    return {"x": x, "y": y, "z1": z1, "a1": a1, "z2": z2, "a2": a2, "loss": np.mean((a2 - y) ** 2)}


def backward(params: Parameters, cache: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Gradients of the loss, from the output back: every step reuses the one after it."""
    count = len(cache["x"])
    d_a2 = 2.0 * (cache["a2"] - cache["y"]) / count  # d loss / d a2
    d_z2 = d_a2 * cache["a2"] * (1.0 - cache["a2"])  # sigmoid'(z2) = a2 (1 - a2)
    d_W2 = cache["a1"].T @ d_z2  # dz2/dW2 is the input a1 that W2 multiplies
    d_b2 = d_z2.sum(axis=0)
    d_a1 = d_z2 @ params.W2.T
    d_z1 = d_a1 * cache["a1"] * (1.0 - cache["a1"])
    d_W1 = cache["x"].T @ d_z1
    d_b1 = d_z1.sum(axis=0)
    return {"a2": d_a2, "z2": d_z2, "W2": d_W2, "b2": d_b2, "a1": d_a1, "z1": d_z1, "W1": d_W1, "b1": d_b1}


def forward_table(params: Parameters, x, y) -> list[dict]:
    """One row per quantity of the forward pass for a single example, with its formula."""
    cache = forward(params, x, y)
    rows = []
    for unit in range(2):
        w = params.W1[:, unit]
        rows.append({"quantity": f"z1[{unit + 1}]", "formula": _linear(w, ("x1", "x2"), params.b1[unit]),
                     "value": cache["z1"][0, unit]})
        rows.append({"quantity": f"a1[{unit + 1}]", "formula": f"sigmoid(z1[{unit + 1}])",
                     "value": cache["a1"][0, unit]})
    w2 = params.W2[:, 0]
    rows.append({"quantity": "z2", "formula": _linear(w2, ("a1[1]", "a1[2]"), params.b2[0]),
                 "value": cache["z2"][0, 0]})
    rows.append({"quantity": N_("a2 (output)"), "formula": "sigmoid(z2)", "value": cache["a2"][0, 0]})
    rows.append({"quantity": N_("loss"), "formula": "(a2 − y)²", "value": float(cache["loss"])})
    return [{**row, "value": float(row["value"])} for row in rows]


def _linear(weights, names, bias) -> str:
    """'1·x1 − 2·x2 + 1' rather than '1·x1 + -2·x2 + 1'."""
    text = f"{'−' if weights[0] < 0 else ''}{abs(weights[0]):g}·{names[0]}"
    for weight, name in zip(weights[1:], names[1:]):
        text += f" {'−' if weight < 0 else '+'} {abs(weight):g}·{name}"
    return text + f" {'−' if bias < 0 else '+'} {abs(bias):g}"


def backward_table(params: Parameters, x, y) -> list[dict]:
    """One row per derivative of the backward pass for a single example, in the order computed."""
    cache = forward(params, x, y)
    grads = backward(params, cache)
    rows = [
        {"derivative": "∂L/∂a2", "chain rule": "2 (a2 − y)", "value": grads["a2"][0, 0]},
        {"derivative": "∂L/∂z2", "chain rule": "∂L/∂a2 · a2 (1 − a2)", "value": grads["z2"][0, 0]},
    ]
    for unit in range(2):
        rows.append({"derivative": f"∂L/∂W2[{unit + 1}]", "chain rule": f"∂L/∂z2 · a1[{unit + 1}]",
                     "value": grads["W2"][unit, 0]})
    rows.append({"derivative": "∂L/∂b2", "chain rule": "∂L/∂z2 · 1", "value": grads["b2"][0]})
    for unit in range(2):
        name = f"[{unit + 1}]"
        rows.append({"derivative": f"∂L/∂a1{name}", "chain rule": f"∂L/∂z2 · W2{name}",
                     "value": grads["a1"][0, unit]})
        rows.append({"derivative": f"∂L/∂z1{name}", "chain rule": f"∂L/∂a1{name} · a1{name} (1 − a1{name})",
                     "value": grads["z1"][0, unit]})
        for source in range(2):
            rows.append({"derivative": f"∂L/∂W1[{source + 1},{unit + 1}]",
                         "chain rule": f"∂L/∂z1{name} · x{source + 1}", "value": grads["W1"][source, unit]})
        rows.append({"derivative": f"∂L/∂b1{name}", "chain rule": f"∂L/∂z1{name} · 1", "value": grads["b1"][unit]})
    return [{**row, "value": float(row["value"])} for row in rows]


def finite_difference_gap(params: Parameters, x, y, nudge: float = 1e-6) -> float:
    """Largest |backprop gradient - central finite difference| over all weights and biases."""
    grads = backward(params, forward(params, x, y))
    values = params.as_dict()
    gap = 0.0
    for name, value in values.items():
        for index in np.ndindex(value.shape):
            changed = {key: array.copy() for key, array in values.items()}
            changed[name][index] += nudge
            above = forward(Parameters(**changed), x, y)["loss"]
            changed[name][index] -= 2 * nudge
            below = forward(Parameters(**changed), x, y)["loss"]
            gap = max(gap, abs((above - below) / (2 * nudge) - grads[name][index]))
    return float(gap)


def train(params: Parameters, x, y, learning_rate: float, steps: int) -> tuple[Parameters, np.ndarray]:
    """Plain gradient descent with the hand-made gradients; returns final parameters and losses."""
    if steps < 0:
        raise ValueError(f"steps must be non-negative, got {steps}")
    values = params.as_dict()
    losses = []
    for _ in range(steps):
        current = Parameters(**values)
        cache = forward(current, x, y)
        losses.append(float(cache["loss"]))
        grads = backward(current, cache)
        values = {name: value - learning_rate * grads[name] for name, value in values.items()}
    return Parameters(**values), np.array(losses)


XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])


EXPERIMENT_STEPS = 2000  # the lesson's initialisation experiment
PLATEAU_WINDOW = 500  # steps over which the experiment reports how much the loss still fell


def initialisation_experiment(seeds: list[int], steps: int = 3000, learning_rate: float = 2.0) -> list[dict]:
    """Train the same network on XOR from all-zero weights and from several random starts. Runs that
    do not solve XOR are on a plateau, not in a minimum: their loss is still falling, very slowly."""
    if steps <= PLATEAU_WINDOW:
        raise ValueError(f"train for more than {PLATEAU_WINDOW} steps, got {steps}")
    starts = [(N_("all zeros"), constant_parameters(0.0))]
    starts += [(f"random, seed {seed}", random_parameters(seed)) for seed in seeds]
    results = []
    for label, start in starts:
        final, losses = train(start, XOR_INPUTS, XOR_TARGETS, learning_rate, steps)
        outputs = forward(final, XOR_INPUTS, XOR_TARGETS)["a2"].reshape(-1)  # (4,)
        results.append({"start": label, "final loss": float(losses[-1]),
                        f"loss fall, last {PLATEAU_WINDOW} steps": float(losses[-PLATEAU_WINDOW - 1] - losses[-1]),
                        "XOR solved": bool(np.all((outputs > 0.5) == (XOR_TARGETS > 0.5))),
                        "hidden units identical": bool(np.allclose(final.W1[:, 0], final.W1[:, 1])
                                                       and np.isclose(final.b1[0], final.b1[1]))})
    return results


def plateau_case(random_starts: int, unsolved_falls: list[float],
                 steps: int = EXPERIMENT_STEPS) -> tuple[str, dict[str, str]]:
    """Which of plateau_sentence's three cases holds, and its numbers formatted for the lesson's text
    (i18n/text/*/backprop.md has one section per case, in each language)."""
    values = {"count": str(random_starts), "steps": f"{steps:,}"}
    if not unsolved_falls:
        return "plateau-all", values
    values["unsolved"] = str(len(unsolved_falls))
    if min(unsolved_falls) > 0:
        return "plateau-slow", values | {"low": f"{min(unsolved_falls):.2g}", "high": f"{max(unsolved_falls):.2g}",
                                         "window": str(PLATEAU_WINDOW)}
    return "plateau-stuck", values | {"stuck": str(sum(fall <= 0 for fall in unsolved_falls))}


def plateau_sentence(random_starts: int, unsolved_falls: list[float], steps: int = EXPERIMENT_STEPS) -> str:
    """What the unsolved random starts of the experiment show, from how much their loss still fell."""
    if not unsolved_falls:
        return f"All {random_starts} random starts solve XOR within {steps:,} steps."
    count = f"{len(unsolved_falls)} of the {random_starts} random starts"
    if min(unsolved_falls) > 0:
        return (f"{count} have not solved XOR after {steps:,} steps, yet they are not in a minimum: their loss "
                f"is still falling, only very slowly ({min(unsolved_falls):.2g} to {max(unsolved_falls):.2g} over "
                f"the last {PLATEAU_WINDOW} steps). They are on a **plateau**, a region so flat that progress "
                "almost stops. This 2-2-1 network has no strict bad local minima (Hamey, 1998): its flat "
                "regions are approached as the weights grow without bound.")
    return (f"{count} have not solved XOR after {steps:,} steps, and the loss of "
            f"{sum(fall <= 0 for fall in unsolved_falls)} of them no longer falls at all.")


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("In the worked example (input (1, −1), first hidden unit with weights 1, −2 and bias 1), what is z1[1]?",
             ("4", "−2", "0.98", "1"), 0,
             "z1[1] = 1·1 + (−2)·(−1) + 1 = 4; its activation is sigmoid(4) ≈ 0.98."),
    Question("What is backpropagation?",
             ("An optimiser, the same thing as stochastic gradient descent", "A way to choose the learning rate",
              "An efficient way to compute the gradient of the loss for every weight, applying the chain rule "
              "from the output backwards and re-using each intermediate result",
              "Running the network with its inputs reversed"), 2,
             "Backpropagation only computes gradients. An optimiser (SGD, Adam…) then uses them to update the "
             "weights; you can backpropagate without SGD and run SGD with gradients from elsewhere.",
             notes_said="note 001: backpropagation is in essence stochastic gradient descent"),
    Question("For a weight w on the connection from value a into the sum z (z = … + w·a + …), what is ∂z/∂w?",
             ("w", "1", "z", "a, the input on that connection"), 3,
             "z depends on w only through the term w·a, so ∂z/∂w = a. That is why the forward pass values are "
             "kept: they are half of every weight's gradient."),
    Question("Every weight starts at 0. What happens during training?",
             ("The hidden units get identical gradients and stay identical, so the layer acts like a single unit",
              "Nothing different: initial values do not matter", "Training is faster", "The loss becomes negative"), 0,
             "With equal starting weights the hidden units compute the same thing and receive the same update "
             "forever. In the demo the all-zero network never solves XOR; random starts do, but not every seed.",
             notes_said="note 004: the initial weights do not affect the training result"),
    Question("The total loss L(θ) is the sum of the per-example losses Cⁿ over…",
             ("every parameter", "every training example n", "every layer", "every epoch"), 1,
             "L(θ) = Σₙ Cⁿ(θ) over the training examples, so ∂L/∂w = Σₙ ∂Cⁿ/∂w: backpropagate each example "
             "(or a batch) and add up the gradients.",
             notes_said="note 002: the Cⁿ of every parameter are summed"),
]

CORRECTIONS = [
    Correction("note 001", "Error backpropagation is in essence stochastic gradient descent (本质是随机梯度下降法).",
               "Backpropagation computes gradients (reverse-mode automatic differentiation, the chain rule from the "
               "output back). Stochastic gradient descent is an optimiser that uses them. They are separate steps."),
    Correction("note 001", "Rumelhart, Hinton & Williams, 'Learning internal representations by back-propagating "
               "errors', Nature 323(99): 533-536, 1986.",
               "The Nature paper is 'Learning representations by back-propagating errors', Nature 323 (6088): "
               "533-536, 1986. 'Learning internal representations by error propagation' is the authors' chapter "
               "in the book Parallel Distributed Processing."),
    Correction("note 002", "Summing the Cⁿ of every parameter gives L(θ).",
               "Cⁿ is the loss on training example n; L(θ) sums it over the examples, not over parameters."),
    Correction("note 004",
               "The initial values of the weights do not affect the training result (权值的初始值, 不影响训练结果).",
               "They do. All-equal weights keep hidden units identical forever (the demo's all-zero network is stuck "
               "at loss 0.25 on XOR), and different random starts end in different places: on XOR some seeds solve it "
               "while others still sit on a plateau when the steps run out. "
               "That is why Keras uses random Glorot initialisation and why results are reported over several seeds."),
    Correction("note 003", "When the result is wrong, some neurons are made duller and others more sensitive.",
               "Training changes weights and biases, every one in proportion to its gradient, and it does so for "
               "correct but unconfident answers too: any example with non-zero loss contributes.",
               kind=NOTE_PARTLY),
]
