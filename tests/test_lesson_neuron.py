"""Lesson 2. The neuron: lessons/neuron.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/neuron.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import neuron, toy_data
from lessons.toy_data import make_dataset
from tests.pages import assert_lesson_parts, metrics, open_page, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


def test_neuron_matches_a_keras_dense_unit(keras):
    inputs = np.random.default_rng(0).normal(size=(6, 2)).astype("float32")
    weights, bias = np.array([2.0, -1.0]), 0.5
    layer = keras.layers.Dense(1, activation="sigmoid")
    layer.build((None, 2))
    layer.set_weights([weights.reshape(2, 1).astype("float32"), np.array([bias], dtype="float32")])
    expected = keras.ops.convert_to_numpy(layer(inputs)).reshape(-1)
    assert np.allclose(neuron.neuron(inputs, weights, bias), expected, atol=1e-6)
    assert neuron.QUESTIONS[0].right_option == f"{neuron.neuron([[1, 1]], weights, bias)[0]:.2f}"


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


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


@pytest.mark.parametrize(("dataset", "best"), [("XOR", 0.79), ("circles", 0.69), ("two moons", 0.90)])
def test_best_line_on_the_pages_data(dataset, best):
    features, labels = make_dataset(dataset, count=200, seed=0)  # what the hand-set neuron shows
    assert neuron.best_line_accuracy(features, labels) == pytest.approx(best)


def test_best_line_is_at_least_as_good_as_any_line_of_a_dense_sweep():
    features, labels = make_dataset("circles", count=60, seed=3)
    exact = neuron.best_line_accuracy(features, labels)
    best_swept = 0.0
    for angle in np.linspace(0, np.pi, 181):
        normal = np.array([np.cos(angle), np.sin(angle)])
        projections = features @ normal
        for offset in np.linspace(projections.min() - 0.01, projections.max() + 0.01, 121):
            said = (projections > offset).astype(float)
            best_swept = max(best_swept, neuron.accuracy(said, labels), neuron.accuracy(1 - said, labels))
    assert best_swept <= exact + 1e-9 and exact - best_swept <= 2 / 60  # the sweep nearly reaches it


def test_best_line_separates_separable_data_and_rejects_bad_shapes():
    points = np.array([[0, 0], [1, 0], [0, 1], [3, 3], [4, 3], [3, 4]], dtype=float)
    assert neuron.best_line_accuracy(points, np.array([0, 0, 0, 1, 1, 1])) == 1.0
    with pytest.raises(ValueError, match="points"):
        neuron.best_line_accuracy(points[:, :1], np.zeros(6))


# ---- the page --------------------------------------------------------------------------------------


def test_neuron_page_quiz_hand_set_accuracy_and_training_three_models():
    app = open_page("views/lessons/neuron.py")
    assert_lesson_parts(app, "views/lessons/neuron.py", neuron)
    question = neuron.QUESTIONS[2]
    wrong = next(index for index in range(len(question.options)) if index != question.answer)
    rerun(app.radio(key="neuron-q3").set_value(wrong))
    assert any("Not quite" in error.value for error in app.error)
    assert any("course notes" in info.value for info in app.info)  # the notes' wrong answer is named
    rerun(app.radio(key="neuron-q3").set_value(question.answer))
    assert any(success.value.startswith("Correct") for success in app.success)
    rerun(app.selectbox(key="neuron-hand-data").set_value("XOR"))
    rerun(app.slider(key="neuron-w2").set_value(-2.0))
    features, labels = make_dataset("XOR", count=200, seed=0)
    expected = neuron.accuracy(neuron.neuron(features, np.array([1.0, -2.0]), 0.0), labels)
    assert metrics(app)["Accuracy of this one neuron"] == f"{expected:.1%}"
    assert any("The best any straight line can do on these 200 points is **79%**" in caption.value
               for caption in app.caption)  # not "far above 50 %": the best line gets 79 % on XOR
