"""AppTests of the topics added to the lessons and of the two new lessons. Demos that train run in a
worker process on the tiny fixture data; the test reruns the page until the result is shown."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import attention, end_to_end, go_board, jordan, losses, softmax
from lessons.quiz_added import ATTENTION_QUESTIONS, TRANSFER_QUESTIONS
from tests.pages import open_page, wait_for_demos
from ui.catalog import LESSONS

WORKER_WAIT = 300  # seconds: a spawned worker imports TensorFlow, on two shared cores


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def text(app) -> str:
    return "\n".join(element.value for element in app.markdown)


def captions(app) -> str:
    return "\n".join(element.value for element in app.caption)


def run(element):
    app = element.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def wait_for_result(app, shown: str) -> None:
    """Wait for the page's worker (tests.pages.wait_for_demos), then check the demo finished well."""
    wait_for_demos(app, WORKER_WAIT)
    assert not [error.value for error in app.error], [error.value for error in app.error]
    assert shown in metrics(app) or any(shown in frame.value.columns for frame in app.dataframe), shown


def test_softmax_section_computes_the_table_the_loss_and_the_temperature():
    app = open_page("views/lessons/activations.py")
    table = next(frame.value for frame in app.dataframe if "logit z" in frame.value.columns)
    logits = list(table["logit z"])
    expected = softmax.explain(logits, 0, 1.0)
    np.testing.assert_allclose(table["probability"], expected.probabilities)
    assert metrics(app)["Cross-entropy −log p(true class)"] == f"{expected.loss:.4f}"
    assert metrics(app)["Sum of the probabilities"] == "1.000000"
    run(app.select_slider(key="softmax-temperature").set_value(0.1))
    run(app.radio(key="softmax-true").set_value(2))
    table = next(frame.value for frame in app.dataframe if "logit z" in frame.value.columns)
    assert table["probability"].max() > 0.99  # nearly the hard max
    assert metrics(app)["Cross-entropy −log p(true class)"] == f"{softmax.cross_entropy(logits, 2, 0.1):.4f}"
    np.testing.assert_allclose(table["gradient of the loss, (p − y) / T"],
                               softmax.cross_entropy_gradient(logits, 2, 0.1))


def test_losses_section_finds_mean_median_quantile_and_separates_people():
    app = open_page("views/lessons/gradient_descent.py")
    run(app.slider(key="losses-outlier").set_value(120))
    table = next(frame.value for frame in app.dataframe if "best c (searched)" in frame.value.columns)
    targets = np.array([*losses.DELIVERY_MINUTES, 120.0])
    best = dict(zip(table["loss"], table["best c (searched)"]))
    assert best["squared error (L2)"] == pytest.approx(targets.mean(), abs=0.01)
    assert best["absolute error (L1)"] == pytest.approx(np.median(targets))
    assert best["pinball, q = 0.8"] == pytest.approx(np.quantile(targets, 0.8, method="inverted_cdf"))
    moved = dict(zip(table["loss"], table["moved by the outlier"]))
    assert moved["squared error (L2)"] == pytest.approx((120 - 21) / 9, abs=0.01)
    assert moved["absolute error (L1)"] == 0.0
    run(app.slider(key="losses-steps").set_value(0))
    assert "no single distance threshold separates" in captions(app)
    run(app.slider(key="losses-steps").set_value(300))
    assert "Now one distance threshold tells every same pair" in captions(app)
    assert float(metrics(app)["Largest distance, same person"]) < float(
        metrics(app)["Smallest distance, different people"])


def test_supervised_section_compares_labels_with_k_means():
    app = open_page("views/lessons/intro.py")
    assert "finds them without labels" in captions(app)
    run(app.radio(key="intro-supervision-data").set_value("long, thin classes"))
    assert "k-means found two groups, but not the classes" in captions(app)
    found = metrics(app)
    assert float(found["Supervised: test accuracy (nearest centroid)"].rstrip("%")) > 95
    assert float(found["Unsupervised: k-means clusters that match the classes"].rstrip("%")) < 70


def test_alphago_section_marks_the_move_and_shows_what_pooling_merges():
    app = open_page("views/lessons/convolution.py")
    row, col = go_board.capture_point(9, 4, "up")
    assert f"**row {row}, column {col}**" in text(app) and "it stands for 4 points" in text(app)
    run(app.slider(key="go-row").set_value(0))
    run(app.slider(key="go-col").set_value(0))
    assert app.segmented_control(key="go-side").options == ["down", "right"]
    run(app.segmented_control(key="go-side").set_value("right"))
    assert "**row 0, column 1**" in text(app) and "(0, 0), (1, 0), (1, 1)" in text(app)
    assert f"{go_board.receptive_field()} points after AlphaGo's 13 layers" in captions(app)


def test_jordan_section_reports_the_measured_comparison():
    app = open_page("views/lessons/rnn.py")
    assert any(info.value.startswith("Pick a task and press the button") for info in app.info)
    # The training itself is covered by the lesson tests; a tiny run stands in for it here.
    app.session_state["jordan-result"] = (("echo",), jordan.compare_memories("echo", units=4, epochs=1,
                                                                             count=64, length=6))
    run(app.radio(key="jordan-task").set_value("echo"))
    table = next(frame.value for frame in app.dataframe if "network" in frame.value.columns)
    assert list(table["network"]) == list(jordan.KINDS)
    scores = dict(zip(table["network"], table["steps right on new sequences"]))
    assert f"Elman {scores['Elman']:.0%}, Jordan {scores['Jordan']:.0%}" in text(app)
    assert "no amount of training helps" in text(app)


