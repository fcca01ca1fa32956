"""Word vectors from the training reviews alone: which words appear near which (the distributional
hypothesis), factorised. Words used alike ("superb", "excellent") get similar vectors, so an
embedding that starts from them does not have to learn each rare word from its few labelled reviews.

The recipe is Levy, Goldberg & Dagan (TACL 2015): counts of (word, context word) pairs within a
window, positive pointwise mutual information with the context counts raised to 0.75, and a
truncated SVD whose rows scaled by the square root of the singular values are the vectors (the
factorisation that word2vec and GloVe approximate). Pure NumPy: no labels are read, only token ids.
The embeddings lesson (lessons/embeddings.py) teaches the same steps on a 1,500-word vocabulary;
this is their IMDB-sized form: a context vocabulary, float32 in place, and the SVD through a Gram
matrix.
"""

from __future__ import annotations

import numpy as np

from models.checks import check_positive

CONTEXTS = 2_000  # the most frequent words serve as contexts (ids 2 .. CONTEXTS - 1)
WINDOW = 5  # words on each side that count as context
DIMENSIONS = 256  # columns kept, most important first: a builder takes the first embedding_dim
CONTEXT_SMOOTHING = 0.75  # rare contexts would otherwise get huge PMI (Levy et al. 2015)
CHUNK = 2_000  # reviews counted at a time


def cooccurrence_counts(token_ids: np.ndarray, vocabulary_size: int, contexts: int = CONTEXTS,
                        window: int = WINDOW) -> np.ndarray:
    """(vocabulary_size, contexts) float32: how often each word has each context word within
    `window` positions on either side. Ids 0 (padding) and 1 (unknown) are neither."""
    check_positive(vocabulary_size=vocabulary_size, contexts=contexts, window=window)
    token_ids = np.asarray(token_ids)
    if token_ids.ndim != 2:
        raise ValueError(f"token_ids must be (reviews, length), got shape {token_ids.shape}")
    if token_ids.size and (token_ids.min() < 0 or token_ids.max() >= vocabulary_size):
        raise ValueError(f"token ids must lie in [0, {vocabulary_size}), got {token_ids.min()} to {token_ids.max()}")
    counts = np.zeros(vocabulary_size * contexts, dtype=np.float32)  # flat (word, context) cells
    for start in range(0, len(token_ids), CHUNK):
        ids = token_ids[start:start + CHUNK].astype(np.int64)  # (chunk, length)
        for offset in range(1, min(window, ids.shape[1] - 1) + 1):
            for words, neighbours in ((ids[:, :-offset], ids[:, offset:]), (ids[:, offset:], ids[:, :-offset])):
                keep = (words > 1) & (neighbours > 1) & (neighbours < contexts)
                cells, seen = np.unique(words[keep] * contexts + neighbours[keep], return_counts=True)
                counts[cells] += seen  # cells are distinct, so += adds every pair
    return counts.reshape(vocabulary_size, contexts)


def positive_pmi(counts: np.ndarray, smoothing: float = CONTEXT_SMOOTHING) -> np.ndarray:
    """max(0, log P(w, c) / (P(w) P_smoothed(c))) of a float count matrix, in place; cells never
    seen, and words or contexts never seen, are 0. `smoothing` 1 is plain PPMI (the lesson's)."""
    words = counts.sum(axis=1, dtype=np.float64)  # (vocabulary,)
    smoothed = counts.sum(axis=0, dtype=np.float64) ** smoothing  # (contexts,)
    with np.errstate(divide="ignore"):
        log_words = np.where(words > 0, np.log(np.maximum(words, 1e-300)), 0.0)
        log_contexts = np.where(smoothed > 0, np.log(np.maximum(smoothed / max(smoothed.sum(), 1e-300), 1e-300)), 0.0)
        np.log(counts, out=counts)  # log 0 = -inf, which the max below turns into 0
    counts -= log_words[:, None].astype(counts.dtype)
    counts -= log_contexts[None, :].astype(counts.dtype)
    return np.maximum(counts, 0.0, out=counts)


def cooccurrence_vectors(token_ids: np.ndarray, vocabulary_size: int, dimensions: int = DIMENSIONS,
                         contexts: int = CONTEXTS, window: int = WINDOW) -> np.ndarray:
    """(vocabulary_size, dimensions) float32 word vectors, columns in order of importance: U·√S of
    the truncated SVD of the PPMI matrix of `token_ids` (reviews x positions, left-padded ids).
    Columns past the matrix's rank are 0.

    The SVD comes from the eigenvectors of the small (contexts x contexts) Gram matrix, PᵀP = V S² Vᵀ,
    so U·√S = P V S^(-1/2): seconds, where NumPy's SVD of P took 35 s on IMDB."""
    check_positive(dimensions=dimensions, contexts=contexts)
    contexts = min(contexts, vocabulary_size)
    ppmi = positive_pmi(cooccurrence_counts(token_ids, vocabulary_size, contexts, window))
    gram = ppmi.T @ ppmi  # (contexts, contexts), in float32: a float64 copy of P would cost 320 MB on IMDB
    eigenvalues, eigenvectors = np.linalg.eigh(gram.astype(np.float64))  # ascending
    top = np.argsort(eigenvalues)[::-1][:dimensions]
    singular = np.sqrt(np.maximum(eigenvalues[top], 0.0))  # (kept,)
    kept = singular > singular.max(initial=0.0) * 1e-6
    scale = np.where(kept, 1.0 / np.sqrt(np.where(kept, singular, 1.0)), 0.0)
    vectors = np.zeros((vocabulary_size, dimensions), dtype=np.float32)
    vectors[:, :len(top)] = ppmi @ (eigenvectors[:, top] * scale).astype(np.float32)
    return vectors
