"""Word embeddings, count-based: co-occurrence counts -> PPMI -> truncated SVD, in NumPy; and
the tools both kinds share (corpus, cosine neighbours). The prediction-based kind, a skip-gram
network in Keras, is the last section; the quiz and the notes checked follow it.

Everything works on integer word ids: `build_vocabulary` maps the most frequent words to
0..size-1 and `encode` turns reviews into arrays of those ids (rarer words are dropped);
`prepare_corpus` does both and counts co-occurrences. The IMDB recurrent models start from
vectors made the same way at IMDB size (models/word_vectors.py).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question
from models.word_vectors import positive_pmi

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Very frequent function words carry little meaning and dominate raw counts; they stay in the
# text (they are context) but are not offered as query words.
STOP_WORDS = frozenset("""a an the and or but if of to in on at by for with from as is are was were be
been being it its this that these those i you he she we they me him her us them my your his our
their what which who whom not no so than too very can will just do does did have has had there
here then s t""".split())


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping inner apostrophes ("don't")."""
    return WORD.findall(text.lower())


def build_vocabulary(token_lists: list[list[str]], size: int) -> list[str]:
    """The `size` most frequent words (ties broken alphabetically, so the result is stable)."""
    if size < 1:
        raise ValueError(f"the vocabulary needs at least one word, got size={size}")
    counts = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]]


def encode(token_lists: list[list[str]], vocabulary: list[str]) -> list[np.ndarray]:
    """Each text as an int32 array of word ids; words outside the vocabulary are dropped."""
    index = {word: position for position, word in enumerate(vocabulary)}
    return [np.array([index[word] for word in tokens if word in index], dtype=np.int32)
            for tokens in token_lists]


