"""Runs that differ only in their seed, grouped, with the mean and standard deviation of a metric.

The standard deviation is the sample one (ddof=1, dividing by n - 1): the few seeds trained are a
sample of the runs the configuration could give, and the spread of all those runs is the question.
Dividing by n (NumPy's default, ddof=0) would understate it, by a factor sqrt(2/3) = 0.82 with three
seeds. One run has no measured spread: its standard deviation is NaN (no error bar), not 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from training.recipes import recorded_recipe

NOT_CONFIGURATION = ("seed", "owner")  # what may differ between runs of one configuration
Item = TypeVar("Item")


def configuration_key(config: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    """Everything a run was configured with except its seed (and who started it): task,
    architecture, hyperparameters, quick, clipping, early stopping, any data choice, and the
    recipe it resolved to (so epochs=None and the recipe's own 20 epochs are the same)."""
    described = {key: value for key, value in config.items() if key not in NOT_CONFIGURATION}
    described.update(recorded_recipe(config, extra))
    return json.dumps(described, sort_keys=True, default=str)  # tuples and lists compare equal


def group_by(items: Iterable[Item], key: Callable[[Item], Any]) -> list[list[Item]]:
    """Items with equal keys together, groups in the order of their first item."""
    groups: dict[Any, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.values())


@dataclass(frozen=True)
class MeanStd:
    mean: float
    std: float  # sample standard deviation (ddof=1); NaN below two values
    count: int  # finite values used


def mean_std(values: Iterable[Any]) -> MeanStd:
    """Mean and sample standard deviation of the finite numbers among `values` (a run without
    the metric, e.g. one that diverged, is left out rather than counted as zero)."""
    numbers = np.array([float(value) for value in values
                        if isinstance(value, (int, float)) and not isinstance(value, bool)
                        and math.isfinite(value)], dtype=np.float64)
    if len(numbers) == 0:
        return MeanStd(math.nan, math.nan, 0)
    std = float(numbers.std(ddof=1)) if len(numbers) > 1 else math.nan
    return MeanStd(float(numbers.mean()), std, len(numbers))


def format_mean_std(mean: float, std: float, digits: int = 4) -> str:
    """"0.9812 ± 0.0011": the spread to two significant digits and the mean to the same decimal
    place; the mean alone when there is no spread."""
    if not math.isfinite(mean):
        return ""
    if not math.isfinite(std):
        return f"{mean:.{digits}g}" if abs(mean) < 1 else f"{mean:,.{max(digits - 2, 0)}f}"
    decimals = digits if std == 0 else min(max(1 - math.floor(math.log10(std)), 0), 8)
    return f"{mean:,.{decimals}f} ± {std:,.{decimals}f}"
