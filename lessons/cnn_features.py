"""Lesson 10: looking inside a trained image classifier: first-layer filters, feature maps,
activation maximisation, saliency and occlusion. Works on any Keras model that maps
(batch, height, width, 1) images in [0, 1] to class probabilities from a final softmax Dense layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.quiz import NOTE_PARTLY, Correction, Question


def _conv_layers(model) -> list:
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def conv_layer_names(model) -> list[str]:
    names = [layer.name for layer in _conv_layers(model)]
    if not names:
        raise ValueError(f"model {model.name!r} has no Conv2D layer to look inside")
    return names


def first_layer_filters(model) -> np.ndarray:
    """The first convolution's kernels as (filters, height, width), one grey-scale image each."""
    kernel = _conv_layers(model)[0].get_weights()[0] if _conv_layers(model) else None
    if kernel is None or kernel.shape[2] != 1:
        raise ValueError("the first layer must be a Conv2D on one-channel images")
    return np.transpose(kernel[:, :, 0, :], (2, 0, 1))  # (filters, height, width)


def as_batch(image: np.ndarray) -> np.ndarray:
    """One grey image as a batch of one: (1, height, width, 1)."""
    image = np.asarray(image, np.float32)
    if image.ndim == 2:
        image = image[..., None]  # (height, width, 1)
    if image.ndim != 3:
        raise ValueError(f"expected one image (height, width) or (height, width, 1), got shape {image.shape}")
    return image[None]  # (1, height, width, 1)


def feature_maps(model, image: np.ndarray, layer_name: str) -> np.ndarray:
    """What the named layer outputs for one image: (channels, height, width)."""
    import keras

    probe = keras.Model(model.input, model.get_layer(layer_name).output)
    maps = probe(as_batch(image), training=False)
    return np.transpose(keras.ops.convert_to_numpy(maps)[0], (2, 0, 1))  # (channels, height, width)


def class_score_function(model):
    """The class scores before the softmax: the last Dense layer's input times its kernel, plus bias.
    Scores, not probabilities, because a saturated softmax has almost no gradient."""
    import keras

    last = model.layers[-1]
    if not isinstance(last, keras.layers.Dense):
        raise ValueError("the model must end in a Dense layer (with a softmax) to read class scores")
    features = keras.Model(model.input, last.input)
    kernel, bias = last.kernel, last.bias

    def scores(images, training=False):
        return keras.ops.matmul(features(images, training=training), kernel) + bias  # (batch, classes)

    return scores


def filter_response(model, layer_name: str, index: int):
    """A function of a batch of images: the mean of filter `index`'s output in the named Conv2D
    layer *before* its activation. Before, because a ReLU filter that is silent at the start
    would have zero gradient and the climb could never begin."""
    import keras

    layer = model.get_layer(layer_name)
    if not isinstance(layer, keras.layers.Conv2D):
        raise ValueError(f"layer {layer_name!r} is not a Conv2D layer")
    if not 0 <= index < layer.filters:
        raise ValueError(f"layer {layer_name!r} has filters 0..{layer.filters - 1}, not {index}")
    below = keras.Model(model.input, layer.input)

    def response(images):
        responses = keras.ops.conv(below(images, training=False), layer.kernel, strides=layer.strides,
                                   padding=layer.padding, dilation_rate=layer.dilation_rate) + layer.bias
        return keras.ops.mean(responses[0, :, :, index])

    return response


def class_scores(model, images: np.ndarray) -> np.ndarray:
    import keras

    return keras.ops.convert_to_numpy(class_score_function(model)(np.asarray(images, np.float32)))


def saliency(model, image: np.ndarray, class_index: int) -> np.ndarray:
    """d(class score) / d(pixel) for every pixel: how much a tiny change of each pixel moves the
    score (note 000's "differentiate the output with respect to each pixel"). (height, width)."""
    import tensorflow as tf

    scores = class_score_function(model)
    pixels = tf.constant(as_batch(image))
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        score = scores(pixels)[0, class_index]
    return tape.gradient(score, pixels).numpy()[0, :, :, 0]


def maximise(model, target: str, index: int, layer_name: str | None = None, steps: int = 60,
             step_size: float = 0.05, l1: float = 0.0, seed: int = 0) -> tuple[np.ndarray, float]:
    """Activation maximisation: start from faint noise and climb the gradient of a class score
    (target="class") or of a filter's mean response (target="filter", in `layer_name`), keeping
    pixels in [0, 1]. `l1` penalises ink: without it the result rarely looks like a digit."""
    import tensorflow as tf

    if target == "class":
        objective = class_score_function(model)

        def value(images):
            return objective(images)[0, index]
    elif target == "filter":
        value = filter_response(model, layer_name or conv_layer_names(model)[0], index)
    else:
        raise ValueError(f"target must be 'class' or 'filter', got {target!r}")
    shape = (1, *model.inputs[0].shape[1:])
    pixels = tf.Variable(np.random.default_rng(seed).uniform(0.0, 0.2, shape).astype(np.float32))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            gain = value(pixels) - l1 * tf.reduce_sum(tf.abs(pixels))
        gradient = tape.gradient(gain, pixels)
        # Normalised steps: the climb's speed does not depend on how steep the score happens to be.
        pixels.assign(tf.clip_by_value(pixels + step_size * gradient / (tf.norm(gradient) + 1e-8) * 28, 0.0, 1.0))
    return pixels.numpy()[0, :, :, 0], float(value(pixels))


