"""Lesson 3. Activation functions: lessons/activations.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/activations.py run in AppTest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import activations
from tests.pages import assert_lesson_parts, charts_plotting, metrics, open_page, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


def keras_activation(keras, name):
    return {"sigmoid": keras.activations.sigmoid, "tanh": keras.activations.tanh, "ReLU": keras.activations.relu,
            "hard sigmoid": keras.activations.hard_sigmoid, "ELU": keras.activations.elu,
            "leaky ReLU / PReLU": lambda x: keras.activations.leaky_relu(
                x, negative_slope=activations.PRELU_SLOPE)}[name]


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_activation_values_and_derivatives_match_keras_and_gradient_tape(name, keras, tf):
    x = np.concatenate([np.linspace(-7, 7, 57), [-3.0, 0.0, 3.0]])  # includes the kinks
    info = activations.ACTIVATIONS[name]
    variable = tf.Variable(x.astype("float32"))
    with tf.GradientTape() as tape:
        value = keras_activation(keras, name)(variable)
    gradient = tape.gradient(value, variable)
    assert np.allclose(info.function(x), value.numpy(), atol=1e-6)
    assert np.allclose(info.derivative(x), gradient.numpy(), atol=1e-6)


def test_prelu_layer_matches_leaky_relu_with_its_learned_slope(keras):
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(activations.PRELU_SLOPE))
    x = np.linspace(-3, 3, 13).astype("float32").reshape(1, -1)  # (1, 13)
    assert np.allclose(keras.ops.convert_to_numpy(layer(x)), activations.leaky_relu(x, activations.PRELU_SLOPE))


def test_sigmoid_derivative_never_exceeds_a_quarter():
    x = np.linspace(-20, 20, 400_001)
    slope = activations.sigmoid_derivative(x)
    assert slope.max() <= 0.25 and math.isclose(slope.max(), 0.25, rel_tol=1e-9)
    assert x[slope.argmax()] == 0.0
    assert activations.QUESTIONS[1].right_option == "1/4"


def test_relu_derivative_is_a_step_not_sgn():
    assert list(activations.relu_derivative([-2.0, -0.1, 0.5, 3.0])) == [0.0, 0.0, 1.0, 1.0]
    assert activations.QUESTIONS[0].right_option == "0"


def test_curves_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown activations"):
        activations.curves(["swish"])


def test_two_relus_make_the_hard_sigmoid_ramp_exactly():
    x = np.linspace(-3, 3, 121)
    assert np.allclose(activations.ramp_from_relus(x, -1.0, 0.5), np.interp(x, [-1.0, 0.5], [0.0, 1.0]))
    middle = activations.ramp_from_sigmoid([0.0], -1.0, 1.0)[0]
    above, below = activations.ramp_from_sigmoid([1e-5, -1e-5], -1.0, 1.0)
    slope = (above - below) / 2e-5
    assert math.isclose(middle, 0.5) and math.isclose(slope, 0.5, rel_tol=1e-6)  # ramp slope 1 / width


def test_piecewise_fit_is_exact_for_a_curve_with_the_same_knots_and_improves_with_pieces():
    knots = activations.knots(4, -3.0, 3.0)
    heights = np.array([0.0, 2.0, -1.0, 0.5, 1.5])
    exact = activations.fit(4, target=lambda x: np.interp(x, knots, heights))
    assert exact.rmse < 1e-10
    errors = [activations.fit(pieces).rmse for pieces in (1, 2, 4, 8, 16)]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(errors, errors[1:]))  # nested knots
    assert errors[-1] < errors[0] / 20
    assert activations.fit(8, kind="sigmoid").rmse < errors[0]
    with pytest.raises(ValueError):
        activations.fit(0)


@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_softmax_with_temperature_and_cross_entropy_match_keras(keras, temperature):
    logits = np.array([2.0, -1.0, 0.5, 3.5])
    expected = keras.ops.convert_to_numpy(keras.ops.softmax(logits / temperature))
    np.testing.assert_allclose(activations.with_temperature(logits, temperature), expected, rtol=1e-6)
    one_hot = np.eye(4)[[1]]
    keras_loss = keras.losses.categorical_crossentropy(one_hot, (logits / temperature)[None], from_logits=True)
    assert activations.cross_entropy(logits, 1, temperature) == pytest.approx(float(keras_loss[0]), rel=1e-6)


def test_cross_entropy_gradient_is_probabilities_minus_target(tf):
    logits = np.array([1.0, 0.2, -2.0, 0.7])
    variable = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=variable[None] / 0.5)
    np.testing.assert_allclose(activations.cross_entropy_gradient(logits, 2, 0.5),
                               tape.gradient(loss, variable).numpy(), rtol=1e-6, atol=1e-9)


def test_softmax_properties_shown_in_the_lesson(keras):
    logits = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(activations.with_temperature(logits + 100.0), activations.with_temperature(logits))
    assert activations.with_temperature(logits, 0.01)[0] > 0.999  # the hard max
    np.testing.assert_allclose(activations.with_temperature(logits, 1000.0), 1 / 3, atol=1e-3)  # uniform
    two = activations.with_temperature([1.3, -0.4])[0]
    assert two == pytest.approx(float(keras.ops.sigmoid(1.3 - (-0.4))), rel=1e-6)  # two classes: a sigmoid
    assert math.isfinite(activations.cross_entropy([1000.0, -1000.0], 1))  # no overflow, no log(0)
    assert activations.cross_entropy([1000.0, -1000.0], 1) == pytest.approx(2000.0)
    assert activations.entropy(activations.with_temperature([0.0, 0.0, 0.0, 0.0])) == pytest.approx(math.log(4))
    with pytest.raises(ValueError, match="temperature"):
        activations.with_temperature(logits, 0.0)
    with pytest.raises(ValueError, match="true_class"):
        activations.cross_entropy(logits, 3)


def test_quiz_numbers_are_computed():
    shifted = activations.with_temperature([12.0, 11.0, 10.0])
    assert ", ".join(f"{value:.2f}" for value in shifted) in activations.QUESTIONS[4].prompt
    assert activations.QUESTIONS[4].right_option == "The same probabilities"


# ---- the page --------------------------------------------------------------------------------------


    # Training the three models through this page is tests/test_ui_lesson_training.py's real-page test.


def test_activations_page_plots_slopes_and_fits_more_pieces_better():
    app = open_page("views/lessons/activations.py")
    assert_lesson_parts(app, "views/lessons/activations.py", activations)
    summary = app.dataframe[0].value.set_index("activation")
    assert summary.loc["sigmoid", "largest slope on [-6, 6]"] == pytest.approx(0.25)
    assert charts_plotting(app, "class", "probability") and charts_plotting(app, "temperature", "probability")
    coarse = float(metrics(app)["Root-mean-square error of the fit"])
    rerun(app.slider(key="activations-pieces").set_value(16))
    fine = float(metrics(app)["Root-mean-square error of the fit"])
    assert fine < coarse / 5
    rerun(app.radio(key="activations-kind").set_value("sigmoid"))
    rerun(app.multiselect(key="activations-shown").set_value(list(activations.ACTIVATIONS)))
    assert len(app.dataframe[0].value) == len(activations.ACTIVATIONS)


def test_softmax_section_computes_the_table_the_loss_and_the_temperature():
    app = open_page("views/lessons/activations.py")
    table = next(frame.value for frame in app.dataframe if "logit z" in frame.value.columns)
    logits = list(table["logit z"])
    expected = activations.explain(logits, 0, 1.0)
    np.testing.assert_allclose(table["probability"], expected.probabilities)
    assert metrics(app)["Cross-entropy −log p(true class)"] == f"{expected.loss:.4f}"
    assert metrics(app)["Sum of the probabilities"] == "1.000000"
    rerun(app.select_slider(key="softmax-temperature").set_value(0.1))
    rerun(app.radio(key="softmax-true").set_value(2))
    table = next(frame.value for frame in app.dataframe if "logit z" in frame.value.columns)
    assert table["probability"].max() > 0.99  # nearly the hard max
    assert metrics(app)["Cross-entropy −log p(true class)"] == f"{activations.cross_entropy(logits, 2, 0.1):.4f}"
    np.testing.assert_allclose(table["gradient of the loss, (p − y) / T"],
                               activations.cross_entropy_gradient(logits, 2, 0.1))
