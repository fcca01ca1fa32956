"""Lesson 5. Backpropagation: lessons/backprop.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/backprop.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import backprop
from tests.pages import assert_lesson_parts, metrics, open_page, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


def tape_gradients(tf, params, x, y):
    variables = {name: tf.Variable(value) for name, value in params.as_dict().items()}
    with tf.GradientTape() as tape:
        hidden = tf.sigmoid(tf.constant(np.atleast_2d(x).astype(float)) @ variables["W1"] + variables["b1"])
        output = tf.sigmoid(hidden @ variables["W2"] + variables["b2"])
        loss = tf.reduce_mean((output - tf.constant(np.reshape(y, (-1, 1)).astype(float))) ** 2)
    return {name: gradient.numpy() for name, gradient in zip(variables, tape.gradient(loss, list(variables.values())))}


@pytest.mark.parametrize("params, x, y", [
    (backprop.example_parameters(), [[1.0, -1.0]], [1.0]),
    (backprop.random_parameters(3), np.random.default_rng(1).normal(size=(5, 2)), [0, 1, 1, 0, 1]),
])
def test_hand_backprop_matches_tensorflow_gradient_tape(tf, params, x, y):
    grads = backprop.backward(params, backprop.forward(params, x, y))
    for name, expected in tape_gradients(tf, params, x, y).items():
        assert np.allclose(grads[name], expected, atol=1e-12), name
    assert backprop.finite_difference_gap(params, x, y) < 1e-8


def test_hand_backprop_matches_a_keras_model_with_the_same_weights(keras, tf):
    params, x, y = backprop.example_parameters(), np.array([[1.0, -1.0]]), np.array([[1.0]])
    inputs = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(2, activation="sigmoid", name="hidden")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid", name="out")(hidden))
    model.get_layer("hidden").set_weights([params.W1, params.b1])
    model.get_layer("out").set_weights([params.W2, params.b2])
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x.astype("float32")))
    kernel_1, bias_1, kernel_2, bias_2 = (g.numpy() for g in tape.gradient(loss, model.trainable_variables))
    grads = backprop.backward(params, backprop.forward(params, x, y))
    pairs = ((grads["W1"], kernel_1), (grads["b1"], bias_1), (grads["W2"], kernel_2), (grads["b2"], bias_2))
    for mine, theirs in pairs:
        assert np.allclose(mine, theirs, atol=1e-6)


def test_tables_show_the_lecture_numbers():
    rows = backprop.forward_table(backprop.example_parameters(), [1, -1], [1])
    forward = {row["quantity"]: row["value"] for row in rows}
    assert forward["z1[1]"] == 4.0 and forward["z1[2]"] == -2.0
    assert forward["a1[1]"] == pytest.approx(0.98201, abs=1e-5) and forward["a1[2]"] == pytest.approx(0.11920, abs=1e-5)
    assert backprop.QUESTIONS[0].right_option == f"{forward['z1[1]']:g}"
    params = backprop.example_parameters()
    grads = backprop.backward(params, backprop.forward(params, [[1, -1]], [1]))
    backward = {row["derivative"]: row["value"] for row in backprop.backward_table(params, [1, -1], [1])}
    assert backward["∂L/∂W1[2,1]"] == grads["W1"][1, 0] and backward["∂L/∂b2"] == grads["b2"][0]
    assert len(backward) == 15


def test_initial_weights_change_the_result():
    results = backprop.initialisation_experiment([0, 5], steps=1500)
    zeros, good, bad = results
    assert zeros["hidden units identical"] and not zeros["XOR solved"]
    assert zeros["final loss"] == pytest.approx(0.25, abs=1e-6)
    assert good["XOR solved"] and good["final loss"] < 0.01
    assert not bad["XOR solved"] and bad["final loss"] > 0.1


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_unsolved_xor_starts_are_on_a_plateau_still_falling_as_weights_grow():
    results = backprop.initialisation_experiment(list(range(8)), steps=backprop.EXPERIMENT_STEPS)
    fall = f"loss fall, last {backprop.PLATEAU_WINDOW} steps"
    unsolved = [row for row in results[1:] if not row["XOR solved"]]
    assert unsolved and all(row[fall] > 0 for row in unsolved)
    for row in unsolved:
        seed = int(row["start"].split()[-1])
        short, _ = backprop.train(backprop.random_parameters(seed), backprop.XOR_INPUTS, backprop.XOR_TARGETS,
                                  2.0, backprop.EXPERIMENT_STEPS)
        longer, losses = backprop.train(backprop.random_parameters(seed), backprop.XOR_INPUTS,
                                        backprop.XOR_TARGETS, 2.0, 2 * backprop.EXPERIMENT_STEPS)
        largest = [max(np.abs(value).max() for value in params.as_dict().values()) for params in (short, longer)]
        assert losses[-1] < row["final loss"] and largest[1] > largest[0]
    sentence = backprop.plateau_sentence(8, [row[fall] for row in unsolved])
    assert f"{len(unsolved)} of the 8" in sentence and "plateau" in sentence and "minimum" in sentence
    assert "no longer falls" in backprop.plateau_sentence(8, [0.01, 0.0])
    assert backprop.plateau_sentence(8, []).startswith("All 8")


def test_the_initialisation_correction_says_what_the_experiment_shows():
    """Note 004's correction: random starts end in different places, some solved, some on a plateau
    (not 'different minima'): the page's own experiment over 8 seeds has both."""
    results = backprop.initialisation_experiment(list(range(8)), steps=backprop.EXPERIMENT_STEPS)
    solved = [row["XOR solved"] for row in results[1:]]
    assert any(solved) and not all(solved)
    correction = next(item.correction for item in backprop.CORRECTIONS if "initial values" in item.claim)
    assert "plateau" in correction and "minima" not in correction


# ---- the page --------------------------------------------------------------------------------------


def test_backprop_page_tables_and_initialisation_experiment():
    app = open_page("views/lessons/backprop.py")
    assert_lesson_parts(app, "views/lessons/backprop.py", backprop)
    assert app.get("graphviz_chart")
    forward, backward = app.dataframe[0].value, app.dataframe[1].value
    assert forward.set_index("quantity").loc["z1[1]", "value"] == 4.0 and len(backward) == 15
    assert float(metrics(app)["Largest gap to a finite-difference estimate"]) < 1e-8
    rerun(app.button(key="backprop-run").click())
    results = app.dataframe[2].value
    assert len(results) == 9 and results.loc[0, "final loss"] == pytest.approx(0.25)
    assert results["XOR solved"].any() and not results["XOR solved"].all()
    unsolved = int((~results.loc[1:, "XOR solved"]).sum())
    sentence = next(block.value for block in app.markdown if block.value.startswith("From all zeros"))
    assert f"{unsolved} of the 8 random starts" in sentence and "**plateau**" in sentence
