"""Lesson 3 demo (note 002): a curve built from a constant plus a sum of hard sigmoids.

A "hard sigmoid" here is the flat-ramp-flat shape of the lecture: 0 left of `start`, rising
linearly to 1 at `end`, 1 after. Two ReLUs make it exactly,
    ramp(x) = (relu(x - start) - relu(x - end)) / (end - start),
and a sigmoid with slope 4 / (end - start) at the middle approximates it smoothly. With n ramps
on consecutive intervals of [low, high], `c0 + sum c_i ramp_i(x)` is any continuous curve that
is linear on each of the n intervals, so least squares finds the best n-piece fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from i18n import N_
from lessons.activations import relu, sigmoid

KINDS = (N_("two ReLUs"), "sigmoid")


def ramp_from_relus(x, start: float, end: float) -> np.ndarray:
    if end <= start:
        raise ValueError(f"a ramp needs end > start, got start={start}, end={end}")
    return (relu(np.asarray(x, dtype=float) - start) - relu(np.asarray(x, dtype=float) - end)) / (end - start)


def ramp_from_sigmoid(x, start: float, end: float) -> np.ndarray:
    """A sigmoid with the ramp's midpoint and the ramp's slope there (1 / width)."""
    if end <= start:
        raise ValueError(f"a ramp needs end > start, got start={start}, end={end}")
    middle, width = (start + end) / 2.0, end - start
    return sigmoid(4.0 * (np.asarray(x, dtype=float) - middle) / width)


def target_curve(x) -> np.ndarray:
    """The smooth curve the demo approximates."""
    x = np.asarray(x, dtype=float)
    return np.sin(1.5 * x) + 0.3 * x


def knots(pieces: int, low: float, high: float) -> np.ndarray:
    if pieces < 1:
        raise ValueError(f"need at least one piece, got {pieces}")
    if high <= low:
        raise ValueError(f"need high > low, got low={low}, high={high}")
    return np.linspace(low, high, pieces + 1)


def basis(x, pieces: int, low: float, high: float, kind: str = "two ReLUs") -> np.ndarray:
    """Design matrix, shape (len(x), pieces + 1): a column of ones, then one ramp per interval."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {KINDS}")
    ramp = ramp_from_relus if kind == "two ReLUs" else ramp_from_sigmoid
    edges = knots(pieces, low, high)
    x = np.asarray(x, dtype=float)
    columns = [np.ones_like(x)] + [ramp(x, edges[i], edges[i + 1]) for i in range(pieces)]
    return np.stack(columns, axis=1)


@dataclass(frozen=True)
class PiecewiseFit:
    x: np.ndarray
    target: np.ndarray
    fitted: np.ndarray
    coefficients: np.ndarray  # (pieces + 1,): the constant, then one height per ramp
    components: np.ndarray  # (len(x), pieces): each ramp times its height
    knots: np.ndarray
    rmse: float


def fit(pieces: int, kind: str = "two ReLUs", low: float = -3.0, high: float = 3.0,
        samples: int = 301, target=target_curve) -> PiecewiseFit:
    """Least-squares heights for `pieces` ramps (plus a constant) fitted to `target` on [low, high]."""
    x = np.linspace(low, high, samples)
    goal = np.asarray(target(x), dtype=float)
    design = basis(x, pieces, low, high, kind)
    coefficients, *_ = np.linalg.lstsq(design, goal, rcond=None)
    fitted = design @ coefficients
    return PiecewiseFit(x=x, target=goal, fitted=fitted, coefficients=coefficients,
                        components=design[:, 1:] * coefficients[1:], knots=knots(pieces, low, high),
                        rmse=float(np.sqrt(np.mean((fitted - goal) ** 2))))
