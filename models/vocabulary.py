"""A vocabulary counted without TextVectorization.adapt: every n-gram seen at least `min_count`
times, most frequent first.

`adapt` keeps a hash table of every distinct token it meets. For words, word pairs and word
triples of 20,000 IMDB reviews that is ~6.5 million strings and 2.2 GB, when NBSVM only wants
the ~2 million seen more than once. Here each token is first counted by its 64-bit hash
(a sorted int64 array and its counts, a chunk of reviews at a time), and only the tokens that clear
`min_count` are kept as strings, in a second pass.
"""

from __future__ import annotations

import numpy as np

HASH_BUCKETS = 2**62  # FarmHash fingerprints: two of 2 million tokens share one with odds ~1e-6


def _hashes(tokens) -> np.ndarray:
    import tensorflow as tf  # TextVectorization runs in TensorFlow whatever the backend

    return tf.strings.to_hash_bucket_fast(tokens, HASH_BUCKETS).numpy()


def check_min_count(min_count) -> None:
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a whole number >= 1, got {min_count!r}")


def counted_vocabulary(vectorizer, chunks, min_count: int, max_tokens: int | None) -> np.ndarray:
    """The tokens `vectorizer` makes of the texts in `chunks` (a function returning an iterable of
    string arrays, called twice) seen at least `min_count` times, most frequent first (ties in
    hash order), at most `max_tokens` of them (counting none of the padding and unknown ids
    TextVectorization adds): an object array of UTF-8 bytes for `set_vocabulary`."""
    check_min_count(min_count)
    import tensorflow as tf

    unique, counts = np.zeros(0, np.int64), np.zeros(0, np.int32)  # sorted hashes and their counts
    for chunk in chunks():
        hashes, chunk_counts = np.unique(_hashes(vectorizer._preprocess(chunk).flat_values), return_counts=True)
        positions = np.searchsorted(unique, hashes)  # (distinct in the chunk,)
        seen = unique[np.minimum(positions, len(unique) - 1)] == hashes if len(unique) else np.zeros(len(hashes), bool)
        counts[positions[seen]] += chunk_counts[seen].astype(np.int32)
        # New hashes go in at their sorted place: one copy of each array, not the sort of a merge.
        unique = np.insert(unique, positions[~seen], hashes[~seen])
        counts = np.insert(counts, positions[~seen], chunk_counts[~seen].astype(np.int32))
    lookup = vectorizer._lookup_layer  # its padding and unknown tokens are never in the vocabulary
    counts[np.isin(unique, _hashes(tf.constant([lookup.mask_token or "", lookup.oov_token])))] = 0
    order = np.lexsort((unique, -counts))  # most frequent first, then by hash
    kept = order[counts[order] >= min_count][:max_tokens]  # indices into unique
    rank = np.full(len(unique), -1, np.int32)  # (distinct,): place in the vocabulary, -1 if left out
    rank[kept] = np.arange(len(kept), dtype=np.int32)
    tokens = np.empty(len(kept), object)
    for chunk in chunks():
        flat = vectorizer._preprocess(chunk).flat_values  # (tokens in the chunk,)
        places = rank[np.searchsorted(unique, _hashes(flat))]  # (tokens in the chunk,)
        wanted = np.flatnonzero(places >= 0)
        places, first = np.unique(places[wanted], return_index=True)
        if len(places):
            tokens[places] = tf.gather(flat, wanted[first]).numpy()
            rank[kept[places]] = -1  # each token taken once
    return tokens
