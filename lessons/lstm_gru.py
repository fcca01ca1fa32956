"""Lesson 12: one LSTM step and one GRU step in NumPy, laid out exactly like Keras' weights, so a
hand computation can be checked against `keras.layers.LSTM` / `keras.layers.GRU`.

The functions work on any NumPy dtype, including complex numbers: `lessons.gradients` uses that
for exact derivatives (the complex-step trick).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, NOTE_RIGHT, Correction, Question


def sigmoid(z):
    with np.errstate(over="ignore"):  # exp(-z) overflows to inf for very negative z: sigmoid is then 0
        return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {"tanh": np.tanh, "linear": lambda z: z, "sigmoid": sigmoid}


@dataclass(frozen=True)
class LstmWeights:
    kernel: np.ndarray  # (inputs, 4 * units), columns i | f | c | o
    recurrent_kernel: np.ndarray  # (units, 4 * units)
    bias: np.ndarray  # (4 * units,)

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    def check(self) -> None:
        units = self.units
        if self.kernel.shape[1] != 4 * units or self.recurrent_kernel.shape != (units, 4 * units) \
                or self.bias.shape != (4 * units,):
            raise ValueError(f"LSTM weights must be (inputs, {4 * units}), ({units}, {4 * units}) and "
                             f"({4 * units},); got {self.kernel.shape}, {self.recurrent_kernel.shape}, "
                             f"{self.bias.shape}")


def lstm_step(x, h, c, weights: LstmWeights, activation: str = "tanh") -> dict[str, np.ndarray]:
    """One step of Keras' LSTM cell (no peepholes, sigmoid gates):
    i, f, o = sigmoid(...); c~ = act(...); c = f * c_prev + i * c~; h = o * act(c)."""
    weights.check()
    act = ACTIVATIONS[activation]
    z = x @ weights.kernel + h @ weights.recurrent_kernel + weights.bias  # (4 * units,)
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    gate_i, gate_f, gate_o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)
    candidate = act(z_c)
    cell = gate_f * c + gate_i * candidate
    return {"i": gate_i, "f": gate_f, "candidate": candidate, "o": gate_o, "c": cell, "h": gate_o * act(cell)}


def lstm_sequence(inputs, weights: LstmWeights, activation: str = "tanh", h0=None, c0=None) -> list[dict]:
    """Every step's gates and states; h and c start at 0 like Keras' default initial state."""
    inputs = np.asarray(inputs)
    if inputs.ndim != 2:
        raise ValueError(f"inputs must be (time steps, features), got shape {inputs.shape}")
    h = np.zeros(weights.units, inputs.dtype) if h0 is None else h0
    c = np.zeros(weights.units, inputs.dtype) if c0 is None else c0
    steps = []
    for x in inputs:
        step = lstm_step(x, h, c, weights, activation)
        steps.append(step)
        h, c = step["h"], step["c"]
    return steps


def memory_cell_weights(strength: float = 100.0, offset: float = 10.0) -> LstmWeights:
    """A one-unit LSTM set by hand, with linear activations (input = [value, control, read]):
    control = +1 opens the input gate and writes the value; control = -1 closes the forget gate
    and erases the memory; read = +1 opens the output gate. Large weights make the gates 0 or 1."""
    kernel = np.zeros((3, 4), np.float32)
    bias = np.zeros(4, np.float32)
    kernel[1, 0], bias[0] = strength, -offset  # input gate: open only when control = +1
    kernel[1, 1], bias[1] = strength, offset  # forget gate: open (keep) unless control = -1
    kernel[0, 2] = 1.0  # candidate: the value itself
    kernel[2, 3], bias[3] = strength, -offset  # output gate: open only when read = +1
    return LstmWeights(kernel, np.zeros((1, 4), np.float32), bias)


MEMORY_CELL_INPUTS = np.array([[1, 0, 0], [3, 1, 0], [2, 0, 0], [4, 1, 0], [2, 0, 0], [1, 0, 1],
                               [3, -1, 0], [6, 1, 0], [1, 0, 1]], np.float32)


def memory_writes(inputs=MEMORY_CELL_INPUTS, weights: LstmWeights | None = None) -> list[dict]:
    """Every step of the hand-set cell where control = +1: the memory before, the value written and
    the memory after. With the forget gate open a write *adds* the value (c = 1·c_prev + 1·value)."""
    inputs = np.asarray(inputs, np.float32)
    steps = lstm_sequence(inputs, weights or memory_cell_weights(), activation="linear")
    before = [0.0] + [float(step["c"][0]) for step in steps[:-1]]
    return [{"step": index + 1, "before": before[index], "value": float(inputs[index, 0]),
             "after": float(steps[index]["c"][0])}
            for index in range(len(inputs)) if inputs[index, 1] == 1]


@dataclass(frozen=True)
class GruWeights:
    kernel: np.ndarray  # (inputs, 3 * units), columns z | r | h
    recurrent_kernel: np.ndarray  # (units, 3 * units)
    bias: np.ndarray  # (2, 3 * units) [input bias; recurrent bias] if reset_after else (3 * units,)

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]


def gru_step(x, h, weights: GruWeights, reset_after: bool = True) -> dict[str, np.ndarray]:
    """One step of Keras' GRU cell. z (update) decides how much old state to keep, 1 - z how much
    of the candidate to let in: one gate does the LSTM's forget and input jobs together.
    reset_after=True (Keras' default, the cuDNN variant) applies r after the recurrent matmul."""
    units = weights.units
    if reset_after:
        if weights.bias.shape != (2, 3 * units):
            raise ValueError(f"with reset_after=True the GRU bias is (2, {3 * units}), got {weights.bias.shape}")
        input_bias, recurrent_bias = weights.bias[0], weights.bias[1]
    else:
        if weights.bias.shape != (3 * units,):
            raise ValueError(f"with reset_after=False the GRU bias is ({3 * units},), got {weights.bias.shape}")
        input_bias, recurrent_bias = weights.bias, np.zeros_like(weights.bias)
    x_z, x_r, x_h = np.split(x @ weights.kernel + input_bias, 3, axis=-1)
    u_z, u_r, u_h = np.split(weights.recurrent_kernel, 3, axis=-1)
    b_z, b_r, b_h = np.split(recurrent_bias, 3, axis=-1)
    gate_z = sigmoid(x_z + h @ u_z + b_z)
    gate_r = sigmoid(x_r + h @ u_r + b_r)
    if reset_after:
        candidate = np.tanh(x_h + gate_r * (h @ u_h + b_h))
    else:
        candidate = np.tanh(x_h + (gate_r * h) @ u_h)
    return {"z": gate_z, "r": gate_r, "candidate": candidate, "h": gate_z * h + (1 - gate_z) * candidate}


def gru_sequence(inputs, weights: GruWeights, reset_after: bool = True, h0=None) -> list[dict]:
    inputs = np.asarray(inputs)
    if inputs.ndim != 2:
        raise ValueError(f"inputs must be (time steps, features), got shape {inputs.shape}")
    h = np.zeros(weights.units, inputs.dtype) if h0 is None else h0
    steps = []
    for x in inputs:
        step = gru_step(x, h, weights, reset_after)
        steps.append(step)
        h = step["h"]
    return steps


def random_lstm(inputs: int, units: int, seed: int = 0, scale: float = 0.5,
                forget_bias: float = 1.0) -> LstmWeights:
    """Random weights; forget_bias = 1 like Keras' unit_forget_bias=True, so at the start of training
    the forget gate leans towards keeping: f = sigmoid(1) ≈ 0.73 when the rest of its input is 0."""
    rng = np.random.default_rng(seed)
    bias = np.zeros(4 * units)
    bias[units:2 * units] = forget_bias
    return LstmWeights(rng.normal(0, scale, (inputs, 4 * units)), rng.normal(0, scale, (units, 4 * units)), bias)


def random_gru(inputs: int, units: int, seed: int = 0, scale: float = 0.5, reset_after: bool = True) -> GruWeights:
    rng = np.random.default_rng(seed)
    bias = rng.normal(0, 0.1, (2, 3 * units) if reset_after else (3 * units,))
    return GruWeights(rng.normal(0, scale, (inputs, 3 * units)), rng.normal(0, scale, (units, 3 * units)), bias)


def memory_cell_rows(inputs: np.ndarray, steps: list[dict]) -> list[dict]:
    """One row per step of `lstm_sequence` on the memory cell: its three inputs, gates, memory and output."""
    return [{N_("step"): number, N_("value"): row[0], N_("control"): row[1], N_("read"): row[2],
             **{label: float(step[key][0]) for label, key in [(N_("input gate i"), "i"), (N_("forget gate f"), "f"),
                                                             (N_("output gate o"), "o"), (N_("memory c"), "c"),
                                                             (N_("output h"), "h")]}}
            for number, (row, step) in enumerate(zip(inputs, steps, strict=True), start=1)]


def keras_lstm_states(inputs, weights: LstmWeights, activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """The same sequence through `keras.layers.LSTM` with these weights copied in: (h at every
    step, final c). The oracle for `lstm_sequence`."""
    import keras

    inputs = np.asarray(inputs, np.float32)
    layer = keras.layers.LSTM(weights.units, activation=activation, return_sequences=True, return_state=True)
    layer.build((None, *inputs.shape))
    layer.set_weights([np.asarray(weights.kernel, np.float32), np.asarray(weights.recurrent_kernel, np.float32),
                       np.asarray(weights.bias, np.float32)])
    sequence, _, cell = layer(inputs[None])  # (1, time, units), (1, units), (1, units)
    return keras.ops.convert_to_numpy(sequence)[0], keras.ops.convert_to_numpy(cell)[0]


def keras_gru_states(inputs, weights: GruWeights, reset_after: bool = True, h0=None) -> np.ndarray:
    """`keras.layers.GRU` with these weights copied in, starting from h0 (default 0): h at every step."""
    import keras

    inputs = np.asarray(inputs, np.float32)
    layer = keras.layers.GRU(weights.units, reset_after=reset_after, return_sequences=True)
    layer.build((None, *inputs.shape))
    layer.set_weights([np.asarray(weights.kernel, np.float32), np.asarray(weights.recurrent_kernel, np.float32),
                       np.asarray(weights.bias, np.float32)])
    initial = None if h0 is None else [np.asarray(h0, np.float32).reshape(1, weights.units)]  # (1, units)
    return keras.ops.convert_to_numpy(layer(inputs[None], initial_state=initial))[0]  # (time, units)


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("The forget gate of an LSTM is open (f ≈ 1). What happens to the memory?",
             ("It is erased", "It is kept", "It is read out"), 1,
             "c_t = f_t c_{t−1} + …: f = 1 keeps the old value, f = 0 resets it. The name is "
             "misleading; 'keep gate' would describe the modern convention better."),
    Question("In Keras, which order do the four blocks of an LSTM's `kernel` follow?",
             ("i, f, c, o", "f, i, o, c", "i, c, f, o", "o, f, i, c"), 0,
             "Input gate, forget gate, candidate (cell), output gate; the tests copy weights in this order."),
    Question("How many gates does a GRU have, and how are writing and forgetting related?",
             ("Three, independent", "Two; the update gate z keeps old state and 1 − z lets new content in",
              "Two; reset and output"), 1,
             "Keeping more old state means letting in less new content, and vice versa."),
    Question("An LSTM solves both vanishing and exploding gradients.", ("True", "False"), 1,
             "Its additive cell path eases vanishing. Exploding gradients can still happen through "
             "the recurrent weights (scale 6 in the chart), so clipping is still used."),
]

CORRECTIONS = [
    Correction("Note 000", "The forget gate, when open, does not reset the memory (打开的时候,不重置).",
               "Right for modern LSTMs (Gers et al., 2000, where the forget gate was added); worth "
               "stating because the name suggests the opposite.", kind=NOTE_RIGHT),
    Correction("Note 000", "LSTM solves vanishing gradients because the memory is never overwritten unless "
               "the forget gate closes.",
               "It *eases* vanishing gradients: the per-step factor on the cell path is f_t, so it still "
               "decays when f < 1 (try a forget bias of −2 above). And it does not stop exploding "
               "gradients (note 003 says so correctly).", kind=NOTE_PARTLY),
    Correction("Note 000", "GRU: when the input gate opens the forget gate closes, i.e. taking in all of "
               "the input empties the memory (但是可以部分呀: but it can be partial).",
               "Right, with the note's own caveat that it can be partial: a GRU has a single update gate "
               "z, and the old state gets weight z while the new content gets 1 − z.", kind=NOTE_RIGHT),
    Correction("Note 001", "Gated RNNs mainly solve the vanishing **or exploding** gradients of ordinary RNNs "
               "(门控 RNN 主要是解决一般 RNN 的梯度消失或者梯度爆炸的问题).",
               "Vanishing, yes, in the sense of easing it: the additive cell path lets the gradient cross "
               "many steps. Exploding, no: at a recurrent scale of 6 the chart above blows up for the "
               "LSTM as for the simple RNN. Gated networks are trained with gradient clipping for that; "
               "note 003 says so correctly.", kind=NOTE_PARTLY),
    Correction("Note 000", "Other variants include the 'Clockwise RNN' and SCRN.",
               "It is the **Clockwork** RNN (Koutník, Greff, Gomez and Schmidhuber, ICML 2014): the hidden "
               "units are split into modules that update at different clock rates (every 1, 2, 4, 8, … "
               "steps), so the slow modules keep information over long spans at little cost. SCRN, the "
               "structurally constrained recurrent network (Mikolov et al., 2015), is named correctly."),
]
