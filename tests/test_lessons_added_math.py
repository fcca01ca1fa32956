"""The topics added to existing lessons (softmax, more losses, supervised vs unsupervised, AlphaGo's
CNN, deep dream): each function checked against Keras, TensorFlow autodiff or a hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import deep_dream, go_board, losses, ml_basics, softmax

# ---- softmax -----------------------------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_softmax_with_temperature_and_cross_entropy_match_keras(keras, temperature):
    logits = np.array([2.0, -1.0, 0.5, 3.5])
    expected = keras.ops.convert_to_numpy(keras.ops.softmax(logits / temperature))
    np.testing.assert_allclose(softmax.with_temperature(logits, temperature), expected, rtol=1e-6)
    one_hot = np.eye(4)[[1]]
    keras_loss = keras.losses.categorical_crossentropy(one_hot, (logits / temperature)[None], from_logits=True)
    assert softmax.cross_entropy(logits, 1, temperature) == pytest.approx(float(keras_loss[0]), rel=1e-6)


def test_cross_entropy_gradient_is_probabilities_minus_target(tf):
    logits = np.array([1.0, 0.2, -2.0, 0.7])
    variable = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=variable[None] / 0.5)
    np.testing.assert_allclose(softmax.cross_entropy_gradient(logits, 2, 0.5), tape.gradient(loss, variable).numpy(),
                               rtol=1e-6, atol=1e-9)


def test_softmax_properties_shown_in_the_lesson(keras):
    logits = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(softmax.with_temperature(logits + 100.0), softmax.with_temperature(logits))
    assert softmax.with_temperature(logits, 0.01)[0] > 0.999  # the hard max
    np.testing.assert_allclose(softmax.with_temperature(logits, 1000.0), 1 / 3, atol=1e-3)  # uniform
    two = softmax.with_temperature([1.3, -0.4])[0]
    assert two == pytest.approx(float(keras.ops.sigmoid(1.3 - (-0.4))), rel=1e-6)  # two classes: a sigmoid
    assert math.isfinite(softmax.cross_entropy([1000.0, -1000.0], 1))  # no overflow, no log(0)
    assert softmax.cross_entropy([1000.0, -1000.0], 1) == pytest.approx(2000.0)
    assert softmax.entropy(softmax.with_temperature([0.0, 0.0, 0.0, 0.0])) == pytest.approx(math.log(4))
    with pytest.raises(ValueError, match="temperature"):
        softmax.with_temperature(logits, 0.0)
    with pytest.raises(ValueError, match="true_class"):
        softmax.cross_entropy(logits, 3)


# ---- losses beyond MSE and cross-entropy -------------------------------------------------------

def test_pinball_at_one_half_is_half_the_absolute_error(keras):
    rng = np.random.default_rng(0)
    targets, predictions = rng.normal(size=40), rng.normal(size=40)
    mae = float(keras.losses.MeanAbsoluteError()(targets, predictions))
    assert losses.pinball_loss(targets, predictions, 0.5) == pytest.approx(mae / 2, rel=1e-5)
    # Under-predicting by 1 costs q, over-predicting by 1 costs 1 - q.
    assert losses.pinball_loss([1.0], [0.0], 0.9) == pytest.approx(0.9)
    assert losses.pinball_loss([0.0], [1.0], 0.9) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="quantile"):
        losses.pinball_loss([1.0], [0.0], 1.0)


@pytest.mark.parametrize("outlier, quantile", [(21.0, 0.3), (60.0, 0.8), (120.0, 0.5)])
def test_best_constants_are_the_mean_the_median_and_the_quantile(outlier, quantile):
    targets = np.array([*losses.DELIVERY_MINUTES, outlier])
    best = losses.best_constants(targets, quantile)
    assert best["squared error (L2)"] == pytest.approx(targets.mean(), abs=0.01)
    assert best["absolute error (L1)"] == pytest.approx(np.median(targets), abs=0.01)
    assert best[f"pinball, q = {quantile:g}"] == pytest.approx(np.quantile(targets, quantile, method="inverted_cdf"),
                                                                abs=0.01)


def test_the_outlier_drags_the_mean_but_not_the_median():
    calm = losses.best_constants([*losses.DELIVERY_MINUTES, 21.0], 0.5)
    flat_tyre = losses.best_constants([*losses.DELIVERY_MINUTES, 120.0], 0.5)
    assert flat_tyre["squared error (L2)"] - calm["squared error (L2)"] == pytest.approx(99 / 9, abs=0.02)
    assert flat_tyre["absolute error (L1)"] == calm["absolute error (L1)"]


def contrastive_in_keras(keras, points, pairs, same, margin):
    difference = keras.ops.take(points, pairs[:, 0], axis=0) - keras.ops.take(points, pairs[:, 1], axis=0)
    distance = keras.ops.sqrt(keras.ops.sum(difference ** 2, axis=1))
    return keras.ops.mean(same * distance ** 2 + (1 - same) * keras.ops.relu(margin - distance) ** 2)


def test_contrastive_loss_and_gradient_match_tensorflow(tf, keras):
    points = np.random.default_rng(1).normal(0, 0.5, (6, 2))
    pairs, same = losses.all_pairs()
    variable = tf.Variable(points)
    with tf.GradientTape() as tape:
        loss = contrastive_in_keras(keras, variable, pairs, same, 1.5)
    assert losses.contrastive_loss(losses.pair_distances(points, pairs), same, 1.5) == pytest.approx(float(loss))
    np.testing.assert_allclose(losses.contrastive_gradient(points, pairs, same, 1.5),
                               tf.convert_to_tensor(tape.gradient(loss, variable)).numpy(), rtol=1e-6, atol=1e-12)


def test_contrastive_training_separates_the_people_by_the_margin():
    start, end, history = losses.train_contrastive(margin=1.0, steps=300)
    pairs, same = losses.all_pairs()
    before, after = losses.pair_distances(start, pairs), losses.pair_distances(end, pairs)
    assert history[-1] < 0.01 < losses.contrastive_loss(before, same, 1.0)
    assert after[same == 1].max() < 0.1 and after[same == 0].min() > 0.9
    assert len(losses.PEOPLE) == 6 and same.sum() == 3 and len(pairs) == 15


# ---- supervised beside unsupervised ------------------------------------------------------------

def test_labels_decide_the_grouping_on_stretched_classes():
    features, labels = ml_basics.stretched_classes(300, seed=0)
    train, test = ml_basics.train_test_split(len(labels), 0.25, 0)
    centroids = ml_basics.nearest_centroid_fit(features[train], labels[train])
    supervised = np.mean(ml_basics.nearest_centroid_predict(centroids, features[test]) == labels[test])
    _, clusters, _ = ml_basics.k_means(features, 2, seed=0)
    assert supervised > 0.95
    assert ml_basics.cluster_agreement(clusters, labels) < 0.7  # k-means cuts the long direction instead


def test_cluster_agreement_ignores_the_names_of_the_clusters():
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert ml_basics.cluster_agreement(np.array([2, 2, 0, 0, 1, 1]), labels) == 1.0
    mixed = ml_basics.cluster_agreement(np.array([1, 1, 1, 0, 0, 0]), np.array([0, 0, 0, 0, 1, 1]))
    assert mixed == pytest.approx(5 / 6)


# ---- AlphaGo's CNN -----------------------------------------------------------------------------

def test_capture_pattern_is_a_keras_convolution(keras):
    board = go_board.atari_position(7, 4, "up")
    padded = go_board.padded_planes(board)
    expected = keras.ops.conv(padded[None], go_board.capture_kernels(), strides=1, padding="valid")
    np.testing.assert_allclose(go_board.correlate(padded, go_board.capture_kernels()),
                               keras.ops.convert_to_numpy(expected)[0], atol=1e-5)
    assert go_board.capture_kernels().shape == (5, 5, 3, 4)


def liberties(board, row, col):
    """Empty neighbours of one stone, counted by the rules of Go (the edge is no liberty)."""
    return sum(1 for down, right in go_board.DIRECTIONS.values()
               if 0 <= row + down < go_board.SIZE and 0 <= col + right < go_board.SIZE
               and board[row + down, col + right] == go_board.EMPTY)


@pytest.mark.parametrize("row, col, side", [(9, 9, "left"), (0, 0, "right"), (18, 5, "up"), (3, 18, "down")])
def test_capture_map_marks_exactly_the_capturing_move(row, col, side):
    board = go_board.atari_position(row, col, side)
    assert liberties(board, row, col) == 1
    found = np.argwhere(go_board.capture_map(board) > 0)
    point = go_board.capture_point(row, col, side)
    assert [tuple(hit) for hit in found] == [point]
    board[point] = go_board.BLACK  # play it: the white stone has no liberty left
    assert liberties(board, row, col) == 0
    assert go_board.capture_map(go_board.empty_board()).sum() == 0


def test_pooling_matches_keras_and_merges_four_different_answers(keras):
    grid = np.random.default_rng(2).normal(size=(19, 19)).astype(np.float32)
    expected = keras.ops.max_pool(grid[None, :, :, None], pool_size=2, strides=2, padding="same")
    np.testing.assert_allclose(go_board.max_pool(grid), keras.ops.convert_to_numpy(expected)[0, :, :, 0])
    first = go_board.capture_map(go_board.atari_position(6, 5, "right"))  # capture at (6, 6)
    second = go_board.capture_map(go_board.atari_position(6, 8, "left"))  # capture at (6, 7)
    assert go_board.pooled_twins((6, 6)) == [(6, 7), (7, 6), (7, 7)]
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(go_board.max_pool(first), go_board.max_pool(second))


def test_receptive_field_of_the_policy_network_covers_the_board(tf, keras):
    size = 41
    inputs = keras.Input(shape=(size, size, 1))
    x = inputs
    for kernel in go_board.ALPHAGO_KERNELS:
        x = keras.layers.Conv2D(1, kernel, padding="same", kernel_initializer="ones", use_bias=False)(x)
    model = keras.Model(inputs, x)
    image = tf.Variable(np.ones((1, size, size, 1), np.float32) * 1e-6)
    with tf.GradientTape() as tape:
        centre = model(image)[0, size // 2, size // 2, 0]
    seen = np.flatnonzero(np.abs(tape.gradient(centre, image).numpy()[0, size // 2, :, 0]) > 0)
    assert len(seen) == go_board.receptive_field() == 27 >= go_board.SIZE


# ---- deep dream ---------------------------------------------------------------------------------

def tiny_cnn(keras, seed=0):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(8, 8, 1))
    x = keras.layers.Conv2D(2, 3, activation="relu", name="conv")(inputs)
    x = keras.layers.Flatten()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def test_dream_gradient_matches_a_hand_computation(keras):
    model = tiny_cnn(keras)
    kernel, bias = (np.asarray(array, np.float64) for array in model.get_layer("conv").get_weights())
    image = np.random.default_rng(3).uniform(0, 1, (8, 8))
    # a[i, j, f] = sum_rc x[i + r, j + c] K[r, c, 0, f] + b[f]; objective = mean(a²), so
    # d objective / d x[i + r, j + c] += 2 a[i, j, f] / N · K[r, c, 0, f].
    values = np.stack([[[np.sum(image[i:i + 3, j:j + 3] * kernel[:, :, 0, f]) + bias[f] for f in range(2)]
                        for j in range(6)] for i in range(6)])  # (6, 6, 2)
    expected = np.zeros((8, 8))
    for i in range(6):
        for j in range(6):
            for f in range(2):
                expected[i:i + 3, j:j + 3] += 2 * values[i, j, f] / values.size * kernel[:, :, 0, f]
    np.testing.assert_allclose(deep_dream.dream_gradient(model, image, "conv"), expected, rtol=1e-4, atol=1e-7)


def test_dream_climbs_and_amplifies_what_the_layer_sees(keras):
    model = tiny_cnn(keras, seed=1)
    image = np.random.default_rng(4).uniform(0.2, 0.8, (8, 8))
    result = deep_dream.dream(model, image, "conv", steps=10, step_size=0.01)
    assert len(result.objective) == 11 and result.objective[-1] > result.objective[0]
    assert result.dreamed.min() >= 0.0 and result.dreamed.max() <= 1.0
    assert result.amplified_share > 0.5
    with pytest.raises(ValueError, match="not a Conv2D"):
        deep_dream.dream(model, image, model.layers[-1].name)


# ---- the numbers the added quiz questions quote --------------------------------------------------

def answer(question):
    return question.options[question.answer]


def test_quiz_numbers_are_computed():
    from lessons.quiz_added import ALPHAGO_QUESTIONS, LOSS_QUESTIONS, SOFTMAX_QUESTIONS

    shifted = softmax.with_temperature([12.0, 11.0, 10.0])
    assert ", ".join(f"{value:.2f}" for value in shifted) in SOFTMAX_QUESTIONS[0].prompt
    assert answer(SOFTMAX_QUESTIONS[0]) == "The same probabilities"
    assert answer(ALPHAGO_QUESTIONS[1]) == f"{go_board.receptive_field()} points"
    late, early = losses.pinball_loss([5.0], [0.0], 0.9), losses.pinball_loss([0.0], [5.0], 0.9)
    explanation = LOSS_QUESTIONS[1].explanation
    assert f"0.9 × 5 = {late:g}" in explanation and f"0.1 × 5 = {early:g}" in explanation
    assert answer(LOSS_QUESTIONS[1]).startswith("When the delivery took 5 minutes longer")
    targets = np.array([*losses.DELIVERY_MINUTES, 120.0])
    assert losses.best_constants(targets, 0.5)["absolute error (L1)"] == pytest.approx(np.median(targets))