def test_end_to_end_section_trains_in_a_worker_and_traces_the_layers(tiny_mirror):
    app = open_page("views/lessons/why_deep.py")
    run(app.button(key="end-to-end-train").click())
    wait_for_result(app, "Test accuracy of the trained DNN")
    table = next(frame.value for frame in app.dataframe
                 if "nearest neighbour has the same digit" in frame.value.columns)
    assert len(table) == len(end_to_end.HIDDEN) + 2 and table["layer"].iloc[0] == "pixels"
    assert len(app.get("image")) == 2  # the two pairs of digits
    run(app.select_slider(key="end-to-end-layer").set_value("pixels"))
    assert any("Test digits in pixels (PCA)" in chart.proto.spec for chart in app.get("vega_lite_chart"))


def test_deep_dream_section_on_the_shared_cnn(tiny_mirror):
    app = open_page("views/lessons/cnn_features.py")
    next(item for item in app.button if item.label == "Train the model").click().run()
    wait_for_demos(app, WORKER_WAIT)  # the shared CNN is trained in a worker and stored
    assert not app.exception and not app.error
    assert any(info.value.startswith("Press the button to dream") for info in app.info)
    run(app.slider(key="dream-steps").set_value(5))
    run(app.button(key="dream-run").click())
    found = metrics(app)
    layer = app.selectbox(key="dream-layer").value
    before, after = found[f"Activity of {layer}"], found["Strong values pushed further the same way"]
    assert float(before) > 0 and after.endswith("%")
    assert len(app.get("image")) >= 3 + 3  # the lesson's images and the dream's three


def test_transfer_lesson_trains_two_steps_in_workers(tiny_mirror):
    app = open_page("views/lessons/transfer.py")
    assert app.title[0].value == next(page.title for page in LESSONS if page.script == "views/lessons/transfer.py")
    assert len([radio for radio in app.radio if radio.key.startswith("transfer-q")]) == len(TRANSFER_QUESTIONS)
    assert any(expander.label.startswith("The course notes, checked (2 wrong)") for expander in app.expander)
    run(app.button(key="transfer-pretrain").click())
    wait_for_result(app, "Accuracy on the test digits 0–4")
    run(app.select_slider(key="transfer-labels").set_value(50))
    run(app.button(key="transfer-reuse").click())
    wait_for_result(app, "accuracy on all test 5–9")
    table = next(frame.value for frame in app.dataframe if "accuracy on all test 5–9" in frame.value.columns)
    assert len(table) == 3 and table["parameters trained"].iloc[0] == 128 * 5 + 5
    best = table.loc[table["accuracy on all test 5–9"].idxmax()]
    assert f"the best is **{best['way']}** ({best['accuracy on all test 5–9']:.1%})" in text(app)


def test_attention_lesson_trains_and_reads_the_learners_sentence(tiny_mirror):
    app = open_page("views/lessons/attention.py")
    assert len([radio for radio in app.radio if radio.key.startswith("attention-q")]) == len(ATTENTION_QUESTIONS)
    run(app.button(key="attention-train").click())
    wait_for_result(app, "P(positive)")
    table = next(frame.value for frame in app.dataframe if "adds to the verdict" in frame.value.columns)
    assert table["weight"].sum() == pytest.approx(1.0, abs=1e-6)
    run(app.text_area(key="attention-text").input("Wonderful, wonderful film!"))
    table = next(frame.value for frame in app.dataframe if "adds to the verdict" in frame.value.columns)
    assert list(table["word"]) == ["wonderful", "wonderful", "film"]
    assert table["weight"].iloc[0] == pytest.approx(table["weight"].iloc[1])
    trained = app.session_state["attention-result"][1]
    reading = attention.read(trained.weights, "Wonderful, wonderful film!")
    assert metrics(app)["P(positive)"] == f"{reading.probability:.1%}"
    logit = table["adds to the verdict"].sum() + trained.weights.output_bias
    assert reading.probability == pytest.approx(1 / (1 + math.exp(-logit)))
    run(app.text_area(key="attention-text").input("?!"))
    assert "no words" in app.warning[0].value


def attention_demo_imports() -> list[str]:
    """Train lesson 21's model through its page and read a sentence; which of TensorFlow and Keras
    this process imported by then (the mirror is set up by the caller)."""
    import sys

    app = open_page("views/lessons/attention.py")
    app.button(key="attention-train").click().run()
    wait_for_demos(app, WORKER_WAIT)
    app.text_area(key="attention-text").input("a dull, boring film").run()
    assert "P(positive)" in metrics(app) and not app.exception
    return sorted(name for name in ("tensorflow", "keras") if name in sys.modules)


def test_attention_lesson_reads_sentences_without_tensorflow_in_the_server(tiny_mirror):
    import json
    import os
    import subprocess
    import sys

    from ui.catalog import ROOT

    code = ("import json; from tests.test_pages_lessons_added import attention_demo_imports; "
            "print(json.dumps(attention_demo_imports()))")
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=os.environ.copy(), capture_output=True,
                               text=True, timeout=2 * WORKER_WAIT)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []
