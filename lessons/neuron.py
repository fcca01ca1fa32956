"""Lesson 2, the neuron: a weighted sum plus a bias, passed through an activation.

With a sigmoid and a 0.5 threshold one neuron answers yes where w·x + b > 0: it cuts the plane
once, along a straight line. A layer of neurons makes many cuts; further layers combine them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons import keras_demo
from lessons.quiz import NOTE_PARTLY, Correction, Question
from lessons.toy_data import grid_over, make_dataset

# name -> hidden layer widths; every model ends in one sigmoid neuron.
MODELS = {  # N_: the names are shown on the lesson page in the reader's language
    N_("one neuron"): [],
    N_("one wide layer (32 neurons)"): [32],
    N_("deep network (3 layers of 8)"): [8, 8, 8],
}


def neuron(inputs: np.ndarray, weights: np.ndarray, bias: float, activation: str = "sigmoid") -> np.ndarray:
    """activation(inputs @ weights + bias) for inputs of shape (n, d) and weights of shape (d,)."""
    inputs = np.atleast_2d(np.asarray(inputs, dtype=float))
    weights = np.asarray(weights, dtype=float)
    if inputs.shape[1] != weights.shape[0]:
        raise ValueError(f"inputs have {inputs.shape[1]} features but there are {weights.shape[0]} weights")
    weighted_sum = inputs @ weights + bias
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-weighted_sum))
    if activation == "step":
        return (weighted_sum > 0).astype(float)
    if activation == "linear":
        return weighted_sum
    raise ValueError(f"unknown activation {activation!r}; use 'sigmoid', 'step' or 'linear'")


def boundary_line(weights: np.ndarray, bias: float, first_range: tuple[float, float],
                  second_range: tuple[float, float], samples: int = 50) -> np.ndarray:
    """Points of the line w1·x1 + w2·x2 + b = 0 inside the given box, shape (k, 2); empty if none."""
    w1, w2 = (float(value) for value in weights)
    if w1 == 0 and w2 == 0:
        return np.empty((0, 2))
    if abs(w2) >= abs(w1):
        first = np.linspace(*first_range, samples)
        points = np.stack([first, -(w1 * first + bias) / w2], axis=1)
    else:
        second = np.linspace(*second_range, samples)
        points = np.stack([-(w2 * second + bias) / w1, second], axis=1)
    inside = ((points[:, 0] >= first_range[0]) & (points[:, 0] <= first_range[1])
              & (points[:, 1] >= second_range[0]) & (points[:, 1] <= second_range[1]))
    return points[inside]


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Share of points on the right side of the 0.5 threshold."""
    return float(np.mean((np.asarray(probabilities) > 0.5) == (np.asarray(labels) > 0.5)))


@dataclass(frozen=True)
class TrainedClassifier:
    model_name: str
    dataset: str
    parameters: int
    accuracy: float
    final_loss: float
    grid: np.ndarray  # (g, 2) points of the decision map
    grid_probabilities: np.ndarray  # (g,) the model's P(label = 1) there
    seconds: float
    weights: np.ndarray | None  # for one neuron: (w1, w2)
    bias: float | None


def train_classifier(dataset: str, model_name: str, seed: int = 0, steps: int = 200,
                     learning_rate: float = 0.05, count: int = 200, resolution: int = 50) -> TrainedClassifier:
    """Train one of MODELS on a toy dataset with Keras (full-batch Adam) and map its decisions."""
    if model_name not in MODELS:
        raise ValueError(f"unknown model {model_name!r}; choose one of {list(MODELS)}")
    features, labels = make_dataset(dataset, count=count, seed=seed)
    keras_demo.reset()
    model = keras_demo.dense_network(2, MODELS[model_name], seed=seed, name="classifier")
    history = keras_demo.fit_full_batch(model, features, labels, steps=steps, learning_rate=learning_rate)
    grid = grid_over(features, resolution=resolution)
    probabilities = keras_demo.predict(model, features)
    weights, bias = None, None
    if not MODELS[model_name]:
        kernel, offset = model.get_layer("output").get_weights()
        weights, bias = kernel.reshape(-1), float(offset[0])  # (2,)
    return TrainedClassifier(
        model_name=model_name, dataset=dataset, parameters=model.count_params(),
        accuracy=accuracy(probabilities, labels), final_loss=float(history.train_loss[-1]),
        grid=grid, grid_probabilities=keras_demo.predict(model, grid), seconds=history.seconds,
        weights=weights, bias=bias)


