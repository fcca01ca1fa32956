"""Lesson 11: recurrent networks in NumPy: Elman, Jordan and bidirectional, the notes' worked
example, and the two ways the notes turn words into vectors (1-of-N with "other", word hashing)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question

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


def as_text(sequence: np.ndarray) -> str:
    """A sequence of small integer vectors as the notes write it: [1, 1]  [1, 1]  [2, 2]."""
    return "  ".join(str(row.astype(int).tolist()) for row in sequence)


def orderings(inputs: np.ndarray = NOTES_INPUTS) -> dict[str, list[int]]:
    """Every order of the sequence's steps, keyed by how it reads."""
    return {as_text(inputs[list(order)]): list(order) for order in permutations(range(len(inputs)))}


def trace_rows(inputs: np.ndarray, trace: Trace) -> list[dict]:
    """One row per step: the input, what was read from memory, the hidden values and the output."""
    return [{N_("step"): step, N_("input x"): str(row.astype(int).tolist()),  # N_: column names shown
             N_("read from memory"): str(memory.astype(int).tolist()), N_("hidden"): str(hidden.astype(int).tolist()),
             N_("output y"): str(output.astype(int).tolist())}
            for step, (row, memory, hidden, output)
            in enumerate(zip(inputs, trace.memory, trace.hidden, trace.outputs, strict=True), start=1)]


def kinds_rows(inputs: np.ndarray = NOTES_INPUTS) -> list[dict]:
    """Elman, Jordan and bidirectional outputs of the all-ones network, step by step."""
    weights = all_ones()
    outputs = {"Elman": elman(inputs, weights).outputs, "Jordan": jordan(inputs, weights).outputs,
               N_("Bidirectional"): bidirectional(inputs, weights, weights).outputs}  # N_: column names shown
    return [{"step": step, N_("input"): str(row.astype(int).tolist()),
             **{kind: str(values[step - 1].astype(int).tolist()) for kind, values in outputs.items()}}
            for step, row in enumerate(inputs, start=1)]


# ---- words as vectors ------------------------------------------------------------------------

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


# ---- Jordan networks against Elman networks -------------------------------------------------------
# Lesson 11, Jordan networks (Jordan, 1986) against Elman networks, trained in Keras.
#
# An Elman network feeds its hidden layer back; a Jordan network feeds back its *output*. The
# output has a training target, so the memory means something readable, and training can feed
# the *true* previous output instead of the predicted one ("teacher forcing"): every step then
# becomes an ordinary feed-forward example and no gradient has to flow back through time. The
# price: the network can remember only what its outputs say. Two tasks on random bits show both:
#
# - running parity (is the number of 1s so far odd?): the answer so far is all the memory needed;
# - echo (repeat the bit from two steps ago): the output never holds the bit that will be needed.

TASKS = {  # N_: shown on the page
    N_("running parity"): N_("output 1 when the number of 1s read so far is odd"),
    N_("echo"): N_("output the bit read two steps earlier (0 for the first two steps)"),
}
KINDS = ("Elman", "Jordan", N_("Jordan, teacher forcing"))


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


# ---- slot filling ---------------------------------------------------------------------------------
# Lesson 11: slot filling as a tiny sequence-tagging task. "arrive Taipei on November 2nd" and
# "leave Taipei on November 2nd" tag Taipei differently (destination vs departure), so a tagger that
# sees one word at a time cannot get both right; a recurrent tagger remembers the verb.

TAGS = [N_("other"), N_("dest"), N_("departure"), N_("time")]  # N_: shown on the page
VERBS = {"arrive": "dest", "reach": "dest", "leave": "departure", "depart": "departure"}
CITIES = ["Taipei", "Beijing", "Tokyo", "Paris", "London", "Seoul", "Berlin", "Boston"]
HELD_OUT_CITY = "Madrid"  # never in training: it reaches the taggers as the "other" word
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["1st", "2nd", "3rd", "4th", "5th", "10th", "21st", "30th"]
LINKS = ["on", "by"]
TEST_SENTENCES = 100


def make_sentences(count: int, seed: int = 0, cities: list[str] | None = None,
                   twins: bool = False) -> tuple[list[list[str]], list[list[str]]]:
    """`count` sentences "<verb> <city> <on|by> <month> <day>" with their slot tags, alternately
    arriving at a destination and leaving a place of departure. With `twins`, every departure
    sentence repeats the arrival before it with the verb changed: a tagger that ignores the verb
    is then right on exactly one sentence of each pair."""
    rng = np.random.default_rng(seed)
    cities = cities or CITIES
    arrive = [verb for verb, tag in VERBS.items() if tag == "dest"]
    leave = [verb for verb, tag in VERBS.items() if tag == "departure"]
    sentences, tags = [], []
    for index in range(count):
        verb = str(rng.choice(arrive if index % 2 == 0 else leave))
        if twins and index % 2 == 1:
            sentence = [verb, *sentences[-1][1:]]
        else:
            sentence = [verb, str(rng.choice(cities)), str(rng.choice(LINKS)), str(rng.choice(MONTHS)),
                        str(rng.choice(DAYS))]
        sentences.append(sentence)
        tags.append(["other", VERBS[verb], "other", "time", "time"])
    return sentences, tags


