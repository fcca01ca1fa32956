"""Lessons 10 and 19: looking inside a trained CNN and attacking it, on a small CNN trained in the
test process (no dataset needed); each tool is checked against an independent computation."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import cnn_features as look
from lessons import limits
from tests.lessons_part2a_models import tiny_image_classifier


def test_tiny_classifier_is_trained():
    model, x_test, y_test = tiny_image_classifier()
    assert np.mean(model.predict(x_test[..., None], verbose=0).argmax(axis=1) == y_test) >= 0.9


def test_filters_and_feature_maps_match_the_first_convolution():
    import keras

    model, x_test, _ = tiny_image_classifier()
    first = model.get_layer(look.conv_layer_names(model)[0])
    kernel, bias = first.get_weights()
    np.testing.assert_array_equal(look.first_layer_filters(model), np.transpose(kernel[:, :, 0, :], (2, 0, 1)))
    expected = keras.ops.relu(keras.ops.conv(x_test[:1, ..., None], kernel) + bias)
    np.testing.assert_allclose(look.feature_maps(model, x_test[0], first.name),
                               np.transpose(keras.ops.convert_to_numpy(expected)[0], (2, 0, 1)), rtol=1e-5, atol=1e-6)


def test_class_scores_are_the_logits_behind_the_softmax():
    model, x_test, _ = tiny_image_classifier()
    scores = look.class_scores(model, x_test[:5, ..., None])
    softmax = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax / softmax.sum(axis=1, keepdims=True),
                               model.predict(x_test[:5, ..., None], verbose=0), rtol=1e-4, atol=1e-6)


def test_saliency_equals_a_finite_difference_estimate():
    model, x_test, y_test = tiny_image_classifier()
    label = int(y_test[1])
    # The bar's pixels are exactly 1.0, so max pooling has ties where the score has no derivative;
    # a little noise moves the image to a generic point.
    image = x_test[1] + np.random.default_rng(1).uniform(0, 0.01, x_test[1].shape).astype("float32")
    gradient = look.saliency(model, image, label)
    step = 1e-3  # small enough that no ReLU or max-pool switches inside the step, at almost every pixel
    nudged = np.repeat(image[None], 2 * image.size, axis=0)  # (2 * pixels, 12, 12)
    for pixel in range(image.size):
        row, col = divmod(pixel, image.shape[1])
        nudged[2 * pixel, row, col] += step
        nudged[2 * pixel + 1, row, col] -= step
    scores = look.class_scores(model, nudged[..., None])[:, label].astype(np.float64)
    estimate = ((scores[0::2] - scores[1::2]) / (2 * step)).reshape(image.shape)  # (12, 12)
    assert np.abs(gradient).max() > 0
    close = np.abs(gradient - estimate) <= 0.01 * np.abs(gradient).max()
    # A ReLU network is piecewise linear: a step can still cross a kink at a pixel or two.
    assert close.mean() >= 0.97, f"saliency differs from finite differences at {np.argwhere(~close).tolist()}"


def test_occlusion_map_is_the_probability_lost_under_each_patch():
    model, x_test, y_test = tiny_image_classifier()
    image, label = x_test[2], int(y_test[2])
    drops = look.occlusion_map(model, image, label, patch=4, stride=2, fill=0.0)
    assert drops.shape == (5, 5)
    hidden = image.copy()
    hidden[2:6, 4:8] = 0.0  # the patch at row 1, column 2 of the map
    before, after = model.predict(np.stack([image, hidden])[..., None], verbose=0)[:, label]
    assert drops[1, 2] == pytest.approx(before - after, abs=1e-5)
    bar_row = 1 + 4 * label  # hiding the bar itself costs the most
    assert np.unravel_index(drops.argmax(), drops.shape)[0] in {max(0, (bar_row - 3) // 2), bar_row // 2}
    with pytest.raises(ValueError, match="patch"):
        look.occlusion_map(model, image, label, patch=20)


def test_activation_maximisation_climbs_its_objective():
    model, _, _ = tiny_image_classifier()
    start = np.random.default_rng(0).uniform(0.0, 0.2, (12, 12)).astype("float32")
    picture, reached = look.maximise(model, "class", 0, steps=20)
    assert picture.min() >= 0 and picture.max() <= 1
    assert reached > look.class_scores(model, start[None, ..., None])[0, 0] + 1
    assert reached == pytest.approx(look.class_scores(model, picture[None, ..., None])[0, 0], rel=1e-4)
    layer = look.conv_layer_names(model)[-1]
    response = look.filter_response(model, layer, 1)
    filter_picture, filter_value = look.maximise(model, "filter", 1, layer, steps=20)
    assert filter_value > float(response(start[None, ..., None])) + 0.1
    assert filter_value == pytest.approx(float(response(filter_picture[None, ..., None])), rel=1e-4)
    # The response is the convolution before its ReLU: where positive, it is the feature map.
    after_relu = look.feature_maps(model, filter_picture, layer)[1]
    if after_relu.min() > 0:
        assert after_relu.mean() == pytest.approx(filter_value, rel=1e-4)
    with pytest.raises(ValueError, match="target"):
        look.maximise(model, "neuron", 0)


def test_fgsm_gradient_matches_keras_loss_on_probabilities():
    import keras
    import tensorflow as tf

    model, x_test, y_test = tiny_image_classifier()
    pixels = tf.constant(x_test[:1, ..., None])
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        loss = keras.losses.sparse_categorical_crossentropy(y_test[:1], model(pixels))
    np.testing.assert_allclose(limits.loss_gradient(model, x_test[0], int(y_test[0])),
                               tape.gradient(loss, pixels).numpy(), rtol=1e-3, atol=1e-6)


def test_fgsm_finds_the_smallest_flipping_epsilon():
    model, x_test, y_test = tiny_image_classifier()
    found = 0
    for index in range(6):
        image, label = x_test[index], int(y_test[index])
        attack = limits.smallest_flip(model, image, label, max_levels=255)
        if attack.levels is None:
            continue
        found += 1
        direction = np.sign(limits.loss_gradient(model, image, label))
        assert attack.epsilon == pytest.approx(attack.levels / 255)
        flipped = limits.perturb(image, direction, attack.epsilon)[0]
        assert limits.predicted_class(model, flipped) != attack.original_class
        smaller = limits.perturb(image, direction, (attack.levels - 1) / 255)[0]
        assert limits.predicted_class(model, smaller) == attack.original_class
        np.testing.assert_allclose(np.abs(attack.adversarial - image)[attack.perturbation != 0].max(),
                                   attack.epsilon, atol=1e-6)
        assert set(np.unique(attack.perturbation)) <= {-1.0, 0.0, 1.0}
    assert found >= 3


def test_occlusion_heat_averages_the_patches_covering_each_pixel():
    drops = np.arange(9, dtype=float).reshape(3, 3)
    heat = look.occlusion_heat(drops, patch=4, stride=2, shape=(9, 9))
    assert heat[0, 0] == 0 and heat[2, 2] == np.mean([0, 1, 3, 4])  # covered by positions (0,0)...(1,1)
    assert heat[7, 7] == 8 and np.isnan(heat[8, 8])  # the last patch ends at pixel 7


def test_the_lessons_cnn_is_not_trained_again_once_stored(tmp_path):
    from lessons.pretrained import METRICS_FILE, WEIGHTS_FILE, stored_metrics, train_lesson_cnn

    assert stored_metrics(tmp_path) is None
    (tmp_path / WEIGHTS_FILE).write_bytes(b"stored by another learner's worker")
    (tmp_path / METRICS_FILE).write_text('{"test_accuracy": 0.5, "train_seconds": 1.5, "epochs": 2}')
    # No dataset here: training would fail, so this returns what is stored.
    assert train_lesson_cnn(str(tmp_path)) == {"test_accuracy": 0.5, "train_seconds": 1.5, "epochs": 2}
    (tmp_path / METRICS_FILE).write_text("{half a file")
    with pytest.raises(ValueError, match="unreadable"):
        stored_metrics(tmp_path)
