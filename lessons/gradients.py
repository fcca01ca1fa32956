"""Lesson 13: vanishing and exploding gradients, in NumPy: backpropagation through a deep MLP layer
by layer, sensitivities through time (exact, by the complex-step trick) and gradient clipping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.lstm_gru import lstm_sequence, random_lstm, sigmoid
from lessons.quiz import NOTE_PARTLY, Correction, Question


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def chain_factor(weight: float, preactivation: float = 0.0) -> float:
    """What one sigmoid layer of a one-neuron-wide chain multiplies the gradient by: |w| * sigmoid'(z).
    sigmoid' is at most 1/4 (at z = 0), so the factor can exceed 1 only when |w| > 4."""
    return float(abs(weight) * sigmoid_derivative(preactivation))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
}


@dataclass(frozen=True)
class Layer:
    weights: np.ndarray  # (inputs, outputs)
    bias: np.ndarray  # (outputs,)


def init_mlp(depth: int, width: int, inputs: int, init: str = "glorot", seed: int = 0) -> list[Layer]:
    """`depth` hidden layers of `width` units and one linear output unit. "glorot" is Keras' default
    (uniform, variance 2 / (fan_in + fan_out)); "he" is normal with variance 2 / fan_in, made for ReLU."""
    if depth < 1 or width < 1:
        raise ValueError(f"need at least one hidden layer of one unit, got depth {depth}, width {width}")
    rng = np.random.default_rng(seed)
    sizes = [inputs] + [width] * depth + [1]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        if init == "glorot":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            weights = rng.uniform(-limit, limit, (fan_in, fan_out))
        elif init == "he":
            weights = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))
        else:
            raise ValueError(f"unknown initialiser {init!r}: use 'glorot' or 'he'")
        layers.append(Layer(weights, np.zeros(fan_out)))
    return layers


def constant_mlp(depth: int, width: int, weight: float) -> list[Layer]:
    """Every weight equal to `weight`, biases chosen so every pre-activation is 0 when the input is
    0.5 everywhere: the best case for a sigmoid (sigmoid'(0) = 1/4 at every unit)."""
    layers = [Layer(np.full((width, width), weight), np.full(width, -0.5 * weight * width))
              for _ in range(depth)]
    return layers + [Layer(np.full((width, 1), weight), np.zeros(1))]


def mlp_gradients(layers: list[Layer], x: np.ndarray, y: np.ndarray, activation: str) -> list[np.ndarray]:
    """d(mean squared error)/d(weights) for every layer, by backpropagation. Hidden layers use
    `activation`, the output unit is linear."""
    forward, derivative = ACTIVATIONS[activation]
    inputs, preactivations = [], []
    values = x
    for index, layer in enumerate(layers):
        inputs.append(values)
        z = values @ layer.weights + layer.bias
        preactivations.append(z)
        values = z if index == len(layers) - 1 else forward(z)
    error = 2.0 * (values - y.reshape(values.shape)) / values.size  # d loss / d output
    gradients = []
    for index in range(len(layers) - 1, -1, -1):
        if index < len(layers) - 1:
            error = error * derivative(preactivations[index])
        gradients.append(inputs[index].T @ error)
        error = error @ layers[index].weights.T
    return gradients[::-1]


def layer_gradient_norms(layers: list[Layer], x: np.ndarray, y: np.ndarray, activation: str) -> np.ndarray:
    return np.array([np.linalg.norm(gradient) for gradient in mlp_gradients(layers, x, y, activation)])


def first_dead_layer(layers: list[Layer], x: np.ndarray) -> int | None:
    """The first hidden ReLU layer (1-based) whose units all output 0 for every example of the batch,
    or None. Nothing passes such a layer in either direction: the layers below it get exactly zero
    gradient (dying ReLUs), and the output is a constant."""
    values = x
    for number, layer in enumerate(layers[:-1], start=1):
        values = np.maximum(values @ layer.weights + layer.bias, 0.0)
        if not values.any():
            return number
    return None


# The networks the lesson compares, layer by layer: (activation, initialisation).
NETWORKS = {N_("sigmoid, Glorot init"): ("sigmoid", "glorot"), N_("tanh, Glorot init"): ("tanh", "glorot"),
            N_("ReLU, Glorot init"): ("relu", "glorot"), N_("ReLU, He init"): ("relu", "he")}  # N_: shown


def compare_layers(names: list[str], depth: int, width: int) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """For each network of NETWORKS named: its hidden layers' gradient norms on one batch, and, for a
    ReLU network with a dead layer, the first dead layer."""
    x, y = regression_batch()
    norms, dead = {}, {}
    for name in names:
        activation, init = NETWORKS[name]
        network = init_mlp(depth, width, x.shape[1], init)
        norms[name] = layer_gradient_norms(network, x, y, activation)[:depth]
        if activation == "relu" and (layer := first_dead_layer(network, x)) is not None:
            dead[name] = layer
    return norms, dead


