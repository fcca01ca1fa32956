"""AppTests for the lessons index and lessons 1-8: each page renders, shows its demo, quiz and
corrections, and the pages that train do so when the button is pressed (with the fewest steps)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lessons import activations, neuron, overfitting
from lessons.part1_quiz_basics import NEURON_QUESTIONS
from lessons.quiz_added import END_TO_END_QUESTIONS, LOSS_QUESTIONS, SOFTMAX_QUESTIONS, SUPERVISED_QUESTIONS
from lessons.toy_data import make_dataset
from lessons.why_deep import dense_parameter_count
from tests.pages import wait_for_demos
from ui.catalog import LESSONS, ROOT


def open_page(script: str, timeout: float = 120) -> AppTest:
    """Through dashboard.py's navigation, as a user arrives (st.page_link needs the navigation)."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    app.run()
    app.switch_page(script)
    app.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def run(changed) -> AppTest:
    """Rerun after a widget change (`widget.run()` reruns its app) and fail on any exception."""
    app = changed.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def charts(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def quiz_keys(app: AppTest, key: str) -> list[str]:
    return [radio.key for radio in app.radio if radio.key and radio.key.startswith(f"{key}-q")]


def assert_lesson_parts(app: AppTest, script: str, key: str, questions: int) -> None:
    """Header from the catalog, the quiz radios, the corrections expander and the next-step links."""
    assert app.title[0].value == next(page.title for page in LESSONS if page.script == script)
    assert len(quiz_keys(app, key)) == questions
    assert any(expander.label.startswith("The course notes, checked") for expander in app.expander)
    assert any(header.value == "Next" for header in app.subheader)


def test_index_lists_every_lesson_in_catalog_order_with_minutes():
    app = open_page("views/lessons/index.py")
    lessons = [page for page in LESSONS if page.minutes]
    ready = [page for page in lessons if page.exists]
    assert metrics(app)["Lessons"] == str(len(lessons))
    assert metrics(app)["Time for the available ones"] == f"{sum(page.minutes for page in ready)} min"
    linked = [link.proto.label for link in app.get("page_link")]
    assert [title for title in linked if title in {page.title for page in lessons}] == [page.title for page in ready]
    texts = " ".join(block.value for block in app.markdown)
    for page in lessons:
        assert f"**{page.minutes} min**" in texts
        assert page.exists or page.title in texts


def test_intro_solves_each_kind_of_problem():
    app = open_page("views/lessons/intro.py")
    assert_lesson_parts(app, "views/lessons/intro.py", "intro", 5 + len(SUPERVISED_QUESTIONS))
    assert "Training MSE" in metrics(app) and charts(app)
    for task in ("binary classification", "multi-class classification", "clustering", "dimensionality reduction"):
        run(app.radio(key="intro-task").set_value(task))
        assert charts(app), task
    assert float(metrics(app)["Variance kept by the two components"].rstrip("%")) > 50


def test_neuron_page_quiz_hand_set_accuracy_and_training_three_models():
    app = open_page("views/lessons/neuron.py")
    assert_lesson_parts(app, "views/lessons/neuron.py", "neuron", 5)
    question = NEURON_QUESTIONS[2]
    wrong = next(index for index in range(len(question.options)) if index != question.answer)
    run(app.radio(key="neuron-q3").set_value(wrong))
    assert any("Not quite" in error.value for error in app.error)
    assert any("course notes" in info.value for info in app.info)  # the notes' wrong answer is named
    run(app.radio(key="neuron-q3").set_value(question.answer))
    assert any(success.value.startswith("Correct") for success in app.success)
    run(app.selectbox(key="neuron-hand-data").set_value("XOR"))
    run(app.slider(key="neuron-w2").set_value(-2.0))
    features, labels = make_dataset("XOR", count=200, seed=0)
    expected = neuron.accuracy(neuron.neuron(features, np.array([1.0, -2.0]), 0.0), labels)
    assert metrics(app)["Accuracy of this one neuron"] == f"{expected:.1%}"
    assert any("The best any straight line can do on these 200 points is **79%**" in caption.value
               for caption in app.caption)  # not "far above 50 %": the best line gets 79 % on XOR
    # Training the three models through this page is tests/test_lesson_training.py's real-page test.


def test_activations_page_plots_slopes_and_fits_more_pieces_better():
    app = open_page("views/lessons/activations.py")
    assert_lesson_parts(app, "views/lessons/activations.py", "activations", 4 + len(SOFTMAX_QUESTIONS))
    summary = app.dataframe[0].value.set_index("activation")
    assert summary.loc["sigmoid", "largest slope on [-6, 6]"] == pytest.approx(0.25)
    assert len(charts(app)) == 6  # two of them in the softmax section
    coarse = float(metrics(app)["Root-mean-square error of the fit"])
    run(app.slider(key="activations-pieces").set_value(16))
    fine = float(metrics(app)["Root-mean-square error of the fit"])
    assert fine < coarse / 5
    run(app.radio(key="activations-kind").set_value("sigmoid"))
    run(app.multiselect(key="activations-shown").set_value(list(activations.ACTIVATIONS)))
    assert len(app.dataframe[0].value) == len(activations.ACTIVATIONS)


def test_gradient_descent_page_shows_each_regime_and_updates_per_epoch():
    app = open_page("views/lessons/gradient_descent.py")
    assert_lesson_parts(app, "views/lessons/gradient_descent.py", "gradient-descent", 5 + len(LOSS_QUESTIONS))
    assert metrics(app)["Predicted from 1 − step·curvature"] == "converges smoothly"
    run(app.slider(key="gd-step").set_value(0.15))
    assert metrics(app)["Predicted from 1 − step·curvature"] == "oscillates but converges"
    run(app.slider(key="gd-step").set_value(0.25))
    assert metrics(app)["Predicted from 1 − step·curvature"] == "diverges"
    assert metrics(app)["Parameter updates per epoch"] == "1,000"
    run(app.number_input(key="gd-examples").set_value(10_005))
    assert metrics(app)["Parameter updates per epoch"] == "1,001"
    run(app.slider(key="gd-starts").set_value(12))
    assert len(app.dataframe[0].value) == 12


def test_backprop_page_tables_and_initialisation_experiment():
    app = open_page("views/lessons/backprop.py")
    assert_lesson_parts(app, "views/lessons/backprop.py", "backprop", 5)
    assert app.get("graphviz_chart")
    forward, backward = app.dataframe[0].value, app.dataframe[1].value
    assert forward.set_index("quantity").loc["z1[1]", "value"] == 4.0 and len(backward) == 15
    assert float(metrics(app)["Largest gap to a finite-difference estimate"]) < 1e-8
    run(app.button(key="backprop-run").click())
    results = app.dataframe[2].value
    assert len(results) == 9 and results.loc[0, "final loss"] == pytest.approx(0.25)
    assert results["XOR solved"].any() and not results["XOR solved"].all()
    unsolved = int((~results.loc[1:, "XOR solved"]).sum())
    sentence = next(block.value for block in app.markdown if block.value.startswith("From all zeros"))
    assert f"{unsolved} of the 8 random starts" in sentence and "**plateau**" in sentence


def test_why_deep_page_counts_pieces_and_trains_both_networks():
    app = open_page("views/lessons/why_deep.py")
    assert_lesson_parts(app, "views/lessons/why_deep.py", "why-deep", 5 + len(END_TO_END_QUESTIONS))
    run(app.slider(key="deep-depth").set_value(5))
    assert charts(app)[0]["title"] == "32 straight pieces"
    run(app.slider(key="deep-budget").set_value(150))
    run(app.slider(key="deep-steps").set_value(50))
    wait_for_demos(run(app.button(key="deep-train").click()))
    assert len(charts(app)) == 4  # sawtooth, two decision maps, loss curves
    table = app.dataframe[1].value
    assert list(table["network"]) == ["shallow and wide", "deep and narrow"]
    hidden = [parse_widths(text) for text in table["hidden layers"]]
    assert hidden == [[37], [6, 6, 6, 6]]  # 149 and 151 parameters: the closest to a budget of 150
    assert [dense_parameter_count(2, widths) for widths in hidden] == list(table["parameters (Keras)"])
    assert table["training accuracy"].between(0, 1).all() and table["validation accuracy"].between(0, 1).all()
    losses = charts(app)[3]
    assert losses["encoding"]["strokeDash"]["field"] == "data"  # training and validation curves


def parse_widths(text: str) -> list[int]:
    """'[10, 10]' -> [10, 10] without eval."""
    return [int(part) for part in text.strip("[]").split(",")]


def test_overfitting_page_polynomials_dropout_and_early_stopping():
    app = open_page("views/lessons/overfitting.py")
    assert_lesson_parts(app, "views/lessons/overfitting.py", "overfitting", 5)
    run(app.slider(key="overfit-degree").set_value(14))
    assert float(metrics(app)["Training MSE"]) < 1e-4
    assert float(metrics(app)["Validation MSE"]) > 1.0
    run(app.slider(key="overfit-steps").set_value(50))
    wait_for_demos(run(app.button(key="overfit-train").click()))
    # This click is also the test of overfitting.regularisation_runs (training is the slow part).
    table = app.dataframe[0].value.set_index("model")
    assert list(table.index) == list(overfitting.VARIANTS)
    plain, dropped = table.loc["no regularisation"], table.loc["dropout 0.5"]
    assert plain["final training loss"] < 0.5 * plain["final validation loss"]  # memorised the 40 points
    assert plain["final validation loss"] > plain["best validation loss"]  # validation turned upwards
    assert dropped["final training loss"] > plain["final training loss"]  # dropout slows memorising
    assert (table["best epoch"] <= table["early stopping stops after epoch"]).all()
    assert (table["early stopping stops after epoch"] <= 50).all()
    run(app.slider(key="overfit-patience").set_value(5))
    assert len(charts(app)) == 3
    assert (app.dataframe[0].value["early stopping stops after epoch"]
            == app.dataframe[0].value["best epoch"] + 5).all()


def test_tf1_page_shows_the_bug_and_runs_three_equal_versions():
    app = open_page("views/lessons/tf1_to_keras.py")
    assert_lesson_parts(app, "views/lessons/tf1_to_keras.py", "tf1", 4)
    assert len(app.code) == 3
    assert "**Z**" in app.error[0].value
    wait_for_demos(run(app.button(key="tf1-run").click()))
    assert float(metrics(app)["Largest difference between the three"]) < 1e-6
