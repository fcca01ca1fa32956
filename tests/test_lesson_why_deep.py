"""Lesson 6. Why deep?: lessons/why_deep.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/why_deep.py run in AppTest."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lessons import end_to_end, why_deep
from lessons.why_deep import dense_parameter_count
from tests.pages import (
    assert_lesson_parts,
    chart_specs,
    charts_plotting,
    open_page,
    rerun,
    wait_for_demos,
    wait_for_result,
)

# ---- its math against NumPy and Keras --------------------------------------------------------------


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
    assert why_deep.QUESTIONS[3].right_option == str(why_deep.dense_parameter_count(2, [100]))


@pytest.mark.parametrize("depth", range(1, 7))
def test_relu_sawtooth_is_the_composed_tent_map_with_two_to_the_d_pieces(depth):
    x = np.linspace(0.0, 1.0, 2 ** depth * 16 + 1)
    y = why_deep.relu_sawtooth(x, depth)
    assert np.allclose(y, why_deep.sawtooth(x, depth))
    assert why_deep.count_linear_pieces(x, y) == 2 ** depth
    costs = why_deep.sawtooth_costs(depth)
    assert costs["deep ReLU net (width 2)"] == 6 * depth + 1
    assert costs["one hidden layer (one unit per kink)"] == 3 * 2 ** depth - 2


def test_dense_representations_match_the_keras_layers(keras):
    from models.mnist import build_dnn

    model = build_dnn(hidden_units=end_to_end.HIDDEN)
    images = np.random.default_rng(4).uniform(0, 1, (5, 28, 28)).astype(np.float32)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    probe = keras.Model(model.input, [layer.output for layer in dense])
    ours = end_to_end.dense_representations(model.get_weights(), images)
    assert len(ours) == len(dense) + 1
    np.testing.assert_allclose(ours[0], images.reshape(5, -1))
    for mine, theirs in zip(ours[1:], probe(images[..., None])):
        np.testing.assert_allclose(mine, np.asarray(theirs), rtol=1e-4, atol=1e-5)


def test_neighbours_and_the_two_telling_pairs():
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.2, 5.0], [0.0, 0.3]])
    labels = np.array([0, 1, 1, 1, 0])
    assert end_to_end.nearest_neighbour_agreement(points, labels) == pytest.approx(3 / 5)
    pairs = end_to_end.telling_pairs(points, labels, np.ones(5, dtype=bool))
    assert pairs["similar inputs, different digits"] == (0, 1)
    assert set(pairs["different inputs, same digit"]) in ({1, 3}, {1, 2})
    np.testing.assert_allclose(end_to_end.pairwise_distances(points)[2, 3], 0.2)


def test_train_and_trace_on_tiny_mnist(tiny_mirror):
    result = end_to_end.train_and_trace(train_size=200, epochs=1, shown=60)
    assert len(result.layer_names) == len(result.coordinates) == len(result.agreement) == len(end_to_end.HIDDEN) + 2
    assert all(coords.shape == (60, 2) for coords in result.coordinates)
    assert set(result.relative_distances) == set(result.pairs)
    # the worker sends this result to the server through a multiprocessing queue, which pickles it:
    # a round trip of the app's own object, never of user data
    pickle.loads(pickle.dumps(result))


# ---- the page --------------------------------------------------------------------------------------


def test_the_texts_claim_about_the_spirals_holds_at_its_budget_and_steps(keras):
    """why_deep.md: "at a budget of 400 and 300 steps, the deep-narrow network fitted the spirals
    perfectly for every seed we tried while the shallow-wide one stopped a few per cent short"."""
    for seed in range(3):
        shallow, deep = why_deep.compare_depth(budget=400, seed=seed, steps=300, resolution=5)
        assert deep.train_accuracy == 1.0, seed
        assert 0.9 <= shallow.train_accuracy < 1.0, seed


def test_why_deep_page_counts_pieces_and_trains_both_networks():
    app = open_page("views/lessons/why_deep.py")
    assert_lesson_parts(app, "views/lessons/why_deep.py", why_deep)
    rerun(app.slider(key="deep-depth").set_value(5))
    assert chart_specs(app)[0]["title"] == "32 straight pieces"
    rerun(app.slider(key="deep-budget").set_value(150))
    rerun(app.slider(key="deep-steps").set_value(50))
    wait_for_demos(rerun(app.button(key="deep-train").click()))
    assert charts_plotting(app, "probability") == 2  # a decision map per network
    table = app.dataframe[1].value
    assert list(table["network"]) == ["shallow and wide", "deep and narrow"]
    hidden = [parse_widths(text) for text in table["hidden layers"]]
    assert hidden == [[37], [6, 6, 6, 6]]  # 149 and 151 parameters: the closest to a budget of 150
    assert [dense_parameter_count(2, widths) for widths in hidden] == list(table["parameters (Keras)"])
    assert table["training accuracy"].between(0, 1).all() and table["validation accuracy"].between(0, 1).all()
    losses = chart_specs(app)[3]
    assert losses["encoding"]["strokeDash"]["field"] == "data"  # training and validation curves


def test_end_to_end_section_trains_in_a_worker_and_traces_the_layers(tiny_mirror):
    app = open_page("views/lessons/why_deep.py")
    rerun(app.button(key="end-to-end-train").click())
    wait_for_result(app, "Test accuracy of the trained DNN")
    table = next(frame.value for frame in app.dataframe
                 if "nearest neighbour has the same digit" in frame.value.columns)
    assert len(table) == len(end_to_end.HIDDEN) + 2 and table["layer"].iloc[0] == "pixels"
    assert len(app.get("image")) == 2  # the two pairs of digits
    rerun(app.select_slider(key="end-to-end-layer").set_value("pixels"))
    assert any("Test digits in pixels (PCA)" in chart.proto.spec for chart in app.get("vega_lite_chart"))


def parse_widths(text: str) -> list[int]:
    """'[10, 10]' -> [10, 10] without eval."""
    return [int(part) for part in text.strip("[]").split(",")]
