"""Lessons 14-18: every lesson function against a NumPy or Keras oracle, on tiny synthetic data."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from lessons import autoencoders as ae
from lessons import comparison as cmp
from lessons import embeddings as emb
from lessons import gans, gcn, skipgram
from lessons.projection import pca_2d

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


# ---- word embeddings ----------------------------------------------------------------------

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
    centres, contexts = skipgram.skipgram_pairs(sequences, 2)
    pairs = np.zeros((6, 6))
    np.add.at(pairs, (centres, contexts), 1)
    np.testing.assert_array_equal(pairs, emb.cooccurrence_counts(sequences, 6, 2))


def test_grouped_targets_give_the_pair_averaged_skipgram_loss_in_keras():
    """The claim the demo rests on: one weighted soft-target row per centre word has the same
    Keras loss as the average of -log p(context | centre) over every pair."""
    import keras

    rng = np.random.default_rng(4)
    sequences = [rng.integers(0, 5, size=10) for _ in range(4)]
    centres, contexts = skipgram.skipgram_pairs(sequences, 2)
    logits = rng.normal(size=(5, 5))
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    pair_average = -log_softmax[centres, contexts].mean()
    targets, weights = skipgram.grouped_skipgram_targets(emb.cooccurrence_counts(sequences, 5, 2))
    probabilities = np.exp(log_softmax).astype(np.float32)
    keras_loss = keras.losses.CategoricalCrossentropy()(targets, probabilities, sample_weight=weights)
    assert float(keras_loss) == pytest.approx(pair_average, rel=1e-5)


def test_subsampling_keeps_rare_pairs_and_shrinks_frequent_ones():
    counts = np.array([[0, 90, 5], [90, 0, 1], [5, 1, 0]], dtype=float)
    assert skipgram.subsampled_counts(counts, None) is counts
    result = skipgram.subsampled_counts(counts, 0.2)
    frequency = counts.sum(axis=1) / counts.sum()
    keep = np.minimum(1.0, np.sqrt(0.2 / frequency))
    np.testing.assert_allclose(result, counts * np.outer(keep, keep))
    assert result[2, 1] == counts[2, 1] * keep[1] and keep[2] == 1.0
    with pytest.raises(ValueError, match="positive"):
        skipgram.subsampled_counts(counts, 0.0)


def test_skipgram_training_lowers_the_loss_and_pairs_interchangeable_words():
    corpus = emb.prepare_corpus(synthetic_texts(), vocabulary_size=100, window=2)
    vectors = skipgram.train_skipgram(corpus.counts, corpus.vocabulary, dimensions=8, epochs=40,
                                      learning_rate=0.05, batch_size=8, subsample=None)
    assert vectors.vectors.shape == (len(corpus.vocabulary), 8)
    assert vectors.losses[-1] < vectors.losses[0] - 0.5
    for word, partner in (("cat", "dog"), ("car", "bus")):
        nearest, _ = emb.nearest_neighbours(vectors.vectors, vectors.index(word), 1)[0]
        assert corpus.vocabulary[nearest] == partner
    with pytest.raises(ValueError, match="no word pairs"):
        skipgram.train_skipgram(np.zeros((2, 2)), ["a", "b"])


def test_skipgram_on_imdb_counts_the_same_reviews_as_the_page(tiny_mirror):
    from data.imdb import load_imdb

    corpus = emb.prepare_corpus(load_imdb().x_train[:20], vocabulary_size=30, window=2)
    trained = skipgram.skipgram_on_imdb(reviews=20, vocabulary_size=30, window=2, dimensions=4)
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


# ---- autoencoders -------------------------------------------------------------------------

def bar_digits(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Digits drawn as a bright bar whose height encodes the label (like tests/fixtures_data)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(count) % 10).astype(np.uint8)
    images = rng.integers(0, 30, size=(count, 28, 28)).astype(np.uint8)
    for index, label in enumerate(labels):
        images[index, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
    return images, labels


def test_pixels_noise_and_mosaic():
    images, _ = bar_digits(3)
    unit = ae.to_unit(images)
    assert unit.shape == (3, 784) and unit.dtype == np.float32 and unit.max() == 1.0
    np.testing.assert_array_equal(ae.add_noise(unit, 0.0), unit)
    grey = np.full((200, 784), 0.5, dtype=np.float32)
    noisy = ae.add_noise(grey, 0.1, seed=1)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0
    assert np.std(noisy - grey) == pytest.approx(0.1, rel=0.02)
    assert ae.add_noise(unit, 0.9).min() >= 0.0 and ae.add_noise(unit, 0.9).max() <= 1.0
    canvas = ae.mosaic([unit, unit[:2]], gap=2)
    assert canvas.shape == (2 * 30 - 2, 3 * 30 - 2)
    np.testing.assert_allclose(canvas[:28, :28], 1.0 - unit[0].reshape(28, 28))
    with pytest.raises(ValueError):
        ae.to_unit(np.zeros((2, 10)))
    with pytest.raises(ValueError):
        ae.add_noise(unit, -0.1)


@pytest.mark.parametrize("code_size", [2, 16])
def test_autoencoder_shapes_and_parameter_count(code_size):
    autoencoder, encoder, decoder = ae.build_autoencoder(code_size, hidden=(32, 8))
    assert encoder.output_shape == (None, code_size) and autoencoder.output_shape == (None, 784)
    dense = lambda inputs, units: inputs * units + units
    expected = (dense(784, 32) + dense(32, 8) + dense(8, code_size)
                + dense(code_size, 8) + dense(8, 32) + dense(32, 784))
    assert autoencoder.count_params() == expected
    assert decoder.count_params() == dense(code_size, 8) + dense(8, 32) + dense(32, 784)


def test_denoising_autoencoder_removes_noise_on_simple_digits():
    images, labels = bar_digits(400)
    result = ae.train_denoising_autoencoder(images[:300], images[300:], labels[300:], code_size=2, noise=0.4,
                                            epochs=20, train_size=300, shown=5, code_points=100)
    assert result.reconstructions.shape == (5, 784) and result.codes_2d.shape == (100, 2)
    assert result.random_decodes.shape == (5, 784) and len(result.losses) == 20
    assert result.losses[-1] < result.losses[0]
    assert result.reconstruction_error < result.noisy_error
    # The 2-D code sorts the bars by height: a label is closer to the codes of its own class.
    centroids = np.stack([result.codes_2d[result.code_labels == digit].mean(axis=0) for digit in range(10)])
    nearest = np.argmin(((result.codes_2d[:, None] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (nearest == result.code_labels).mean() > 0.3


# ---- GANs ---------------------------------------------------------------------------------

def test_toy_datasets():
    ring = gans.ring_of_gaussians(800, seed=0)
    distance = np.sqrt(((ring[:, None] - gans.ring_centres()[None]) ** 2).sum(-1))
    assert distance.min(axis=1).max() < 6 * gans.RING_STD
    assert len(np.unique(distance.argmin(axis=1))) == 8
    moons = gans.two_moons(500, seed=0, noise=0.0)
    upper = moons[:, 1] + 0.25 >= 0
    radius = np.hypot(moons[:, 0] + 0.5, moons[:, 1] + 0.25)
    assert np.allclose(radius[upper & (moons[:, 0] < -0.5)], 1.0)  # left end: only the upper moon
    with pytest.raises(ValueError, match="unknown dataset"):
        gans.real_samples("spiral", 5)


def test_nearest_distances_and_quality_metrics():
    rng = np.random.default_rng(0)
    points, reference = rng.normal(size=(30, 2)), rng.normal(size=(40, 2))
    brute = [min(np.hypot(*(point - other)) for other in reference) for point in points]
    np.testing.assert_allclose(gans.nearest_distances(points, reference), brute)
    real = gans.ring_of_gaussians(400, seed=1)
    perfect = gans.sample_quality(gans.ring_of_gaussians(400, seed=2), real, "ring")
    collapsed = gans.sample_quality(np.tile(gans.ring_centres()[:1], (400, 1)), real, "ring")
    assert perfect["modes covered"] == 8 and perfect["near a mode"] > 0.95
    assert collapsed["modes covered"] == 1 and collapsed["near a mode"] == 1.0
    assert collapsed["fake to real"] < 0.1 < 1.0 < collapsed["real to fake"]
    assert "modes covered" not in gans.sample_quality(real, real, "moons")


def test_equilibrium_losses_are_the_cross_entropy_of_a_coin_flip():
    import keras

    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    zero_logits = np.zeros((4, 1), dtype=np.float32)
    real_half = float(cross_entropy(np.ones((4, 1)), zero_logits))
    fake_half = float(cross_entropy(np.zeros((4, 1)), zero_logits))
    assert real_half + fake_half == pytest.approx(gans.EQUILIBRIUM_D_LOSS, rel=1e-5)
    assert real_half == pytest.approx(gans.EQUILIBRIUM_G_LOSS, rel=1e-5)


def test_gan_training_reports_every_epoch_and_learns_the_ring():
    seen = []
    result = gans.train_gan("ring", epochs=4, steps_per_epoch=60, batch_size=64, learning_rate=2e-3,
                            samples=300, report=seen.append)
    assert [(payload["epoch"], payload["epochs"], payload["points"].shape) for payload in seen] == \
        [(epoch, 4, (300, 2)) for epoch in range(1, 5)]
    np.testing.assert_array_equal(seen[-1]["points"], result.snapshots[-1])
    assert [payload["d_loss"] for payload in seen] == list(result.d_losses)
    assert result.snapshots.shape == (5, 300, 2) and len(result.quality) == 5
    assert all(np.isfinite(result.d_losses)) and all(np.isfinite(result.g_losses))
    # Before training the generator sits near the origin, far from the ring.
    assert result.quality[-1]["real to fake"] < 0.5 * result.quality[0]["real to fake"]
    with pytest.raises(ValueError):
        gans.GanTrainer().train(np.zeros((2, 3)))


# ---- graph convolution --------------------------------------------------------------------

def ring_with_chord(nodes: int = 8) -> np.ndarray:
    adjacency = np.zeros((nodes, nodes))
    for node in range(nodes):
        adjacency[node, (node + 1) % nodes] = adjacency[(node + 1) % nodes, node] = 0.5 + 0.1 * node
    adjacency[0, 4] = adjacency[4, 0] = 1.0
    return adjacency


def test_hop_distances_match_powers_of_the_adjacency():
    adjacency = ring_with_chord()
    adjacency[7, :] = adjacency[:, 7] = 0.0  # node 7 cut off
    reach = (adjacency > 0).astype(int) + np.eye(8, dtype=int)
    for source in range(8):
        distances = gcn.hop_distances(adjacency, source)
        for hops in range(5):
            within = np.flatnonzero(np.linalg.matrix_power(reach, hops)[source] > 0)
            np.testing.assert_array_equal(gcn.k_hop_neighbourhood(adjacency, source, hops), within)
        assert (distances == gcn.UNREACHABLE).sum() == (1 if source != 7 else 7)
    with pytest.raises(ValueError):
        gcn.hop_distances(adjacency, 8)


def test_normalized_adjacency_matches_the_formula_and_the_engine():
    adjacency = ring_with_chord()
    np.fill_diagonal(adjacency, 1.0)  # like los_adj.csv
    result = gcn.normalized_adjacency(adjacency)
    with_self = adjacency + np.eye(8)
    degree = with_self.sum(axis=1)
    for i in range(8):
        for j in range(8):
            assert result[i, j] == pytest.approx(with_self[i, j] / math.sqrt(degree[i] * degree[j]))
    from models.graph import normalized_adjacency

    np.testing.assert_allclose(result, normalized_adjacency(adjacency), rtol=1e-6)
    with pytest.raises(ValueError):
        gcn.normalized_adjacency(-adjacency)


def test_message_passing_equals_the_matrix_form_and_graphconv_with_identity_weights():
    import keras

    from models.graph import GraphConv

    adjacency = ring_with_chord()
    features = np.random.default_rng(6).normal(size=(8, 3))
    np.testing.assert_allclose(gcn.message_passing_step(adjacency, features),
                               gcn.normalized_adjacency(adjacency) @ features)
    outputs = gcn.propagate(adjacency, features, 3)
    layer = GraphConv(3, adjacency=adjacency, kernel_initializer="identity", use_bias=False)
    hidden = features[None].astype(np.float32)  # (batch 1, nodes, features)
    for layers in range(1, 4):
        hidden = keras.ops.convert_to_numpy(layer(hidden))
        np.testing.assert_allclose(hidden[0], outputs[layers], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="feature rows"):
        gcn.message_passing_step(adjacency, features[:3])


def test_receptive_field_is_non_zero_exactly_on_the_k_hop_neighbourhood():
    adjacency = ring_with_chord(10)
    for source in (0, 3):
        for layers in range(4):
            field = gcn.receptive_field(adjacency, source, layers)
            np.testing.assert_array_equal(np.flatnonzero(field > 1e-12),
                                          gcn.k_hop_neighbourhood(adjacency, source, layers))
            expected_row = np.linalg.matrix_power(gcn.normalized_adjacency(adjacency), layers)[source]
            np.testing.assert_allclose(field, expected_row, atol=1e-12)


def test_correlation_by_hops_and_index_neighbours_on_a_path():
    path = np.zeros((5, 5))
    for node in range(4):
        path[node, node + 1] = path[node + 1, node] = 1.0
    rng = np.random.default_rng(7)
    speeds = np.cumsum(rng.normal(size=(50, 5)), axis=1)  # each sensor = previous + noise
    rows = {row["hops"]: row for row in gcn.correlation_by_hops(speeds, path, max_hops=3)}
    correlation = np.corrcoef(speeds.T)
    assert rows["1"]["pairs"] == 4
    assert rows["1"]["mean correlation"] == pytest.approx(np.mean([correlation[i, i + 1] for i in range(4)]))
    assert rows["3 or more"]["mean correlation"] == pytest.approx(
        np.mean([correlation[0, 3], correlation[1, 4], correlation[0, 4]]))
    assert "not connected" not in rows
    share = gcn.index_neighbour_share(path)
    assert share == {"consecutive sensors linked": 1.0, "random pair linked": pytest.approx(8 / 20)}


# ---- comparison ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind, settings", [
    ("dense", {"input_size": 2484}), ("conv", {"input_size": 1, "kernel_size": (3, 3), "channels": 3}),
    ("conv", {"input_size": 1, "kernel_size": (3,)}), ("rnn", {"input_size": 28}),
    ("lstm", {"input_size": 28}), ("gru", {"input_size": 7}), ("gcn", {"input_size": 12})])
def test_layer_parameters_match_keras(kind, settings):
    import keras

    from models.graph import GraphConv

    units = 16
    size = settings["input_size"]
    if kind == "dense":
        layer, shape = keras.layers.Dense(units), (size,)
    elif kind == "conv" and len(settings["kernel_size"]) == 2:
        layer, shape = keras.layers.Conv2D(units, settings["kernel_size"]), (28, 28, settings["channels"])
    elif kind == "conv":
        layer, shape = keras.layers.Conv1D(units, settings["kernel_size"]), (12, 1)
    elif kind in ("rnn", "lstm", "gru"):
        layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind](units)
        shape = (12, size)
    else:
        layer, shape = GraphConv(units, adjacency=ring_with_chord()), (8, size)
    layer.build((None, *shape))
    trainable = sum(int(np.prod(weight.shape)) for weight in layer.trainable_weights)
    assert cmp.layer_parameters(kind, units=units, **settings) == trainable


def test_parameter_rows_and_table_cover_every_family():
    rows = cmp.parameter_rows("traffic", 64)
    assert [row["family"] for row in rows] == list(cmp.FAMILIES)
    assert rows[0]["parameters"] == 2484 * 64 + 64
    assert [row.family for row in cmp.TABLE] == list(cmp.FAMILIES)
    assert all(row.application and row.strengths and row.weaknesses and row.suitable_data for row in cmp.TABLE)
    with pytest.raises(ValueError):
        cmp.parameter_rows("cifar", 8)
    with pytest.raises(ValueError):
        cmp.layer_parameters("attention", 4, 4)


def test_family_architectures_exist_in_the_registry():
    from models.registry import ARCHITECTURES

    for members in cmp.FAMILY_ARCHITECTURES.values():
        for task, arch in members:
            assert arch in ARCHITECTURES[task], f"{task}/{arch}"
    for _, _, task, better, worse in cmp.CLAIMS:
        assert better in ARCHITECTURES[task] and worse in ARCHITECTURES[task]
    assert cmp.family_tasks("DNN") == ["mnist", "imdb", "traffic"] and cmp.family_tasks("GCN") == ["traffic"]


def run(task, arch, value, status="finished", run_id=None):
    metric = "mae_15" if task == "traffic" else "accuracy"
    return {"run_id": run_id or f"{task}-{arch}-{value}", "task": task, "arch": arch, "status": status,
            "metrics": {metric: value}}


def test_best_runs_measured_cells_and_claims():
    runs = [run("mnist", "cnn", 0.98), run("mnist", "cnn", 0.991), run("mnist", "dnn", 0.97),
            run("mnist", "dnn", 0.999, status="diverged"), run("traffic", "gcn", 4.1),
            run("traffic", "lstm", 3.2), run("traffic", "lstm", 3.0), run("traffic", "gcn_gru", 4.5),
            run("traffic", "persistence", 3.5),
            run("imdb", "lstm", float("nan"))]
    best = cmp.best_runs(runs)
    assert best[("mnist", "cnn")] == {"value": 0.991, "run_id": "mnist-cnn-0.991", "runs": 2}
    assert best[("traffic", "lstm")]["value"] == 3.0  # lower MAE is better
    assert ("imdb", "lstm") not in best and best[("mnist", "dnn")]["runs"] == 1
    cells = cmp.measured_cells(runs)
    assert cells["CNN"] == ["MNIST cnn: 99.10 % accuracy (best of 2 runs)"]
    assert cells["RNN"] == []
    checked = cmp.check_claims(runs)
    assert len(checked) == len(cmp.CLAIMS)
    by_claim = {row["claim"]: row for row in checked}
    assert by_claim[cmp.CLAIMS[0][1]]["verdict"] == "holds"  # cnn 0.991 > dnn 0.97
    assert by_claim[cmp.CLAIMS[4][1]]["verdict"] == "holds"  # persistence 3.5 < gcn 4.1
    assert by_claim[cmp.CLAIMS[3][1]]["verdict"] == "not measured"  # no traffic dnn run
    assert by_claim[cmp.CLAIMS[5][1]]["verdict"] == "does not hold in your runs"  # gcn_gru 4.5 > gcn 4.1
    assert by_claim[cmp.CLAIMS[2][1]]["verdict"] == "not measured"
    assert "cnn: 99.10 % accuracy vs dnn: 97.00 % accuracy" == by_claim[cmp.CLAIMS[0][1]]["evidence"]


def test_load_runs_reads_the_store_and_degrades_gracefully(monkeypatch):
    from training.events import FINISHED, RunConfig
    from training.store import RunStore

    runs, reason = cmp.load_runs()
    assert runs == [] and "No runs yet" in reason
    store = RunStore()
    run_id = store.start_run(RunConfig(task="mnist", arch="cnn"), params=10)
    store.finish_run(run_id, FINISHED, metrics={"accuracy": 0.95})
    runs, reason = cmp.load_runs()
    assert [item["run_id"] for item in runs] == [run_id] and reason is None
    monkeypatch.setitem(sys.modules, "training.store", None)  # the module cannot be imported
    runs, reason = cmp.load_runs()
    assert runs == [] and "not available" in reason


def test_ppmi_row_is_a_row_of_ppmi():
    counts = np.random.default_rng(8).integers(0, 4, size=(6, 6)).astype(float)
    counts = counts + counts.T
    for index in range(6):
        np.testing.assert_allclose(emb.ppmi_row(counts, index), emb.ppmi(counts)[index])
