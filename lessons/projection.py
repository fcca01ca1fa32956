"""A 2-D view of high-dimensional points (PCA with NumPy), shared by the embedding and
autoencoder lessons."""

from __future__ import annotations

import numpy as np


def pca_2d(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project `points` (n, d) on their two principal directions.

    Returns the (n, 2) coordinates and the share of the variance each direction explains.
    The sign of each direction is fixed so that its largest loading is positive, which makes
    the picture reproducible.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[0] < 2 or points.shape[1] < 2:
        raise ValueError(f"need at least two points of at least two dimensions, got shape {points.shape}")
    centred = points - points.mean(axis=0)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)
    directions = directions[:2]
    signs = np.sign(directions[np.arange(2), np.abs(directions).argmax(axis=1)])
    directions = directions * np.where(signs == 0, 1.0, signs)[:, None]
    variance = singular ** 2
    explained = variance[:2] / variance.sum() if variance.sum() > 0 else np.zeros(2)
    return centred @ directions.T, explained
