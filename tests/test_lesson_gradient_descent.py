"""Lesson 4. Loss and gradient descent: lessons/gradient_descent.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/gradient_descent.py run in AppTest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import activations
from lessons import gradient_descent as gd
from tests.pages import assert_lesson_parts, captions, metrics, open_page, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


@pytest.mark.parametrize("surface", [gd.BOWL, gd.BUMPY], ids=lambda s: s.name)
def test_surface_gradients_match_finite_differences(surface):
    points = np.random.default_rng(0).uniform(-3, 3, (20, 2))
    nudge = 1e-6
    numeric = np.stack([(surface.loss(points + nudge * direction) - surface.loss(points - nudge * direction))
                        / (2 * nudge) for direction in np.eye(2)], axis=1)
    assert np.allclose(surface.gradient(points), numeric, atol=1e-6)


@pytest.mark.parametrize("step", [0.02, 0.05, 0.09, 0.12, 0.15, 0.19, 0.21, 0.25, 0.3])
def test_bowl_regime_predicts_what_the_walk_does(step):
    path = gd.descend(gd.BOWL, (-2.5, 2.0), step, 40)
    assert gd.bowl_regime(step) == gd.describe_path(gd.BOWL, path)


def test_quiz_step_sizes_agree_with_the_regimes():
    question = gd.QUESTIONS[1]
    regimes = {option: gd.bowl_regime(float(option)) for option in question.options}
    assert [option for option, regime in regimes.items() if regime == "diverges"] == [question.right_option]


def test_restarts_find_the_deepest_basin_that_one_start_misses():
    surface = gd.BUMPY
    trapped = gd.descend(surface, (-1.5, -1.0), 0.1, 300)[-1]
    runs = gd.random_restarts(surface, 20, seed=1)
    best = min(runs, key=lambda run: run.loss)
    assert np.allclose(trapped, gd.WELLS[1][:2], atol=0.2)
    assert np.allclose(best.end, gd.WELLS[0][:2], atol=0.2)
    assert best.loss < surface.loss(trapped) - 0.5
    assert np.linalg.norm(surface.gradient(best.end)) < 1e-4
    # The restarts walk all starts at once; each must end where a single walk from its start ends.
    assert np.allclose(runs[3].end, gd.descend(surface, runs[3].start, 0.1, 300)[-1])


def test_updates_per_epoch_match_keras_optimizer_steps(keras):
    assert gd.updates_per_epoch(10_000, 10) == 1000 == int(gd.QUESTIONS[0].right_option.replace(",", ""))
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((105, 1)), np.zeros((105, 1)), batch_size=10, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == gd.updates_per_epoch(105, 10) == 11


def test_losses_match_keras(keras):
    rng = np.random.default_rng(0)
    targets = rng.integers(0, 2, 50).astype("float32")
    probabilities = np.clip(rng.uniform(size=50), 0, 1).astype("float32")
    probabilities[:3] = [0.0, 1.0, 1e-9]  # exercise the clipping
    assert math.isclose(gd.binary_cross_entropy(targets, probabilities),
                        float(keras.losses.BinaryCrossentropy()(targets, probabilities)), rel_tol=1e-4)
    values = rng.normal(size=50).astype("float32")
    assert math.isclose(gd.mean_squared_error(targets, values),
                        float(keras.losses.MeanSquaredError()(targets, values)), rel_tol=1e-5)
    assert math.isclose(gd.mean_absolute_error(targets, values),
                        float(keras.losses.MeanAbsoluteError()(targets, values)), rel_tol=1e-5)
    logits = rng.normal(size=(8, 4)).astype("float32")
    one_hot = np.eye(4, dtype="float32")[rng.integers(0, 4, 8)]
    assert np.allclose(activations.softmax(logits), keras.ops.convert_to_numpy(keras.ops.softmax(logits)), atol=1e-6)
    probabilities = activations.softmax(logits)
    assert math.isclose(gd.categorical_cross_entropy(one_hot, probabilities),
                        float(keras.losses.CategoricalCrossentropy()(one_hot, probabilities)), rel_tol=1e-4)


def test_cross_entropy_punishes_confident_mistakes_more_as_the_quiz_says():
    curves = gd.single_example_curves()
    assert curves["cross-entropy"][0] == pytest.approx(-math.log(0.01))
    assert f"{-math.log(0.01):.1f}" in gd.QUESTIONS[3].right_option


def test_pinball_at_one_half_is_half_the_absolute_error(keras):
    rng = np.random.default_rng(0)
    targets, predictions = rng.normal(size=40), rng.normal(size=40)
    mae = float(keras.losses.MeanAbsoluteError()(targets, predictions))
    assert gd.pinball_loss(targets, predictions, 0.5) == pytest.approx(mae / 2, rel=1e-5)
    # Under-predicting by 1 costs q, over-predicting by 1 costs 1 - q.
    assert gd.pinball_loss([1.0], [0.0], 0.9) == pytest.approx(0.9)
    assert gd.pinball_loss([0.0], [1.0], 0.9) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="quantile"):
        gd.pinball_loss([1.0], [0.0], 1.0)


@pytest.mark.parametrize("outlier, quantile", [(21.0, 0.3), (60.0, 0.8), (120.0, 0.5)])
def test_best_constants_are_the_mean_the_median_and_the_quantile(outlier, quantile):
    targets = np.array([*gd.DELIVERY_MINUTES, outlier])
    best = gd.best_constants(targets, quantile)
    assert best["squared error (L2)"] == pytest.approx(targets.mean(), abs=0.01)
    assert best["absolute error (L1)"] == pytest.approx(np.median(targets), abs=0.01)
    assert best[f"pinball, q = {quantile:g}"] == pytest.approx(np.quantile(targets, quantile, method="inverted_cdf"),
                                                                abs=0.01)


def test_the_outlier_drags_the_mean_but_not_the_median():
    calm = gd.best_constants([*gd.DELIVERY_MINUTES, 21.0], 0.5)
    flat_tyre = gd.best_constants([*gd.DELIVERY_MINUTES, 120.0], 0.5)
    assert flat_tyre["squared error (L2)"] - calm["squared error (L2)"] == pytest.approx(99 / 9, abs=0.02)
    assert flat_tyre["absolute error (L1)"] == calm["absolute error (L1)"]


def contrastive_in_keras(keras, points, pairs, same, margin):
    difference = keras.ops.take(points, pairs[:, 0], axis=0) - keras.ops.take(points, pairs[:, 1], axis=0)
    distance = keras.ops.sqrt(keras.ops.sum(difference ** 2, axis=1))
    return keras.ops.mean(same * distance ** 2 + (1 - same) * keras.ops.relu(margin - distance) ** 2)


def test_contrastive_loss_and_gradient_match_tensorflow(tf, keras):
    points = np.random.default_rng(1).normal(0, 0.5, (6, 2))
    pairs, same = gd.all_pairs()
    variable = tf.Variable(points)
    with tf.GradientTape() as tape:
        loss = contrastive_in_keras(keras, variable, pairs, same, 1.5)
    assert gd.contrastive_loss(gd.pair_distances(points, pairs), same, 1.5) == pytest.approx(float(loss))
    np.testing.assert_allclose(gd.contrastive_gradient(points, pairs, same, 1.5),
                               tf.convert_to_tensor(tape.gradient(loss, variable)).numpy(), rtol=1e-6, atol=1e-12)


def test_contrastive_training_separates_the_people_by_the_margin():
    start, end, history = gd.train_contrastive(margin=1.0, steps=300)
    pairs, same = gd.all_pairs()
    before, after = gd.pair_distances(start, pairs), gd.pair_distances(end, pairs)
    assert history[-1] < 0.01 < gd.contrastive_loss(before, same, 1.0)
    assert after[same == 1].max() < 0.1 and after[same == 0].min() > 0.9
    assert len(gd.PEOPLE) == 6 and same.sum() == 3 and len(pairs) == 15


def test_quiz_numbers_are_computed():
    late, early = gd.pinball_loss([5.0], [0.0], 0.9), gd.pinball_loss([0.0], [5.0], 0.9)
    explanation = gd.QUESTIONS[6].explanation
    assert f"0.9 × 5 = {late:g}" in explanation and f"0.1 × 5 = {early:g}" in explanation
    assert gd.QUESTIONS[6].right_option.startswith("When the delivery took 5 minutes longer")
    targets = np.array([*gd.DELIVERY_MINUTES, 120.0])
    assert gd.best_constants(targets, 0.5)["absolute error (L1)"] == pytest.approx(np.median(targets))


# ---- the page --------------------------------------------------------------------------------------


def test_gradient_descent_page_shows_each_regime_and_updates_per_epoch():
    app = open_page("views/lessons/gradient_descent.py")
    assert_lesson_parts(app, "views/lessons/gradient_descent.py", gd)
    assert metrics(app)["Predicted from 1 − step·curvature"] == "converges smoothly"
    rerun(app.slider(key="gd-step").set_value(0.15))
    assert metrics(app)["Predicted from 1 − step·curvature"] == "oscillates but converges"
    rerun(app.slider(key="gd-step").set_value(0.25))
    assert metrics(app)["Predicted from 1 − step·curvature"] == "diverges"
    assert metrics(app)["Parameter updates per epoch"] == "1,000"
    rerun(app.number_input(key="gd-examples").set_value(10_005))
    assert metrics(app)["Parameter updates per epoch"] == "1,001"
    rerun(app.slider(key="gd-starts").set_value(12))
    assert len(app.dataframe[0].value) == 12


def test_losses_section_finds_mean_median_quantile_and_separates_people():
    app = open_page("views/lessons/gradient_descent.py")
    rerun(app.slider(key="losses-outlier").set_value(120))
    table = next(frame.value for frame in app.dataframe if "best c (searched)" in frame.value.columns)
    targets = np.array([*gd.DELIVERY_MINUTES, 120.0])
    best = dict(zip(table["loss"], table["best c (searched)"]))
    assert best["squared error (L2)"] == pytest.approx(targets.mean(), abs=0.01)
    assert best["absolute error (L1)"] == pytest.approx(np.median(targets))
    assert best["pinball, q = 0.8"] == pytest.approx(np.quantile(targets, 0.8, method="inverted_cdf"))
    moved = dict(zip(table["loss"], table["moved by the outlier"]))
    assert moved["squared error (L2)"] == pytest.approx((120 - 21) / 9, abs=0.01)
    assert moved["absolute error (L1)"] == 0.0
    rerun(app.slider(key="losses-steps").set_value(0))
    assert "no single distance threshold separates" in captions(app)
    rerun(app.slider(key="losses-steps").set_value(300))
    assert "Now one distance threshold tells every same pair" in captions(app)
    assert float(metrics(app)["Largest distance, same person"]) < float(
        metrics(app)["Smallest distance, different people"])
