"""Non-learned traffic forecasts in NumPy: persistence and the historical average."""

from __future__ import annotations

import numpy as np


def persistence(inputs: np.ndarray, horizon_steps: int) -> np.ndarray:
    """Every future step equals the last observed one: (windows, steps, sensors) -> (windows, horizon, sensors)."""
    inputs = np.asarray(inputs)
    if inputs.ndim != 3:
        raise ValueError(f"inputs must be (windows, input_steps, sensors), got shape {inputs.shape}")
    if horizon_steps < 1:
        raise ValueError(f"horizon_steps must be at least 1, got {horizon_steps}")
    last = inputs[:, -1:, :]  # (windows, 1, sensors)
    return np.repeat(last, horizon_steps, axis=1)  # (windows, horizon, sensors)


def daily_profile(train_speeds: np.ndarray, steps_per_day: int) -> np.ndarray:
    """Mean speed of each sensor at each time of day over the training steps, zeros (missing)
    left out; a slot never observed falls back to the sensor's overall mean. (steps_per_day, sensors)."""
    speeds = np.asarray(train_speeds, dtype=np.float64)
    if speeds.ndim != 2 or len(speeds) == 0:
        raise ValueError(f"train_speeds must be a non-empty (steps, sensors) array, got {speeds.shape}")
    observed = speeds > 0
    slots = np.arange(len(speeds)) % steps_per_day
    totals = np.zeros((steps_per_day, speeds.shape[1]))
    counts = np.zeros((steps_per_day, speeds.shape[1]))
    np.add.at(totals, slots, np.where(observed, speeds, 0.0))
    np.add.at(counts, slots, observed)
    overall = np.where(observed, speeds, 0.0).sum(axis=0) / np.maximum(observed.sum(axis=0), 1)
    return np.where(counts > 0, totals / np.maximum(counts, 1), overall[None, :])


def historical_average(train_speeds: np.ndarray, target_start: np.ndarray, horizon_steps: int,
                       steps_per_day: int = 288) -> np.ndarray:
    """The training days' mean speed at each target's time of day, in mph.

    `target_start[w]` is the time-step index of window w's first target (step 0 of the
    training speeds is midnight). Returns (windows, horizon, sensors).
    """
    profile = daily_profile(train_speeds, steps_per_day)
    steps = np.asarray(target_start)[:, None] + np.arange(horizon_steps)  # (windows, horizon)
    return profile[steps % steps_per_day].astype(np.float32)  # (windows, horizon, sensors)


def input_window_mean(inputs: np.ndarray, horizon_steps: int) -> np.ndarray:
    """The T-GCN paper's "HA" (its `baselines.py`): each step forecasts the mean of the last
    `input_steps` values, and that forecast joins the window for the next step. It is a moving
    average of the input window, not a time-of-day average. (windows, steps, sensors) ->
    (windows, horizon, sensors)."""
    window = np.asarray(inputs, dtype=np.float64)
    if window.ndim != 3:
        raise ValueError(f"inputs must be (windows, input_steps, sensors), got shape {window.shape}")
    if horizon_steps < 1:
        raise ValueError(f"horizon_steps must be at least 1, got {horizon_steps}")
    forecasts = []
    for _ in range(horizon_steps):
        forecasts.append(window.mean(axis=1))  # (windows, sensors)
        window = np.concatenate([window[:, 1:], forecasts[-1][:, None]], axis=1)  # (windows, input_steps, sensors)
    return np.stack(forecasts, axis=1).astype(np.float32)  # (windows, horizon, sensors)
