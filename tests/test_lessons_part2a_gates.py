"""Lessons 12 and 13: LSTM and GRU steps against Keras with copied weights; gradients layer by layer
and through time against TensorFlow and finite differences; clipping against TensorFlow and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import gradients as grads
from lessons import lstm_gru as cells

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
