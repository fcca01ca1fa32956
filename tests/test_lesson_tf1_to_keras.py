"""Lesson 8. From TF1 to Keras 3: lessons/tf1_to_keras.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/tf1_to_keras.py run in AppTest."""

from __future__ import annotations

from lessons import tf1_to_keras
from tests.pages import assert_lesson_parts, metrics, open_page, rerun, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


def test_notes_tf1_code_uses_an_undefined_z_and_never_uses_b():
    assert tf1_to_keras.name_problems(tf1_to_keras.NOTES_CODE) == {"undefined": ["Z"], "unused": ["B", "XW"]}
    repaired = tf1_to_keras.NOTES_CODE.replace("A = tf.sigmoid(Z)", "Z = XW + B\nA = tf.sigmoid(Z)")
    assert tf1_to_keras.name_problems(repaired) == {"undefined": [], "unused": []}


def test_tf1_graph_keras_and_numpy_compute_the_same_layer():
    outputs = tf1_to_keras.compare_layers(seed=2)
    assert outputs["Keras 3 Dense"].shape == (4, 2)
    assert outputs["largest difference"] < 1e-6


# ---- the page --------------------------------------------------------------------------------------


def test_tf1_page_shows_the_bug_and_runs_three_equal_versions():
    app = open_page("views/lessons/tf1_to_keras.py")
    assert_lesson_parts(app, "views/lessons/tf1_to_keras.py", tf1_to_keras)
    assert len(app.code) == 3
    assert "**Z**" in app.error[0].value
    wait_for_demos(rerun(app.button(key="tf1-run").click()))
    assert float(metrics(app)["Largest difference between the three"]) < 1e-6
