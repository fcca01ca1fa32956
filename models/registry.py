"""Every architecture by name, per task, with a description for learners and training recipes
(the tasks themselves, their metrics and data-derived sizes, are in `models/tasks.py`).

Kept free of Keras at import time: a builder here is a `LazyBuilder` that imports its module
only when called, so pages can list architectures without paying for TensorFlow.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from i18n import N_
from models.tasks import IMDB_SIZES, TASKS, LazyBuilder
from models.tasks import task as task_info

IMDB_VECTORIZER_SETTINGS = tuple(IMDB_SIZES)  # hyperparameters that go to the vectorizer, not the builder


@dataclass(frozen=True)
class Recipe:
    """How to train: epochs, batch size, learning rate and how many training samples to keep."""

    epochs: int
    batch_size: int
    learning_rate: float
    limit: int | None = None  # None keeps the whole training split
    cosine_decay: bool = False  # lower the learning rate along a cosine to 2 % by the last batch
    optimizer: str = "adam"  # "adam", or "sgd" (plain gradient descent: see the NBSVM recipe)
    # IMDB: read only each review's last `sequence_length` tokens (None: the architecture's own
    # length). A quick recurrent run then sees twice the reviews for the same steps.
    sequence_length: int | None = None
    # Average the weights as they train (Polyak averaging): after each batch, average <- m * average
    # + (1 - m) * weights. Each epoch is validated, and the run ends, with the average; None: off.
    ema_momentum: float | None = None


@dataclass(frozen=True)
class ArchInfo:
    task: str
    name: str
    description: str
    builder: LazyBuilder | None  # None for non-learned baselines
    default_recipe: Recipe
    quick_recipe: Recipe
    learned: bool = True
    title: str = ""  # short display name, e.g. "GCN + GRU"
    data_settings: dict[str, Any] = field(default_factory=dict)  # e.g. IMDB vectorizer overrides
    needs_graph: bool = False  # the builder takes the road graph (`adjacency`)
    # IMDB: the builder takes `word_vectors`, made from the training reviews (models.word_vectors)
    needs_word_vectors: bool = False

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def baseline(self) -> bool:
        """A reference every model should beat (persistence, NBSVM): shown first in tables.
        Its description says so first."""
        return self.description.startswith("Baseline")


def _arch(task, name, title, description, builder, default, quick, learned=True, needs_graph=False,
          needs_word_vectors=False, **data_settings):
    module, _, function = builder.partition(":") if builder else ("", "", "")
    return ArchInfo(task, name, description, LazyBuilder(module, function) if builder else None,
                    default, quick, learned, title, data_settings, needs_graph, needs_word_vectors)


MNIST_QUICK = Recipe(epochs=3, batch_size=64, learning_rate=2e-3, limit=10_000, cosine_decay=True)
# Quick must land within 3 points of the full recipe in about 45 s on 2 cores: two epochs along
# a cosine on as many reviews as that allows (5,000 at a constant 1e-3 left the bag of embeddings
# at 65.9 % against 89.3 % full: its 150,000 word-pair vectors need more reviews).
# The recurrent models' quick runs read the last 150 tokens of 14,000 reviews: as many steps as
# 300 tokens of 7,000, which left the LSTM 4.0 points and the GRU 8.6 under their full recipes;
# the Elman RNN reads the last 100 of all 20,000 (on 200 tokens of 10,000 it stayed near chance).
# 6e-3, mean of 3 seeds: the LSTM 87.32 % and the BiLSTM 88.31 %, against 86.78 % and 87.38 % at 3e-3.
# The weight average over the last ~200 batches: the BiLSTM 88.45, 88.33, 88.64 % on seeds 0-2 in an
# experiment, against 88.31 % ± 0.15 without (bench/discussion.md).
IMDB_RECURRENT = Recipe(epochs=3, batch_size=128, learning_rate=6e-3, cosine_decay=True, ema_momentum=0.995)
IMDB_QUICK_RECURRENT = Recipe(epochs=2, batch_size=128, learning_rate=6e-3, limit=14_000, cosine_decay=True,
                              sequence_length=150)
IMDB_QUICK_ELMAN = Recipe(epochs=2, batch_size=64, learning_rate=1e-3, limit=None, cosine_decay=True,
                          sequence_length=100)
# Two epochs at 3e-3 left the bag of embeddings 3.9 points under its full recipe; at 1e-2 its
# 150,000 vectors reach the full recipe's accuracy in the same two epochs.
IMDB_QUICK_BAG = Recipe(epochs=2, batch_size=64, learning_rate=1e-2, limit=None, cosine_decay=True)
BASELINE_RECIPE = Recipe(epochs=0, batch_size=1, learning_rate=0.0)

_ALL = [
    _arch("mnist", "dnn", N_("DNN (MLP)"),
          N_("A multilayer perceptron: the image is flattened to 784 numbers, so it ignores which "
             "pixels are neighbours."),
          "models.mnist:build_dnn", Recipe(20, 128, 1e-3),
          # More epochs than the CNNs' quick recipe: they cost under a second each, and with 3 the
          # MLP stayed 3.3 points below its full recipe (95.0 % against 98.3 %, measured here).
          Recipe(epochs=10, batch_size=64, learning_rate=2e-3, limit=10_000, cosine_decay=True)),
    _arch("mnist", "cnn", N_("CNN"),
          N_("The classic convolutional network: conv, pool, conv, pool, dense. Small filters slide "
             "over the image and share their weights."),
          "models.mnist:build_cnn", Recipe(8, 128, 2e-3, cosine_decay=True), MNIST_QUICK),
    _arch("mnist", "cnn_bn", N_("Modern CNN"),
          N_("A small modern CNN: stacked 3x3 convolutions with batch normalisation and dropout, "
             "trained on digits shifted at random and kept as a moving average of its weights; built to "
             "pass 99.5 %."),
          # 15 epochs, as the shifted digits keep teaching it something new (models/mnist.py). The
          # weight average smooths the steps of the high early learning rate: after epoch 2 of seeds
          # 0, 1, 2 the average scored 99.38, 99.23, 99.38 % on the test digits, the weights 98.96,
          # 98.80, 98.63 % (bench/discussion.md).
          "models.mnist:build_cnn_bn", Recipe(15, 128, 3e-3, cosine_decay=True, ema_momentum=0.99), MNIST_QUICK),
    _arch("imdb", "nbsvm", N_("NBSVM (baseline)"),
          N_("Baseline, linear: the set of words, word pairs and word triples in the review, each "
             "weighted by its naive-Bayes log-count ratio (how much more often it appears in positive "
             "reviews), then a logistic regression (Wang & Manning 2012). Fast and strong: the bar "
             "every network should clear."),
          # The vocabulary: every word, pair and triple seen at least twice in the 20,000 training
          # reviews (882,940 tokens). Triples lift the model from 91.45 % (words and pairs, all
          # 1.19 million of them) to 91.75 %, 3 seeds; with triples seen once as well there are ~6.5
          # million tokens and counting them took 2.2 GB, and the 1.1 million most frequent single
          # sightings added to them took it to 91.59 % (seed 0, against 91.72 %).
          # Plain SGD, not Adam: Adam scales every weight's step to about the learning rate, so a
          # word pair seen in a few reviews moves as far as a common word and the rare ones overfit
          # (90.7 % with every pair, 91.0 % cut to 400,000); SGD moves a weight in proportion to its
          # gradient, so rare tokens move little. The rate is large because the loss is a mean over
          # the batch and each token is in few reviews of it.
          "models.imdb:build_nbsvm", Recipe(5, 64, 7.0, cosine_decay=True, optimizer="sgd"),
          # Its own quick recipe: its ratios are counts, and 10,000 reviews count enough words.
          Recipe(epochs=3, batch_size=64, learning_rate=7.0, limit=10_000, cosine_decay=True, optimizer="sgd"),
          ngrams=3, min_count=2, max_tokens=1_200_000, sequence_length=None, distinct=True, punctuation=True),
    _arch("imdb", "bag_of_embeddings", N_("Bag of embeddings"),
          N_("The DNN baseline: each word (and word pair) gets a vector, the vectors are averaged "
             "and a dense layer decides. Word order is lost."),
          "models.imdb:build_bag_of_embeddings", Recipe(5, 64, 3e-3, cosine_decay=True),
          IMDB_QUICK_BAG, ngrams=2, max_tokens=150_000, sequence_length=600),
    _arch("imdb", "simple_rnn", N_("Simple RNN"),
          N_("An Elman recurrent network reads the review word by word; its memory fades over long "
             "reviews (vanishing gradients)."),
          "models.imdb:build_simple_rnn", Recipe(4, 64, 1e-3, cosine_decay=True), IMDB_QUICK_ELMAN),
    _arch("imdb", "lstm", N_("LSTM"),
          N_("A long short-term memory network: gates decide what to keep, so it remembers over "
             "hundreds of words."),
          # Word vectors from its training reviews: 88.59 % ± 0.04 over 3 seeds, against 87.50 % from random.
          "models.imdb:build_lstm", IMDB_RECURRENT, IMDB_QUICK_RECURRENT,
          sequence_length=300, needs_word_vectors=True),
    _arch("imdb", "gru", N_("GRU"),
          N_("A gated recurrent unit: an LSTM with two gates instead of three, often as good and "
             "faster."),
          # 6e-3 as for the LSTMs gave 87.15 % ± 0.80 over 3 seeds, against 87.45 % ± 0.38 at 3e-3; the
          # LSTMs' weight average gave it 87.23 % ± 0.30 (86.96, 87.18, 87.56), so it has none (both
          # from random word vectors; from its reviews' word vectors: 89.00 % ± 0.16).
          "models.imdb:build_gru", Recipe(3, 128, 3e-3, cosine_decay=True), IMDB_QUICK_RECURRENT,
          sequence_length=300, needs_word_vectors=True),
    _arch("imdb", "bilstm", N_("Bidirectional LSTM"),
          N_("Two LSTMs, one reading forwards and one backwards, so every word sees both sides."),
          # Word vectors from its training reviews: 89.38 % ± 0.18 over 3 seeds, against 88.44 % from random.
          "models.imdb:build_bilstm", IMDB_RECURRENT, IMDB_QUICK_RECURRENT,
          sequence_length=300, needs_word_vectors=True),
    _arch("imdb", "conv1d", N_("1-D CNN"),
          N_("Convolutions slide over the words and detect short phrases wherever they appear."),
          # 3e-3 and 40,000 words: 89.0 % on seed 0, against 88.0 % at 1e-3 and 20,000 (measured here).
          "models.imdb:build_conv1d", Recipe(3, 64, 3e-3, cosine_decay=True),
          # Its own quick recipe: on the shared 10,000 reviews it took 22 s and stayed 4.5 points
          # under its full recipe (83.7 % against 88.1 %, measured on a quiet machine).
          Recipe(epochs=2, batch_size=64, learning_rate=2e-3, limit=16_000, cosine_decay=True),
          max_tokens=40_000, sequence_length=400),
    _arch("imdb", "attention", N_("Attention"),
          N_("Each word vector gets a learned score; a softmax over the review turns the scores into "
             "weights, and the weighted average of the word vectors decides. The weights show which "
             "words it relied on."),
          "models.imdb:build_attention", Recipe(4, 64, 3e-3, cosine_decay=True),
          # Its own quick recipe: with the shared one (2 epochs at 1e-3) the word scores were still
          # forming (79 % on 5,000 test reviews against 85 % with this one, measured here); 5,000
          # training reviews took 12 s and stayed 3.0 points under the full recipe, so 10,000.
          Recipe(epochs=3, batch_size=64, learning_rate=3e-3, limit=10_000), sequence_length=400),
    _arch("traffic", "persistence", N_("Persistence"),
          N_("Baseline, not learned: the future speed equals the last speed seen."),
          None, BASELINE_RECIPE, BASELINE_RECIPE, learned=False),
    _arch("traffic", "historical_average", N_("Historical average"),
          N_("Baseline, not learned: the mean speed at the same time of day over the training days."),
          None, BASELINE_RECIPE, BASELINE_RECIPE, learned=False),
    _arch("traffic", "dnn", N_("DNN"),
          N_("A feed-forward network applied to each sensor's last hour on its own: it cannot see "
             "the road graph."),
          "models.traffic:build_dnn", Recipe(40, 32, 2e-3, cosine_decay=True),
          Recipe(10, 32, 2e-3, cosine_decay=True)),
    _arch("traffic", "cnn", N_("Temporal CNN"),
          N_("Convolutions along time for each sensor on its own: local patterns in the last hour, no "
             "graph."),
          "models.traffic:build_cnn", Recipe(30, 32, 2e-3, cosine_decay=True),
          Recipe(8, 32, 2e-3, cosine_decay=True)),
    _arch("traffic", "lstm", N_("FC-LSTM"),
          N_("An LSTM reads each sensor's last hour step by step (weights shared by all sensors), "
             "no graph."),
          "models.traffic:build_lstm", Recipe(12, 32, 3e-3, cosine_decay=True),
          Recipe(3, 32, 3e-3, cosine_decay=True)),
    _arch("traffic", "gcn", N_("GCN"),
          N_("Graph convolution: each sensor mixes its history with its neighbours' on the road "
             "graph, but has no recurrent memory of time."),
          "models.traffic:build_gcn", Recipe(40, 32, 2e-3, cosine_decay=True),
          Recipe(15, 32, 2e-3, cosine_decay=True), needs_graph=True),
    _arch("traffic", "gcn_gru", N_("GCN + GRU (T-GCN)"),
          N_("Graph convolution inside a GRU, as in T-GCN: space and time together."),
          "models.traffic:build_gcn_gru", Recipe(15, 32, 3e-3, cosine_decay=True),
          Recipe(3, 32, 3e-3, cosine_decay=True), needs_graph=True),
    _arch("traffic", "gcn_embed", N_("Graph + node embeddings"),
          N_("Each sensor gets a learned vector of its own (its usual speed, its habits), then residual "
             "graph convolutions mix it with its neighbours' three hops out, as in STID and Graph WaveNet."),
          "models.traffic:build_gcn_embed", Recipe(40, 32, 2e-3, cosine_decay=True),
          # 13 quick epochs: 20 took 56 s on a quiet machine, over the 45 s a quick run may take, and
          # 12 ended 5.0 % above the full recipe's MAE at 60 minutes (3 seeds), at the 5 % limit.
          Recipe(13, 32, 2e-3, cosine_decay=True), needs_graph=True),
]

ARCHITECTURES: dict[str, dict[str, ArchInfo]] = {task: {} for task in TASKS}  # task order of models.tasks
for _info in _ALL:
    ARCHITECTURES[_info.task][_info.name] = _info


def architecture(task: str, arch: str) -> ArchInfo:
    """The registry entry for `task`/`arch`; ValueError listing the valid names otherwise."""
    task_info(task)  # ValueError naming the tasks
    if arch not in ARCHITECTURES[task]:
        raise ValueError(f"unknown architecture {arch!r} for task {task!r}; choose one of "
                         f"{', '.join(ARCHITECTURES[task])}")
    return ARCHITECTURES[task][arch]


def recipe_for(info: ArchInfo, quick: bool) -> Recipe:
    return info.quick_recipe if quick else info.default_recipe


def imdb_settings(info: ArchInfo, hyperparameters: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split IMDB hyperparameters into vectorizer settings and builder arguments."""
    settings = {**IMDB_SIZES, **info.data_settings}
    settings.update({key: value for key, value in hyperparameters.items() if key in IMDB_VECTORIZER_SETTINGS})
    builder_arguments = {key: value for key, value in hyperparameters.items()
                         if key not in IMDB_VECTORIZER_SETTINGS}
    return settings, builder_arguments


def build(info: ArchInfo, hyperparameters: dict[str, Any] | None = None, **data_arguments: Any):
    """Build the Keras model of `info` (imports Keras). `data_arguments` come from the data:
    `vocabulary_size` and `sequence_length` for IMDB, `sensors` and `adjacency` for traffic; what is
    not given takes the full data's size from the task registry (`models.tasks`)."""
    if not info.learned:
        raise ValueError(f"{info.task}/{info.name} is a baseline and has no Keras model")
    hyperparameters = dict(hyperparameters or {})
    if info.task == "imdb":
        settings, hyperparameters = imdb_settings(info, hyperparameters)
        data_arguments.setdefault("vocabulary_size", settings["max_tokens"])
        data_arguments.setdefault("sequence_length", settings["sequence_length"])
    else:
        for name, size in TASKS[info.task].sizes.items():
            data_arguments.setdefault(name, size)
    if info.needs_graph:
        data_arguments.setdefault("adjacency", None)
    else:
        data_arguments.pop("adjacency", None)  # per-node models never see the graph
    return info.builder(**data_arguments, **hyperparameters)


_counts: dict[str, int] = {}
_counts_lock = threading.Lock()


def count_params(task: str, arch: str, **hyperparameters: Any) -> int:
    """Trainable and non-trainable parameters of `task`/`arch` at full-data size (0 for baselines).

    Builds the model once per process and settings (pages ask on every rerun)."""
    info = architecture(task, arch)
    if not info.learned:
        return 0
    key = repr((task, arch, sorted(hyperparameters.items())))
    with _counts_lock:
        if key in _counts:
            return _counts[key]
    count = int(build(info, hyperparameters).count_params())
    with _counts_lock:
        _counts[key] = count
    return count
