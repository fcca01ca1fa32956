"""Lesson 11: recurrent networks in NumPy: Elman, Jordan and bidirectional, the notes' worked
example, and the two ways the notes turn words into vectors (1-of-N with "other", word hashing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Activation = Callable[[np.ndarray], np.ndarray]
ACTIVATIONS: dict[str, Activation] = {"linear": lambda z: z, "tanh": np.tanh,
                                      "relu": lambda z: np.maximum(z, 0.0)}

# Note 004's example: all weights 1, no bias, linear activation, memory starting at 0.
NOTES_INPUTS = np.array([[1, 1], [1, 1], [2, 2]], dtype=np.float32)


@dataclass(frozen=True)
class RnnWeights:
    """x_t @ input_weights + memory @ recurrent_weights -> hidden; hidden @ output_weights -> y_t.
    Row-vector convention, the same as Keras' `kernel` and `recurrent_kernel`."""

    input_weights: np.ndarray  # (inputs, hidden)
    recurrent_weights: np.ndarray  # (hidden, hidden) for Elman; (outputs, hidden) for Jordan
    output_weights: np.ndarray  # (hidden, outputs)


def all_ones(inputs: int = 2, hidden: int = 2, outputs: int = 2) -> RnnWeights:
    """The notes' network: 2 inputs, 2 hidden units whose outputs are stored in 2 memory cells,
    2 outputs, every weight 1."""
    return RnnWeights(np.ones((inputs, hidden), np.float32), np.ones((hidden, hidden), np.float32),
                      np.ones((hidden, outputs), np.float32))


def _sequence(inputs: np.ndarray, weights: RnnWeights) -> np.ndarray:
    inputs = np.asarray(inputs, dtype=np.float32)
    if inputs.ndim != 2 or inputs.shape[1] != weights.input_weights.shape[0]:
        raise ValueError(f"inputs must be (time steps, {weights.input_weights.shape[0]}), got {inputs.shape}")
    return inputs


@dataclass(frozen=True)
class Trace:
    """Everything the network held at each time step, for a step-by-step table."""

    memory: np.ndarray  # (steps, memory size): what was read from memory at each step
    hidden: np.ndarray  # (steps, hidden)
    outputs: np.ndarray  # (steps, outputs)


def elman(inputs: np.ndarray, weights: RnnWeights, activation: str = "linear") -> Trace:
    """Elman network: the hidden layer's values are stored and fed back at the next step."""
    inputs, act = _sequence(inputs, weights), ACTIVATIONS[activation]
    memory = np.zeros(weights.recurrent_weights.shape[0], np.float32)
    memories, hiddens, outputs = [], [], []
    for x in inputs:
        memories.append(memory)
        hidden = act(x @ weights.input_weights + memory @ weights.recurrent_weights)
        hiddens.append(hidden)
        outputs.append(act(hidden @ weights.output_weights))
        memory = hidden
    return Trace(np.array(memories), np.array(hiddens), np.array(outputs))


def jordan(inputs: np.ndarray, weights: RnnWeights, activation: str = "linear") -> Trace:
    """Jordan network: the network's *output* is stored and fed back. Its memory has a target
    during training, so it is clearer what it holds."""
    inputs, act = _sequence(inputs, weights), ACTIVATIONS[activation]
    if weights.recurrent_weights.shape[0] != weights.output_weights.shape[1]:
        raise ValueError("a Jordan network feeds back its outputs: recurrent_weights must be (outputs, hidden)")
    memory = np.zeros(weights.output_weights.shape[1], np.float32)
    memories, hiddens, outputs = [], [], []
    for x in inputs:
        memories.append(memory)
        hidden = act(x @ weights.input_weights + memory @ weights.recurrent_weights)
        output = act(hidden @ weights.output_weights)
        hiddens.append(hidden)
        outputs.append(output)
        memory = output
    return Trace(np.array(memories), np.array(hiddens), np.array(outputs))


def bidirectional(inputs: np.ndarray, forward: RnnWeights, backward: RnnWeights,
                  activation: str = "linear") -> Trace:
    """Two Elman hidden layers, one reading left to right and one right to left; each output sees
    both, so it depends on the whole sequence. `hidden` holds [forward, backward] side by side."""
    inputs = _sequence(inputs, forward)
    ahead = elman(inputs, forward, activation)
    behind = elman(inputs[::-1], backward, activation)
    behind_hidden = behind.hidden[::-1]
    act = ACTIVATIONS[activation]
    outputs = act(ahead.hidden @ forward.output_weights + behind_hidden @ backward.output_weights)
    return Trace(np.concatenate([ahead.memory, behind.memory[::-1]], axis=1),
                 np.concatenate([ahead.hidden, behind_hidden], axis=1), outputs)


# ---- words as vectors ------------------------------------------------------------------------

OTHER = "<other>"


def one_of_n(word: str, vocabulary: list[str], other: bool = True) -> np.ndarray:
    """1-of-N encoding: one dimension per vocabulary word, plus an "other" dimension for every
    word outside the vocabulary (without it, unknown words cannot be encoded at all)."""
    size = len(vocabulary) + int(other)
    vector = np.zeros(size, np.float32)
    lowered = [entry.lower() for entry in vocabulary]
    if word.lower() in lowered:
        vector[lowered.index(word.lower())] = 1.0
    elif other:
        vector[-1] = 1.0
    else:
        raise ValueError(f"{word!r} is not in the vocabulary and there is no \"other\" dimension")
    return vector


LETTERS = "#abcdefghijklmnopqrstuvwxyz"  # '#' marks the start and end of a word
HASH_SIZE = len(LETTERS) ** 3


def letter_trigrams(word: str) -> list[str]:
    """"apple" -> #ap, app, ppl, ple, le#. Letters only; other characters are dropped."""
    letters = "".join(char for char in word.lower() if "a" <= char <= "z")
    if not letters:
        return []
    padded = f"#{letters}#"
    return [padded[index:index + 3] for index in range(len(padded) - 2)]


def trigram_index(trigram: str) -> int:
    first, second, third = (LETTERS.index(char) for char in trigram)
    return (first * len(LETTERS) + second) * len(LETTERS) + third


def word_hash(word: str) -> np.ndarray:
    """Word hashing: count the letter trigrams in a vector of 27^3 = 19,683 dimensions, whatever
    the vocabulary. Unseen words and typos still get a vector close to their neighbours'."""
    vector = np.zeros(HASH_SIZE, np.float32)
    for trigram in letter_trigrams(word):
        vector[trigram_index(trigram)] += 1.0
    return vector


def cosine(first: np.ndarray, second: np.ndarray) -> float:
    norms = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(first @ second) / norms if norms else 0.0
