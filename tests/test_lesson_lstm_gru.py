"""Lesson 12. LSTM and GRU: lessons/lstm_gru.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/lstm_gru.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import gradients as grads
from lessons import lstm_gru as cells
from tests.pages import button, chart_specs, markdown_text, open_page, quiz_radios, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


def test_memory_cell_rows_follow_the_steps():
    inputs = cells.MEMORY_CELL_INPUTS.astype(np.float32)
    steps = cells.lstm_sequence(inputs, cells.memory_cell_weights(), activation="linear")
    rows = cells.memory_cell_rows(inputs, steps)
    assert [row["step"] for row in rows] == list(range(1, len(inputs) + 1))
    assert [row["memory c"] for row in rows] == [float(step["c"][0]) for step in steps]
    assert [row["control"] for row in rows] == inputs[:, 1].tolist()


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_a_write_adds_to_the_memory_while_the_forget_gate_is_open():
    writes = cells.memory_writes()
    for write in writes:
        assert write["after"] == pytest.approx(write["before"] + write["value"], abs=1e-3)
    added = next(write for write in writes if abs(write["before"]) > 0.5)  # the page's example
    assert (added["step"], round(added["before"]), round(added["after"])) == (4, 3, 7)


def test_a_forget_bias_of_one_gives_about_073_not_one():
    weights = cells.random_lstm(2, 4, seed=0, scale=0.0, forget_bias=1.0)  # nothing but the bias
    step = cells.lstm_step(np.zeros(2), np.zeros(4), np.zeros(4), weights)
    assert step["f"] == pytest.approx(np.full(4, 0.7311), abs=1e-4)
    demo = grads.lstm_forget_gates(60, gain=0.8, forget_bias=1.0)  # the chart's default LSTM
    assert demo.shape == (60, 32) and abs(demo.mean() - 0.73) < 0.02


# ---- the page --------------------------------------------------------------------------------------


def test_lstm_page_steps_the_memory_cell_checks_keras_and_plots_sensitivities():
    app = open_page("views/lessons/lstm_gru.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Forget gate f"] == "0.99995" and metrics["Output h"].startswith("6.99")  # step 6 reads 7
    assert "at step 4 the memory goes from 3 to 7 (3 + 4)" in markdown_text(app)
    assert "f = σ(1) ≈ 0.73" in markdown_text(app)
    assert any("forget gates average 0.73" in caption.value for caption in app.caption)
    assert app.expander[0].label == "The course notes, checked (1 wrong, 2 partly right, 2 right)"
    badges = [block.value.split("]")[0] for block in app.markdown if "-badge[" in block.value]
    assert sum("green-badge" in badge for badge in badges) == 2 and any("red-badge" in badge for badge in badges)
    app.slider[0].set_value(7).run()  # control = -1: erase
    assert {metric.label: metric.value for metric in app.metric}["Forget gate f"] == "0"
    wait_for_demos(button(app, "Check against keras.layers.LSTM").click().run())  # Keras runs in a worker
    lstm_check = app.success[0].value
    assert float(lstm_check.split("largest difference from the table: ")[1].rstrip(".")) < 1e-4
    app.slider[1].set_value(-1.5).run()
    wait_for_demos(button(app, "Check against keras.layers.GRU").click().run())
    gru_check = next(item.value for item in app.success if "previous state" in item.value)
    keras_value, ours = gru_check.split("h = ")[1].split(" (above: ")
    assert float(keras_value) == pytest.approx(float(ours.rstrip(").")), abs=1e-5)
    assert app.success[0].value == lstm_check  # its sequence did not change, so its check still holds
    app.slider[3].set_value(6.0).run()
    assert chart_specs(app) and len(quiz_radios(app)) == len(cells.QUESTIONS) and not app.exception
