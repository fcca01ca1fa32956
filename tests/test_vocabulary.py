"""models.vocabulary: the counted vocabulary against TextVectorization.adapt and a plain Counter."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from models import imdb
from models.imdb import adapt_vectorizer
from models.vocabulary import counted_vocabulary

REVIEWS = ["Great!! Loved it.", "Bad? Awful, really bad.", "Loved it, really loved it!", "bad bad bad movie",
           "Très bien, naïve movie [UNK]"]


def chunks(size: int = 2):
    return lambda: (np.asarray(REVIEWS[start:start + size], dtype=object) for start in range(0, len(REVIEWS), size))


def token_counts(vectorizer) -> Counter:
    tokens = vectorizer._preprocess(np.asarray(REVIEWS, dtype=object)).flat_values.numpy()
    return Counter(token.decode("utf-8") for token in tokens)


@pytest.mark.parametrize("punctuation", [True, False])
def test_with_min_count_one_it_is_the_vocabulary_adapt_learns(punctuation):
    adapted = adapt_vectorizer(REVIEWS, max_tokens=1000, ngrams=3, punctuation=punctuation)
    counted = counted_vocabulary(adapted, chunks(), min_count=1, max_tokens=None)
    assert sorted(token.decode("utf-8") for token in counted) == sorted(adapted.get_vocabulary()[2:])
    counts = token_counts(adapted)
    assert [counts[token.decode("utf-8")] for token in counted] == sorted(counts.values(), reverse=True)


def test_min_count_keeps_the_tokens_seen_that_often_most_frequent_first_whatever_the_chunks(monkeypatch):
    monkeypatch.setattr(imdb, "CHUNK", 2)  # several chunks: counts add up across them
    vocabulary = adapt_vectorizer(REVIEWS, max_tokens=1000, ngrams=3, punctuation=True, min_count=2).get_vocabulary()
    counts = token_counts(imdb.text_vectorizer(None, 3, punctuation=True))
    assert vocabulary[:2] == ["", "[UNK]"]
    assert sorted(vocabulary[2:]) == sorted(token for token, count in counts.items() if count >= 2)
    assert [counts[token] for token in vocabulary[2:]] == sorted((counts[token] for token in vocabulary[2:]),
                                                                reverse=True)
    assert vocabulary[2] == "bad" and "loved it" in vocabulary and "great" not in vocabulary  # 5, 3 and 1 times
    for size in (1, 5):
        again = counted_vocabulary(imdb.text_vectorizer(None, 3, punctuation=True), chunks(size), 2, None)
        assert [token.decode("utf-8") for token in again] == vocabulary[2:]


def test_max_tokens_keeps_the_most_frequent_and_bad_min_counts_are_refused():
    vocabulary = adapt_vectorizer(REVIEWS, max_tokens=5, ngrams=3, punctuation=True, min_count=2).get_vocabulary()
    assert len(vocabulary) == 5 and vocabulary[2] == "bad"
    assert {"loved", "loved it"} & set(vocabulary[3:])  # seen 3 times each, like "it" and "!"
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="min_count must be a whole number"):
            adapt_vectorizer(REVIEWS, max_tokens=50, ngrams=2, min_count=bad)


def test_a_counted_vocabulary_is_stored_and_restored_with_the_same_ids(tmp_path):
    counted = adapt_vectorizer(REVIEWS, max_tokens=1000, ngrams=3, punctuation=True, min_count=2)
    imdb.write_vocabulary(counted, tmp_path / "vocabulary.txt")
    stored = (tmp_path / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
    restored = imdb.text_vectorizer(None, 3, punctuation=True, vocabulary=stored[2:])
    assert np.array_equal(np.asarray(restored(np.asarray(REVIEWS, dtype=object))),
                          np.asarray(counted(np.asarray(REVIEWS, dtype=object))))
