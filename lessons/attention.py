"""Attention (note 000: reading comprehension, visual question answering): a model that learns
which words of a review to weigh. The task page's attention model (`models.imdb.build_attention`)
is trained here with its quick recipe; a learner's own sentence is then read in NumPy from the
trained weights, so every number on the page is a hand computation that the tests check against
the Keras model.

For words with vectors e_t the model computes
    score_t = q · tanh(e_t W + b)          how much word t asks to be read
    a_t     = softmax(score)_t             the attention weights, summing to 1
    P(positive) = sigmoid(sum_t a_t (e_t · u) + c)
so each word's share of the verdict is a_t (e_t · u): its weight times its own polarity.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import Correction, Question

# TextVectorization's default standardisation ("lower_and_strip_punctuation"): lower case, then
# delete these characters (Keras' DEFAULT_STRIP_REGEX), then split on whitespace.
STRIP_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
NO_WORDS = N_("the text has no words to read (punctuation alone is stripped)")  # N_: the page shows it
UNKNOWN_ID = 1  # TextVectorization: 0 is padding, 1 is "[UNK]"
MAX_WORDS_SHOWN = 60


def tokenize(text: str) -> list[str]:
    return STRIP_PUNCTUATION.sub("", text.lower()).split()


@dataclass(frozen=True)
class AttentionWeights:
    """The trained model's arrays and its vocabulary (index = token id)."""

    vocabulary: list[str]
    embeddings: np.ndarray  # (vocabulary, dims)
    kernel: np.ndarray  # (dims, units)
    bias: np.ndarray  # (units,)
    query: np.ndarray  # (units,)
    output_kernel: np.ndarray  # (dims,)
    output_bias: float
    sequence_length: int

    @classmethod
    def from_model(cls, model, vocabulary: list[str]) -> AttentionWeights:
        """From a model built by `models.imdb.build_attention` (token ids in)."""
        attention = model.get_layer("attention")
        kernel, bias, query = (np.asarray(array) for array in attention.get_weights())
        output_kernel, output_bias = model.get_layer("positive").get_weights()
        embeddings = np.asarray(model.get_layer("embedding").get_weights()[0])
        return cls([str(word) for word in vocabulary], embeddings, kernel, bias, query, np.asarray(output_kernel)[:, 0],
                   float(output_bias[0]), int(model.inputs[0].shape[1]))

    def token_ids(self, words: list[str]) -> np.ndarray:
        index = {word: position for position, word in enumerate(self.vocabulary)}
        return np.array([index.get(word, UNKNOWN_ID) for word in words], dtype=np.int64)

    def word_scores(self, ids: np.ndarray) -> np.ndarray:
        """score_t for each token id: a word's score does not depend on its neighbours."""
        return np.tanh(self.embeddings[ids] @ self.kernel + self.bias) @ self.query

    def polarity(self, ids: np.ndarray) -> np.ndarray:
        """e_t · u: what the word would add to the verdict's logit if it had all the weight."""
        return self.embeddings[ids] @ self.output_kernel


@dataclass(frozen=True)
class Reading:
    words: list[str]
    known: list[bool]  # False for words outside the vocabulary (they are all "[UNK]")
    weights: np.ndarray  # attention weight of each word, summing to 1
    polarity: np.ndarray
    contributions: np.ndarray  # weight * polarity: each word's share of the logit
    probability: float  # P(positive)


def read(weights: AttentionWeights, text: str) -> Reading:
    """How the model reads `text`: the model keeps its last `sequence_length` words, as the task's
    KeepLast layer does."""
    words = tokenize(text)[-weights.sequence_length:]
    if not words:
        raise ValueError(NO_WORDS)
    ids = weights.token_ids(words)
    scores = weights.word_scores(ids)
    attention = np.exp(scores - scores.max())
    attention /= attention.sum()
    polarity = weights.polarity(ids)
    contributions = attention * polarity
    logit = float(contributions.sum() + weights.output_bias)
    return Reading(words, [int(token) != UNKNOWN_ID for token in ids], attention, polarity, contributions,
                   float(1.0 / (1.0 + np.exp(-logit))))


def most_weighed_words(weights: AttentionWeights, count: int = 15, skip: int = 2) -> list[tuple[str, float, float]]:
    """The vocabulary words with the highest scores (the words that take the weight when they
    appear), with their polarity; padding and "[UNK]" (the first `skip` ids) are left out."""
    ids = np.arange(skip, len(weights.vocabulary))
    scores = weights.word_scores(ids)
    order = np.argsort(scores)[::-1][:count]
    polarity = weights.polarity(ids[order])
    return [(weights.vocabulary[ids[index]], float(scores[index]), float(value))
            for index, value in zip(order, polarity)]


@dataclass(frozen=True)
class TrainedAttention:
    weights: AttentionWeights
    test_accuracy: float
    test_reviews: int
    train_reviews: int
    epochs: int
    seconds: float


def train_attention(test_reviews: int = 5000, seed: int = 0) -> TrainedAttention:
    """Train the task page's attention model with its quick recipe (loads IMDB itself) and score
    it on `test_reviews` test reviews drawn at random (the test split is sorted by label)."""
    import keras

    from data.imdb import load_imdb
    from models.imdb import vectorize
    from models.registry import architecture, build, imdb_settings

    start = time.perf_counter()
    info = architecture("imdb", "attention")
    recipe = info.quick_recipe
    settings, _ = imdb_settings(info, {})
    data = load_imdb()
    chosen = np.random.default_rng(seed).choice(len(data.y_test), size=min(test_reviews, len(data.y_test)),
                                                replace=False)
    train_texts, train_labels = data.x_train[:recipe.limit], data.y_train[:recipe.limit]
    vectorizer, (train_ids, test_ids) = vectorize(train_texts, [[data.x_test[index] for index in chosen]],
                                                  settings["max_tokens"], settings["sequence_length"],
                                                  settings["ngrams"])
    vocabulary = vectorizer.get_vocabulary()
    keras.utils.set_random_seed(seed)
    model = build(info, vocabulary_size=len(vocabulary), sequence_length=settings["sequence_length"])
    model.compile(optimizer=keras.optimizers.Adam(recipe.learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(train_ids, train_labels, batch_size=recipe.batch_size, epochs=recipe.epochs, verbose=0)
    _, accuracy = model.evaluate(test_ids, data.y_test[chosen], batch_size=1024, verbose=0)
    weights = AttentionWeights.from_model(model, vocabulary)
    keras.utils.clear_session()
    return TrainedAttention(weights, float(accuracy), len(chosen), len(train_texts), recipe.epochs,
                            time.perf_counter() - start)


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("The attention weights of one review…",
             ("sum to 1 over its words", "are all equal", "are the same for every review",
              "are learned separately for each review"), 0,
             "They are a softmax over the review's words. A word's score is learned once; its weight depends on "
             "which other words compete with it in this review."),
    Question("A word has a large attention weight. Does that mean it made the review positive?",
             ("Yes, always", "No: the weight says how much the word counts, its own polarity says which way",
              "Only if it is an adjective"), 1,
             "Each word contributes weight × polarity to the verdict's logit: a heavily weighted 'awful' pushes "
             "towards negative."),
]

CORRECTIONS: list[Correction] = []  # the notes say nothing about attention
