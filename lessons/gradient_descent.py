"""Lesson 4, gradient descent on 2-D loss surfaces, in NumPy.

The update is p <- p - step * grad f(p). On a quadratic bowl with curvatures a (along x) and b
(along y) each coordinate is multiplied by (1 - step * curvature) at every step, so the step size
alone decides whether the walk converges smoothly, zig-zags, or blows up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from i18n import N_

BOWL_CURVATURES = (1.0, 10.0)  # a long narrow valley: steep across y, gentle along x
DIVERGED = 1e6  # a walk that gets this far from the origin has blown up


@dataclass(frozen=True)
class Surface:
    name: str
    loss: Callable[[np.ndarray], np.ndarray]  # points (..., 2) -> values (...)
    gradient: Callable[[np.ndarray], np.ndarray]  # points (..., 2) -> gradients (..., 2)
    bounds: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high for plots


def _bowl_loss(points):
    points = np.asarray(points, dtype=float)
    return 0.5 * (BOWL_CURVATURES[0] * points[..., 0] ** 2 + BOWL_CURVATURES[1] * points[..., 1] ** 2)


def _bowl_gradient(points):
    return np.asarray(points, dtype=float) * np.array(BOWL_CURVATURES)


# Wells of a bumpy landscape: (centre x, centre y, depth, width²). The first is the deepest.
WELLS = ((1.5, 1.0, 2.0, 0.8), (-1.6, -1.2, 1.4, 0.6), (-1.4, 1.8, 1.0, 0.4), (1.8, -1.8, 0.8, 0.5))
BOWL_WEIGHT = 0.05


def _bumpy_loss(points):
    points = np.asarray(points, dtype=float)
    value = BOWL_WEIGHT * np.sum(points ** 2, axis=-1)
    for centre_x, centre_y, depth, width in WELLS:
        offset = points - np.array([centre_x, centre_y])
        value = value - depth * np.exp(-np.sum(offset ** 2, axis=-1) / width)
    return value


def _bumpy_gradient(points):
    points = np.asarray(points, dtype=float)
    gradient = 2 * BOWL_WEIGHT * points
    for centre_x, centre_y, depth, width in WELLS:
        offset = points - np.array([centre_x, centre_y])
        bump = depth * np.exp(-np.sum(offset ** 2, axis=-1, keepdims=True) / width)
        gradient = gradient + bump * 2 * offset / width
    return gradient


BOWL = Surface("narrow valley (quadratic bowl)", _bowl_loss, _bowl_gradient, (-3.0, 3.0, -3.0, 3.0))
BUMPY = Surface("bumpy landscape (several minima)", _bumpy_loss, _bumpy_gradient, (-3.5, 3.5, -3.5, 3.5))


def descend(surface: Surface, start, step: float, steps: int) -> np.ndarray:
    """The path p_0 .. p_k of plain gradient descent, shape (k + 1, 2); stops early if it blows up."""
    if step < 0:
        raise ValueError(f"the step size must be non-negative, got {step}")
    if steps < 0:
        raise ValueError(f"steps must be non-negative, got {steps}")
    path = [np.asarray(start, dtype=float).reshape(2)]
    for _ in range(steps):
        point = path[-1] - step * surface.gradient(path[-1])
        path.append(point)
        if not np.all(np.isfinite(point)) or np.max(np.abs(point)) > DIVERGED:
            break
    return np.array(path)


def bowl_regime(step: float, curvatures=BOWL_CURVATURES) -> str:
    """What the step size does on a quadratic bowl: each coordinate is scaled by 1 - step·curvature."""
    factors = [abs(1.0 - step * curvature) for curvature in curvatures]
    if step <= 0:
        return N_("stays put")
    if max(factors) > 1.0:
        return N_("diverges")
    if max(factors) == 1.0:
        return N_("never settles")
    if any(step * curvature > 1.0 for curvature in curvatures):
        return N_("oscillates but converges")
    return N_("converges smoothly")


def describe_path(surface: Surface, path: np.ndarray) -> str:
    """The regime as seen in a computed path (used to check bowl_regime against the real walk)."""
    losses = surface.loss(path)
    if len(path) < 3:
        return "stays put"
    if not np.all(np.isfinite(path)) or losses[-1] > losses[0]:
        return "diverges"
    moves = np.diff(path, axis=0)
    sign_flips = np.any(np.sign(moves[1:]) * np.sign(moves[:-1]) < 0, axis=1)
    return "oscillates but converges" if sign_flips.any() else "converges smoothly"


@dataclass(frozen=True)
class Restart:
    start: np.ndarray
    end: np.ndarray
    loss: float


def random_restarts(surface: Surface, count: int, seed: int, step: float = 0.1,
                    steps: int = 300) -> list[Restart]:
    """Descend from `count` random starts inside the surface's bounds; the best run is the lowest."""
    if count < 1:
        raise ValueError(f"need at least one start, got {count}")
    rng = np.random.default_rng(seed)
    x_low, x_high, y_low, y_high = surface.bounds
    starts = np.stack([rng.uniform(x_low, x_high, count), rng.uniform(y_low, y_high, count)], axis=1)  # (count, 2)
    ends = starts.copy()
    for _ in range(steps):  # all walks at once: the surfaces take points of shape (..., 2)
        ends = ends - step * surface.gradient(ends)
    return [Restart(start=start, end=end, loss=float(surface.loss(end))) for start, end in zip(starts, ends)]


def loss_grid(surface: Surface, resolution: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Grid points (resolution², 2) over the surface's bounds and the loss at each."""
    x_low, x_high, y_low, y_high = surface.bounds
    first, second = np.meshgrid(np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution))
    points = np.stack([first.ravel(), second.ravel()], axis=1)  # (resolution², 2)
    return points, surface.loss(points)


def updates_per_epoch(examples: int, batch_size: int) -> int:
    """One update per batch; the last, smaller batch counts too (Keras does the same)."""
    if examples < 1 or batch_size < 1:
        raise ValueError(f"examples and batch_size must be positive, got {examples}, {batch_size}")
    return math.ceil(examples / batch_size)
