"""Prediction-based word embeddings: a skip-gram network (Mikolov et al., 2013) in Keras that
predicts the words around a centre word; the centre word's learned vector is its embedding."""

from __future__ import annotations

import time

import numpy as np

from lessons.embeddings import Embeddings


def skipgram_pairs(sequences: list[np.ndarray], window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (centre, context) pair with the context within `window` words, both directions."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    centres, contexts = [], []
    for sequence in sequences:
        for offset in range(1, window + 1):
            centres += [sequence[:-offset], sequence[offset:]]
            contexts += [sequence[offset:], sequence[:-offset]]
    if not centres:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(centres).astype(np.int32), np.concatenate(contexts).astype(np.int32)


def subsampled_counts(counts: np.ndarray, threshold: float | None) -> np.ndarray:
    """Expected co-occurrence counts after word2vec's subsampling of frequent words.

    Each occurrence of a word with frequency f is kept with probability min(1, sqrt(t / f)),
    so a pair survives with the product of its two words' probabilities. Frequent words like
    "the" then stop dominating the training pairs.
    """
    if threshold is None:
        return counts
    if threshold <= 0:
        raise ValueError(f"the subsampling threshold must be positive, got {threshold}")
    frequency = counts.sum(axis=1) / max(counts.sum(), 1e-12)
    keep = np.minimum(1.0, np.sqrt(threshold / np.maximum(frequency, 1e-12)))
    return counts * keep[:, None] * keep[None, :]


def grouped_skipgram_targets(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Targets and weights that make one sample per centre word equal to all its pairs.

    The skip-gram loss averaged over pairs, sum_(w,c) X[w,c] * -log p(c | w) / sum X, equals the
    loss over centre words w with the soft target X[w] / n_w, weighted by n_w / mean(n): Keras
    averages `weight * crossentropy` over the batch, which gives back the pair average.
    """
    totals = counts.sum(axis=1)
    targets = counts / np.where(totals > 0, totals, 1.0)[:, None]
    weights = totals / totals.mean()
    return targets.astype(np.float32), weights.astype(np.float32)


def train_skipgram(counts: np.ndarray, vocabulary: list[str], dimensions: int = 50, epochs: int = 20,
                   learning_rate: float = 0.03, batch_size: int = 300, subsample: float | None = 1e-3,
                   seed: int = 0) -> Embeddings:
    """Skip-gram: a network that predicts the words around a centre word (softmax over the
    vocabulary); the centre word's learned input vector is its embedding.

    word2vec streams the (centre, context) pairs one by one; this trains on the same pairs
    grouped by centre word (`grouped_skipgram_targets`), which is the same loss but needs one
    row per word instead of millions of pairs, so it trains in seconds on two cores.
    """
    import keras

    if counts.shape != (len(vocabulary), len(vocabulary)):
        raise ValueError(f"counts must be {len(vocabulary)}x{len(vocabulary)}, got {counts.shape}")
    if counts.sum() <= 0:
        raise ValueError("there are no word pairs to learn from: use more text or a larger window")
    start = time.perf_counter()
    keras.utils.set_random_seed(seed)
    targets, weights = grouped_skipgram_targets(subsampled_counts(counts, subsample))
    centre = keras.Input(shape=(), dtype="int32", name="centre_word")
    vector = keras.layers.Embedding(len(vocabulary), dimensions, name="word_vectors")(centre)
    context = keras.layers.Dense(len(vocabulary), activation="softmax", name="context_word")(vector)
    model = keras.Model(centre, context)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy",
                  steps_per_execution=4)
    history = model.fit(np.arange(len(vocabulary), dtype=np.int32), targets, sample_weight=weights,
                        batch_size=batch_size, epochs=epochs, verbose=0)
    vectors = model.get_layer("word_vectors").get_weights()[0]
    keras.utils.clear_session()
    return Embeddings(vocabulary, np.asarray(vectors, np.float32), time.perf_counter() - start,
                      tuple(float(loss) for loss in history.history["loss"]))


def skipgram_on_imdb(reviews: int, vocabulary_size: int, window: int, dimensions: int = 50) -> Embeddings:
    """`train_skipgram` on the first `reviews` IMDB training reviews, counted here from the dataset.

    The lesson page runs this in a worker process: only these few numbers go in, and the vectors
    come back, instead of a vocabulary-squared count matrix crossing the process boundary.
    """
    from data.imdb import load_imdb
    from lessons.embeddings import prepare_corpus

    corpus = prepare_corpus(load_imdb().x_train[:reviews], vocabulary_size, window)
    return train_skipgram(corpus.counts, corpus.vocabulary, dimensions=dimensions)
