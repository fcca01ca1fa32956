"""Lesson 14. Word embeddings: lessons/embeddings.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/embeddings.py run in AppTest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import embeddings as emb
from lessons.projection import pca_2d
from tests.pages import TRAIN_TIMEOUT, assert_lesson_parts, charts_plotting, open_page, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


# A corpus where "cat" and "dog" are interchangeable and "car" and "bus" are: each pair shares
# its contexts, so both methods must put the two words of a pair next to each other.
ANIMAL = ["the {} eats food", "a {} sleeps at home", "my {} plays with the ball", "the {} chases a ball"]


VEHICLE = ["the {} drives on the road", "a {} needs fuel today", "my {} parks on the road"]


def synthetic_texts(repeats: int = 6) -> list[str]:
    texts = []
    for _ in range(repeats):
        for template in ANIMAL:
            texts += [template.format("cat"), template.format("dog")]
        for template in VEHICLE:
            texts += [template.format("car"), template.format("bus")]
    return texts


def naive_cooccurrence(sequences, size, window):
    counts = np.zeros((size, size))
    for sequence in sequences:
        for i, word in enumerate(sequence):
            for j in range(max(0, i - window), min(len(sequence), i + window + 1)):
                if j != i:
                    counts[word, sequence[j]] += 1
    return counts


def test_tokenize_vocabulary_and_encoding():
    assert emb.tokenize("Don't STOP, it's <br/> 42 good!") == ["don't", "stop", "it's", "br", "good"]
    tokens = [["b", "a", "c", "a"], ["b", "d"]]
    assert emb.build_vocabulary(tokens, 3) == ["a", "b", "c"]  # a, b twice; c and d tie: alphabetical
    encoded = emb.encode(tokens, ["a", "b", "c"])
    assert [list(sequence) for sequence in encoded] == [[1, 0, 2, 0], [1]]
    with pytest.raises(ValueError, match="at least one word"):
        emb.build_vocabulary(tokens, 0)


@pytest.mark.parametrize("window", [1, 2, 3])
def test_cooccurrence_counts_match_a_naive_loop(window):
    rng = np.random.default_rng(window)
    sequences = [rng.integers(0, 7, size=length) for length in (1, 5, 12, 0, 9)]
    counts = emb.cooccurrence_counts(sequences, 7, window)
    np.testing.assert_array_equal(counts, naive_cooccurrence(sequences, 7, window))
    np.testing.assert_array_equal(counts, counts.T)
    with pytest.raises(ValueError, match="window"):
        emb.cooccurrence_counts(sequences, 7, 0)


def test_ppmi_matches_the_formula_cell_by_cell():
    counts = np.array([[0, 4, 1], [4, 2, 0], [1, 0, 6]], dtype=float)
    result = emb.ppmi(counts)
    total = counts.sum()
    for i in range(3):
        for j in range(3):
            if counts[i, j] == 0:
                expected = 0.0
            else:
                expected = max(0.0, math.log(counts[i, j] * total / (counts[i].sum() * counts[:, j].sum())))
            assert result[i, j] == pytest.approx(expected)
    with pytest.raises(ValueError, match="empty"):
        emb.ppmi(np.zeros((3, 3)))


@pytest.mark.parametrize("size, dimensions", [(60, 5), (12, 4)])  # randomized and exact paths
def test_truncated_svd_gives_the_top_singular_subspace(size, dimensions):
    rng = np.random.default_rng(0)
    low_rank = rng.normal(size=(size, dimensions)) @ np.diag(np.arange(dimensions, 0, -1) * 10.0)
    matrix = low_rank @ rng.normal(size=(dimensions, size)) + 0.01 * rng.normal(size=(size, size))
    vectors = emb.truncated_svd(matrix, dimensions)
    left, singular, _ = np.linalg.svd(matrix)
    exact = left[:, :dimensions] * singular[:dimensions] @ left[:, :dimensions].T
    # U S U^T does not depend on the sign of each singular vector.
    np.testing.assert_allclose(vectors @ vectors.T, exact, atol=1e-6 * np.abs(exact).max())
    with pytest.raises(ValueError, match="dimensions"):
        emb.truncated_svd(matrix, size + 1)


def test_nearest_neighbours_match_brute_force_cosine():
    vectors = np.random.default_rng(1).normal(size=(20, 6))
    found = emb.nearest_neighbours(vectors, 3, count=5)
    cosine = [float(vectors[3] @ row / np.linalg.norm(vectors[3]) / np.linalg.norm(row)) for row in vectors]
    expected = sorted((index for index in range(20) if index != 3), key=lambda index: -cosine[index])[:5]
    assert [index for index, _ in found] == expected
    assert [similarity for _, similarity in found] == pytest.approx([cosine[index] for index in expected])
    with pytest.raises(ValueError, match="outside"):
        emb.nearest_neighbours(vectors, 20)


def test_inner_product_correlations_match_numpy():
    rng = np.random.default_rng(2)
    counts = rng.integers(0, 5, size=(8, 8)).astype(float)
    counts = counts + counts.T
    vectors = rng.normal(size=(8, 3))
    pairs = [(i, j) for i in range(8) for j in range(i + 1, 8) if counts[i, j] > 0]
    dots = [vectors[i] @ vectors[j] for i, j in pairs]
    raw = [counts[i, j] for i, j in pairs]
    pmi = [math.log(counts[i, j] * counts.sum() / (counts[i].sum() * counts[j].sum())) for i, j in pairs]
    result = emb.inner_product_correlations(vectors, counts)
    assert result["raw count"] == pytest.approx(np.corrcoef(dots, raw)[0, 1])
    assert result["log count"] == pytest.approx(np.corrcoef(dots, np.log(raw))[0, 1])
    assert result["PMI"] == pytest.approx(np.corrcoef(dots, pmi)[0, 1])


def test_count_based_embeddings_pair_words_that_share_contexts():
    corpus = emb.prepare_corpus(synthetic_texts(), vocabulary_size=100, window=2)
    assert corpus.tokens == sum(len(emb.tokenize(text)) for text in synthetic_texts())
    vectors = emb.count_based_embeddings(corpus.counts, corpus.vocabulary, dimensions=6)
    for word, partner in (("cat", "dog"), ("car", "bus")):
        nearest, _ = emb.nearest_neighbours(vectors.vectors, vectors.index(word), 1)[0]
        assert corpus.vocabulary[nearest] == partner
    with pytest.raises(ValueError, match="not in"):
        vectors.index("zebra")
    assert "the" not in emb.query_words(corpus.vocabulary) and "cat" in emb.query_words(corpus.vocabulary)


def test_skipgram_pairs_are_the_cooccurrence_counts():
    rng = np.random.default_rng(3)
    sequences = [rng.integers(0, 6, size=length) for length in (4, 9, 1)]
    centres, contexts = emb.skipgram_pairs(sequences, 2)
    pairs = np.zeros((6, 6))
    np.add.at(pairs, (centres, contexts), 1)
    np.testing.assert_array_equal(pairs, emb.cooccurrence_counts(sequences, 6, 2))


def test_grouped_targets_give_the_pair_averaged_skipgram_loss_in_keras():
    """The claim the demo rests on: one weighted soft-target row per centre word has the same
    Keras loss as the average of -log p(context | centre) over every pair."""
    import keras

    rng = np.random.default_rng(4)
    sequences = [rng.integers(0, 5, size=10) for _ in range(4)]
    centres, contexts = emb.skipgram_pairs(sequences, 2)
    logits = rng.normal(size=(5, 5))
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    pair_average = -log_softmax[centres, contexts].mean()
    targets, weights = emb.grouped_skipgram_targets(emb.cooccurrence_counts(sequences, 5, 2))
    probabilities = np.exp(log_softmax).astype(np.float32)
    keras_loss = keras.losses.CategoricalCrossentropy()(targets, probabilities, sample_weight=weights)
    assert float(keras_loss) == pytest.approx(pair_average, rel=1e-5)


def test_subsampling_keeps_rare_pairs_and_shrinks_frequent_ones():
    counts = np.array([[0, 90, 5], [90, 0, 1], [5, 1, 0]], dtype=float)
    assert emb.subsampled_counts(counts, None) is counts
    result = emb.subsampled_counts(counts, 0.2)
    frequency = counts.sum(axis=1) / counts.sum()
    keep = np.minimum(1.0, np.sqrt(0.2 / frequency))
    np.testing.assert_allclose(result, counts * np.outer(keep, keep))
    assert result[2, 1] == counts[2, 1] * keep[1] and keep[2] == 1.0
    with pytest.raises(ValueError, match="positive"):
        emb.subsampled_counts(counts, 0.0)


def test_skipgram_training_lowers_the_loss_and_pairs_interchangeable_words():
    corpus = emb.prepare_corpus(synthetic_texts(), vocabulary_size=100, window=2)
    vectors = emb.train_skipgram(corpus.counts, corpus.vocabulary, dimensions=8, epochs=40,
                                      learning_rate=0.05, batch_size=8, subsample=None)
    assert vectors.vectors.shape == (len(corpus.vocabulary), 8)
    assert vectors.losses[-1] < vectors.losses[0] - 0.5
    for word, partner in (("cat", "dog"), ("car", "bus")):
        nearest, _ = emb.nearest_neighbours(vectors.vectors, vectors.index(word), 1)[0]
        assert corpus.vocabulary[nearest] == partner
    with pytest.raises(ValueError, match="no word pairs"):
        emb.train_skipgram(np.zeros((2, 2)), ["a", "b"])


def test_skipgram_on_imdb_counts_the_same_reviews_as_the_page(tiny_mirror):
    from data.imdb import load_imdb

    corpus = emb.prepare_corpus(load_imdb().x_train[:20], vocabulary_size=30, window=2)
    trained = emb.skipgram_on_imdb(reviews=20, vocabulary_size=30, window=2, dimensions=4)
    assert trained.vocabulary == corpus.vocabulary  # the page indexes the vectors by its own vocabulary
    assert trained.vectors.shape == (len(corpus.vocabulary), 4)


def test_pca_2d_matches_the_covariance_eigenvectors():
    rng = np.random.default_rng(5)
    points = rng.normal(size=(50, 4)) @ np.diag([5.0, 2.0, 0.5, 0.1])
    coordinates, explained = pca_2d(points)
    centred = points - points.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred.T))
    order = np.argsort(eigenvalues)[::-1]
    expected = centred @ eigenvectors[:, order[:2]]
    np.testing.assert_allclose(np.abs(coordinates), np.abs(expected), atol=1e-9)
    np.testing.assert_allclose(explained, eigenvalues[order[:2]] / eigenvalues.sum())
    with pytest.raises(ValueError, match="two points"):
        pca_2d(np.ones((1, 3)))


def test_strongest_lists_the_largest_values_first_ties_in_order():
    assert emb.strongest(np.array([1.0, 5.0, 3.0, 5.0, 0.0]), 3).tolist() == [1, 3, 2]


def test_ppmi_row_is_a_row_of_ppmi():
    counts = np.random.default_rng(8).integers(0, 4, size=(6, 6)).astype(float)
    counts = counts + counts.T
    for index in range(6):
        np.testing.assert_allclose(emb.ppmi_row(counts, index), emb.ppmi(counts)[index])


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_correlation_verdict_names_what_the_inner_product_follows():
    pmi_wins = {"count-based": {"raw count": 0.05, "log count": 0.3, "PMI": 0.6}}
    raw_wins = {"prediction-based": {"raw count": 0.7, "log count": 0.5, "PMI": 0.2}}
    assert "follows the PMI, not how often" in emb.correlation_verdict(pmi_wins)
    assert "raw count best" in emb.correlation_verdict(raw_wins)
    assert "none of the three" in emb.correlation_verdict({"x": {"raw count": 0.0, "log count": 0.05, "PMI": -0.1}})
    both = emb.correlation_verdict(pmi_wins | raw_wins)
    assert "count-based" in both and "prediction-based" in both


# ---- the page --------------------------------------------------------------------------------------


def test_embeddings_page_counts_trains_and_compares(tiny_mirror):
    app = open_page("views/lessons/embeddings.py", timeout=TRAIN_TIMEOUT)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Reviews"] == "64"  # 80 tiny training reviews minus the 16 kept for validation
    assert int(metrics["Vocabulary"]) > 10
    assert charts_plotting(app, "word") and not charts_plotting(app, "epoch")  # the loss appears after training
    assert any("Count-based" in block.value for block in app.markdown)
    assert len(app.dataframe) == 3  # co-occurrence table, count-based neighbours, correlations
    assert_lesson_parts(app, "views/lessons/embeddings.py", emb)

    wait_for_demos(app.button[0].click().run())  # counted and trained again in a worker process
    assert charts_plotting(app, "epoch", "value")
    assert len(app.dataframe) == 4  # a second neighbour table for the trained vectors
    correlations = app.dataframe[-1].value
    assert list(correlations["vectors"]) == ["count-based", "prediction-based"]
    verdict = next(caption.value for caption in app.caption if caption.value.startswith("Pearson"))
    assert "The count-based vectors' inner product follows" in verdict and "prediction-based" in verdict

    app.selectbox[0].select("great").run()
    assert not app.exception
    assert any(header.value == "Nearest neighbours of *great*" for header in app.header)