def cooccurrence_counts(sequences: list[np.ndarray], vocabulary_size: int, window: int) -> np.ndarray:
    """Symmetric counts X[i, j]: how often word j appears within `window` words of word i.

    Counted inside each review only (a window never spans two reviews).
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    centres, contexts = [], []
    for sequence in sequences:
        for offset in range(1, window + 1):
            centres.append(sequence[:-offset])
            contexts.append(sequence[offset:])
    if not centres:
        return np.zeros((vocabulary_size, vocabulary_size))
    left, right = np.concatenate(centres).astype(np.int64), np.concatenate(contexts).astype(np.int64)
    flat = np.bincount(left * vocabulary_size + right, minlength=vocabulary_size ** 2)
    counts = flat.reshape(vocabulary_size, vocabulary_size).astype(np.float64)  # (vocab, vocab)
    return counts + counts.T  # each pair was counted in one direction only


def ppmi(counts: np.ndarray) -> np.ndarray:
    """Positive pointwise mutual information: max(0, log P(i, j) / (P(i) P(j)))."""
    if counts.sum() <= 0:
        raise ValueError("the co-occurrence matrix is empty: use more text or a larger window")
    return positive_pmi(np.array(counts, dtype=np.float64), smoothing=1.0)  # a copy: `counts` stays


def strongest(row: np.ndarray, count: int = 8) -> np.ndarray:
    """The indices of the `count` largest values of `row`, largest first (ties in index order)."""
    return np.argsort(-np.asarray(row), kind="stable")[:count]


def ppmi_row(counts: np.ndarray, index: int) -> np.ndarray:
    """Row `index` of `ppmi(counts)`, without computing the whole matrix."""
    total = counts.sum()
    if total <= 0:
        raise ValueError("the co-occurrence matrix is empty: use more text or a larger window")
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts[index] * total / (counts[index].sum() * counts.sum(axis=0)))
    return np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)


def truncated_svd(matrix: np.ndarray, dimensions: int, power_iterations: int = 4, seed: int = 0) -> np.ndarray:
    """Word vectors U_k * sqrt(S_k) from the top-k singular vectors (symmetric weighting).

    A full SVD of a 2,000 x 2,000 matrix takes seconds on two cores, so large matrices use the
    randomized range finder of Halko, Martinsson and Tropp (2011): project on k + 10 random
    directions, sharpen with a few power iterations, then take the exact SVD of the small
    projected matrix.
    """
    if not 1 <= dimensions <= min(matrix.shape):
        raise ValueError(f"dimensions must be between 1 and {min(matrix.shape)}, got {dimensions}")
    sketch_size = dimensions + 10
    if sketch_size >= min(matrix.shape):
        left, singular, _ = np.linalg.svd(matrix, full_matrices=False)
    else:
        rng = np.random.default_rng(seed)
        basis, _ = np.linalg.qr(matrix @ rng.standard_normal((matrix.shape[1], sketch_size)))
        for _ in range(power_iterations):
            basis, _ = np.linalg.qr(matrix.T @ basis)
            basis, _ = np.linalg.qr(matrix @ basis)
        small_left, singular, _ = np.linalg.svd(basis.T @ matrix, full_matrices=False)
        left = basis @ small_left  # (rows, sketch_size)
    return left[:, :dimensions] * np.sqrt(singular[:dimensions])


@dataclass(frozen=True)
class Embeddings:
    vocabulary: list[str]
    vectors: np.ndarray  # (vocabulary, dimensions)
    seconds: float = 0.0
    losses: tuple[float, ...] = ()  # per epoch, for the trained kind

    def index(self, word: str) -> int:
        try:
            return self.vocabulary.index(word)
        except ValueError:
            raise ValueError(f"{word!r} is not in the {len(self.vocabulary)}-word vocabulary") from None


@dataclass(frozen=True)
class Corpus:
    vocabulary: list[str]
    sequences: list[np.ndarray]  # word ids per review
    counts: np.ndarray  # (vocabulary, vocabulary) co-occurrence counts within `window`
    window: int

    @property
    def tokens(self) -> int:
        return int(sum(len(sequence) for sequence in self.sequences))


def prepare_corpus(texts: list[str], vocabulary_size: int, window: int) -> Corpus:
    """Tokenize once, keep the most frequent words, count co-occurrences."""
    token_lists = [tokenize(text) for text in texts]
    vocabulary = build_vocabulary(token_lists, vocabulary_size)
    sequences = encode(token_lists, vocabulary)
    return Corpus(vocabulary, sequences, cooccurrence_counts(sequences, len(vocabulary), window), window)


def count_based_embeddings(counts: np.ndarray, vocabulary: list[str], dimensions: int = 50) -> Embeddings:
    """Co-occurrence counts -> PPMI -> truncated SVD: no training, one pass of linear algebra."""
    start = time.perf_counter()
    vectors = truncated_svd(ppmi(counts), dimensions)
    return Embeddings(vocabulary, vectors.astype(np.float32), time.perf_counter() - start)


def inner_product_correlations(vectors: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """Pearson correlation, over word pairs that co-occur, of the vectors' inner product with
    the raw count, the log count and the PMI (the note 000 claim vs GloVe)."""
    upper = np.triu_indices(len(counts), k=1)
    pair_counts = counts[upper]
    seen = pair_counts > 0
    if seen.sum() < 3:
        raise ValueError("need at least three co-occurring word pairs to correlate")
    totals = counts.sum(axis=1)
    pmi = np.log(pair_counts[seen] * counts.sum() / (totals[upper[0]][seen] * totals[upper[1]][seen]))
    dots = (vectors @ vectors.T)[upper][seen]
    return {name: float(np.corrcoef(dots, values)[0, 1])
            for name, values in ((N_("raw count"), pair_counts[seen]), (N_("log count"), np.log(pair_counts[seen])),
                                 ("PMI", pmi))}


VERDICTS = {  # N_: the page translates them (translate=its gettext) before filling them in
    "none": N_("The {name} vectors' inner product follows none of the three ({detail})."),
    "raw count": N_("The {name} vectors' inner product follows the raw count best here ({detail}): on these "
                    "settings the data back note 000's claim."),
    "partly": N_("The {name} vectors' inner product follows the {strongest} best, and the raw count less closely "
                 "({detail})."),
    "surprise": N_("The {name} vectors' inner product follows the {strongest}, not how often the pair occurs "
                   "({detail})."),
}
VERDICT_DETAIL = N_("{strongest_value} with the {strongest}, {raw_value} with the raw count")


def correlation_verdict(measured: dict[str, dict[str, float]], translate=lambda text: text) -> str:
    """What the table of `inner_product_correlations` shows for each kind of vectors, in words chosen by
    the numbers: which quantity the inner product follows best, and whether that is the raw count
    (note 000's claim) or how surprising the pair is (PMI, the GloVe and word2vec analysis).
    `translate` (a gettext) gives the sentences in the page's language; the default is English."""
    if not measured:
        raise ValueError("no correlations to describe")
    sentences = []
    for name, values in measured.items():
        strongest = max(values, key=values.get)
        detail = translate(VERDICT_DETAIL).format(strongest_value=f"{values[strongest]:.2f}",
                                                  strongest=translate(strongest),
                                                  raw_value=f"{values['raw count']:.2f}")
        if values[strongest] < 0.1:
            case = "none"
        elif strongest == "raw count":
            case = "raw count"
        elif values["raw count"] >= 0.5 * values[strongest]:
            case = "partly"
        else:
            case = "surprise"
        sentences.append(translate(VERDICTS[case]).format(name=translate(name), strongest=translate(strongest),
                                                          detail=detail))
    return " ".join(sentences).replace("。 ", "。")  # Chinese sentences follow each other without a space


def nearest_neighbours(vectors: np.ndarray, word_index: int, count: int = 10) -> list[tuple[int, float]]:
    """The `count` words with the highest cosine similarity to `word_index` (itself excluded)."""
    if not 0 <= word_index < len(vectors):
        raise ValueError(f"word index {word_index} is outside the vocabulary of {len(vectors)} words")
    norms = np.linalg.norm(vectors, axis=1)
    query = vectors[word_index]
    similarity = vectors @ query / np.where(norms > 0, norms, 1.0) / max(float(np.linalg.norm(query)), 1e-12)
    similarity[word_index] = -np.inf
    order = np.argsort(-similarity, kind="stable")[:count]
    return [(int(index), float(similarity[index])) for index in order]


def query_words(vocabulary: list[str], count: int = 200) -> list[str]:
    """Frequent content words to offer in the word picker."""
    return [word for word in vocabulary if word not in STOP_WORDS and len(word) > 2][:count]


# ---- prediction-based embeddings: skip-gram -------------------------------------------------------
# Prediction-based word embeddings: a skip-gram network (Mikolov et al., 2013) in Keras that
# predicts the words around a centre word; the centre word's learned vector is its embedding.


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


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("Why do *good* and *great* end up with similar vectors?",
             ("They are spelled alike", "They appear in similar contexts",
              "The sentiment labels tell the model they are both positive"), 1,
             "Both methods only see which words occur near which; no labels and no spelling are used."),
    Question("What does PPMI do to the raw co-occurrence counts?",
             ("Keeps only the pairs that occur more often than chance, weighted by log of the ratio",
              "Divides every count by the number of reviews", "Sorts the words alphabetically"), 0,
             "PMI = log P(w, c) / (P(w) P(c)); pairs seen less often than chance get 0 in PPMI."),
    Question("In GloVe, what does the inner product of two word vectors (plus two biases) approximate?",
             ("Their co-occurrence count", "The logarithm of their co-occurrence count",
              "The number of letters they share"), 1,
             "GloVe fits w_i · w_j + b_i + b_j ≈ log X_ij; the biases absorb each word's frequency, so "
             "the inner product tracks PMI. The table above measures which one your vectors follow."),
    Question("Skip-gram and CBOW differ in…",
             ("what is predicted: the context from the centre word, or the centre word from the context",
              "whether they need labelled reviews", "skip-gram is count-based, CBOW prediction-based"), 0,
             "Both are prediction-based and unsupervised: the text is its own target."),
]

CORRECTIONS = [
    Correction("Note 000", "The inner product of two word vectors should be proportional to how often the "
               "two words appear in the same article (两个词汇的词向量做内积应该和两个词汇在一篇相同的文章里面"
               "出现的次数成正比).",
               "Not to the raw count: GloVe fits w_i · w_j + b_i + b_j to the *logarithm* of the count, "
               "within a window of a few words rather than a whole article. The biases absorb how frequent "
               "each word is, so the inner product follows PMI, how surprising the pair is; skip-gram with "
               "negative sampling implicitly factorises a shifted PMI matrix (Levy and Goldberg, 2014). "
               "The table above measures which of the three your vectors follow."),
    Correction("Note 000", "Why word embedding does not need deep learning: (1) a shallow network "
               "trains very fast and works well; (2) word embedding is really a hyperparameter of "
               "other deep learning, and training hyperparameters may not need deep learning.",
               "The first reason is right: word2vec is one linear layer, so it can train on billions "
               "of words. The second is garbled: an embedding is a learned parameter (the weights "
               "of the first layer), not a hyperparameter; only its size is a hyperparameter. "
               "Pre-trained embeddings are often used to initialise other networks' first layer.",
               kind=NOTE_PARTLY),
]
