"""Transfer learning on MNIST (note 003, "the black box is not so black"): train the task
page's CNN on digits 0-4 only, remove its output layer, and reuse what is left as a feature
extractor for digits 5-9, which it has never seen. A new output layer ("head") is trained on a
few hundred labelled 5-9 images and compared with the same CNN trained from scratch on the same
images. Where to cut matters: the layer just below the output is specialised in 0-4; one layer
lower, the convolutional features are more general (Yosinski et al., "How transferable are
features in deep neural networks?", NeurIPS 2014).

Two steps, each a plain function returning plain data, so a page can run them in a worker
process: `pretrain` (the slow part, once) and `reuse` (seconds, for each number of labels).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons import limits
from lessons.end_to_end import nearest_neighbour_agreement
from lessons.projection import pca_2d
from lessons.quiz import Question

OLD_DIGITS = (0, 1, 2, 3, 4)
NEW_DIGITS = (5, 6, 7, 8, 9)
CUTS = {"dense": "without its output layer: the 128 dense features",
        "convolutional": "without its two dense layers: the 1,600 convolutional features"}
# The three ways' names, shown on the page (N_: translated there)
WAYS = {"dense": N_("new output layer on the reused network without its output layer"),
        "convolutional": N_("new output layer on the reused network without its two dense layers")}
SCRATCH = N_("the same CNN from scratch")


def digits_subset(images: np.ndarray, labels: np.ndarray, digits: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The images of `digits` as floats (n, 28, 28, 1) in [0, 1] and labels renumbered 0..len-1."""
    keep = np.isin(labels, digits)
    renumber = np.full(10, -1)
    renumber[list(digits)] = np.arange(len(digits))
    return (images[keep].astype(np.float32) / 255.0)[..., None], renumber[labels[keep]].astype(np.int32)


def build_network(classes: int):
    """The task page's CNN (`models.mnist.build_cnn`) with an output layer of `classes` units.
    Returns (model, bodies): `bodies[cut]` is the network cut below its output layer ("dense",
    128 features) or below its two dense layers ("convolutional", the flattened 5x5x64 maps)."""
    import keras

    from models.mnist import build_cnn

    reference = build_cnn()
    flatten = next(layer for layer in reference.layers if isinstance(layer, keras.layers.Flatten))
    bodies = {"dense": keras.Model(reference.input, reference.layers[-2].output, name="dense_body"),  # (batch, 128)
              "convolutional": keras.Model(reference.input, flatten.output, name="conv_body")}  # (batch, 1600)
    image = keras.Input(shape=reference.input.shape[1:], name="image")
    head = keras.layers.Dense(classes, activation="softmax", name="head")
    return keras.Model(image, head(bodies["dense"](image)), name="cnn_transfer"), bodies


