"""Lessons 1-4 (toy data, neuron, activations, gradient descent, losses): every lesson function,
checked against NumPy, TensorFlow autodiff or Keras itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import (
    activations,
    gradient_descent,
    losses,
    ml_basics,
    neuron,
    piecewise,
    toy_data,
)
from lessons.part1_quiz_basics import ACTIVATION_QUESTIONS, GRADIENT_QUESTIONS, NEURON_QUESTIONS


def answer(question):
    return question.options[question.answer]


# --- toy data -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(toy_data.DATASETS))
def test_toy_datasets_are_seeded_float32_and_balanced(name):
    features, labels = toy_data.make_dataset(name, count=101, seed=3)
    again, _ = toy_data.make_dataset(name, count=101, seed=3)
    other, _ = toy_data.make_dataset(name, count=101, seed=4)
    assert features.shape == (101, 2) and features.dtype == np.float32 and labels.dtype == np.float32
    assert set(np.unique(labels)) == {0.0, 1.0} and abs(labels.mean() - 0.5) < 0.1
    assert np.array_equal(features, again) and not np.array_equal(features, other)


def test_xor_labels_follow_the_signs_of_the_coordinates():
    features, labels = toy_data.xor(count=200, noise=0.0, seed=1)
    assert np.array_equal(labels == 1, features[:, 0] * features[:, 1] < 0)


def test_toy_data_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown dataset"):
        toy_data.make_dataset("spiral galaxy")
    with pytest.raises(ValueError, match="noise"):
        toy_data.two_moons(noise=-1)


def test_grid_covers_the_points():
    features, _ = toy_data.two_moons(count=50, seed=0)
    grid = toy_data.grid_over(features, resolution=7)
    assert grid.shape == (49, 2)
    assert np.all(grid.min(axis=0) < features.min(axis=0)) and np.all(grid.max(axis=0) > features.max(axis=0))


# --- lesson 1 ---------------------------------------------------------------------------------------

def test_fit_line_matches_numpy_polyfit():
    x, y = ml_basics.noisy_line(40, seed=2)
    assert np.allclose(ml_basics.fit_line(x, y), np.polyfit(x, y, 1))


def test_split_is_disjoint_and_complete():
    train, test = ml_basics.train_test_split(40, 0.25, seed=1)
    assert len(test) == 10 and sorted(np.concatenate([train, test])) == list(range(40))


def test_nearest_centroid_and_k_means_recover_well_separated_blobs():
    centres = [[-5, 0], [5, 0], [0, 6]]
    features, labels = ml_basics.blobs(150, centres, spread=0.5, seed=0)
    fitted = ml_basics.nearest_centroid_fit(features, labels)
    assert np.mean(ml_basics.nearest_centroid_predict(fitted, features) == labels) == 1.0
    found, assignments, inertia = ml_basics.k_means(features, 3, seed=0)
    # Each true blob maps to exactly one cluster (clusters are unnamed, so compare partitions).
    assert len(set(zip(labels, assignments))) == 3
    assert all(later <= earlier + 1e-9 for earlier, later in zip(inertia, inertia[1:]))


def test_principal_components_match_the_covariance_eigenvalues():
    features, _ = ml_basics.blobs(200, np.random.default_rng(0).normal(0, 3, (3, 5)), seed=1)
    projected, explained = ml_basics.principal_components(features, 2)
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(features.T)))[::-1]
    assert np.allclose(explained, eigenvalues[:2] / eigenvalues.sum())
    assert np.allclose(projected.var(axis=0, ddof=1), eigenvalues[:2])


# --- lesson 2 ---------------------------------------------------------------------------------------

def test_neuron_matches_a_keras_dense_unit(keras):
    inputs = np.random.default_rng(0).normal(size=(6, 2)).astype("float32")
    weights, bias = np.array([2.0, -1.0]), 0.5
    layer = keras.layers.Dense(1, activation="sigmoid")
    layer.build((None, 2))
    layer.set_weights([weights.reshape(2, 1).astype("float32"), np.array([bias], dtype="float32")])
    expected = keras.ops.convert_to_numpy(layer(inputs)).reshape(-1)
    assert np.allclose(neuron.neuron(inputs, weights, bias), expected, atol=1e-6)
    assert answer(NEURON_QUESTIONS[0]) == f"{neuron.neuron([[1, 1]], weights, bias)[0]:.2f}"


def test_boundary_line_lies_on_the_zero_level_set():
    weights, bias = np.array([1.5, -0.5]), 0.3
    points = neuron.boundary_line(weights, bias, (-2, 2), (-2, 2))
    assert len(points) > 5 and np.allclose(points @ weights + bias, 0.0)
    assert len(neuron.boundary_line(np.zeros(2), 1.0, (-1, 1), (-1, 1))) == 0


def test_trained_single_neuron_is_a_linear_cut_and_cannot_solve_circles():
    single = neuron.train_classifier("circles", "one neuron", seed=0, steps=100, resolution=12)
    assert single.parameters == 3 and single.grid_probabilities.shape == (144,)
    # Keras's predictions above 0.5 are exactly the half-plane w·x + b > 0 of the learned weights.
    side = single.grid @ single.weights + single.bias > 0
    assert np.array_equal(single.grid_probabilities > 0.5, side)
    assert single.accuracy < 0.75  # the deep network's accuracy is checked by the page test


# --- lesson 3 ---------------------------------------------------------------------------------------

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
    assert answer(ACTIVATION_QUESTIONS[1]) == "1/4"


def test_relu_derivative_is_a_step_not_sgn():
    assert list(activations.relu_derivative([-2.0, -0.1, 0.5, 3.0])) == [0.0, 0.0, 1.0, 1.0]
    assert answer(ACTIVATION_QUESTIONS[0]) == "0"


def test_curves_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown activations"):
        activations.curves(["swish"])


def test_two_relus_make_the_hard_sigmoid_ramp_exactly():
    x = np.linspace(-3, 3, 121)
    assert np.allclose(piecewise.ramp_from_relus(x, -1.0, 0.5), np.interp(x, [-1.0, 0.5], [0.0, 1.0]))
    middle = piecewise.ramp_from_sigmoid([0.0], -1.0, 1.0)[0]
    above, below = piecewise.ramp_from_sigmoid([1e-5, -1e-5], -1.0, 1.0)
    slope = (above - below) / 2e-5
    assert math.isclose(middle, 0.5) and math.isclose(slope, 0.5, rel_tol=1e-6)  # ramp slope 1 / width


def test_piecewise_fit_is_exact_for_a_curve_with_the_same_knots_and_improves_with_pieces():
    knots = piecewise.knots(4, -3.0, 3.0)
    heights = np.array([0.0, 2.0, -1.0, 0.5, 1.5])
    exact = piecewise.fit(4, target=lambda x: np.interp(x, knots, heights))
    assert exact.rmse < 1e-10
    errors = [piecewise.fit(pieces).rmse for pieces in (1, 2, 4, 8, 16)]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(errors, errors[1:]))  # nested knots
    assert errors[-1] < errors[0] / 20
    assert piecewise.fit(8, kind="sigmoid").rmse < errors[0]
    with pytest.raises(ValueError):
        piecewise.fit(0)


# --- lesson 4 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("surface", [gradient_descent.BOWL, gradient_descent.BUMPY], ids=lambda s: s.name)
def test_surface_gradients_match_finite_differences(surface):
    points = np.random.default_rng(0).uniform(-3, 3, (20, 2))
    nudge = 1e-6
    numeric = np.stack([(surface.loss(points + nudge * direction) - surface.loss(points - nudge * direction))
                        / (2 * nudge) for direction in np.eye(2)], axis=1)
    assert np.allclose(surface.gradient(points), numeric, atol=1e-6)


@pytest.mark.parametrize("step", [0.02, 0.05, 0.09, 0.12, 0.15, 0.19, 0.21, 0.25, 0.3])
def test_bowl_regime_predicts_what_the_walk_does(step):
    path = gradient_descent.descend(gradient_descent.BOWL, (-2.5, 2.0), step, 40)
    assert gradient_descent.bowl_regime(step) == gradient_descent.describe_path(gradient_descent.BOWL, path)


def test_quiz_step_sizes_agree_with_the_regimes():
    question = GRADIENT_QUESTIONS[1]
    regimes = {option: gradient_descent.bowl_regime(float(option)) for option in question.options}
    assert [option for option, regime in regimes.items() if regime == "diverges"] == [answer(question)]


def test_restarts_find_the_deepest_basin_that_one_start_misses():
    surface = gradient_descent.BUMPY
    trapped = gradient_descent.descend(surface, (-1.5, -1.0), 0.1, 300)[-1]
    runs = gradient_descent.random_restarts(surface, 20, seed=1)
    best = min(runs, key=lambda run: run.loss)
    assert np.allclose(trapped, gradient_descent.WELLS[1][:2], atol=0.2)
    assert np.allclose(best.end, gradient_descent.WELLS[0][:2], atol=0.2)
    assert best.loss < surface.loss(trapped) - 0.5
    assert np.linalg.norm(surface.gradient(best.end)) < 1e-4
    # The restarts walk all starts at once; each must end where a single walk from its start ends.
    assert np.allclose(runs[3].end, gradient_descent.descend(surface, runs[3].start, 0.1, 300)[-1])


def test_updates_per_epoch_match_keras_optimizer_steps(keras):
    assert gradient_descent.updates_per_epoch(10_000, 10) == 1000 == int(answer(GRADIENT_QUESTIONS[0]).replace(",", ""))
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((105, 1)), np.zeros((105, 1)), batch_size=10, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == gradient_descent.updates_per_epoch(105, 10) == 11


def test_losses_match_keras(keras):
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 2, 50).astype("float32")
    probabilities = np.clip(rng.uniform(size=50), 0, 1).astype("float32")
    probabilities[:3] = [0.0, 1.0, 1e-9]  # exercise the clipping
    assert math.isclose(losses.binary_cross_entropy(targets, probabilities),
                        float(keras.losses.BinaryCrossentropy()(targets, probabilities)), rel_tol=1e-4)
    values = rng.normal(size=50).astype("float32")
    assert math.isclose(losses.mean_squared_error(targets, values),
                        float(keras.losses.MeanSquaredError()(targets, values)), rel_tol=1e-5)
    assert math.isclose(losses.mean_absolute_error(targets, values),
                        float(keras.losses.MeanAbsoluteError()(targets, values)), rel_tol=1e-5)
    logits = rng.normal(size=(8, 4)).astype("float32")
    one_hot = np.eye(4, dtype="float32")[rng.integers(0, 4, 8)]
    assert np.allclose(losses.softmax(logits), keras.ops.convert_to_numpy(keras.ops.softmax(logits)), atol=1e-6)
    assert math.isclose(losses.categorical_cross_entropy(one_hot, losses.softmax(logits)),
                        float(keras.losses.CategoricalCrossentropy()(one_hot, losses.softmax(logits))), rel_tol=1e-4)


def test_cross_entropy_punishes_confident_mistakes_more_as_the_quiz_says():
    curves = losses.single_example_curves()
    assert curves["cross-entropy"][0] == pytest.approx(-math.log(0.01))
    assert f"{-math.log(0.01):.1f}" in answer(GRADIENT_QUESTIONS[3])
