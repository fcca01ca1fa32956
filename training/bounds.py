"""Limits every training obeys, from the task pages, the CLI, sweeps and lesson demos alike."""

from __future__ import annotations

import os

EPOCH_RANGE = (1, 200)
BATCH_RANGE = (1, 4096)
LEARNING_RATE_RANGE = (1e-6, 10.0)  # up to 10 so a learner can make a run diverge on purpose
SEED_RANGE = (0, 2**31 - 1)
BUDGET_VARIABLE = "DLLAB_MAX_TRAIN_SECONDS"


def max_train_seconds() -> float | None:
    """Each run's training-time budget in seconds from DLLAB_MAX_TRAIN_SECONDS (None: no budget)."""
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{BUDGET_VARIABLE} must be a number of seconds, got {text!r}") from None
    if not seconds > 0:
        raise ValueError(f"{BUDGET_VARIABLE} must be a positive number of seconds, got {text!r}")
    return seconds


def check_range(name: str, value, bounds: tuple, hint: str = "") -> None:
    """ValueError unless `bounds[0] <= value <= bounds[1]`."""
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}{hint}")
