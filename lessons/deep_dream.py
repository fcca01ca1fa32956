"""Lesson 10, deep dream (Mordvintsev, Olah & Tyka, Google, 2015): one step on from activation
maximisation. Instead of climbing one unit's score from noise, start from a real image and
climb the *whole layer's* activity: the sum of squares of its values before the activation. Each
step makes whatever the layer already sees a little stronger: positive values grow, negative
values grow more negative (note 000: "大的更大, 小的更小", big gets bigger, small gets smaller).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.cnn_features import as_batch, conv_layer_names


def preactivation_function(model, layer_name: str):
    """A function of a batch of images: the named Conv2D layer's output before its activation,
    (batch, height, width, filters). Before, because after a ReLU the negative half is 0 and has
    no gradient, so it could not be pushed further down."""
    import keras

    layer = model.get_layer(layer_name)
    if not isinstance(layer, keras.layers.Conv2D):
        raise ValueError(f"layer {layer_name!r} is not a Conv2D layer; choose one of {conv_layer_names(model)}")
    below = keras.Model(model.input, layer.input)

    def preactivations(images):
        responses = keras.ops.conv(below(images, training=False), layer.kernel, strides=layer.strides,
                                   padding=layer.padding, dilation_rate=layer.dilation_rate)
        return responses + layer.bias if layer.use_bias else responses

    return preactivations


def dream_objective(model, layer_name: str):
    """mean(a²) over every position and filter of the layer: large when the layer responds
    strongly, in either direction."""
    import keras

    preactivations = preactivation_function(model, layer_name)

    def objective(images):
        return keras.ops.mean(keras.ops.square(preactivations(images)))

    return objective


def dream_gradient(model, image: np.ndarray, layer_name: str) -> np.ndarray:
    """d(objective) / d(pixels) at `image`: (height, width)."""
    import tensorflow as tf

    objective = dream_objective(model, layer_name)
    pixels = tf.constant(as_batch(image))
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        value = objective(pixels)
    return tape.gradient(value, pixels).numpy()[0, :, :, 0]


@dataclass(frozen=True)
class Dream:
    original: np.ndarray  # (height, width)
    dreamed: np.ndarray  # (height, width)
    objective: tuple[float, ...]  # before the first step and after each step
    before: np.ndarray  # the layer's pre-activations for the original, flattened
    after: np.ndarray  # the same for the dreamed image
    probabilities_before: np.ndarray  # (classes,)
    probabilities_after: np.ndarray

    @property
    def amplified_share(self) -> float:
        """Share of the layer's clearly active values (|a| above the median |a|) that kept their
        sign and moved further from 0: "big gets bigger, small gets smaller", measured."""
        clear = np.abs(self.before) > np.median(np.abs(self.before))
        grown = (np.sign(self.after) == np.sign(self.before)) & (np.abs(self.after) > np.abs(self.before))
        return float(np.mean(grown[clear])) if clear.any() else 0.0


def dream(model, image: np.ndarray, layer_name: str, steps: int = 20, step_size: float = 0.02) -> Dream:
    """Gradient ascent on the layer's activity, starting from `image` (pixels in [0, 1]). Each step
    moves the pixels by `step_size` times the gradient divided by its mean absolute value (the
    DeepDream recipe: the speed does not depend on how steep the objective happens to be), then
    clips them back to [0, 1]."""
    import tensorflow as tf

    if steps < 0 or not step_size > 0:
        raise ValueError(f"steps must be >= 0 and step_size > 0, got {steps}, {step_size}")
    preactivations = preactivation_function(model, layer_name)
    objective = dream_objective(model, layer_name)
    start = as_batch(image)
    pixels = tf.Variable(start)
    history = [float(objective(pixels))]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = objective(pixels)
        gradient = tape.gradient(value, pixels)
        pixels.assign(tf.clip_by_value(pixels + step_size * gradient / (tf.reduce_mean(tf.abs(gradient)) + 1e-8),
                                       0.0, 1.0))
        history.append(float(objective(pixels)))
    dreamed = pixels.numpy()
    return Dream(start[0, :, :, 0], dreamed[0, :, :, 0], tuple(history),
                 np.asarray(preactivations(start)).reshape(-1), np.asarray(preactivations(dreamed)).reshape(-1),
                 model.predict(start, verbose=0)[0], model.predict(dreamed, verbose=0)[0])
