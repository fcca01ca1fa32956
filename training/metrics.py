"""Test-set metrics per task, in NumPy (no Keras, no scikit-learn).

Traffic errors are in mph on de-normalised speeds; a true speed of zero is a missing reading
(the METR-LA convention) and is left out, as in DCRNN's masked metrics. MAPE is in percent.
"""

from __future__ import annotations

import numpy as np

from data.traffic import REPORTED_HORIZONS


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> np.ndarray:
    """counts[true, predicted]."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)), 1)
    return counts


def classification_metrics(y_true: np.ndarray, probabilities: np.ndarray) -> dict:
    """MNIST: accuracy, per-class accuracy (recall of each class) and the confusion matrix."""
    probabilities = np.asarray(probabilities)
    classes = probabilities.shape[1]
    y_true = np.asarray(y_true, dtype=np.int64)
    predicted = probabilities.argmax(axis=1)
    counts = confusion_matrix(y_true, predicted, classes)
    per_class = np.diag(counts) / np.maximum(counts.sum(axis=1), 1)
    return {"accuracy": float((predicted == y_true).mean()),
            "per_class_accuracy": [float(value) for value in per_class],
            "confusion_matrix": counts.tolist()}


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative, ties counting one half (Mann-Whitney U with average ranks)."""
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    positives, negatives = int(y_true.sum()), int((~y_true).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=np.float64)
    # Tied scores share the mean of the ranks they span.
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(scores)]])
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    rank_sum = ranks[y_true].sum()
    return float((rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives))


def binary_metrics(y_true: np.ndarray, probabilities: np.ndarray, threshold: float = 0.5) -> dict:
    """IMDB: accuracy, precision, recall, F1 of the positive class, and ROC AUC."""
    y_true = np.asarray(y_true).astype(bool)
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)  # (n,)
    predicted = probabilities >= threshold
    true_positives = int((predicted & y_true).sum())
    precision = true_positives / max(int(predicted.sum()), 1)
    recall = true_positives / max(int(y_true.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"accuracy": float((predicted == y_true).mean()), "precision": float(precision),
            "recall": float(recall), "f1": float(f1), "roc_auc": roc_auc(y_true, probabilities)}


def masked_errors(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, float, float]:
    """MAE, RMSE and MAPE (%) over the entries whose true value is not zero (missing)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    mask = np.abs(y_true) > 1e-3  # float32 round trips of a zero reading stay below this
    if not mask.any():
        return float("nan"), float("nan"), float("nan")
    error = (y_pred - y_true)[mask]
    mae = np.abs(error).mean()
    rmse = np.sqrt((error ** 2).mean())
    mape = 100.0 * (np.abs(error) / np.abs(y_true[mask])).mean()
    return float(mae), float(rmse), float(mape)


def traffic_metrics(y_true_mph: np.ndarray, y_pred_mph: np.ndarray) -> dict:
    """Masked MAE/RMSE/MAPE at 15, 30 and 60 minutes, and MAE at every step ahead.

    Both arrays are (windows, horizon_steps, sensors) in mph; step h (1-based) is h * 5 minutes.
    """
    y_true_mph = np.asarray(y_true_mph)
    y_pred_mph = np.asarray(y_pred_mph)
    if y_true_mph.shape != y_pred_mph.shape or y_true_mph.ndim != 3:
        raise ValueError(f"expected two (windows, steps, sensors) arrays of the same shape, got "
                         f"{y_true_mph.shape} and {y_pred_mph.shape}")
    metrics = {}
    for minutes, step in REPORTED_HORIZONS.items():
        if step > y_true_mph.shape[1]:
            continue
        mae, rmse, mape = masked_errors(y_true_mph[:, step - 1], y_pred_mph[:, step - 1])
        metrics.update({f"mae_{minutes}": mae, f"rmse_{minutes}": rmse, f"mape_{minutes}": mape})
    metrics["mae_by_step"] = [masked_errors(y_true_mph[:, step], y_pred_mph[:, step])[0]
                              for step in range(y_true_mph.shape[1])]
    metrics["mae"] = masked_errors(y_true_mph, y_pred_mph)[0]
    return metrics
