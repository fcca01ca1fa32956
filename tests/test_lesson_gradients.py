"""Lesson 13. Vanishing and exploding gradients: lessons/gradients.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/gradients.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import gradients as grads
from tests.pages import chart_specs, markdown_text, open_page, quiz_radios

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


def test_what_the_page_shows_dead_layers_chain_factors_clipping_and_the_cliff():
    norms, dead = grads.compare_layers(["ReLU, He init", "sigmoid, Glorot init"], 12, 4)
    assert dead == {"ReLU, He init": 12} and np.all(norms["ReLU, He init"] == 0)
    assert norms["sigmoid, Glorot init"].shape == (12,) and "sigmoid, Glorot init" not in dead
    chain = grads.sigmoid_chain(5.0, 1)
    assert chain["factor"] == pytest.approx(1.25) and grads.growth_verdict(chain["factor"]) == "explodes"
    assert grads.growth_verdict(grads.sigmoid_chain(3.0, 1)["factor"]) == "vanishes"
    assert grads.sigmoid_chain(0.5, 10)["factor"] == pytest.approx(1.25)  # n x |w| / 4
    rows = {row["gradient"]: row for row in grads.clipping_rows(np.array([3.0, -4.0]), 1.0)}
    assert rows["clipped by norm"]["length"] == pytest.approx(1.0) and rows["clipped by value"]["component 2"] == -1
    assert rows["original"]["length"] == pytest.approx(5.0)
    runs = grads.cliff_runs(grads.CLIFF_LEARNING_RATE, 5.0)
    assert runs["no clipping"]["overflow"] == grads.CLIFF["overflow step"]
    assert runs["clip by norm"]["overflow"] is None and runs["clip by value"]["overflow"] is None


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_narrow_relu_network_has_a_dead_layer_and_no_gradient():
    x, y = grads.regression_batch()
    narrow = grads.init_mlp(12, 4, x.shape[1], "he")  # the page's defaults with the slider at 4 units
    assert grads.first_dead_layer(narrow, x) == 12
    norms = grads.layer_gradient_norms(narrow, x, y, "relu")
    assert np.all(norms == 0)
    assert grads.first_dead_layer(grads.init_mlp(12, 32, x.shape[1], "he"), x) is None


def test_tanh_bounds_the_states_but_not_their_sensitivity():
    growth = grads.rnn_sensitivity(60, gain=2.0, activation="tanh")
    assert (round(growth[0], 1), round(growth[29]), round(growth[59])) == (3.5, 79, 227)
    assert np.all(np.diff(growth[[0, 29, 59]]) > 0)
    states = grads.rnn_states(grads.recurrent_inputs(60), gain=2.0)
    assert np.abs(states).max() <= 1.0


def test_one_unit_shrinks_by_08_per_step_the_32_unit_demo_by_its_spectral_radius():
    question = grads.QUESTIONS[4]
    assert question.right_option == f"0.8⁴⁹ ≈ {0.8 ** 49:.1e} times as big"
    single = grads.rnn_sensitivity(50, units=1, gain=0.8, activation="linear")
    _, recurrent = grads.rnn_weights(1, 0.8)
    assert single[49] / single[0] == pytest.approx(abs(recurrent[0, 0]) ** 49)  # one unit: w^49 exactly
    demo = grads.rnn_sensitivity(60, gain=0.8, activation="linear")
    assert demo[49] / demo[0] == pytest.approx(1.3e-3, rel=0.05)
    assert "1.3e-03" in question.explanation
    radius = grads.spectral_radius(grads.rnn_weights(32, 0.8)[1])
    assert demo[59] / demo[58] == pytest.approx(radius, rel=0.01) and f"{radius:.2f}" in question.explanation


def test_unclipped_descent_overflows_and_ends_in_nan():
    run = grads.unclipped_cliff_run()
    path = grads.descend(list(grads.CLIFF_START), grads.CLIFF_LEARNING_RATE, grads.CLIFF_STEPS, "none")
    losses = np.array([grads.cliff_loss(point) for point in path])
    assert run["overflow step"] == int(np.argmin(np.isfinite(losses))) == 5 and run["ends in NaN"]
    assert grads.overflow_step(grads.descend(list(grads.CLIFF_START), 0.1, 60, "norm", 5.0)) is None
    exploding = next(item for item in grads.CORRECTIONS if "严重" in item.claim)
    assert "overflows at step 5" in exploding.correction


# ---- the page --------------------------------------------------------------------------------------


def test_gradients_page_measures_layers_the_sigmoid_chain_and_clipping():
    app = open_page("views/lessons/gradients.py")
    assert "3.5 after 1 step, 79 after 30, 227 after 60" in markdown_text(app)  # tanh does not stop it
    measured = next(text for text in markdown_text(app).split("\n") if text.startswith("Measured"))
    assert "**1.250**" in measured and "**explodes**" in measured  # one unit wide, w = 5
    app.slider[2].set_value(3.0).run()
    assert "**vanishes**" in markdown_text(app)
    app.slider[2].set_value(0.5).run()
    app.slider[3].set_value(10).run()
    assert "**1.250**" in markdown_text(app)  # |w| < 4, but ten units per layer
    table = app.dataframe[0].value.set_index("gradient")
    assert table.loc["clipped by norm", "length"] == 1.0 and table.loc["clipped by value", "component 2"] == -1.0
    assert "no clipping: the first step jumps" in app.warning[0].value and len(app.warning) == 1
    assert chart_specs(app) and len(quiz_radios(app)) == len(grads.QUESTIONS) and not app.exception
    app.slider[1].set_value(4).run()  # four units per layer: a ReLU layer dies
    assert "ReLU, He init, 4 units wide: hidden layer 12 is dead." in markdown_text(app)
    assert any("ReLU, He init: undefined (0 ÷ 0)" in caption.value for caption in app.caption) and not app.exception
