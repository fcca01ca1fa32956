"""Arrays ready to fit, per task, loaded through the `data/` loaders (the task registry,
`models.tasks`, names the function that prepares each task's data).

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
from models.tasks import TASKS
from models.tasks import task as task_info


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
    dataset: dict = field(default_factory=dict)  # own data: reference, name, checksum (recorded with runs)

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


def _full(task: str, dataset: str = "") -> Prepared:
    # Keyed by where the files come from, so a test that points DLLAB_HOME/DLLAB_DATA_MIRROR
    # elsewhere never sees another folder's data. The arrays are read-only and shared.
    key = (task, os.environ.get(HOME_VARIABLE), os.environ.get(MIRROR_VARIABLE), dataset)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    info = TASKS[task]
    prepared = info.prepare_own(dataset) if dataset else info.prepare()
    with _cache_lock:
        for old in [old for old in _cache if old[0] == task]:
            del _cache[old]  # one copy per task: full datasets are large
        _cache[key] = prepared
    return prepared


def prepare(task: str, limit: int | None = None, quick: bool = False, dataset: str = "") -> Prepared:
    """The task's data ready to fit; `limit` keeps the first N training samples, and `quick`
    applies the quick recipe's limit when `limit` is None. `dataset` names a learner's own
    dataset (`RunConfig.data`, see data.own_store) instead of the task's canonical one."""
    info = task_info(task)
    if dataset and info.prepare_own is None:
        own = [name for name, other in TASKS.items() if other.prepare_own is not None]
        raise ValueError(f"own datasets are for the {' and '.join(own)} tasks, not {task!r}")
    if limit is None and quick:
        from models.registry import ARCHITECTURES

        limits = [info.quick_recipe.limit for info in ARCHITECTURES[task].values() if info.learned]
        limit = None if None in limits or not limits else max(limits)  # enough for every quick recipe
    return _full(task, dataset).limited(limit)


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


def _own_source(dataset) -> dict:
    return {"reference": dataset.reference, "name": dataset.name, "checksum": dataset.checksum}


def _own_traffic(reference: str) -> Prepared:
    """A learner's speeds and graph, windowed exactly like METR-LA; rows are 5-minute steps and
    the first one is taken as midnight (only the historical average uses the time of day)."""
    from data.own_store import load_own_traffic
    from data.traffic import FIRST_TIMESTAMP, STEP_MINUTES, STEPS_PER_DAY, TrafficData, make_windows

    dataset, own = load_own_traffic(reference)
    steps, sensors = own.speeds.shape
    data = TrafficData(speeds=own.speeds, adjacency=own.adjacency, sensor_ids=np.asarray(own.sensor_ids),
                       latitude=own.latitude if own.latitude is not None else np.zeros(sensors),
                       longitude=own.longitude if own.longitude is not None else np.zeros(sensors),
                       timestamps=FIRST_TIMESTAMP + np.arange(steps) * np.timedelta64(STEP_MINUTES, "m"))
    windows = make_windows(data)
    return Prepared("traffic", windows.x_train, windows.y_train, windows.x_val, windows.y_val,
                    windows.x_test, windows.y_test, adjacency=_readonly(own.adjacency), mean=windows.mean,
                    std=windows.std, train_speeds=_readonly(own.speeds[:windows.train_steps]),
                    test_target_start=windows.test_target_start, steps_per_day=STEPS_PER_DAY,
                    dataset=_own_source(dataset))


OWN_SPLIT = (0.7, 0.1, 0.2)  # train, validation, test: the traffic task's shares


def own_review_split(labels: np.ndarray, seed: int = 1337) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of the train, validation and test reviews: 70/10/20 of each label (so every split
    holds both), each split shuffled with a fixed seed."""
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], []]
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(labels == label))
        validation_start = int(round(OWN_SPLIT[0] * len(members)))
        test_start = int(round((OWN_SPLIT[0] + OWN_SPLIT[1]) * len(members)))
        for part, chosen in zip(parts, np.split(members, [validation_start, test_start])):
            part.append(chosen)
    return tuple(rng.permutation(np.concatenate(part)) for part in parts)


def _own_imdb(reference: str) -> Prepared:
    from data.imdb import CLASS_NAMES, clean_review
    from data.own_store import load_own_reviews

    dataset, own = load_own_reviews(reference)
    texts = [clean_review(text) for text in own.texts]
    train, validation, test = own_review_split(own.labels)

    def pick(indices):
        return [texts[index] for index in indices], _readonly(own.labels[indices])

    return Prepared("imdb", *pick(train), *pick(validation), *pick(test), class_names=list(CLASS_NAMES),
                    dataset=_own_source(dataset))