def vocabulary(sentences: list[list[str]]) -> list[str]:
    return sorted({word.lower() for sentence in sentences for word in sentence})


def encode(sentences: list[list[str]], words: list[str]) -> np.ndarray:
    """1-of-N with an "other" dimension: (sentences, words per sentence, vocabulary + 1)."""
    lengths = {len(sentence) for sentence in sentences}
    if len(lengths) != 1:
        raise ValueError(f"the taggers need sentences of equal length, got lengths {sorted(lengths)}")
    return np.array([[one_of_n(word, words) for word in sentence] for sentence in sentences], np.float32)


def encode_tags(tags: list[list[str]]) -> np.ndarray:
    return np.array([[TAGS.index(tag) for tag in row] for row in tags], np.int32)  # (sentences, words)


def split_sentence(text: str) -> list[str]:
    words = text.split()
    if len(words) != 5:
        raise ValueError(N_("write five words, like: arrive Taipei on November 2nd"))  # N_: the page shows it
    return words


def build_tagger(kind: str, vocabulary_size: int, units: int = 16, seed: int | None = 0):
    """"feedforward": the same Dense layers applied to each word on its own.
    "rnn": a SimpleRNN reads the words in order and tags each one from its memory.
    `seed=None` leaves the process's random state alone (for a model whose weights are loaded next)."""
    import keras

    if seed is not None:
        keras.utils.set_random_seed(seed)
    words = keras.Input(shape=(None, vocabulary_size), name="words")  # (batch, time, vocabulary)
    if kind == "feedforward":
        hidden = keras.layers.Dense(units, activation="tanh", name="hidden")(words)
    elif kind == "rnn":
        hidden = keras.layers.SimpleRNN(units, return_sequences=True, name="memory")(words)
    else:
        raise ValueError(f"unknown tagger {kind!r}: use 'feedforward' or 'rnn'")
    slots = keras.layers.Dense(len(TAGS), activation="softmax", name="slot")(hidden)  # (batch, time, tags)
    model = keras.Model(words, slots, name=f"{kind}_tagger")
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@dataclass
class TaggerResult:
    kind: str
    model: Any
    city_accuracy: float  # on held-out sentences, the only word whose tag needs context
    word_accuracy: float


def train_taggers(sentences: int = 200, epochs: int = 8, seed: int = 0) -> dict[str, Any]:
    """Train both taggers on the same sentences; score them on fresh test sentences in arrive/leave
    pairs, including a city neither has seen. 8 epochs of 4 batches: a few seconds, most of it TensorFlow tracing."""
    train_words, train_tags = make_sentences(sentences, seed)
    test_words, test_tags = make_sentences(TEST_SENTENCES, seed + 1, cities=CITIES + [HELD_OUT_CITY], twins=True)
    words = vocabulary(train_words)
    x_train, y_train = encode(train_words, words), encode_tags(train_tags)
    x_test, y_test = encode(test_words, words), encode_tags(test_tags)
    results = {}
    for kind in ("feedforward", "rnn"):
        model = build_tagger(kind, len(words) + 1, seed=seed)
        model.fit(x_train, y_train, epochs=epochs, batch_size=50, verbose=0)
        predicted = model.predict(x_test, verbose=0).argmax(axis=-1)  # (sentences, words)
        results[kind] = TaggerResult(kind, model, float(np.mean(predicted[:, 1] == y_test[:, 1])),
                                     float(np.mean(predicted == y_test)))
    return {"vocabulary": words, "taggers": results}


@dataclass(frozen=True)
class TaggerWeights:
    """A trained tagger as plain data (its Keras weights), to cross a process boundary."""

    kind: str
    weights: list[np.ndarray]
    city_accuracy: float
    word_accuracy: float


def train_tagger_weights(sentences: int = 200, epochs: int = 8, seed: int = 0) -> dict[str, Any]:
    """`train_taggers` for the lesson page, which runs it in a worker process: the taggers come back
    as weights, and `rebuild_tagger` turns them into models again for tagging the learner's sentence."""
    trained = train_taggers(sentences, epochs, seed)
    return {"vocabulary": trained["vocabulary"],
            "taggers": {kind: TaggerWeights(kind, result.model.get_weights(), result.city_accuracy,
                                            result.word_accuracy)
                        for kind, result in trained["taggers"].items()}}