def occlusion_map(model, image: np.ndarray, class_index: int, patch: int = 6, stride: int = 2,
                  fill: float = 0.5) -> np.ndarray:
    """Slide a grey `patch` x `patch` square over the image; each cell is how much the class
    probability drops when that square is hidden. (positions down, positions across)."""
    batch = as_batch(image)
    height, width = batch.shape[1:3]
    if not 1 <= patch <= min(height, width) or stride < 1:
        raise ValueError(f"patch must be 1..{min(height, width)} pixels and stride at least 1")
    tops = list(range(0, height - patch + 1, stride))
    lefts = list(range(0, width - patch + 1, stride))
    occluded = np.repeat(batch, len(tops) * len(lefts), axis=0)  # (positions, height, width, 1)
    for number, (top, left) in enumerate((top, left) for top in tops for left in lefts):
        occluded[number, top:top + patch, left:left + patch, :] = fill
    base = float(model.predict(batch, verbose=0)[0, class_index])
    probabilities = model.predict(occluded, batch_size=256, verbose=0)[:, class_index]
    return (base - probabilities).reshape(len(tops), len(lefts))  # (positions down, positions across)


def occlusion_heat(drops: np.ndarray, patch: int, stride: int, shape: tuple[int, int]) -> np.ndarray:
    """Each pixel's average drop over the patches that covered it: the occlusion map laid over the
    image, (height, width). Pixels no patch reached are NaN."""
    total = np.zeros(shape)
    count = np.zeros(shape)
    for down in range(drops.shape[0]):
        for across in range(drops.shape[1]):
            top, left = down * stride, across * stride
            total[top:top + patch, left:left + patch] += drops[down, across]
            count[top:top + patch, left:left + patch] += 1
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


# ---- deep dream -----------------------------------------------------------------------------------
# Lesson 10, deep dream (Mordvintsev, Olah & Tyka, Google, 2015): one step on from activation
# maximisation. Instead of climbing one unit's score from noise, start from a real image and
# climb the *whole layer's* activity: the sum of squares of its values before the activation. Each
# step makes whatever the layer already sees a little stronger: positive values grow, negative
# values grow more negative (note 000: "大的更大, 小的更小", big gets bigger, small gets smaller).


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


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("Saliency is the gradient of the class score with respect to the pixels. A pixel with a large "
             "|gradient|…", ("is certainly what the network recognises the digit by",
                             "is where a tiny change moves the score most, at this image",
                             "is always part of the digit's stroke"), 1,
             "It is a local, first-order sensitivity: informative but noisy, and blind to pixels whose "
             "effect is saturated. Occlusion is a useful cross-check."),
    Question("In an occlusion map, where is the drop in the class probability largest?",
             ("Where the patch hides what the decision relies on", "Always at the centre of the image",
              "Where the image is darkest"), 0,
             "Each cell is the probability lost when that region is hidden."),
    Question("The image that maximises the score of class 3 does not look like a 3. What does this show?",
             ("The network has learned to generalise beyond its data",
              "The network's decision rule differs from human perception, and inputs far from any "
              "digit can get confident answers", "Training failed"), 1,
             "This is the same weakness that adversarial examples exploit."),
    Question("How many weights does one first-layer kernel of this network have?",
             ("3", "9", "27", "32"), 1, "3×3 on a one-channel (grey) image: 9, plus one bias."),
    # deep dream
    Question("How does deep dream differ from the activation maximisation above?",
             ("It starts from a real image and amplifies everything a layer already responds to",
              "It trains the network's weights", "It starts from noise and climbs one class score",
              "It needs labels"), 0,
             "Same gradient ascent on the pixels, but the objective is the whole layer's activity (the mean of "
             "its squared values) and the start is a photo, so the patterns the layer half-sees grow stronger."),
]

CORRECTIONS = [
    Correction("Note 000", "The class-maximising images do not look like digits, so deep learning is not "
               "just imitating data but can generalise (举一反三).",
               "It shows the opposite worry: the network's notion of a class is not ours, and images "
               "unlike any digit can be classified with high confidence. With a regulariser (the lecture "
               "adds a penalty on ink) the images become more digit-like."),
    Correction("Note 000", "The larger the gradient's absolute value at a pixel, the more that pixel matters "
               "to the class.",
               "It measures how sensitive the score is to a tiny change of that pixel, at this image. "
               "Saturated pixels can matter a lot with a small gradient; raw gradients are noisy. Use "
               "it together with occlusion.", kind=NOTE_PARTLY),
]
