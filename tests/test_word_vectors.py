"""Word vectors from co-occurrences (models/word_vectors.py), checked against a loop and NumPy's SVD,
and the recurrent IMDB models that start from them."""

import numpy as np
import pytest

from models.imdb import WORD_VECTOR_SCALE, build_lstm, starting_embeddings
from models.registry import ARCHITECTURES
from models.word_vectors import cooccurrence_counts, cooccurrence_vectors, positive_pmi


def random_reviews(seed=0, vocabulary=300, reviews=50, length=40):
    ids = np.random.default_rng(seed).integers(0, vocabulary, (reviews, length))
    ids[:, :5] = 0  # left padding, as KeepLast leaves it
    return ids


def counted_by_hand(ids, vocabulary, contexts, window):
    counts = np.zeros((vocabulary, contexts))
    for row in ids:
        for i, word in enumerate(row):
            for j in range(max(0, i - window), min(len(row), i + window + 1)):
                if j != i and word > 1 and 1 < row[j] < contexts:
                    counts[word, row[j]] += 1
    return counts


def test_counts_are_the_pairs_within_the_window_without_padding_or_unknown():
    ids = random_reviews()
    np.testing.assert_array_equal(cooccurrence_counts(ids, 300, contexts=100, window=3),
                                  counted_by_hand(ids, 300, 100, 3))


def test_vectors_are_the_truncated_svd_of_the_ppmi_matrix():
    ids = random_reviews(seed=1)
    counts = counted_by_hand(ids, 300, 100, 3)
    smoothed = counts.sum(0) ** 0.75
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts) - np.log(counts.sum(1))[:, None] - np.log(smoothed / smoothed.sum())[None, :]
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    np.testing.assert_allclose(positive_pmi(counts.astype(np.float32)), ppmi, atol=1e-5)
    left, singular, _ = np.linalg.svd(ppmi, full_matrices=False)
    expected = left[:, :20] * np.sqrt(singular[:20])
    vectors = cooccurrence_vectors(ids, 300, dimensions=20, contexts=100, window=3)
    # each column is defined up to its sign
    np.testing.assert_allclose(np.abs(vectors), np.abs(expected), atol=1e-4)
    assert vectors.dtype == np.float32 and vectors.shape == (300, 20)


def test_words_used_alike_get_alike_vectors():
    # ids: 2 "the", 3 "film", 4 "was", 5 "great", 6 "superb", 7 "dull", 8 "plot", 9 "slow"
    rng = np.random.default_rng(0)
    reviews = []
    for _ in range(400):
        praise, complaint = rng.choice([5, 6]), rng.choice([3, 8])
        reviews.append([2, 3, 4, praise, 2, 8, 4, 7, 2, complaint, 4, 9])
    vectors = cooccurrence_vectors(np.array(reviews), 10, dimensions=4, contexts=10, window=2)

    def cosine(a, b):
        return float(vectors[a] @ vectors[b] / np.linalg.norm(vectors[a]) / np.linalg.norm(vectors[b]))

    assert cosine(5, 6) > 0.99  # "great" and "superb" fill the same slot
    assert cosine(5, 6) > cosine(5, 7) + 0.05  # "dull" shares "was" and "the", not its slot
    np.testing.assert_array_equal(vectors[:2], 0)  # padding and unknown have no contexts


def test_bad_token_ids_are_refused_clearly():
    with pytest.raises(ValueError, match=r"token ids must lie in \[0, 10\)"):
        cooccurrence_counts(np.array([[0, 3, 12]]), 10)
    with pytest.raises(ValueError, match="reviews, length"):
        cooccurrence_counts(np.array([1, 2, 3]), 10)


def test_the_recurrent_models_embedding_starts_from_the_vectors():
    vectors = cooccurrence_vectors(random_reviews(seed=2), 300, dimensions=16, contexts=100)
    model = build_lstm(300, 40, embedding_dim=8, units=4, word_vectors=vectors)
    start = model.get_layer("embedding").get_weights()[0]
    np.testing.assert_allclose(start, vectors[:, :8] * (WORD_VECTOR_SCALE / vectors[:, :8].std()), rtol=1e-5)
    assert abs(start.std() - WORD_VECTOR_SCALE) < 1e-4
    assert len(str(model.get_config())) < 20_000  # the table is assigned, not stored in the config
    # more embedding columns than vectors: the rest start at 0
    assert np.all(starting_embeddings(vectors, 300, 20)[:, 16:] == 0)
    with pytest.raises(ValueError, match="one row per token"):
        build_lstm(200, 40, embedding_dim=8, units=4, word_vectors=vectors)


def test_the_recurrent_imdb_models_and_only_they_take_word_vectors():
    takers = {name for name, info in ARCHITECTURES["imdb"].items() if info.needs_word_vectors}
    assert takers == {"lstm", "gru", "bilstm"}


def test_the_fit_data_of_a_recurrent_run_carries_vectors_from_its_training_reviews():
    from training.datasets import Prepared
    from training.tasks import _imdb

    texts = [f"the film was {word} and the plot was {other}" for word, other in
             [("great", "fun"), ("superb", "fun"), ("dull", "slow"), ("awful", "slow")] * 5]
    labels = np.array([1, 1, 0, 0] * 5, dtype=np.uint8)
    data = Prepared("imdb", texts, labels, texts[:4], labels[:4], texts[:4], labels[:4])
    recurrent = _imdb(ARCHITECTURES["imdb"]["lstm"], data, {"sequence_length": 12})
    vectors = recurrent.builder_arguments["word_vectors"]
    assert vectors.shape[0] == recurrent.builder_arguments["vocabulary_size"]
    np.testing.assert_array_equal(vectors, cooccurrence_vectors(recurrent.x_train, vectors.shape[0]))
    bag = _imdb(ARCHITECTURES["imdb"]["bag_of_embeddings"], data, {"sequence_length": 12})
    assert "word_vectors" not in bag.builder_arguments
