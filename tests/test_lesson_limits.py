"""Lesson 19. Limits of deep learning: lessons/limits.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/limits.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import limits
from tests.tiny_models import tiny_image_classifier

# ---- its math against NumPy and Keras --------------------------------------------------------------


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


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def attack(levels, noise_class, original=7):
    blank = np.zeros((28, 28))
    return limits.Attack(original, original, 0.99, levels, None if levels is None else levels / 255, blank, 3, 0.6,
                         noise_class, blank)


def test_attack_summary_follows_what_random_noise_did():
    direction = limits.attack_summary(attack(20, noise_class=7))
    assert "leave the prediction at **7**" in direction and "direction" in direction and "19/255" in direction
    undirected = limits.attack_summary(attack(60, noise_class=1))
    assert "flip it too (to **1**)" in undirected and "try another" in undirected
    assert f"needed {20 / 255 / limits.IMAGENET_EPSILON:.0f} times that" in direction
    tiny = limits.attack_summary(attack(1, noise_class=7))
    assert "the unchanged image still gives 7" in tiny and "no more than that" in tiny
    with pytest.raises(ValueError):
        limits.attack_summary(attack(None, noise_class=None))
