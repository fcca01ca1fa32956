"""Lessons 5-8 (backpropagation, why deep, overfitting, the notes' TF1 code) and the lesson charts:
every lesson function, checked against NumPy, TensorFlow autodiff or Keras itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lessons import (
    backprop,
    gradient_descent,
    overfitting,
    part1_charts,
    tf1_to_keras,
    toy_data,
    why_deep,
)
from lessons.part1_quiz_training import BACKPROP_QUESTIONS, WHY_DEEP_QUESTIONS


def answer(question):
    return question.options[question.answer]


# --- lesson 5 ---------------------------------------------------------------------------------------

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
    assert answer(BACKPROP_QUESTIONS[0]) == f"{forward['z1[1]']:g}"
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


# --- lesson 6 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden", [[], [100], [10, 10, 10, 10], [3, 7]])
def test_parameter_count_matches_keras(keras, hidden):
    inputs = keras.Input(shape=(2,))
    layer = inputs
    for units in hidden:
        layer = keras.layers.Dense(units)(layer)
    model = keras.Model(inputs, keras.layers.Dense(1)(layer))
    assert why_deep.dense_parameter_count(2, hidden) == model.count_params()


def test_matched_widths_spend_about_the_same_budget():
    shallow, deep = why_deep.matched_widths(400)
    assert (shallow, deep) == (100, 10)
    for count in (why_deep.dense_parameter_count(2, [shallow]), why_deep.dense_parameter_count(2, [deep] * 4)):
        assert abs(count - 400) / 400 < 0.1
    assert answer(WHY_DEEP_QUESTIONS[3]) == str(why_deep.dense_parameter_count(2, [100]))


@pytest.mark.parametrize("depth", range(1, 7))
def test_relu_sawtooth_is_the_composed_tent_map_with_two_to_the_d_pieces(depth):
    x = np.linspace(0.0, 1.0, 2 ** depth * 16 + 1)
    y = why_deep.relu_sawtooth(x, depth)
    assert np.allclose(y, why_deep.sawtooth(x, depth))
    assert why_deep.count_linear_pieces(x, y) == 2 ** depth
    costs = why_deep.sawtooth_costs(depth)
    assert costs["deep ReLU net (width 2)"] == 6 * depth + 1
    assert costs["one hidden layer (one unit per kink)"] == 3 * 2 ** depth - 2


# --- lesson 7 ---------------------------------------------------------------------------------------

def test_polynomial_training_error_falls_while_validation_error_rises():
    errors = overfitting.polynomial_errors(list(range(1, 15)))
    assert all(later <= earlier + 1e-9 for earlier, later in zip(errors["train"], errors["train"][1:]))
    assert errors["train"][-1] < 1e-6  # 15 coefficients through 15 points
    assert errors["validation"][-1] > 10 * errors["validation"][2]
    with pytest.raises(ValueError):
        overfitting.polynomial_errors([15])


def test_inverted_dropout_behaves_like_keras_dropout(keras):
    values = np.random.default_rng(0).uniform(1, 2, (200, 50)).astype("float32")
    mine = overfitting.inverted_dropout(values, 0.5, np.random.default_rng(1))
    theirs = keras.ops.convert_to_numpy(keras.layers.Dropout(0.5, seed=1)(values, training=True))
    for result in (mine, theirs):
        kept = result != 0
        assert abs(kept.mean() - 0.5) < 0.02 and np.allclose(result[kept], values[kept] * 2)
    assert np.array_equal(overfitting.inverted_dropout(values, 0.0, np.random.default_rng(1)), values)


@pytest.mark.parametrize("patience", [0, 1, 3, 5])
def test_early_stopping_epoch_matches_keras_callback(keras, patience):
    series = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.75, 0.74, 0.8, 0.9, 0.68, 0.95]
    inputs = keras.Input(shape=(1,))
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.stop_training = False  # fit() sets this; we drive the callback by hand with a known series
    callback.set_model(model)
    callback.on_train_begin()
    stopped = len(series) - 1
    for epoch, value in enumerate(series):
        callback.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            stopped = epoch
            break
    assert overfitting.early_stopping_epoch(series, patience) == (stopped, callback.best_epoch)


# --- lesson 8 ---------------------------------------------------------------------------------------

def test_notes_tf1_code_uses_an_undefined_z_and_never_uses_b():
    assert tf1_to_keras.name_problems(tf1_to_keras.NOTES_CODE) == {"undefined": ["Z"], "unused": ["B", "XW"]}
    repaired = tf1_to_keras.NOTES_CODE.replace("A = tf.sigmoid(Z)", "Z = XW + B\nA = tf.sigmoid(Z)")
    assert tf1_to_keras.name_problems(repaired) == {"undefined": [], "unused": []}


def test_tf1_graph_keras_and_numpy_compute_the_same_layer():
    outputs = tf1_to_keras.compare_layers(seed=2)
    assert outputs["Keras 3 Dense"].shape == (4, 2)
    assert outputs["largest difference"] < 1e-6


# --- charts -----------------------------------------------------------------------------------------

def axis_encodings(spec):
    """Every x/y encoding in a Vega-Lite spec, including inside layers."""
    found = []
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            if isinstance(spec.get("encoding", {}).get(channel), dict):
                found.append(spec["encoding"][channel])
        for layer in spec.get("layer", []):
            found += axis_encodings(layer)
    return found


def test_every_chart_has_titled_axes():
    features, labels = toy_data.two_moons(count=30)
    grid = toy_data.grid_over(features, resolution=5)
    points, values = gradient_descent.loss_grid(gradient_descent.BOWL, resolution=5)
    charts = [part1_charts.decision_map(grid, np.full(25, 0.5), features, labels, "map"),
              part1_charts.loss_surface(points, values, gradient_descent.descend(gradient_descent.BOWL, (1, 1), 0.1, 3),
                                        extra_points=pd.DataFrame({"x": [0.0], "y": [0.0], "kind": ["start"]})),
              part1_charts.lines(pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": ["x", "x"]}), "a", "b", "c",
                                 "A axis", "B axis")]
    for chart in charts:
        encodings = axis_encodings(chart.to_dict())
        assert encodings and all(encoding.get("title") for encoding in encodings if "field" in encoding)
