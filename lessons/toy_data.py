"""Small 2-D datasets for the lesson demos: two moons, circles, XOR and two spirals.

Each generator is seeded and returns float32 points of shape (n, 2) and float32 labels 0/1 of
shape (n,), so a demo trains in seconds and gives the same picture every time.
"""

from __future__ import annotations

import numpy as np


def _check(count: int, noise: float) -> None:
    if count < 4:
        raise ValueError(f"need at least 4 points, got {count}")
    if noise < 0:
        raise ValueError(f"noise is a standard deviation and cannot be negative, got {noise}")


def _finish(points: np.ndarray, labels: np.ndarray, noise: float, rng) -> tuple[np.ndarray, np.ndarray]:
    points = points + rng.normal(0.0, noise, size=points.shape)
    order = rng.permutation(len(labels))
    return points[order].astype("float32"), labels[order].astype("float32")


def two_moons(count: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaved half circles: the classic 'not linearly separable, but almost' set."""
    _check(count, noise)
    rng = np.random.default_rng(seed)
    upper = count // 2
    angle_upper = rng.uniform(0, np.pi, upper)
    angle_lower = rng.uniform(0, np.pi, count - upper)
    points = np.concatenate([
        np.stack([np.cos(angle_upper), np.sin(angle_upper)], axis=1),
        np.stack([1 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)], axis=1),
    ]) - np.array([0.5, 0.25])
    labels = np.concatenate([np.zeros(upper), np.ones(count - upper)])
    return _finish(points, labels, noise, rng)


def circles(count: int = 200, noise: float = 0.08, seed: int = 0, inner_radius: float = 0.5):
    """A ring around a disc: no straight line separates them."""
    _check(count, noise)
    rng = np.random.default_rng(seed)
    outer = count // 2
    angle = rng.uniform(0, 2 * np.pi, count)
    radius = np.concatenate([np.ones(outer), np.full(count - outer, inner_radius)])
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    labels = np.concatenate([np.zeros(outer), np.ones(count - outer)])
    return _finish(points, labels, noise, rng)


def xor(count: int = 200, noise: float = 0.15, seed: int = 0):
    """Four blobs at (±1, ±1); the label is 1 where the signs of the two coordinates differ."""
    _check(count, noise)
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 4, count)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)
    points = signs[corners] * 0.8
    labels = (corners >= 2).astype(float)
    return _finish(points, labels, noise, rng)


def two_spirals(count: int = 400, noise: float = 0.05, seed: int = 0, turns: float = 1.5):
    """Two interleaved spirals: hard for one wide layer, easier for a deeper one."""
    _check(count, noise)
    rng = np.random.default_rng(seed)
    half = count // 2
    angle = np.sqrt(rng.uniform(0, 1, count)) * turns * 2 * np.pi
    arm = np.stack([angle * np.cos(angle), angle * np.sin(angle)], axis=1) / (turns * np.pi)  # (count, 2)
    points = np.concatenate([arm[:half], -arm[half:]])  # the second spiral is the first turned by 180°
    labels = np.concatenate([np.zeros(half), np.ones(count - half)])
    return _finish(points, labels, noise, rng)


DATASETS = {"two moons": two_moons, "circles": circles, "XOR": xor, "two spirals": two_spirals}


def make_dataset(name: str, count: int = 200, seed: int = 0, noise: float | None = None):
    """`DATASETS[name]` with its default noise unless `noise` is given."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(DATASETS)}")
    if noise is None:
        return DATASETS[name](count=count, seed=seed)
    return DATASETS[name](count=count, noise=noise, seed=seed)


def grid_over(points: np.ndarray, resolution: int = 60, margin: float = 0.3) -> np.ndarray:
    """A resolution x resolution grid of float32 points covering `points`, for decision maps."""
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"expected points of shape (n, 2), got {points.shape}")
    low = points.min(axis=0) - margin
    high = points.max(axis=0) + margin
    first, second = np.meshgrid(np.linspace(low[0], high[0], resolution),
                                np.linspace(low[1], high[1], resolution))
    return np.stack([first.ravel(), second.ravel()], axis=1).astype("float32")  # (resolution², 2)
