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
    # The eigenvectors of the smaller of the two Gram matrices give the same directions as an SVD
    # of `centred`, many times faster for a thousand points of a thousand features.
    if centred.shape[1] <= centred.shape[0]:
        variance, vectors = np.linalg.eigh(centred.T @ centred)  # ascending, (d, d)
        directions = vectors[:, ::-1][:, :2].T  # (2, d)
    else:
        variance, vectors = np.linalg.eigh(centred @ centred.T)  # ascending, (n, n)
        top = vectors[:, ::-1][:, :2]  # (n, 2)
        directions = (centred.T @ top).T  # (2, d)
        directions /= np.maximum(np.linalg.norm(directions, axis=1, keepdims=True), 1e-300)
    variance = np.sort(np.maximum(variance, 0.0))[::-1]
    signs = np.sign(directions[np.arange(2), np.abs(directions).argmax(axis=1)])
    directions = directions * np.where(signs == 0, 1.0, signs)[:, None]
    total = float(np.sum(centred ** 2))
    explained = variance[:2] / total if total > 0 else np.zeros(2)
    return centred @ directions.T, explained
