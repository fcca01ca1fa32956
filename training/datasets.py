"""Arrays ready to fit, per task, loaded through the `data/` loaders.

`prepare` returns a `Prepared` object; `train(..., data=prepared)` accepts one, so tests and
pages can pass tiny or cached data instead of loading the full dataset again.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from data.paths import HOME_VARIABLE, MIRROR_VARIABLE


@dataclass(frozen=True)
class Prepared:
    """Train/validation/test splits for one task.

    mnist: x float32 (n, 28, 28, 1) in [0, 1], y uint8 labels.
    imdb: x lists of review strings, y uint8 labels (1 = positive).
    traffic: x (windows, 12, sensors) and y (windows, 12, sensors), z-scored with the training
    `mean`/`std`; `adjacency` (sensors, sensors); `train_speeds` the raw training steps in mph
    and `test_target_start` each test window's first target step, for the historical average.
    """

    task: str
    x_train: Any
    y_train: np.ndarray
    x_val: Any
    y_val: np.ndarray
    x_test: Any
    y_test: np.ndarray
    class_names: list[str] = field(default_factory=list)
    adjacency: np.ndarray | None = None
    mean: float = 0.0
    std: float = 1.0
    train_speeds: np.ndarray | None = None
    test_target_start: np.ndarray | None = None
    steps_per_day: int = 288
    notices: tuple[str, ...] = ()  # what loading the files had to recover from (see data.cache)

    @property
    def train_size(self) -> int:
        return len(self.y_train)

    def denormalize(self, values: np.ndarray) -> np.ndarray:
        """Traffic: z-scores back to mph."""
        return np.asarray(values, dtype=np.float32) * self.std + self.mean

    def limited(self, limit: int | None) -> Prepared:
        """The first `limit` training samples (all of them when `limit` is None)."""
        if limit is None or limit >= self.train_size:
            return self
        if limit < 1:
            raise ValueError(f"limit must be a positive number of training samples, got {limit}")
        return replace(self, x_train=self.x_train[:limit], y_train=self.y_train[:limit])


_cache: dict[tuple, Prepared] = {}
_cache_lock = threading.Lock()


def _full(task: str) -> Prepared:
    # Keyed by where the files come from, so a test that points DLLAB_HOME/DLLAB_DATA_MIRROR
    # elsewhere never sees another folder's data. The arrays are read-only and shared.
    key = (task, os.environ.get(HOME_VARIABLE), os.environ.get(MIRROR_VARIABLE))
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    prepared = {"mnist": _mnist, "imdb": _imdb, "traffic": _traffic}[task]()
    with _cache_lock:
        for old in [old for old in _cache if old[0] == task]:
            del _cache[old]  # one copy per task: full datasets are large
        _cache[key] = prepared
    return prepared


def prepare(task: str, limit: int | None = None, quick: bool = False) -> Prepared:
    """The task's data ready to fit; `limit` keeps the first N training samples, and `quick`
    applies the quick recipe's limit when `limit` is None."""
    if task not in ("mnist", "imdb", "traffic"):
        raise ValueError(f"unknown task {task!r}; choose one of mnist, imdb, traffic")
    if limit is None and quick:
        from models.registry import ARCHITECTURES

        limit = next(iter(ARCHITECTURES[task].values())).quick_recipe.limit
    return _full(task).limited(limit)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _mnist() -> Prepared:
    from data.mnist import CLASS_NAMES, load_mnist

    data = load_mnist()

    def images(x):
        scaled = x.astype(np.float32)
        scaled /= 255.0  # in place: one float32 copy of the images at a time, not two
        return _readonly(scaled[..., None])  # (n, 28, 28, 1)

    return Prepared("mnist", images(data.x_train), data.y_train, images(data.x_val), data.y_val,
                    images(data.x_test), data.y_test, class_names=list(CLASS_NAMES), notices=data.notices)


def _imdb() -> Prepared:
    from data.imdb import CLASS_NAMES, load_imdb

    data = load_imdb()
    return Prepared("imdb", data.x_train, data.y_train, data.x_val, data.y_val, data.x_test,
                    data.y_test, class_names=list(CLASS_NAMES), notices=data.notices)


def _traffic() -> Prepared:
    from data.traffic import STEPS_PER_DAY, load_traffic, make_windows

    data = load_traffic()
    windows = make_windows(data)
    return Prepared("traffic", windows.x_train, windows.y_train, windows.x_val, windows.y_val,
                    windows.x_test, windows.y_test, adjacency=data.adjacency, mean=windows.mean,
                    std=windows.std, train_speeds=data.speeds[:windows.train_steps],
                    test_target_start=windows.test_target_start, steps_per_day=STEPS_PER_DAY,
                    notices=data.notices)