def best_line_accuracy(features: np.ndarray, labels: np.ndarray) -> float:
    """The highest accuracy any single straight cut (one neuron) can reach on these points.

    An optimal line can be slid and turned until it passes through two data points without
    changing which side any other point is on; a line through two points can then be nudged to
    put each of those two on either side. So trying every pair of points is exact."""
    points = np.asarray(features, dtype=np.float64)
    positive = np.asarray(labels) > 0.5
    count = len(points)
    if points.ndim != 2 or points.shape[1] != 2 or count != len(positive) or count < 2:
        raise ValueError(f"need (n, 2) points with one label each, got {points.shape} and {positive.shape}")
    first, second = np.triu_indices(count, k=1)
    direction = points[second] - points[first]  # (pairs, 2)
    normal = np.stack([-direction[:, 1], direction[:, 0]], axis=1)  # (pairs, 2)
    offset = np.einsum("pd,pd->p", normal, points[first])  # (pairs,)
    side = (normal @ points.T) > offset[:, None]  # (pairs, n): which side of each line every point is on
    off_line = np.ones_like(side)
    off_line[np.arange(len(first)), first] = False
    off_line[np.arange(len(first)), second] = False
    agree = ((side == positive) & off_line).sum(axis=1)
    disagree = ((side != positive) & off_line).sum(axis=1)
    return float((np.maximum(agree, disagree).max() + 2) / count)


def train_classifiers(dataset: str, seed: int = 0, steps: int = 200) -> dict[str, TrainedClassifier]:
    """Every model of MODELS trained on the same data: the page's demo, run in a worker process,
    so it returns maps and numbers only (no Keras model crosses the process boundary)."""
    return {model_name: train_classifier(dataset, model_name, seed=seed, steps=steps) for model_name in MODELS}


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("A sigmoid neuron has weights w = (2, −1) and bias b = 0.5. What does it output for x = (1, 1)?",
             ("0.82", "0.62", "1.5", "0.18"), 0,
             "z = 2·1 + (−1)·1 + 0.5 = 1.5 and sigmoid(1.5) = 1 / (1 + e^(−1.5)) ≈ 0.82."),
    Question("Why can no single neuron (sigmoid plus a 0.5 threshold) solve XOR?",
             ("It has too few training examples", "The sigmoid is not differentiable",
              "Its decision boundary w·x + b = 0 is one straight line, and no line separates XOR's classes",
              "XOR needs negative inputs"), 2,
             "The output is above 0.5 exactly where w·x + b > 0: one straight cut. XOR's classes sit on "
             "opposite corners, so every line misclassifies at least one corner. The demo shows it."),
    Question("Can a single neuron learn from data?",
             ("No, never", "Yes: a perceptron or a sigmoid neuron learns its weights from examples; only the 1943 "
              "McCulloch-Pitts neuron had fixed, hand-set weights", "Only with a ReLU",
              "Only inside a deep network"), 1,
             "Rosenblatt's perceptron (1958) adjusts its weights after each mistake, and a sigmoid neuron trained "
             "by gradient descent is logistic regression. The 'one neuron' model in the demo learns its line.",
             notes_said="note 001: a single neuron model cannot learn from data"),
    Question("What does a hidden layer of many neurons add over one neuron?",
             ("Nothing: it is still one line", "Memory of earlier inputs", "Faster training only",
              "Many straight cuts whose combination can enclose curved regions"), 3,
             "Each hidden neuron makes its own cut; the output neuron combines them, so the boundary can bend. "
             "Deeper layers combine those combinations again, re-using the earlier cuts."),
    Question("A single neuron with an identity (linear) activation is trained with squared error to predict a "
             "number. What model is that?",
             ("Linear regression", "Logistic regression", "A decision tree", "k-means clustering"), 0,
             "Output = w·x + b fitted by least squares: linear regression. With a sigmoid and cross-entropy it "
             "would be logistic regression, a binary classifier. Note 000's homework answer says the same: "
             "before the activation a neuron is a linear regression model, and a sigmoid makes it a binary "
             "classifier (在激活函数之前,都是一个线性回归的模型…如果是个 sigmod函数起到二分类的作用)."),
]

CORRECTIONS = [
    Correction("note 001", "A single neuron model cannot learn from data (单个的神经元模型无法从数据中学习).",
               "True of the McCulloch-Pitts neuron of 1943, whose weights were fixed by hand. False of the "
               "perceptron (Rosenblatt, 1958), which learns its weights from labelled examples, and of a sigmoid "
               "neuron trained by gradient descent (logistic regression).", kind=NOTE_PARTLY),
    Correction("note 001", "The first artificial neuron was proposed by 'Warren Maculloach' and Walter Pitts.",
               "Warren McCulloch and Walter Pitts, 'A logical calculus of the ideas immanent in nervous "
               "activity', 1943."),
    Correction("note 004", "h(x) = f(Wᵀx) = f(Σ Wᵢxᵢ + b)",
               "The middle term drops the bias: h(x) = f(Wᵀx + b)."),
    Correction("note 000", "A single neuron's role is binary classification (单个神经元的作用是做二分类).",
               "Only with a sigmoid or step activation and a threshold, where it is a linear classifier (logistic "
               "regression). The note's own next sentence says so: before the activation it is a linear "
               "regression model (在激活函数之前,都是一个线性回归的模型). With a linear activation it is linear "
               "regression, and inside a network a neuron is a feature detector, not a classifier of its own.",
               kind=NOTE_PARTLY),
    Correction("note 001", "The output layer turns the last hidden layer's output into a single value.",
               "The output layer has one unit per quantity to predict: one for a number or a yes/no label, "
               "ten softmax units for the ten MNIST digits."),
]
