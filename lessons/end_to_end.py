"""Lesson 6, end-to-end learning: give a deep network only inputs and outputs, and look at what
its layers did. Note 000: "very similar inputs, different outputs; very different inputs, the
same output: hard for a simple layer. After several layers the classes cluster, then separate."

We train the task page's DNN on MNIST pixels and labels only, then follow test digits through
its layers: how far apart two digits are at each layer, and how often a digit's nearest
neighbour is a digit of the same class.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.projection import pca_2d

HIDDEN = (256, 128, 64)
LAYER_NAME = N_("hidden layer {index} ({units} units)")  # formatted per layer; pages translate the pattern


def dense_representations(weights: list[np.ndarray], images: np.ndarray) -> list[np.ndarray]:
    """What each layer holds for `images` (n, 28, 28), by hand from the weights of
    `models.mnist.build_dnn(HIDDEN)`: the pixels, relu(x·W + b) for every hidden layer, and the
    ten softmax probabilities of the output layer (dropout is off at inference)."""
    x = np.asarray(images, np.float32).reshape(len(images), -1)  # (n, 784)
    layers = [x]
    for kernel, bias in zip(weights[0:-2:2], weights[1:-2:2]):
        x = np.maximum(x @ kernel + bias, 0.0)
        layers.append(x)
    logits = x @ weights[-2] + weights[-1]
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    layers.append(exponentials / exponentials.sum(axis=1, keepdims=True))  # (n, 10)
    return layers


def pairwise_distances(points: np.ndarray) -> np.ndarray:
    points = np.asarray(points, np.float64)
    squares = np.sum(points ** 2, axis=1)
    return np.sqrt(np.maximum(squares[:, None] + squares[None, :] - 2.0 * points @ points.T, 0.0))  # (n, n)


def nearest_neighbour_agreement(points: np.ndarray, labels: np.ndarray) -> float:
    """Share of points whose nearest other point has the same label: how well the layer already
    groups the classes, with no classifier on top."""
    distances = pairwise_distances(points)
    np.fill_diagonal(distances, np.inf)
    return float(np.mean(labels[distances.argmin(axis=1)] == labels))


def telling_pairs(pixels: np.ndarray, labels: np.ndarray, correct: np.ndarray) -> dict[str, tuple[int, int]]:
    """Note 000's two cases, picked among the digits the network gets right: the two most similar
    images of different digits, and the two least similar images of the same digit (by pixel
    distance)."""
    distances = pairwise_distances(pixels)
    same = labels[:, None] == labels[None, :]
    off_diagonal = ~np.eye(len(labels), dtype=bool) & correct[:, None] & correct[None, :]
    similar = np.where(~same & off_diagonal, distances, np.inf)
    different = np.where(same & off_diagonal, distances, -np.inf)
    first = np.unravel_index(np.argmin(similar), similar.shape)
    second = np.unravel_index(np.argmax(different), different.shape)
    return {N_("similar inputs, different digits"): (int(first[0]), int(first[1])),  # N_: shown on the page
            N_("different inputs, same digit"): (int(second[0]), int(second[1]))}


@dataclass(frozen=True)
class EndToEndResult:
    layer_names: tuple[str, ...]
    coordinates: tuple[np.ndarray, ...]  # per layer, (shown, 2) PCA of the representations
    explained: tuple[float, ...]  # variance share of the two PCA axes, per layer
    labels: np.ndarray  # (shown,)
    agreement: tuple[float, ...]  # nearest-neighbour agreement per layer
    pairs: dict[str, tuple[int, int]]  # indices into the shown digits
    pair_images: dict[str, np.ndarray]  # (2, 28, 28) each
    relative_distances: dict[str, tuple[float, ...]]  # per layer: pair distance / median distance
    test_accuracy: float
    seconds: float


def train_and_trace(train_size: int = 10_000, epochs: int = 4, shown: int = 1000, seed: int = 0) -> EndToEndResult:
    """Train the DNN end to end (pixels in, digit out, nothing in between specified), then trace
    `shown` test digits through its layers. Loads MNIST itself, returns plain arrays."""
    import keras

    from data.mnist import load_mnist
    from models.mnist import build_dnn

    if train_size < 10 or epochs < 1 or shown < 10:
        raise ValueError(f"need train_size >= 10, epochs >= 1 and shown >= 10, got {train_size}, {epochs}, {shown}")
    start = time.perf_counter()
    mnist = load_mnist()
    keras.utils.set_random_seed(seed)
    images = mnist.x_train[:train_size].astype(np.float32) / 255.0
    model = build_dnn(hidden_units=HIDDEN)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(images[..., None], mnist.y_train[:train_size], batch_size=128, epochs=epochs, verbose=0)
    test_images = mnist.x_test.astype(np.float32) / 255.0
    _, accuracy = model.evaluate(test_images[..., None], mnist.y_test, batch_size=1024, verbose=0)
    weights = model.get_weights()
    keras.utils.clear_session()

    shown_images, labels = test_images[:shown], np.asarray(mnist.y_test[:shown])
    layers = dense_representations(weights, shown_images)
    hidden = tuple(LAYER_NAME.format(index=index, units=units) for index, units in enumerate(HIDDEN, 1))
    names = (N_("pixels"),) + hidden + (N_("output (10 probabilities)"),)
    pairs = telling_pairs(layers[0], labels, layers[-1].argmax(axis=1) == labels)
    projections = [pca_2d(layer) for layer in layers]
    relative = {}
    for name, (first, second) in pairs.items():
        per_layer = []
        for layer in layers:
            distances = pairwise_distances(layer)
            per_layer.append(float(distances[first, second] / np.median(distances[~np.eye(len(layer), dtype=bool)])))
        relative[name] = tuple(per_layer)
    return EndToEndResult(
        layer_names=names, coordinates=tuple(np.asarray(coords, np.float32) for coords, _ in projections),
        explained=tuple(float(share.sum()) for _, share in projections), labels=labels,
        agreement=tuple(nearest_neighbour_agreement(layer, labels) for layer in layers), pairs=pairs,
        pair_images={name: shown_images[list(pair)] for name, pair in pairs.items()},
        relative_distances=relative, test_accuracy=float(accuracy), seconds=time.perf_counter() - start)
