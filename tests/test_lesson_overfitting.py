"""Lesson 7. Overfitting and regularisation: lessons/overfitting.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/overfitting.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import overfitting
from tests.pages import assert_lesson_parts, chart_specs, metrics, open_page, rerun, wait_for_demos

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


@pytest.mark.parametrize("rate", [0.0, 0.5, 0.9])
def test_dropout_effect_zeroes_about_the_rate_and_keeps_the_mean(rate):
    effect = overfitting.dropout_effect(rate)
    assert abs(effect["zeroed"] - rate) < 0.02 and abs(effect["mean"] - 1.0) < 0.05


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


# ---- the page --------------------------------------------------------------------------------------


def test_overfitting_page_polynomials_dropout_and_early_stopping():
    app = open_page("views/lessons/overfitting.py")
    assert_lesson_parts(app, "views/lessons/overfitting.py", overfitting)
    rerun(app.slider(key="overfit-degree").set_value(14))
    assert float(metrics(app)["Training MSE"]) < 1e-4
    assert float(metrics(app)["Validation MSE"]) > 1.0
    rerun(app.slider(key="overfit-steps").set_value(50))
    wait_for_demos(rerun(app.button(key="overfit-train").click()))
    # This click is also the test of overfitting.regularisation_runs (training is the slow part).
    table = app.dataframe[0].value.set_index("model")
    assert list(table.index) == list(overfitting.VARIANTS)
    plain, dropped = table.loc["no regularisation"], table.loc["dropout 0.5"]
    assert plain["final training loss"] < 0.5 * plain["final validation loss"]  # memorised the 40 points
    assert plain["final validation loss"] > plain["best validation loss"]  # validation turned upwards
    assert dropped["final training loss"] > plain["final training loss"]  # dropout slows memorising
    assert (table["best epoch"] <= table["early stopping stops after epoch"]).all()
    assert (table["early stopping stops after epoch"] <= 50).all()
    rerun(app.slider(key="overfit-patience").set_value(5))
    assert chart_specs(app)
    assert (app.dataframe[0].value["early stopping stops after epoch"]
            == app.dataframe[0].value["best epoch"] + 5).all()
