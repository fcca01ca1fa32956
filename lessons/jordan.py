"""Lesson 11, Jordan networks (Jordan, 1986) against Elman networks, trained in Keras.

An Elman network feeds its hidden layer back; a Jordan network feeds back its *output*. The
output has a training target, so the memory means something readable, and training can feed
the *true* previous output instead of the predicted one ("teacher forcing"): every step then
becomes an ordinary feed-forward example and no gradient has to flow back through time. The
price: the network can remember only what its outputs say. Two tasks on random bits show both:

- running parity (is the number of 1s so far odd?): the answer so far is all the memory needed;
- echo (repeat the bit from two steps ago): the output never holds the bit that will be needed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

TASKS = {
    "running parity": "output 1 when the number of 1s read so far is odd",
    "echo": "output the bit read two steps earlier (0 for the first two steps)",
}
KINDS = ("Elman", "Jordan", "Jordan, teacher forcing")


def make_task(task: str, count: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random bit sequences (count, length, 1) and the per-step targets (count, length, 1)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if count < 1 or length < 3:
        raise ValueError(f"need count >= 1 and length >= 3, got {count}, {length}")
    bits = np.random.default_rng(seed).integers(0, 2, (count, length)).astype(np.float32)
    if task == "running parity":
        targets = np.cumsum(bits, axis=1) % 2
    else:
        targets = np.concatenate([np.zeros((count, 2), np.float32), bits[:, :-2]], axis=1)
    return bits[..., None], targets[..., None].astype(np.float32)  # (count, length, 1) each


def jordan_cell_class():
    """The Keras cell, defined on first use so that importing this module stays Keras-free."""
    import keras

    @keras.saving.register_keras_serializable(package="dllab")
    class JordanCell(keras.layers.Layer):
        """hidden = tanh(x·W + y_prev·U + b); y = activation(hidden·V + c); the state is y itself."""

        def __init__(self, units: int, outputs: int, output_activation: str = "sigmoid", **kwargs):
            super().__init__(**kwargs)
            if units < 1 or outputs < 1:
                raise ValueError(f"units and outputs must be positive, got {units}, {outputs}")
            self.units, self.outputs = units, outputs
            self.output_activation = keras.activations.get(output_activation)
            self.activation_name = output_activation
            self.state_size = outputs
            self.output_size = outputs

        def build(self, input_shape):
            self.input_kernel = self.add_weight(shape=(input_shape[-1], self.units), name="input_kernel")
            self.memory_kernel = self.add_weight(shape=(self.outputs, self.units), name="memory_kernel")
            self.hidden_bias = self.add_weight(shape=(self.units,), initializer="zeros", name="hidden_bias")
            self.output_kernel = self.add_weight(shape=(self.units, self.outputs), name="output_kernel")
            self.output_bias = self.add_weight(shape=(self.outputs,), initializer="zeros", name="output_bias")

        def call(self, inputs, states):
            ops = keras.ops
            memory = states[0] if isinstance(states, (list, tuple)) else states  # (batch, outputs)
            hidden = ops.tanh(ops.matmul(inputs, self.input_kernel) + ops.matmul(memory, self.memory_kernel)
                              + self.hidden_bias)  # (batch, units)
            output = self.output_activation(ops.matmul(hidden, self.output_kernel) + self.output_bias)
            return output, [output]

        def get_config(self):
            return {**super().get_config(), "units": self.units, "outputs": self.outputs,
                    "output_activation": self.activation_name}

    return JordanCell


def build_jordan(units: int = 16, outputs: int = 1, output_activation: str = "sigmoid"):
    """(batch, steps, 1) bits -> (batch, steps, outputs): a Jordan network trained through time."""
    import keras

    bits = keras.Input(shape=(None, 1), name="bits")
    outputs_seq = keras.layers.RNN(jordan_cell_class()(units, outputs, output_activation),
                                   return_sequences=True, name="jordan")(bits)  # (batch, steps, outputs)
    return keras.Model(bits, outputs_seq, name="jordan")


def build_elman(units: int = 16, outputs: int = 1):
    """The same sizes with the hidden layer fed back instead (Keras' SimpleRNN)."""
    import keras

    bits = keras.Input(shape=(None, 1), name="bits")
    hidden = keras.layers.SimpleRNN(units, return_sequences=True, name="elman")(bits)  # (batch, steps, units)
    outputs_seq = keras.layers.Dense(outputs, activation="sigmoid", name="output")(hidden)
    return keras.Model(bits, outputs_seq, name="elman")


def build_step_network(units: int = 16, outputs: int = 1):
    """One step of the Jordan network as a plain feed-forward model: [x_t, y_(t-1)] -> y_t.
    Its layers are the Jordan cell's weights, stacked: W and U side by side, then V."""
    import keras

    pair = keras.Input(shape=(1 + outputs,), name="input_and_previous_output")
    hidden = keras.layers.Dense(units, activation="tanh", name="hidden")(pair)
    return keras.Model(pair, keras.layers.Dense(outputs, activation="sigmoid", name="output")(hidden),
                       name="jordan_step")


def run_free(step_weights: list[np.ndarray], bits: np.ndarray) -> np.ndarray:
    """Run a teacher-forced Jordan network on its own: each step reads its previous *prediction*
    (not the true answer, which a real input stream would not give). NumPy, (count, length, 1)."""
    hidden_kernel, hidden_bias, output_kernel, output_bias = step_weights
    memory = np.zeros((bits.shape[0], output_kernel.shape[1]), np.float32)
    outputs = []
    for step in range(bits.shape[1]):
        pair = np.concatenate([bits[:, step, :], memory], axis=1)  # (count, 1 + outputs)
        hidden = np.tanh(pair @ hidden_kernel + hidden_bias)
        memory = 1.0 / (1.0 + np.exp(-(hidden @ output_kernel + output_bias)))
        outputs.append(memory)
    return np.stack(outputs, axis=1)  # (count, length, outputs)


@dataclass(frozen=True)
class MemoryResult:
    kind: str
    step_accuracy: float  # share of test steps whose rounded output is right
    losses: tuple[float, ...]  # training loss per epoch
    seconds: float
    example_outputs: np.ndarray  # (length,) outputs on the first test sequence


@dataclass(frozen=True)
class MemoryComparison:
    task: str
    example_bits: np.ndarray  # (length,)
    example_targets: np.ndarray  # (length,)
    results: tuple[MemoryResult, ...]


def compare_memories(task: str = "running parity", units: int = 16, epochs: int = 20, count: int = 1000,
                     length: int = 20, learning_rate: float = 0.01, seed: int = 0) -> MemoryComparison:
    """Train an Elman network and a Jordan network through time, and a Jordan network with teacher
    forcing, on the same sequences; score all three running on their own on new sequences."""
    import keras

    bits, targets = make_task(task, count, length, seed)
    test_bits, test_targets = make_task(task, 500, length, seed + 1)
    results = []
    for kind in KINDS:
        keras.utils.set_random_seed(seed)
        start = time.perf_counter()
        if kind == "Jordan, teacher forcing":
            # The true previous answer is known during training: each step is one feed-forward example.
            previous = np.concatenate([np.zeros_like(targets[:, :1]), targets[:, :-1]], axis=1)
            pairs = np.concatenate([bits, previous], axis=2).reshape(-1, 2)  # (count * length, 2)
            model = build_step_network(units)
            model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
            history = model.fit(pairs, targets.reshape(-1, 1), batch_size=32 * length, epochs=epochs, verbose=0)
            predicted = run_free(model.get_weights(), test_bits)
        else:
            model = build_elman(units) if kind == "Elman" else build_jordan(units)
            model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
            history = model.fit(bits, targets, batch_size=32, epochs=epochs, verbose=0)
            predicted = model.predict(test_bits, batch_size=500, verbose=0)
        seconds = time.perf_counter() - start
        results.append(MemoryResult(kind, float(np.mean((predicted > 0.5) == (test_targets > 0.5))),
                                    tuple(float(value) for value in history.history["loss"]), seconds,
                                    np.asarray(predicted[0, :, 0], np.float32)))
        keras.utils.clear_session()
    return MemoryComparison(task, test_bits[0, :, 0], test_targets[0, :, 0], tuple(results))
