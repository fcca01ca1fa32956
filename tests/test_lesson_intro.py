"""Lesson 1. What deep learning is: lessons/intro.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/intro.py run in AppTest."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import intro
from tests.pages import assert_lesson_parts, captions, chart_specs, metrics, open_page, rerun

# ---- its math against NumPy and Keras --------------------------------------------------------------


def test_fit_line_matches_numpy_polyfit():
    x, y = intro.noisy_line(40, seed=2)
    assert np.allclose(intro.fit_line(x, y), np.polyfit(x, y, 1))


def test_split_is_disjoint_and_complete():
    train, test = intro.train_test_split(40, 0.25, seed=1)
    assert len(test) == 10 and sorted(np.concatenate([train, test])) == list(range(40))


def test_line_error_and_accuracy_are_the_mse_and_the_share_right():
    x, y = intro.noisy_line(40, seed=2)
    assert intro.line_error(x, y, 2.0, 1.0) == np.mean((2.0 * x + 1.0 - y) ** 2)
    assert intro.line_error(x, 2.0 * x + 1.0, 2.0, 1.0) == 0.0
    assert intro.accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75


def test_nearest_centroid_and_k_means_recover_well_separated_blobs():
    centres = [[-5, 0], [5, 0], [0, 6]]
    features, labels = intro.blobs(150, centres, spread=0.5, seed=0)
    fitted = intro.nearest_centroid_fit(features, labels)
    assert np.mean(intro.nearest_centroid_predict(fitted, features) == labels) == 1.0
    found, assignments, inertia = intro.k_means(features, 3, seed=0)
    # Each true blob maps to exactly one cluster (clusters are unnamed, so compare partitions).
    assert len(set(zip(labels, assignments))) == 3
    assert all(later <= earlier + 1e-9 for earlier, later in zip(inertia, inertia[1:]))


def test_principal_components_match_the_covariance_eigenvalues():
    features, _ = intro.blobs(200, np.random.default_rng(0).normal(0, 3, (3, 5)), seed=1)
    projected, explained = intro.principal_components(features, 2)
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(features.T)))[::-1]
    assert np.allclose(explained, eigenvalues[:2] / eigenvalues.sum())
    assert np.allclose(projected.var(axis=0, ddof=1), eigenvalues[:2])


def test_labels_decide_the_grouping_on_stretched_classes():
    features, labels = intro.stretched_classes(300, seed=0)
    train, test = intro.train_test_split(len(labels), 0.25, 0)
    centroids = intro.nearest_centroid_fit(features[train], labels[train])
    supervised = np.mean(intro.nearest_centroid_predict(centroids, features[test]) == labels[test])
    _, clusters, _ = intro.k_means(features, 2, seed=0)
    assert supervised > 0.95
    assert intro.cluster_agreement(clusters, labels) < 0.7  # k-means cuts the long direction instead


def test_cluster_agreement_ignores_the_names_of_the_clusters():
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert intro.cluster_agreement(np.array([2, 2, 0, 0, 1, 1]), labels) == 1.0
    mixed = intro.cluster_agreement(np.array([1, 1, 1, 0, 0, 0]), np.array([0, 0, 0, 0, 1, 1]))
    assert mixed == pytest.approx(5 / 6)


# ---- the page --------------------------------------------------------------------------------------


def test_intro_solves_each_kind_of_problem():
    app = open_page("views/lessons/intro.py")
    assert_lesson_parts(app, "views/lessons/intro.py", intro)
    assert "Training MSE" in metrics(app) and chart_specs(app)
    for task in ("binary classification", "multi-class classification", "clustering", "dimensionality reduction"):
        rerun(app.radio(key="intro-task").set_value(task))
        assert chart_specs(app), task
    assert float(metrics(app)["Variance kept by the two components"].rstrip("%")) > 50


def test_supervised_section_compares_labels_with_k_means():
    app = open_page("views/lessons/intro.py")
    assert "finds them without labels" in captions(app)
    rerun(app.radio(key="intro-supervision-data").set_value("long, thin classes"))
    assert "k-means found two groups, but not the classes" in captions(app)
    found = metrics(app)
    assert float(found["Supervised: test accuracy (nearest centroid)"].rstrip("%")) > 95
    assert float(found["Unsupervised: k-means clusters that match the classes"].rstrip("%")) < 70
