"""Lesson 1, the kinds of learning problems, each solved on toy data with a few lines of NumPy.

Regression predicts a number; classification picks a class (two or more); clustering and
dimensionality reduction find structure without labels. Every model is fitted on a training
split and judged on a test split it never saw.
"""

from __future__ import annotations

import numpy as np

from lessons.quiz import NOTE_PARTLY, Correction, Question


def blobs(count: int, centres, spread: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clouds around `centres` (k, d); labels are the index of the centre."""
    centres = np.asarray(centres, dtype=float)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(centres), count)
    return centres[labels] + rng.normal(0.0, spread, (count, centres.shape[1])), labels


def noisy_line(count: int, slope: float = 2.0, intercept: float = 1.0, noise: float = 1.0,
               seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 5.0, count)
    return x, slope * x + intercept + rng.normal(0.0, noise, count)


def train_test_split(count: int, test_fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a random training part and the held-out test part."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    order = np.random.default_rng(seed).permutation(count)
    test_size = max(1, round(count * test_fraction))
    return order[test_size:], order[:test_size]


def fit_line(x, y) -> tuple[float, float]:
    """Least-squares slope and intercept: the regression model with the fewest parameters."""
    design = np.stack([np.asarray(x, dtype=float), np.ones(len(x))], axis=1)  # (n, 2)
    (slope, intercept), *_ = np.linalg.lstsq(design, np.asarray(y, dtype=float), rcond=None)
    return float(slope), float(intercept)


def line_error(x, y, slope: float, intercept: float) -> float:
    """Mean squared error of the line y = slope * x + intercept on the points (x, y)."""
    return float(np.mean((slope * np.asarray(x) + intercept - np.asarray(y)) ** 2))


def accuracy(predicted, labels) -> float:
    return float(np.mean(np.asarray(predicted) == np.asarray(labels)))


def nearest_centroid_fit(features: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """One centre per class (rows ordered by class index); a classifier learned from labels."""
    classes = np.unique(labels)
    if not np.array_equal(classes, np.arange(len(classes))):
        raise ValueError(f"labels must be 0..k-1, got {classes}")
    return np.stack([features[labels == label].mean(axis=0) for label in classes])


def nearest_centroid_predict(centres: np.ndarray, features: np.ndarray) -> np.ndarray:
    distances = np.linalg.norm(features[:, None, :] - centres[None, :, :], axis=2)  # (n, k)
    return distances.argmin(axis=1)


def k_means(features: np.ndarray, clusters: int, seed: int = 0,
            iterations: int = 50) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Lloyd's algorithm from k-means++ starting centres: centres, assignments, and the within-cluster
    sum of squares per iteration."""
    if not 1 <= clusters <= len(features):
        raise ValueError(f"need 1 <= clusters <= {len(features)}, got {clusters}")
    centres = k_means_plus_plus(features, clusters, np.random.default_rng(seed))
    inertia = []
    for _ in range(iterations):
        assignments = nearest_centroid_predict(centres, features)
        inertia.append(float(np.sum((features - centres[assignments]) ** 2)))
        updated = np.stack([features[assignments == index].mean(axis=0) if np.any(assignments == index)
                            else centres[index] for index in range(clusters)])
        if np.allclose(updated, centres):
            break
        centres = updated
    return centres, nearest_centroid_predict(centres, features), inertia


def k_means_plus_plus(features: np.ndarray, clusters: int, rng: np.random.Generator) -> np.ndarray:
    """Starting centres spread out on purpose: each new one is drawn with probability proportional to
    its squared distance from the nearest centre so far (uniform starts often put two in one blob)."""
    centres = [features[rng.integers(len(features))]]
    for _ in range(clusters - 1):
        distances = np.min(np.linalg.norm(features[:, None, :] - np.array(centres)[None], axis=2), axis=1) ** 2
        centres.append(features[rng.choice(len(features), p=distances / distances.sum())])
    return np.array(centres, dtype=float)


def principal_components(features: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray]:
    """Projection onto the top principal directions and the share of variance each explains."""
    centred = features - features.mean(axis=0)
    _, singular_values, directions = np.linalg.svd(centred, full_matrices=False)
    explained = singular_values ** 2 / np.sum(singular_values ** 2)
    return centred @ directions[:components].T, explained[:components]  # (n, components)


# ---- supervised beside unsupervised: the same points with and without their labels ----------


def stretched_classes(count: int, seed: int = 0, length: float = 6.0, gap: float = 1.0,
                      spread: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Two long, thin, parallel clouds: class 0 along y = −gap, class 1 along y = +gap, each
    spread over x in [−length, length]. The classes differ in y, but the points vary most in x."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, count)
    x = rng.uniform(-length, length, count)
    y = np.where(labels == 1, gap, -gap) + rng.normal(0.0, spread, count)
    return np.stack([x, y], axis=1), labels


def cluster_agreement(assignments: np.ndarray, labels: np.ndarray) -> float:
    """Best share of points whose cluster matches their label, over every way of naming the
    clusters after the classes: clusters come without names, so k-means cannot be scored by a
    plain comparison."""
    from itertools import permutations

    assignments, labels = np.asarray(assignments), np.asarray(labels)
    clusters = int(max(assignments.max(), labels.max())) + 1
    if clusters > 8:
        raise ValueError(f"trying every naming of {clusters} clusters is too slow; use at most 8")
    return max(float(np.mean(np.asarray(naming)[assignments] == labels))
               for naming in permutations(range(clusters)))


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("A model predicts tomorrow's PM2.5 level in µg/m³. What kind of task is that?",
             ("Regression", "Binary classification", "Multi-class classification", "Clustering"), 0,
             "The output is a number on a continuous scale, so it is regression. Predicting one of the "
             "labels 'good / moderate / unhealthy' instead would be multi-class classification."),
    Question("How are artificial intelligence, machine learning and deep learning related?",
             ("DL ⊃ ML ⊃ AI", "ML and DL are separate fields", "AI ⊃ ML ⊃ DL", "They are three names for one thing"), 2,
             "AI is the goal (machines that act intelligently), machine learning is one way to reach it "
             "(learn from data instead of hand-written rules), and deep learning is one family of ML "
             "methods (many-layer neural networks)."),
    Question("You group shoppers by their purchase histories, without any labels. This is…",
             ("Supervised classification", "Unsupervised learning (clustering)", "Regression",
              "Reinforcement learning"), 1,
             "No target labels are given; the algorithm finds the groups itself, as k-means does in the demo."),
    Question("Why is a model judged on a test set it never saw during training?",
             ("The test set is larger", "Training error cannot be computed", "To make training faster",
              "Training error is optimistic: it also rewards memorising the training examples"), 3,
             "A model can fit its own training data better than new data; only held-out data estimates how "
             "it will do on new cases. A two-parameter line cannot memorise much, so in the demo the two errors "
             "are close; lesson 7 shows a model that memorises."),
    Question("How can the result of unsupervised learning be measured?",
             ("Hardly at all: without labels there is nothing to compare the result with",
              "With label-free scores such as within-cluster distances or reconstruction error, or by how much "
              "the learned features help a later supervised task",
              "Only by asking a human", "With training accuracy"), 1,
             "There are no labels to compare with, but there are still numbers: k-means reports its "
             "within-cluster sum of squares, an autoencoder its reconstruction error, PCA the variance it keeps.",
             notes_said="note 000: its effect can hardly be quantified, 几乎无法量化效果如何"),
    # supervised
    Question("What does supervised learning need that unsupervised learning does not?",
             ("More examples", "A target (label or value) for every training example", "A neural network",
              "A test set"), 1,
             "Supervised learning fits a mapping from inputs to given targets; unsupervised learning gets the "
             "inputs alone and finds structure in them. Both are tested on held-out data."),
]

CORRECTIONS = [
    Correction("note 000", "Supervised learning can measure its effect because its goal is clear, while "
               "unsupervised learning can hardly quantify how well it works (无监督学习几乎无法量化效果如何).",
               "It has no labels, not no measures: within-cluster sum of squares, silhouette scores, "
               "reconstruction error and explained variance are all numbers, and learned features can be "
               "scored by a downstream task."),
    Correction("note 004", "A model can be understood as the combination of an algorithm and data.",
               "A model is a function: an architecture plus the parameters learned for it. The training "
               "algorithm and the data produce those parameters, but neither is part of the model you ship."),
    Correction("note 004", "Model training … finally yields an optimal solution (最优解).",
               "Training lowers the loss until we stop it; the result is usually a local minimum or simply "
               "a good point, not a proven optimum. And the aim is low error on new data, not the lowest "
               "possible error on the training data."),
    Correction("note 001", "Hinton's 2006 Science paper 'Reducing the dimensionality of data with neural networks' "
               "first proposed deep belief networks.",
               "Deep belief networks were introduced in Hinton, Osindero & Teh, 'A fast learning algorithm for "
               "deep belief nets', Neural Computation 18(7), 2006. The Science paper (Hinton & Salakhutdinov, "
               "2006) used the same layer-by-layer pre-training to train deep autoencoders."),
    Correction("note 001", "Classic ML methods stop improving as data grows, while larger networks keep improving.",
               "That figure is a sketch from Andrew Ng's course, not a measurement. How accuracy grows with "
               "data depends on the task and the model; measure it (the task pages do) rather than assume it.",
               kind=NOTE_PARTLY),
]
