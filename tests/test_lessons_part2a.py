"""Lessons 9-13 and 19: the NumPy lesson code against the course notes' numbers and against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import cnn_features as look
from lessons import convolution as conv
from lessons import gradients as grads
from lessons import limits, rnn
from lessons import lstm_gru as cells
from lessons import slot_filling as slots
from tests.lessons_part2a_models import tiny_image_classifier, trained_slot_taggers

# Note 004's hand-computed feature maps, typed in here only as the oracle.
NOTES_MAP_1 = [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]]
NOTES_MAP_2 = [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]]


# ---- lesson 9: convolution -------------------------------------------------------------------

def test_feature_maps_equal_the_notes_numbers():
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_1), NOTES_MAP_1)
    np.testing.assert_array_equal(conv.feature_map(conv.X_IMAGE, conv.KERNEL_2), NOTES_MAP_2)
    first_row = [window.value for window in conv.windows(conv.X_IMAGE, conv.KERNEL_1)[:2]]
    assert first_row == [3, -1]  # the two dot products note 004 draws at stride 1
    stride_two = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1, stride=2)
    assert stride_two.shape == (2, 2) and stride_two[0].tolist() == [3, -3]


def test_pooling_gives_the_notes_2x2_image():
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    # Note 004 draws kernel 2's pooled map: -1 1 / 0 3.
    np.testing.assert_array_equal(front["pooled"][..., 1], [[-1, 1], [0, 3]])
    assert front["flat"].shape == (8,)


def test_numpy_convolution_pooling_and_flatten_match_keras():
    import keras

    image = conv.X_IMAGE[None, :, :, None]  # (batch, height, width, channels)
    kernels = np.stack([conv.KERNEL_1, conv.KERNEL_2], axis=-1)[:, :, None, :]  # (3, 3, in, out)
    for stride in (1, 2):
        expected = keras.ops.convert_to_numpy(keras.ops.conv(image, kernels, strides=stride, padding="valid"))
        ours = np.stack([conv.feature_map(conv.X_IMAGE, kernel, stride=stride)
                         for kernel in (conv.KERNEL_1, conv.KERNEL_2)], axis=-1)
        np.testing.assert_array_equal(ours, expected[0])
    maps = keras.ops.conv(image, kernels, padding="valid")
    pooled = keras.layers.MaxPooling2D(pool_size=2)(maps)
    flat = keras.ops.convert_to_numpy(keras.layers.Flatten()(pooled))[0]
    front = conv.conv_pool_flatten(conv.X_IMAGE, [conv.KERNEL_1, conv.KERNEL_2])
    np.testing.assert_array_equal(front["pooled"], keras.ops.convert_to_numpy(pooled)[0])
    np.testing.assert_array_equal(front["flat"], flat)
    averaged = keras.layers.AveragePooling2D(pool_size=2)(maps)
    np.testing.assert_allclose(conv.average_pool(front["maps"][..., 0]),
                               keras.ops.convert_to_numpy(averaged)[0, ..., 0], rtol=1e-6)


def test_random_images_and_odd_sizes_match_keras_conv():
    import keras

    rng = np.random.default_rng(3)
    image = rng.normal(size=(7, 9)).astype("float32")
    kernel = rng.normal(size=(2, 4)).astype("float32")
    for stride in (1, 2, 3):
        expected = keras.ops.conv(image[None, :, :, None], kernel[:, :, None, None], strides=stride)
        np.testing.assert_allclose(conv.feature_map(image, kernel, stride),
                                   keras.ops.convert_to_numpy(expected)[0, ..., 0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(conv.max_pool(image, 2),
                                  keras.ops.convert_to_numpy(keras.layers.MaxPooling2D(2)(
                                      image[None, :, :, None]))[0, ..., 0])


def test_parameter_counts_match_keras_layers():
    import keras

    counts = conv.parameter_comparison(6, 6, 1, 3, 2)
    conv_layer = keras.layers.Conv2D(2, 3)
    conv_layer.build((None, 6, 6, 1))
    dense_layer = keras.layers.Dense(counts["outputs"])
    dense_layer.build((None, counts["inputs"]))
    assert counts["conv"] == conv_layer.count_params() == 20
    assert counts["dense"] == dense_layer.count_params()
    rgb = keras.layers.Conv2D(1, 3, use_bias=False)
    rgb.build((None, 8, 8, 3))
    assert conv.conv_parameters(3, 3, 3, 1, bias=False) == rgb.count_params() == 27


def test_convolution_is_a_sparse_shared_dense_layer():
    matrix = conv.conv_as_dense_matrix((6, 6), conv.KERNEL_2)
    np.testing.assert_array_equal(conv.X_IMAGE.reshape(-1) @ matrix, np.ravel(NOTES_MAP_2))
    assert np.count_nonzero(matrix) == 16 * 9  # each of the 16 outputs sees only 9 of the 36 pixels
    for output in range(16):  # ... always through the same 9 shared weights
        column = matrix[:, output].reshape(6, 6)  # (height, width)
        row, col = divmod(output, 4)
        np.testing.assert_array_equal(column[row:row + 3, col:col + 3], conv.KERNEL_2)


def test_pooling_forgets_positions_inside_windows_but_not_across():
    feature = conv.feature_map(conv.X_IMAGE, conv.KERNEL_1)
    shuffled = conv.scramble_within_windows(feature, seed=5)
    assert not np.array_equal(shuffled, feature)
    np.testing.assert_array_equal(conv.max_pool(shuffled), conv.max_pool(feature))
    moved = conv.shift(conv.X_IMAGE, 0, 1)
    assert moved[0, 1] == 1 and moved[:, 0].sum() == 0 and moved.sum() == conv.X_IMAGE[:, :5].sum()


def test_bad_shapes_raise_helpful_errors():
    with pytest.raises(ValueError, match="2-D"):
        conv.feature_map(np.zeros((2, 3, 3)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="does not fit"):
        conv.feature_map(np.zeros((2, 2)), conv.KERNEL_1)
    with pytest.raises(ValueError, match="stride"):
        conv.windows(conv.X_IMAGE, conv.KERNEL_1, stride=0)


# ---- lesson 11: RNN --------------------------------------------------------------------------

def test_notes_rnn_example_gives_the_notes_outputs_and_order_matters():
    trace = rnn.elman(rnn.NOTES_INPUTS, rnn.all_ones())
    np.testing.assert_array_equal(trace.outputs, [[4, 4], [12, 12], [32, 32]])
    np.testing.assert_array_equal(trace.memory[0], [0, 0])  # memory starts at 0
    reordered = rnn.elman(rnn.NOTES_INPUTS[::-1], rnn.all_ones()).outputs
    assert not np.array_equal(reordered, trace.outputs)
    assert not np.array_equal(np.sort(reordered, axis=0), np.sort(trace.outputs, axis=0))


def test_notes_rnn_example_matches_keras_simple_rnn_with_ones():
    import keras

    sequence = keras.Input(shape=(None, 2))  # (batch, time, features)
    hidden = keras.layers.SimpleRNN(2, activation="linear", use_bias=False, return_sequences=True,
                                    kernel_initializer="ones", recurrent_initializer="ones")(sequence)
    outputs = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")(hidden)
    model = keras.Model(sequence, outputs)
    for order in ([0, 1, 2], [2, 0, 1], [2, 1, 0]):
        inputs = rnn.NOTES_INPUTS[order]
        expected = model.predict(inputs[None], verbose=0)[0]
        np.testing.assert_array_equal(rnn.elman(inputs, rnn.all_ones()).outputs, expected)


def test_elman_with_tanh_and_random_weights_matches_keras():
    import keras

    rng = np.random.default_rng(0)
    weights = rnn.RnnWeights(rng.normal(size=(3, 4)).astype("float32"),
                             rng.normal(size=(4, 4)).astype("float32") * 0.5,
                             rng.normal(size=(4, 2)).astype("float32"))
    inputs = rng.normal(size=(6, 3)).astype("float32")
    layer = keras.layers.SimpleRNN(4, activation="tanh", return_sequences=True)
    layer.build((None, 6, 3))
    layer.set_weights([weights.input_weights, weights.recurrent_weights, np.zeros(4, "float32")])
    hidden = keras.ops.convert_to_numpy(layer(inputs[None]))[0]
    np.testing.assert_allclose(rnn.elman(inputs, weights, "tanh").hidden, hidden, rtol=1e-5, atol=1e-6)


def test_bidirectional_matches_keras_bidirectional_and_sees_the_future():
    import keras

    weights = rnn.all_ones()
    sequence = keras.Input(shape=(3, 2))  # (batch, time, features)
    both = keras.layers.Bidirectional(keras.layers.SimpleRNN(
        2, activation="linear", use_bias=False, return_sequences=True, kernel_initializer="ones",
        recurrent_initializer="ones"))(sequence)  # (batch, time, 4)
    outputs = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")(both)
    expected = keras.Model(sequence, outputs).predict(rnn.NOTES_INPUTS[None], verbose=0)[0]
    ours = rnn.bidirectional(rnn.NOTES_INPUTS, weights, weights)
    np.testing.assert_array_equal(ours.outputs, expected)
    changed_last = rnn.NOTES_INPUTS.copy()
    changed_last[-1] = [5, 5]
    assert ours.outputs[0, 0] != rnn.bidirectional(changed_last, weights, weights).outputs[0, 0]
    assert rnn.elman(changed_last, weights).outputs[0, 0] == 4  # a forward-only RNN cannot see it


def test_jordan_equals_elman_when_the_output_is_the_hidden_layer():
    rng = np.random.default_rng(1)
    recurrent = rng.normal(size=(3, 3)).astype("float32")
    weights = rnn.RnnWeights(rng.normal(size=(2, 3)).astype("float32"), recurrent, np.eye(3, dtype="float32"))
    inputs = rng.normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(rnn.jordan(inputs, weights).outputs, rnn.elman(inputs, weights).outputs,
                               rtol=1e-6)
    ones = rnn.jordan(rnn.NOTES_INPUTS, rnn.all_ones())
    np.testing.assert_array_equal(ones.memory[1], ones.outputs[0])  # it stores its output


def test_one_of_n_other_dimension_and_word_hashing():
    vocabulary = ["apple", "bag", "cat", "dog", "elephant"]
    assert rnn.one_of_n("dog", vocabulary).tolist() == [0, 0, 0, 1, 0, 0]
    assert rnn.one_of_n("zebra", vocabulary).tolist() == [0, 0, 0, 0, 0, 1]
    with pytest.raises(ValueError, match="other"):
        rnn.one_of_n("zebra", vocabulary, other=False)
    assert rnn.letter_trigrams("apple") == ["#ap", "app", "ppl", "ple", "le#"]
    hashed = rnn.word_hash("apple")
    assert hashed.shape == (27 ** 3,) and hashed.sum() == 5
    assert len({rnn.trigram_index(t) for t in ["#ap", "app", "ppl", "ple", "le#", "aaa", "zzz"]}) == 7
    assert rnn.cosine(rnn.word_hash("apple"), rnn.word_hash("apples")) > rnn.cosine(
        rnn.word_hash("apple"), rnn.word_hash("elephant"))
    assert not rnn.word_hash("!!").any()


def test_slot_filling_feedforward_cannot_use_context_but_rnn_can():
    trained = trained_slot_taggers()
    words = trained["vocabulary"]
    feedforward = trained["taggers"]["feedforward"]
    recurrent = trained["taggers"]["rnn"]
    for city in ("Taipei", slots.HELD_OUT_CITY):
        arrive = slots.tag_sentence(feedforward.model, words, ["arrive", city, "on", "November", "2nd"])
        leave = slots.tag_sentence(feedforward.model, words, ["leave", city, "on", "November", "2nd"])
        assert arrive[1]["slot"] == leave[1]["slot"]  # same word, same input, same answer
        np.testing.assert_allclose(arrive[1]["p(dest)"], leave[1]["p(dest)"], rtol=1e-5)
        assert slots.tag_sentence(recurrent.model, words, ["arrive", city, "on", "May", "5th"])[1]["slot"] == "dest"
        assert slots.tag_sentence(recurrent.model, words, ["leave", city, "by", "May", "5th"])[1]["slot"] == "departure"
    assert feedforward.city_accuracy <= 0.5  # the test set is half arrivals, half departures
    assert recurrent.city_accuracy >= 0.95 and recurrent.word_accuracy >= 0.95


# ---- lesson 12: LSTM and GRU -----------------------------------------------------------------

def test_hand_set_memory_cell_writes_erases_and_reads_as_designed():
    steps = cells.lstm_sequence(cells.MEMORY_CELL_INPUTS, cells.memory_cell_weights(), activation="linear")
    outputs = [float(step["h"][0]) for step in steps]
    memory = [float(step["c"][0]) for step in steps]
    # value/control/read: write 3, add 4, read 7, erase, write 6, read 6.
    np.testing.assert_allclose(outputs, [0, 0, 0, 0, 0, 7, 0, 0, 6], atol=2e-3)
    np.testing.assert_allclose(memory, [0, 3, 3, 7, 7, 7, 0, 6, 6], atol=2e-3)


def test_lstm_steps_match_keras_lstm_with_copied_weights():
    keras_h, keras_c = cells.keras_lstm_states(cells.MEMORY_CELL_INPUTS, cells.memory_cell_weights(), "linear")
    ours = cells.lstm_sequence(cells.MEMORY_CELL_INPUTS, cells.memory_cell_weights(), activation="linear")
    np.testing.assert_allclose([step["h"][0] for step in ours], keras_h[:, 0], atol=1e-5)
    rng = np.random.default_rng(4)
    inputs = rng.normal(size=(7, 3))
    weights = cells.random_lstm(3, 5, seed=2, scale=0.8)
    keras_h, keras_c = cells.keras_lstm_states(inputs, weights)
    ours = cells.lstm_sequence(inputs, weights)
    np.testing.assert_allclose(np.array([step["h"] for step in ours]), keras_h, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours[-1]["c"], keras_c, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_steps_match_keras_gru_in_both_reset_conventions(reset_after):
    rng = np.random.default_rng(5)
    inputs = rng.normal(size=(6, 2))
    start = rng.normal(size=4) * 0.5
    weights = cells.random_gru(2, 4, seed=1, scale=0.9, reset_after=reset_after)
    ours = np.array([step["h"] for step in cells.gru_sequence(inputs, weights, reset_after, h0=start)])
    np.testing.assert_allclose(ours, cells.keras_gru_states(inputs, weights, reset_after, h0=start),
                               rtol=1e-4, atol=1e-6)
    step = cells.gru_step(inputs[0], start, weights, reset_after)
    np.testing.assert_allclose(step["h"], step["z"] * start + (1 - step["z"]) * step["candidate"])


def test_gate_weights_of_the_wrong_shape_are_rejected():
    weights = cells.random_lstm(3, 4)
    bad = cells.LstmWeights(weights.kernel[:, :8], weights.recurrent_kernel, weights.bias)
    with pytest.raises(ValueError, match="LSTM weights"):
        cells.lstm_step(np.zeros(3), np.zeros(4), np.zeros(4), bad)
    with pytest.raises(ValueError, match="reset_after"):
        cells.gru_step(np.zeros(2), np.zeros(4), cells.random_gru(2, 4, reset_after=False), reset_after=True)


# ---- lesson 13: gradients --------------------------------------------------------------------

def test_mlp_backprop_matches_keras_gradient_tape():
    import keras
    import tensorflow as tf

    x, y = grads.regression_batch(inputs=4, batch=16)
    for activation, init in (("sigmoid", "glorot"), ("relu", "he"), ("tanh", "glorot")):
        layers = grads.init_mlp(depth=3, width=5, inputs=4, init=init, seed=1)
        inputs = keras.Input(shape=(4,))
        values = inputs
        for _ in range(3):
            values = keras.layers.Dense(5, activation=activation)(values)
        model = keras.Model(inputs, keras.layers.Dense(1)(values))
        model.set_weights([array for layer in layers for array in (layer.weights, layer.bias)])
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x))
        expected = [gradient.numpy() for gradient in tape.gradient(loss, model.trainable_weights)[::2]]
        for ours, theirs in zip(grads.mlp_gradients(layers, x, y, activation), expected, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=2e-4, atol=1e-7)


def test_deep_sigmoid_gradients_vanish_and_relu_with_he_does_not():
    x, y = grads.regression_batch()
    sigmoid = grads.layer_gradient_norms(grads.init_mlp(12, 32, 16, "glorot"), x, y, "sigmoid")
    relu = grads.layer_gradient_norms(grads.init_mlp(12, 32, 16, "he"), x, y, "relu")
    assert sigmoid[0] < 1e-5 * sigmoid[-2]  # first hidden layer vs last hidden layer
    assert 0.1 < relu[0] / relu[-2] < 10


def test_sigmoid_needs_weights_above_4_only_in_a_one_unit_chain():
    assert grads.chain_factor(4.0) == pytest.approx(1.0) and grads.chain_factor(3.9) < 1 < grads.chain_factor(4.1)
    assert grads.chain_factor(100.0, preactivation=10.0) < 1  # large weights saturate the sigmoid
    x, y = np.full((4, 1), 0.5), np.zeros((4, 1))
    chain = grads.layer_gradient_norms(grads.constant_mlp(10, 1, 5.0), x, y, "sigmoid")
    assert chain[0] > 5 * chain[-2]  # factor 5/4 per layer: explodes towards the input
    wide = grads.layer_gradient_norms(grads.constant_mlp(10, 10, 0.5), np.full((4, 10), 0.5), y, "sigmoid")
    assert wide[0] > 5 * wide[-2]  # |w| = 0.5 < 4, yet 10 units per layer give 10 * 0.5 / 4 = 1.25


def test_complex_step_sensitivities_match_central_differences():
    inputs = grads.recurrent_inputs(8)
    nudge = np.zeros_like(inputs)
    nudge[0, 0] = 1e-6
    for states, sensitivity in ((lambda x: grads.rnn_states(x, 6, 1.2), grads.rnn_sensitivity(8, 6, 1.2)),
                                (lambda x: grads.lstm_states(x, 6, 1.2), grads.lstm_sensitivity(8, 6, 1.2))):
        central = np.linalg.norm((states(inputs + nudge) - states(inputs - nudge)) / 2e-6, axis=1)
        assert sensitivity.shape == (8,) and np.all(sensitivity > 0)
        np.testing.assert_allclose(sensitivity, central, rtol=1e-5)


def test_lstm_eases_vanishing_but_both_explode_with_large_recurrent_weights():
    small_rnn, small_lstm = grads.rnn_sensitivity(60, gain=0.8), grads.lstm_sensitivity(60, gain=0.8)
    assert small_rnn[-1] < 1e-10 and small_lstm[-1] > 1e3 * small_rnn[-1]
    assert grads.lstm_sensitivity(60, gain=0.8, forget_bias=-2.0)[-1] < 1e-20  # a closed forget gate forgets
    assert grads.rnn_sensitivity(60, gain=6.0)[-1] > 1e6 and grads.lstm_sensitivity(60, gain=6.0)[-1] > 1e3
    linear = grads.rnn_sensitivity(40, gain=1.5, activation="linear")
    assert np.all(np.diff(np.log(linear[5:])) > 0)  # steady exponential growth without tanh saturation


def test_clipping_matches_tensorflow_and_keras_optimizers():
    import keras
    import tensorflow as tf

    gradient = np.array([3.0, -4.0, 0.5], np.float32)
    np.testing.assert_allclose(grads.clip_by_value(gradient, 1.0), tf.clip_by_value(gradient, -1.0, 1.0).numpy())
    np.testing.assert_allclose(grads.clip_by_norm(gradient, 2.0), tf.clip_by_norm(gradient, 2.0).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(grads.clip_by_norm(gradient, 10.0), gradient)  # short gradients untouched
    pair = [gradient, np.array([12.0], np.float32)]
    expected, _ = tf.clip_by_global_norm(pair, 5.0)
    for ours, theirs in zip(grads.clip_by_global_norm(pair, 5.0), expected, strict=True):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-6)
    for options, clip in (({"clipvalue": 1.0}, lambda g: grads.clip_by_value(g, 1.0)),
                          ({"clipnorm": 2.0}, lambda g: grads.clip_by_norm(g, 2.0))):
        variable = keras.Variable(np.zeros(3, np.float32))
        keras.optimizers.SGD(learning_rate=1.0, **options).apply_gradients([(tf.constant(gradient), variable)])
        np.testing.assert_allclose(variable.numpy(), -clip(gradient), rtol=1e-6)


def test_clipping_rescues_descent_on_the_cliff():
    unclipped = grads.descend([-4.0, 4.0], 0.1, 60)
    assert not np.all(np.isfinite(unclipped[-1]))
    for clipping in ("value", "norm"):
        path = grads.descend([-4.0, 4.0], 0.1, 60, clipping, 5.0)
        assert grads.cliff_loss(path[-1]) < 0.01 * grads.cliff_loss(path[0])
        assert np.max(np.linalg.norm(np.diff(path, axis=0), axis=1)) <= 0.1 * 5.0 * np.sqrt(2) + 1e-9
    first_value = grads.descend([-4.0, 4.0], 0.1, 1, "value", 5.0)[1] - [-4.0, 4.0]
    first_norm = grads.descend([-4.0, 4.0], 0.1, 1, "norm", 5.0)[1] - [-4.0, 4.0]
    direction = -grads.cliff_gradient(np.array([-4.0, 4.0]))
    cosine = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert cosine(first_norm, direction) == pytest.approx(1.0) and cosine(first_value, direction) < 0.99


# ---- lessons 10 and 19: inside a trained CNN, adversarial examples ---------------------------

def test_tiny_classifier_is_trained():
    model, x_test, y_test = tiny_image_classifier()
    assert np.mean(model.predict(x_test[..., None], verbose=0).argmax(axis=1) == y_test) >= 0.9


def test_filters_and_feature_maps_match_the_first_convolution():
    import keras

    model, x_test, _ = tiny_image_classifier()
    first = model.get_layer(look.conv_layer_names(model)[0])
    kernel, bias = first.get_weights()
    np.testing.assert_array_equal(look.first_layer_filters(model), np.transpose(kernel[:, :, 0, :], (2, 0, 1)))
    expected = keras.ops.relu(keras.ops.conv(x_test[:1, ..., None], kernel) + bias)
    np.testing.assert_allclose(look.feature_maps(model, x_test[0], first.name),
                               np.transpose(keras.ops.convert_to_numpy(expected)[0], (2, 0, 1)), rtol=1e-5, atol=1e-6)


def test_class_scores_are_the_logits_behind_the_softmax():
    model, x_test, _ = tiny_image_classifier()
    scores = look.class_scores(model, x_test[:5, ..., None])
    softmax = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax / softmax.sum(axis=1, keepdims=True),
                               model.predict(x_test[:5, ..., None], verbose=0), rtol=1e-4, atol=1e-6)


def test_saliency_equals_a_finite_difference_estimate():
    model, x_test, y_test = tiny_image_classifier()
    label = int(y_test[1])
    # The bar's pixels are exactly 1.0, so max pooling has ties where the score has no derivative;
    # a little noise moves the image to a generic point.
    image = x_test[1] + np.random.default_rng(1).uniform(0, 0.01, x_test[1].shape).astype("float32")
    gradient = look.saliency(model, image, label)
    step = 1e-3  # small enough that no ReLU or max-pool switches inside the step, at almost every pixel
    nudged = np.repeat(image[None], 2 * image.size, axis=0)  # (2 * pixels, 12, 12)
    for pixel in range(image.size):
        row, col = divmod(pixel, image.shape[1])
        nudged[2 * pixel, row, col] += step
        nudged[2 * pixel + 1, row, col] -= step
    scores = look.class_scores(model, nudged[..., None])[:, label].astype(np.float64)
    estimate = ((scores[0::2] - scores[1::2]) / (2 * step)).reshape(image.shape)  # (12, 12)
    assert np.abs(gradient).max() > 0
    close = np.abs(gradient - estimate) <= 0.01 * np.abs(gradient).max()
    # A ReLU network is piecewise linear: a step can still cross a kink at a pixel or two.
    assert close.mean() >= 0.97, f"saliency differs from finite differences at {np.argwhere(~close).tolist()}"


def test_occlusion_map_is_the_probability_lost_under_each_patch():
    model, x_test, y_test = tiny_image_classifier()
    image, label = x_test[2], int(y_test[2])
    drops = look.occlusion_map(model, image, label, patch=4, stride=2, fill=0.0)
    assert drops.shape == (5, 5)
    hidden = image.copy()
    hidden[2:6, 4:8] = 0.0  # the patch at row 1, column 2 of the map
    before, after = model.predict(np.stack([image, hidden])[..., None], verbose=0)[:, label]
    assert drops[1, 2] == pytest.approx(before - after, abs=1e-5)
    bar_row = 1 + 4 * label  # hiding the bar itself costs the most
    assert np.unravel_index(drops.argmax(), drops.shape)[0] in {max(0, (bar_row - 3) // 2), bar_row // 2}
    with pytest.raises(ValueError, match="patch"):
        look.occlusion_map(model, image, label, patch=20)


def test_activation_maximisation_climbs_its_objective():
    model, _, _ = tiny_image_classifier()
    start = np.random.default_rng(0).uniform(0.0, 0.2, (12, 12)).astype("float32")
    picture, reached = look.maximise(model, "class", 0, steps=20)
    assert picture.min() >= 0 and picture.max() <= 1
    assert reached > look.class_scores(model, start[None, ..., None])[0, 0] + 1
    assert reached == pytest.approx(look.class_scores(model, picture[None, ..., None])[0, 0], rel=1e-4)
    layer = look.conv_layer_names(model)[-1]
    response = look.filter_response(model, layer, 1)
    filter_picture, filter_value = look.maximise(model, "filter", 1, layer, steps=20)
    assert filter_value > float(response(start[None, ..., None])) + 0.1
    assert filter_value == pytest.approx(float(response(filter_picture[None, ..., None])), rel=1e-4)
    # The response is the convolution before its ReLU: where positive, it is the feature map.
    after_relu = look.feature_maps(model, filter_picture, layer)[1]
    if after_relu.min() > 0:
        assert after_relu.mean() == pytest.approx(filter_value, rel=1e-4)
    with pytest.raises(ValueError, match="target"):
        look.maximise(model, "neuron", 0)


def test_fgsm_gradient_matches_keras_loss_on_probabilities():
    import keras
    import tensorflow as tf

    model, x_test, y_test = tiny_image_classifier()
    pixels = tf.constant(x_test[:1, ..., None])
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        loss = keras.losses.sparse_categorical_crossentropy(y_test[:1], model(pixels))
    np.testing.assert_allclose(limits.loss_gradient(model, x_test[0], int(y_test[0])),
                               tape.gradient(loss, pixels).numpy(), rtol=1e-3, atol=1e-6)


def test_fgsm_finds_the_smallest_flipping_epsilon():
    model, x_test, y_test = tiny_image_classifier()
    found = 0
    for index in range(6):
        image, label = x_test[index], int(y_test[index])
        attack = limits.smallest_flip(model, image, label, max_levels=255)
        if attack.levels is None:
            continue
        found += 1
        direction = np.sign(limits.loss_gradient(model, image, label))
        assert attack.epsilon == pytest.approx(attack.levels / 255)
        flipped = limits.perturb(image, direction, attack.epsilon)[0]
        assert limits.predicted_class(model, flipped) != attack.original_class
        smaller = limits.perturb(image, direction, (attack.levels - 1) / 255)[0]
        assert limits.predicted_class(model, smaller) == attack.original_class
        np.testing.assert_allclose(np.abs(attack.adversarial - image)[attack.perturbation != 0].max(),
                                   attack.epsilon, atol=1e-6)
        assert set(np.unique(attack.perturbation)) <= {-1.0, 0.0, 1.0}
    assert found >= 3


def test_occlusion_heat_averages_the_patches_covering_each_pixel():
    drops = np.arange(9, dtype=float).reshape(3, 3)
    heat = look.occlusion_heat(drops, patch=4, stride=2, shape=(9, 9))
    assert heat[0, 0] == 0 and heat[2, 2] == np.mean([0, 1, 3, 4])  # covered by positions (0,0)...(1,1)
    assert heat[7, 7] == 8 and np.isnan(heat[8, 8])  # the last patch ends at pixel 7