def sigmoid_chain(weight: float, width: int, depth: int = 10) -> dict[str, float]:
    """A sigmoid chain whose every weight is `weight` and every pre-activation 0: the factor each layer
    multiplies the gradient by, and how much more gradient layer 1 gets than the last hidden layer."""
    norms = layer_gradient_norms(constant_mlp(depth, width, weight), np.full((4, width), 0.5), np.zeros((4, 1)),
                                 "sigmoid")
    return {"factor": float(norms[0] / norms[1]), "first to last": float(norms[0] / norms[-2])}


def growth_verdict(factor: float) -> str:
    return N_("explodes") if factor > 1.0001 else N_("vanishes") if factor < 0.9999 else N_("stays put")


def regression_batch(inputs: int = 16, batch: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, inputs))
    return x, np.sin(x[:, :1]) + 0.1 * rng.normal(size=(batch, 1))


# ---- through time --------------------------------------------------------------------------

STEP = 1e-30  # complex step: f(x + i h) = f(x) + i h f'(x) + O(h^2), exact to machine precision


def recurrent_inputs(steps: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(steps, 2))  # (time, 2 features)


def rnn_weights(units: int = 32, gain: float = 1.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random input weights (2, units) and recurrent weights (units, units) whose entries have standard
    deviation gain / sqrt(units), so the spectral radius is about `gain` (exactly, only as units grow)."""
    rng = np.random.default_rng(seed + 1)
    input_weights = rng.normal(0, 1 / np.sqrt(2), (2, units))
    return input_weights, rng.normal(0, gain / np.sqrt(units), (units, units))


def spectral_radius(matrix: np.ndarray) -> float:
    """The largest |eigenvalue|: the factor per step by which a linear RNN's slowest-dying signal shrinks
    (or grows) in the long run."""
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def rnn_states(inputs: np.ndarray, units: int = 32, gain: float = 1.0, activation: str = "tanh",
               seed: int = 0) -> np.ndarray:
    """A SimpleRNN's hidden states (time, units); random recurrent weights with spectral radius about `gain`."""
    input_weights, recurrent = rnn_weights(units, gain, seed)
    act = {"tanh": np.tanh, "linear": lambda z: z}[activation]
    hidden = np.zeros(units, inputs.dtype)
    states = []
    for x in inputs:
        hidden = act(x @ input_weights + hidden @ recurrent)
        states.append(hidden)
    return np.array(states)


def lstm_states(inputs: np.ndarray, units: int = 32, gain: float = 1.0, forget_bias: float = 1.0,
                seed: int = 0) -> np.ndarray:
    """An LSTM's outputs h (time, units), with weights of the same scale as `rnn_states`."""
    weights = random_lstm(2, units, seed=seed + 1, scale=gain / np.sqrt(units), forget_bias=forget_bias)
    return np.array([step["h"] for step in lstm_sequence(inputs, weights)])


def lstm_forget_gates(steps: int, units: int = 32, gain: float = 1.0, forget_bias: float = 1.0,
                      seed: int = 0) -> np.ndarray:
    """Every forget-gate value (time, units) of the LSTM that `lstm_sensitivity` measures."""
    weights = random_lstm(2, units, seed=seed + 1, scale=gain / np.sqrt(units), forget_bias=forget_bias)
    return np.array([step["f"] for step in lstm_sequence(recurrent_inputs(steps, seed), weights)])


def _first_input_sensitivity(states_of, steps: int, seed: int) -> np.ndarray:
    inputs = recurrent_inputs(steps, seed).astype(complex)
    inputs[0, 0] += 1j * STEP  # nudge the first input only
    return np.linalg.norm(states_of(inputs).imag / STEP, axis=1)


def rnn_sensitivity(steps: int, units: int = 32, gain: float = 1.0, activation: str = "tanh",
                    seed: int = 0) -> np.ndarray:
    """||d h_T / d x_1|| for T = 1..steps: what the loss at step T can send back to the first input."""
    return _first_input_sensitivity(lambda inputs: rnn_states(inputs, units, gain, activation, seed), steps, seed)


def lstm_sensitivity(steps: int, units: int = 32, gain: float = 1.0, forget_bias: float = 1.0,
                     seed: int = 0) -> np.ndarray:
    """The same measurement for an LSTM."""
    return _first_input_sensitivity(lambda inputs: lstm_states(inputs, units, gain, forget_bias, seed), steps, seed)


# ---- clipping ------------------------------------------------------------------------------


def clip_by_value(gradient: np.ndarray, limit: float) -> np.ndarray:
    """Each component cut to [-limit, limit]: can change the gradient's direction."""
    if limit <= 0:
        raise ValueError(f"the clipping limit must be positive, got {limit}")
    return np.clip(gradient, -limit, limit)


def clip_by_norm(gradient: np.ndarray, limit: float) -> np.ndarray:
    """Scaled down to length `limit` if longer: same direction, bounded step."""
    if limit <= 0:
        raise ValueError(f"the clipping limit must be positive, got {limit}")
    norm = float(np.linalg.norm(gradient))
    return gradient * (limit / norm) if norm > limit else gradient


def clip_by_global_norm(gradients: list[np.ndarray], limit: float) -> list[np.ndarray]:
    """All variables' gradients scaled by one factor so their joint length is at most `limit`."""
    total = float(np.sqrt(sum(np.sum(gradient ** 2) for gradient in gradients)))
    scale = limit / total if total > limit else 1.0
    return [gradient * scale for gradient in gradients]


TARGET = np.array([1.0, 1.0])
STEEPNESS = np.array([1.0, 10.0])


def cliff_loss(w: np.ndarray) -> float:
    """A quartic bowl, 10x steeper along w2: gentle near the minimum (1, 1), a cliff far away."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's loss is inf or NaN, not an error
        return float(np.sum(STEEPNESS * (w - TARGET) ** 4) / 4)


def cliff_gradient(w: np.ndarray) -> np.ndarray:
    return STEEPNESS * (w - TARGET) ** 3


def descend(start, learning_rate: float, steps: int, clipping: str = "none", limit: float = 1.0) -> np.ndarray:
    """Gradient descent on the cliff loss; rows of the result are the visited points. Without
    clipping the first giant gradient throws w far away and the run overflows (inf, then NaN)."""
    clip = {"none": lambda g: g, "value": lambda g: clip_by_value(g, limit),
            "norm": lambda g: clip_by_norm(g, limit)}[clipping]
    path = [np.asarray(start, dtype=float)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            path.append(path[-1] - learning_rate * clip(cliff_gradient(path[-1])))
    return np.array(path)  # (steps + 1, 2)


CLIFF_START = (-4.0, 4.0)  # where the lesson's descents start: far out on the cliff
CLIFF_STEPS = 60
CLIFF_LEARNING_RATE = 0.1  # the lesson's default


def clipping_rows(gradient: np.ndarray, limit: float) -> list[dict]:
    """The gradient, clipped by value and by norm: each one's components, length and direction."""
    rows = {N_("original"): gradient, N_("clipped by value"): clip_by_value(gradient, limit),
            N_("clipped by norm"): clip_by_norm(gradient, limit)}
    return [{N_("gradient"): name, N_("component 1"): vector[0], N_("component 2"): vector[1],
             N_("length"): np.linalg.norm(vector),
             N_("direction (degrees)"): np.degrees(np.arctan2(vector[1], vector[0]))} for name, vector in rows.items()]


def cliff_runs(learning_rate: float, limit: float) -> dict[str, dict]:
    """Descent from CLIFF_START without clipping, clipped by value and by norm: each run's path, its
    loss per step and the step at which the loss overflowed (None if it stayed finite)."""
    runs = {}
    for clipping in ("none", "value", "norm"):
        path = descend(list(CLIFF_START), learning_rate, CLIFF_STEPS, clipping, limit)
        label = {"none": N_("no clipping"), "value": N_("clip by value"), "norm": N_("clip by norm")}[clipping]
        runs[label] = {"path": path, "losses": np.array([cliff_loss(point) for point in path]),
                       "overflow": overflow_step(path)}
    return runs


def overflow_step(path: np.ndarray) -> int | None:
    """The first step of a descent whose loss is no longer a finite number, or None."""
    finite = np.isfinite([cliff_loss(point) for point in path])
    return None if finite.all() else int(np.argmin(finite))


def unclipped_cliff_run(learning_rate: float = CLIFF_LEARNING_RATE, steps: int = CLIFF_STEPS) -> dict:
    """What the lesson's descent without clipping does: where the first step lands, the step at which
    the loss overflows, and whether the weights end as NaN."""
    path = descend(list(CLIFF_START), learning_rate, steps, "none")
    return {"first step": path[1], "overflow step": overflow_step(path), "ends in NaN": bool(np.isnan(path[-1]).all())}


# ---- check yourself, and the course notes checked ------------------------------------------------

CLIPPED_EXAMPLE = clip_by_norm(np.array([3.0, -4.0]), 1.0)

ONE_UNIT_FACTOR = 0.8 ** 49  # one linear unit, recurrent weight 0.8: 49 more steps from step 1 to step 50

DEMO_LINEAR = rnn_sensitivity(60, gain=0.8, activation="linear")  # the lesson's 32-unit demo

DEMO_RADIUS = spectral_radius(rnn_weights(32, 0.8)[1])

CLIFF = unclipped_cliff_run()

QUESTIONS = [
    Question("In a deep sigmoid network with ordinary initial weights, which layers learn slowest?",
             ("The ones next to the input", "The ones next to the output", "All alike"), 0,
             "Their gradient has passed through the most sigmoid slopes (each at most 1/4)."),
    Question("The gradient (3, −4) is clipped by norm with c = 1. What is the result?",
             ("(1, −1)", f"({CLIPPED_EXAMPLE[0]:g}, {CLIPPED_EXAMPLE[1]:g})".replace("-", "−"), "(3, −4)",
              "(0.75, −1)"), 1,
             "Its length is 5, so it is scaled by 1/5: same direction, length 1. Clipping by value "
             "would give (1, −1), which points elsewhere."),
    Question("Which clipping keeps the direction of the gradient?", ("By value", "By norm", "Both"), 1,
             "By norm rescales the whole vector; by value cuts components independently."),
    Question("A sigmoid network one unit wide, every pre-activation 0. Which weight can make gradients explode?",
             ("|w| = 3", "|w| = 5", "None: sigmoids never explode"), 1,
             f"The factor per layer is |w|/4: {chain_factor(3.0):.2f} for 3, {chain_factor(5.0):.2f} "
             "for 5. With wider layers the weight *matrix* counts, so smaller weights can explode too."),
    Question("A linear RNN with **one unit** has recurrent weight 0.8. Compared with the gradient that reaches "
             "the input 1 step back, about how big is the one that reaches the input 50 steps back?",
             ("0.8 × 49 ≈ 39 times bigger", f"0.8⁴⁹ ≈ {ONE_UNIT_FACTOR:.1e} times as big", "0.8 times as big"), 1,
             "One factor of 0.8 per step, 49 steps more: it shrinks geometrically. That is for one unit. The "
             f"32-unit demo above, at scale 0.8 and linear, measures {DEMO_LINEAR[49] / DEMO_LINEAR[0]:.1e} over "
             f"the same 49 steps: its random matrix, drawn at scale 0.8, has its largest eigenvalue at "
             f"{DEMO_RADIUS:.2f}, and the slowest-shrinking direction sets the long-run rate."),
]

CORRECTIONS = [
    Correction("Note 000", "Because sigmoid' ≤ 1/4, gradients can explode only when |w| > 4 "
               "(因为sigmoid导数最大为1/4,故只有当abs(w)>4时梯度爆炸才可能出现).",
               "True for a chain one unit wide at σ'(z) = 1/4. A layer of n units multiplies by the weight "
               "matrix, so n · |w| / 4 > 1 is enough (w = 0.5 with 10 units above). Large weights also "
               "saturate the sigmoid, so the condition holds only for a narrow band of inputs.",
               kind=NOTE_PARTLY),
    Correction("Note 003", "Each step multiplies the error by the weight W: W < 1 vanishes, W > 1 explodes.",
               "The scalar picture. With many units it is the recurrent matrix's scale (largest singular "
               "value or spectral radius) together with the activation's slopes, which only shrink.",
               kind=NOTE_PARTLY),
    Correction("Note 000", "BPTT is an upgraded backpropagation used for RNN clipping.",
               "Backpropagation through time is ordinary backpropagation on the network unrolled over "
               "the time steps. Clipping is a separate fix for the exploding gradients it can produce."),
    Correction("Note 001", "If the activation's derivative is above 1 in absolute value, after many "
               "multiplications the **weights** tend to very large numbers: gradient explosion "
               "(多次连乘后权重值会趋向于非常大的数,这称为\u201c梯度爆炸\u201d).",
               "It is the *gradient* (the error term sent backwards) that grows, one factor per layer or "
               "step. The weights become huge only afterwards, when an update uses that gradient: in the "
               "cliff demo the first unclipped step throws w from "
               f"({CLIFF_START[0]:g}, {CLIFF_START[1]:g}) to ({CLIFF['first step'][0]:.3g}, "
               f"{CLIFF['first step'][1]:.3g}). And no common activation has a slope above 1 (sigmoid at "
               "most 1/4, tanh and ReLU at most 1): gradients explode through large *weights* in the "
               "product, as the sigmoid chain above shows."),
    Correction("Note 003", "Fortunately exploding gradients are not a serious problem; an optimiser with "
               "clipping usually solves them (好在梯度膨胀不是个严重的问题).",
               "Clipping does fix them cheaply, which is why it is routine. Left alone they are serious: "
               f"in the cliff demo, without clipping, the loss overflows at step {CLIFF['overflow step']} "
               "and the weights end as NaN, which ends the training; a real network has to be restarted "
               "from a checkpoint. Exploding gradients are easy to notice and to fix, not harmless.",
               kind=NOTE_PARTLY),
]