def rebuild_tagger(tagger: TaggerWeights, words: list[str]):
    """The Keras model of `tagger` built from code, with its trained weights loaded (inference only)."""
    model = build_tagger(tagger.kind, len(words) + 1, seed=None)  # + 1: the "other" dimension
    model.set_weights(tagger.weights)
    return model


def tag_sentence(model, words: list[str], sentence: list[str]) -> list[dict[str, Any]]:
    """Each word, whether the tagger knows it, its predicted slot and the slot probabilities."""
    probabilities = model.predict(encode([sentence], words), verbose=0)[0]  # (words, tags)
    return [{"word": word, "known": word.lower() in words,
             "slot": TAGS[int(row.argmax())],
             **{f"p({tag})": float(value) for tag, value in zip(TAGS, row, strict=True)}}
            for word, row in zip(sentence, probabilities, strict=True)]


# ---- check yourself, and the course notes checked ------------------------------------------------


QUESTIONS = [
    Question("In the notes' all-ones linear RNN, inputs [1,1], [1,1], [2,2] give [4,4], [12,12], "
             "[32,32]. What happens if the same three inputs arrive as [2,2], [1,1], [1,1]?",
             ("The same outputs in reverse order", "The same set of outputs", "Different outputs"), 2,
             "The memory carries earlier inputs forward, so order matters: the table above gives "
             f"{as_text(elman(NOTES_INPUTS[::-1], all_ones()).outputs)}."),
    Question("What does an Elman network store in its memory?",
             ("The network's output", "The hidden layer's values", "The previous input"), 1,
             "Storing the output is the Jordan network."),
    Question("A feed-forward tagger reads one word at a time. Can it tag 'Taipei' as destination in "
             "'arrive Taipei …' and as departure in 'leave Taipei …'?",
             ("Yes, with enough training", "No: it sees the same input in both sentences"), 1,
             "Same input, same output: at best it is right on one of the two sentences. The trained "
             "demo above shows it."),
    Question("Why add an \"other\" dimension to a 1-of-N encoding?",
             ("To encode words that are not in the vocabulary", "To mark the end of a sentence",
              "To make the vectors normalised"), 0,
             "Without it an unknown word has no vector. Word hashing is the alternative that gives "
             "unknown words distinct vectors."),
    Question("When is a bidirectional RNN not an option?",
             ("Tagging words in a written sentence", "Forecasting the next value of a live stream",
              "Classifying a whole review"), 1,
             "Its backward half needs the inputs that come later, which a live forecast does not have."),
    # jordan
    Question("What lets a Jordan network be trained without backpropagation through time?",
             ("Its memory is the output, which has a target: training can feed the true previous output "
              "(teacher forcing), making every step an ordinary feed-forward example",
              "It has no recurrent weights", "It uses ReLU activations"), 0,
             "An Elman network's hidden state has no target, so its gradient must flow back through the steps."),
    Question("A Jordan network trained with teacher forcing (its memory is the true previous output): which "
             "task can it not learn, however long it trains?",
             ("Output the parity of all bits so far", "Output the bit read two steps earlier",
              "Output the current bit"), 1,
             "Parity so far is the previous target combined with the current bit, so that memory is all it "
             "needs. For the echo the previous target is the bit from three steps ago, which says nothing about "
             "the bit from two steps ago. Trained through time instead, its outputs can carry a little of that "
             "bit in how sure they are, as the demo may show."),
]

CORRECTIONS = [
    Correction("Note 004", "The biggest difference from a classic network is that the previous "
               "*output* is carried into the next step's hidden layer.",
               "In the usual (Elman) RNN it is the previous *hidden state* that is carried over; "
               "feeding back the output is the Jordan network, as note 000 says."),
    Correction("Note 004", "In 1-of-N encoding the vector has the size of the vocabulary.",
               'With the "other" dimension for unknown words (on the same slide) it has one more.',
               kind=NOTE_PARTLY),
    Correction("Note 004", "The RNN absorbed the hidden Markov model's idea of a limited sequence "
               "dependence (其吸收了HMM模型的有限序列关联的思想).",
               "What the two share is a hidden state updated step by step, through which the past reaches "
               "the present. But RNNs did not grow out of HMMs (Jordan's 1986 and Elman's 1990 networks "
               "came from connectionist models of sequences), and the dependence is not limited: an "
               "HMM's state is one of a fixed set of discrete symbols, drawn at random by transition "
               "probabilities, so it can carry only that much of the past; an RNN's state is a vector of "
               "real numbers computed from every earlier input. In practice vanishing gradients, not the "
               "model, limit how far back a plain RNN learns (lesson 13)."),
]