def fit_passes(model, inputs: np.ndarray, targets: np.ndarray, passes: int, learning_rate: float) -> None:
    """`passes` shuffled passes over a few hundred examples as one Keras epoch: the same updates
    as `passes` epochs of batch 32, without Keras' fixed cost per epoch."""
    import keras

    order = np.concatenate([np.random.default_rng(index).permutation(len(targets)) for index in range(passes)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(inputs[order], targets[order], batch_size=32, epochs=1, shuffle=False, verbose=0)


@dataclass(frozen=True)
class Pretrained:
    weights: list  # the network's weights without its 0-4 output layer
    old_accuracy: float  # on the test digits 0-4
    train_images: int
    seconds: float


def pretrain(train_size: int = 8000, epochs: int = 2, seed: int = 0) -> Pretrained:
    """Train the CNN on up to `train_size` images of digits 0-4 and keep everything but its
    output layer. Loads MNIST itself."""
    import keras

    from data.mnist import load_mnist

    if train_size < 10 or epochs < 1:
        raise ValueError(f"need train_size >= 10 and epochs >= 1, got {train_size}, {epochs}")
    start = time.perf_counter()
    mnist = load_mnist()
    images, labels = digits_subset(mnist.x_train, mnist.y_train, OLD_DIGITS)
    test_images, test_labels = digits_subset(mnist.x_test, mnist.y_test, OLD_DIGITS)
    keras.utils.set_random_seed(seed)
    model, bodies = build_network(len(OLD_DIGITS))
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(images[:train_size], labels[:train_size], batch_size=128, epochs=epochs, verbose=0)
    _, accuracy = model.evaluate(test_images, test_labels, batch_size=1024, verbose=0)
    result = Pretrained([np.asarray(array) for array in bodies["dense"].get_weights()], float(accuracy),
                        min(train_size, len(labels)), time.perf_counter() - start)
    keras.utils.clear_session()
    return result


@dataclass(frozen=True)
class StrategyResult:
    name: str
    test_accuracy: float  # on every test image of 5-9
    trained_parameters: int
    seconds: float


@dataclass(frozen=True)
class TransferResult:
    labels: int
    results: tuple[StrategyResult, ...]
    agreement: dict[str, float]  # nearest-neighbour agreement of test 5-9: pixels and each cut
    coordinates: dict[str, np.ndarray]  # (shown, 2) PCA of the test 5-9 digits: pixels and each cut
    shown_labels: np.ndarray  # (shown,) digits 5-9


MAX_PASSES = 40
MAX_IMAGES_SEEN = 12_000  # per way of learning: a bound on the demo's time with 1,000 labels


def passes_for(labels: int) -> int:
    """Passes over the labelled images: 40, or fewer when 40 would show more than 12,000 images."""
    return max(1, min(MAX_PASSES, MAX_IMAGES_SEEN // max(labels, 1)))


def reuse(body_weights: list, labels: int = 300, passes: int | None = None, seed: int = 0,
          shown: int = 1000) -> TransferResult:
    """Learn digits 5-9 from the first `labels` training images of 5-9: a new output layer on each
    cut of the reused network (frozen), and the whole CNN from scratch, each for `passes` passes
    (default `passes_for(labels)`); score each on every test image of 5-9. Loads MNIST;
    `body_weights` come from `pretrain`."""
    import keras

    from data.mnist import load_mnist

    passes = passes_for(labels) if passes is None else passes
    if labels < 5 or passes < 1:
        raise ValueError(f"need at least 5 labelled images and 1 pass, got {labels}, {passes}")
    mnist = load_mnist()
    images, targets = digits_subset(mnist.x_train, mnist.y_train, NEW_DIGITS)
    images, targets = images[:labels], targets[:labels]
    test_images, test_targets = digits_subset(mnist.x_test, mnist.y_test, NEW_DIGITS)
    keras.utils.set_random_seed(seed)
    _, bodies = build_network(len(NEW_DIGITS))
    bodies["dense"].set_weights(body_weights)  # the convolutional body shares these layers
    # Both cuts in one pass over the images: the dense features are computed from the convolutional ones.
    both = keras.Model(bodies["dense"].input, [bodies[cut].output for cut in CUTS])
    computed = [both.predict(batch, batch_size=1024, verbose=0) for batch in (images, test_images)]
    features = {cut: (computed[0][index], computed[1][index]) for index, cut in enumerate(CUTS)}
    keras.utils.clear_session()

    results = []
    for cut, (train_features, test_features) in features.items():
        keras.utils.set_random_seed(seed)
        start = time.perf_counter()
        inputs = keras.Input(shape=train_features.shape[1:], name="features")
        head = keras.Model(inputs, keras.layers.Dense(len(NEW_DIGITS), activation="softmax", name="head")(inputs))
        fit_passes(head, train_features, targets, passes, 2e-3)
        _, accuracy = head.evaluate(test_features, test_targets, batch_size=1024, verbose=0)
        results.append(StrategyResult(WAYS[cut], float(accuracy), head.count_params(), time.perf_counter() - start))
        keras.utils.clear_session()
    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    scratch, _ = build_network(len(NEW_DIGITS))
    fit_passes(scratch, images, targets, passes, 2e-3)
    _, accuracy = scratch.evaluate(test_images, test_targets, batch_size=1024, verbose=0)
    results.append(StrategyResult(SCRATCH, float(accuracy), scratch.count_params(), time.perf_counter() - start))
    keras.utils.clear_session()

    shown_labels = test_targets[:shown] + NEW_DIGITS[0]
    spaces = {"pixels": test_images[:shown].reshape(len(shown_labels), -1),
              **{cut: test_features[:shown] for cut, (_, test_features) in features.items()}}
    return TransferResult(labels, tuple(results),
                          {name: nearest_neighbour_agreement(points, shown_labels) for name, points in spaces.items()},
                          {name: np.asarray(pca_2d(points)[0], np.float32) for name, points in spaces.items()},
                          shown_labels)


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("To reuse a trained network's features for a new task, which layer do you remove first?",
             ("The input layer", "The output layer", "Every convolution", "None: retrain everything"), 1,
             "The output layer answers the old question (which of 0–4); the layers below it compute features. A "
             "new output layer is trained on top for the new question.",
             notes_said="note 003: remove the input layer"),
    Question("Why can features learned on digits 0–4 help to recognise 5–9?",
             ("Because 5–9 were secretly in the training data",
              "Because strokes, curves and loops are shared by all digits, and the lower layers detect those",
              "Because any random network works as well"), 1,
             "Lower layers learn general parts; the layer just below the output is the most specialised to the "
             "old classes, which is why the cut point matters."),
]

# The notes' claims about transfer are checked on lesson 19's page; lesson 20 measures them, so it
# shows the same entries (one text, two pages).
CORRECTIONS = [item for item in limits.CORRECTIONS if "transfer" in item.claim.lower()]
