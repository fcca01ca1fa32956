"""Lesson 20. Transfer learning: lessons/transfer.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/transfer.py run in AppTest."""

from __future__ import annotations

import pickle

import numpy as np

from lessons import transfer
from tests.pages import markdown_text, open_page, rerun, wait_for_result
from ui.catalog import LESSONS

# ---- its math against NumPy and Keras --------------------------------------------------------------


def test_digits_subset_renumbers_the_new_digits():
    images = np.arange(10 * 4, dtype=np.uint8).reshape(10, 2, 2)
    subset, labels = transfer.digits_subset(images, np.arange(10, dtype=np.uint8), transfer.NEW_DIGITS)
    assert subset.shape == (5, 2, 2, 1) and list(labels) == [0, 1, 2, 3, 4]
    assert subset.max() <= 1.0


def test_passes_bound_the_images_each_way_sees():
    assert [transfer.passes_for(labels) for labels in (50, 300, 1000)] == [40, 40, 12]
    assert all(transfer.passes_for(labels) * labels <= transfer.MAX_IMAGES_SEEN for labels in (300, 1000, 5000))


def test_the_two_cuts_share_the_reused_layers(keras):
    model, bodies = transfer.build_network(5)
    assert bodies["dense"].output.shape[-1] == 128 and bodies["convolutional"].output.shape[-1] == 1600
    weights = [np.full_like(array, 0.01) for array in bodies["dense"].get_weights()]
    bodies["dense"].set_weights(weights)
    for mine in bodies["convolutional"].get_weights():
        np.testing.assert_allclose(mine, 0.01)
    assert model.output.shape[-1] == 5


def test_pretrain_and_reuse_on_tiny_mnist(tiny_mirror):
    pretrained = transfer.pretrain(train_size=100, epochs=1)
    assert 0.0 <= pretrained.old_accuracy <= 1.0 and pretrained.train_images <= 100
    result = transfer.reuse(pretrained.weights, labels=20, passes=1, shown=40)
    assert [item.name for item in result.results][-1] == transfer.SCRATCH and len(result.results) == 3
    assert result.results[0].trained_parameters == 128 * 5 + 5
    assert result.results[1].trained_parameters == 1600 * 5 + 5
    assert set(result.agreement) == {"pixels", "dense", "convolutional"}
    assert all(coords.shape == (40, 2) for coords in result.coordinates.values())
    # the worker sends this result to the server through a multiprocessing queue, which pickles it:
    # a round trip of the app's own object, never of user data
    pickle.loads(pickle.dumps(result))


# ---- the page --------------------------------------------------------------------------------------


def test_transfer_lesson_trains_two_steps_in_workers(tiny_mirror):
    app = open_page("views/lessons/transfer.py")
    assert app.title[0].value == next(page.title for page in LESSONS if page.script == "views/lessons/transfer.py")
    assert len([radio for radio in app.radio if radio.key.startswith("transfer-q")]) == len(transfer.QUESTIONS)
    assert any(expander.label.startswith("The course notes, checked (2 wrong)") for expander in app.expander)
    rerun(app.button(key="transfer-pretrain").click())
    wait_for_result(app, "Accuracy on the test digits 0–4")
    rerun(app.select_slider(key="transfer-labels").set_value(50))
    rerun(app.button(key="transfer-reuse").click())
    wait_for_result(app, "accuracy on all test 5–9")
    table = next(frame.value for frame in app.dataframe if "accuracy on all test 5–9" in frame.value.columns)
    assert len(table) == 3 and table["parameters trained"].iloc[0] == 128 * 5 + 5
    best = table.loc[table["accuracy on all test 5–9"].idxmax()]
    assert f"the best is **{best['way']}** ({best['accuracy on all test 5–9']:.1%})" in markdown_text(app)
