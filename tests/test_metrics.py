"""Metrics against hand-computed values and brute-force references (no scikit-learn)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from models.baselines import daily_profile, historical_average, input_window_mean, persistence
from training.metrics import (
    binary_metrics,
    classification_metrics,
    confusion_matrix,
    masked_errors,
    roc_auc,
    traffic_metrics,
)


def test_confusion_matrix_and_per_class_accuracy_by_hand():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    probabilities = np.eye(3)[[0, 1, 1, 1, 2, 2]]  # predictions 0 1 1 1 2 2
    metrics = classification_metrics(y_true, probabilities)
    assert metrics["confusion_matrix"] == [[1, 1, 0], [0, 2, 1], [0, 0, 1]]
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    assert metrics["per_class_accuracy"] == pytest.approx([0.5, 2 / 3, 1.0])


def test_confusion_matrix_counts_every_sample():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    counts = confusion_matrix(y_true, y_pred, 10)
    assert counts.sum() == 500
    assert counts[3, 7] == int(((y_true == 3) & (y_pred == 7)).sum())


def brute_force_auc(y_true, scores):
    positives = [s for s, y in zip(scores, y_true) if y]
    negatives = [s for s, y in zip(scores, y_true) if not y]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(positives, negatives))
    return wins / (len(positives) * len(negatives))


def test_roc_auc_matches_pairwise_counting_with_ties():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 200)
    scores = np.round(rng.random(200) * 0.5 + 0.3 * y_true, 1)  # rounding creates many ties
    assert roc_auc(y_true, scores) == pytest.approx(brute_force_auc(y_true, scores))
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0


def test_binary_metrics_by_hand():
    y_true = np.array([1, 1, 1, 0, 0])
    probabilities = np.array([0.9, 0.6, 0.2, 0.7, 0.1])  # TP 2, FN 1, FP 1, TN 1
    metrics = binary_metrics(y_true, probabilities)
    assert metrics["accuracy"] == pytest.approx(3 / 5)
    assert metrics["precision"] == pytest.approx(2 / 3)
    assert metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["f1"] == pytest.approx(2 / 3)
    assert metrics["roc_auc"] == pytest.approx(brute_force_auc(y_true, probabilities))


def test_masked_errors_skip_missing_readings():
    y_true = np.array([60.0, 0.0, 50.0, 40.0])
    y_pred = np.array([58.0, 30.0, 55.0, 40.0])
    mae, rmse, mape = masked_errors(y_true, y_pred)
    assert mae == pytest.approx((2 + 5 + 0) / 3)
    assert rmse == pytest.approx(np.sqrt((4 + 25 + 0) / 3))
    assert mape == pytest.approx(100 * (2 / 60 + 5 / 50 + 0) / 3)


def test_traffic_metrics_pick_steps_3_6_12():
    windows, steps, sensors = 4, 12, 3
    y_true = np.full((windows, steps, sensors), 50.0)
    # error at step h (1-based) is h mph, so MAE at 15/30/60 minutes is 3/6/12
    y_pred = y_true + np.arange(1, steps + 1)[None, :, None]
    y_true[0, 2, 0] = 0.0  # a missing reading is ignored, not counted as an error of 53
    metrics = traffic_metrics(y_true, y_pred)
    assert metrics["mae_15"] == pytest.approx(3.0)
    assert metrics["mae_30"] == pytest.approx(6.0)
    assert metrics["mae_60"] == pytest.approx(12.0)
    assert metrics["rmse_60"] == pytest.approx(12.0)
    assert metrics["mape_30"] == pytest.approx(100 * 6 / 50)
    assert metrics["mae_by_step"] == pytest.approx(list(range(1, 13)))


def test_persistence_repeats_the_last_input():
    inputs = np.arange(2 * 4 * 3, dtype=np.float32).reshape(2, 4, 3)
    forecast = persistence(inputs, 5)
    assert forecast.shape == (2, 5, 3)
    np.testing.assert_array_equal(forecast[:, 4], inputs[:, -1])


def test_historical_average_is_the_mean_at_the_same_time_of_day():
    steps_per_day = 4
    # three days; on day 2 sensor 0 has a missing (zero) reading at slot 1
    train = np.array([[10, 1], [20, 2], [30, 3], [40, 4],
                      [12, 1], [0, 2], [32, 3], [42, 4],
                      [14, 1], [26, 2], [34, 3], [44, 4]], dtype=np.float32)
    profile = daily_profile(train, steps_per_day)
    np.testing.assert_allclose(profile[:, 0], [12, 23, 32, 42])
    forecast = historical_average(train, np.array([12, 14]), horizon_steps=3, steps_per_day=steps_per_day)
    assert forecast.shape == (2, 3, 2)
    np.testing.assert_allclose(forecast[0, :, 0], [12, 23, 32])  # slots 0, 1, 2
    np.testing.assert_allclose(forecast[1, :, 0], [32, 42, 12])  # slots 2, 3, then 0 of the next day


def test_input_window_mean_feeds_its_forecasts_back():
    inputs = np.array([[[2.0], [4.0], [6.0]]])  # one window, three steps, one sensor
    forecast = input_window_mean(inputs, 3)
    assert forecast.shape == (1, 3, 1)
    np.testing.assert_allclose(forecast[0, :, 0], [4.0, 14 / 3, (6 + 4 + 14 / 3) / 3])
