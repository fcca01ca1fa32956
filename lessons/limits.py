"""Lesson 19: adversarial examples by the fast gradient sign method (FGSM, Goodfellow et al. 2015).

x' = clip(x + epsilon * sign(d loss / d x), 0, 1): every pixel moves by epsilon in the direction
that raises the loss of the true class. We search epsilon in whole grey levels (k / 255), so the
answer is the smallest perturbation a real 8-bit image could carry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.cnn_features import as_batch
from lessons.quiz import NOTE_PARTLY, Correction, Question

LEVEL = 1.0 / 255.0


def loss_gradient(model, image: np.ndarray, label: int) -> np.ndarray:
    """d(cross-entropy of the true label) / d(pixels), shaped like the image batch (1, h, w, 1).
    Computed from the class scores: a softmax that rounds to exactly 1.0 would give 0 gradients."""
    import keras
    import tensorflow as tf

    from lessons.cnn_features import class_score_function

    scores = class_score_function(model)
    pixels = tf.constant(as_batch(image))
    with tf.GradientTape() as tape:
        tape.watch(pixels)
        loss = keras.losses.sparse_categorical_crossentropy(np.array([label]), scores(pixels), from_logits=True)
    return tape.gradient(loss, pixels).numpy()


def perturb(image: np.ndarray, direction: np.ndarray, epsilon: float) -> np.ndarray:
    """The image moved by epsilon along `direction` (a sign pattern), kept a valid image."""
    return np.clip(as_batch(image) + epsilon * direction, 0.0, 1.0)


@dataclass(frozen=True)
class Attack:
    label: int
    original_class: int
    original_confidence: float
    levels: int | None  # smallest number of grey levels that flips the class; None if none up to the limit
    epsilon: float | None
    adversarial: np.ndarray | None  # (height, width)
    adversarial_class: int | None
    adversarial_confidence: float | None
    noise_class: int | None  # the class under random signs of the same size, for comparison
    perturbation: np.ndarray  # sign pattern (height, width), values -1, 0 or 1


def smallest_flip(model, image: np.ndarray, label: int, max_levels: int = 128, seed: int = 0) -> Attack:
    """Try epsilon = 1/255, 2/255, ... up to max_levels/255 in one batch and return the first that
    changes the predicted class. Also applies random signs of that size: usually harmless, which
    shows that the *direction* matters, not the size."""
    if max_levels < 1:
        raise ValueError(f"max_levels must be at least 1, got {max_levels}")
    batch = as_batch(image)
    probabilities = model.predict(batch, verbose=0)[0]
    original = int(np.argmax(probabilities))
    direction = np.sign(loss_gradient(model, image, label))  # (1, h, w, 1)
    levels = np.arange(1, max_levels + 1)
    candidates = np.concatenate([perturb(image, direction, level * LEVEL) for level in levels])  # (levels, h, w, 1)
    predicted = model.predict(candidates, batch_size=256, verbose=0)  # (levels, classes)
    flipped = np.flatnonzero(predicted.argmax(axis=1) != original)
    pattern = direction[0, :, :, 0]
    if len(flipped) == 0:
        return Attack(label, original, float(probabilities[original]), None, None, None, None, None, None, pattern)
    first = int(flipped[0])
    epsilon = float(levels[first] * LEVEL)
    random_signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=direction.shape).astype(np.float32)
    noise_class = int(model.predict(perturb(image, random_signs, epsilon), verbose=0)[0].argmax())
    return Attack(label, original, float(probabilities[original]), int(levels[first]), epsilon,
                  candidates[first, :, :, 0], int(predicted[first].argmax()), float(predicted[first].max()),
                  noise_class, pattern)


def predicted_class(model, image: np.ndarray) -> int:
    return int(model.predict(as_batch(image), verbose=0)[0].argmax())


IMAGENET_EPSILON = 0.007  # Goodfellow et al. (2015), the panda image: one 8-bit grey level after GoogLeNet's scaling


def attack_summary(attack: Attack, gettext=lambda message: message) -> str:
    """What this attack showed, in words chosen by its own numbers: whether random signs of the same size
    also flip the digit, and how the flipping ε compares with the one that fooled GoogLeNet on ImageNet.
    `gettext` translates the sentences (N_, numbers in placeholders); the default keeps them English."""
    if attack.levels is None:
        raise ValueError("no ε flipped this prediction, so there is nothing to summarise")
    first = (N_("The smallest flipping step is **ε = {levels}/255 ≈ {epsilon}**; the unchanged image still gives "
                "{original}.") if attack.levels == 1 else
             N_("The smallest flipping step is **ε = {levels}/255 ≈ {epsilon}**; {before}/255 still gives "
                "{original}."))
    parts = [gettext(first).format(levels=attack.levels, epsilon=f"{attack.epsilon:.3f}", before=attack.levels - 1,
                                   original=attack.original_class)]
    if attack.noise_class == attack.original_class:
        parts.append(gettext(N_("Random signs of the same size leave the prediction at **{original}**: it is "
                                "the *direction* that matters, not the amount of noise.")).format(
            original=attack.original_class))
    else:
        parts.append(gettext(N_("Random signs of the same size flip it too (to **{noise}**): at this ε even "
                                "undirected noise is enough, so this image cannot show that direction matters; "
                                "try another.")).format(noise=attack.noise_class))
    ratio = attack.epsilon / IMAGENET_EPSILON
    if ratio >= 1.5:
        parts.append(gettext(N_("On ImageNet, ε = {imagenet} (about 2/255) fooled GoogLeNet (Goodfellow et al.); "
                                "this digit needed {ratio} times that: with 784 grey pixels instead of 150,528 "
                                "colour values, the effect of a small step has fewer pixels to add up over.")).format(
            imagenet=IMAGENET_EPSILON, ratio=f"{ratio:.0f}"))
    else:
        parts.append(gettext(N_("On ImageNet, ε = {imagenet} (about 2/255) fooled GoogLeNet (Goodfellow et al.); "
                                "this digit needed no more than that.")).format(imagenet=IMAGENET_EPSILON))
    return ("" if parts[0].endswith("。") else " ").join(parts)  # Chinese sentences need no space between them


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("FGSM changes each pixel by exactly ε, in the direction of the sign of the loss gradient. Why the sign?",
             ("It is cheaper to store", "Under a budget of at most ε per pixel, it raises the (linearised) "
              "loss the most", "The gradient is always ±1"), 1,
             "Maximising g · δ subject to |δᵢ| ≤ ε gives δ = ε · sign(g)."),
    Question("Random ±ε noise of the same size as the adversarial perturbation usually…",
             ("flips the class as well", "leaves the prediction unchanged"), 1,
             "The attack works because of its direction; the demo applies random signs of the same ε."),
    Question("A digit classifier is trained on digits 0–4, then only on 5–9. What typically happens to its "
             "accuracy on 0–4?", ("It stays the same", "It collapses", "It improves"), 1,
             "Catastrophic forgetting: the second training overwrites the weights the first one set."),
    Question("'Deep networks have no transferability.' True?", ("True", "False"), 1,
             "Pre-trained features fine-tuned on a related task are standard practice; transfer fails "
             "mainly when the new data differ a lot from the old."),
]

CORRECTIONS = [
    Correction("Note 000", "Deep networks have no transferability (没有可迁移性).",
               "They transfer well between related tasks (fine-tuning pre-trained networks is standard); "
               "they degrade when the data distribution shifts."),
    Correction("Note 000", "Deep models have no interpretability.",
               "They are hard to interpret, but not opaque: saliency, occlusion and activation "
               "maximisation (lesson 10) give partial, local explanations."),
    Correction("Note 000", "Linear models are interpretable: a large w means the feature matters a lot.",
               "Only if the features have comparable scales (a weight per metre vs per kilometre differs "
               "1000×) and are not strongly correlated.", kind=NOTE_PARTLY),
    Correction("Note 000", "Finer partitions into cells make networks easy to attack.",
               "One intuition. The standard explanation (Goodfellow et al., 2015) is near-linear behaviour "
               "in many dimensions; even a purely linear classifier has adversarial examples.",
               kind=NOTE_PARTLY),
    Correction("Note 003", "To reuse a network's feature extraction in transfer learning, remove its **input** "
               "layer and join the rest to another network (可以去掉它的输入层,与别的神经网络拼接到一起); "
               "likewise 'remove the input layer and use the hidden layer as the output' to see the "
               "representative features (去掉输入层,将隐含层作为输出层).",
               "It is the **output** layer that is removed: it is specific to the old task (its units are "
               "the old classes). The input and hidden layers compute the features worth reusing, and "
               "without the input layer the network could not read any data at all. Keep them (frozen, or "
               "fine-tuned with a small learning rate), put a new output layer for the new task on top: "
               "the note's own example, an image recogniser reused to predict an object's price, does "
               "exactly that."),
]
