"""Lesson 11: slot filling as a tiny sequence-tagging task. "arrive Taipei on November 2nd" and
"leave Taipei on November 2nd" tag Taipei differently (destination vs departure), so a tagger that
sees one word at a time cannot get both right; a recurrent tagger remembers the verb."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lessons.rnn import one_of_n

TAGS = ["other", "dest", "departure", "time"]
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
        raise ValueError("write five words, like: arrive Taipei on November 2nd")
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
