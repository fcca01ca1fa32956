"""METR-LA, one week (the T-GCN "Los-loop" files): 207 road sensors, 5-minute speeds.

`load_traffic` returns the raw week; `make_windows` turns it into the forecasting problem
used by the DCRNN family of papers: chronological 70/10/20 split, z-score with training
statistics only, 12 past steps -> 12 future steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.cache import freeze, load_parsed, require
from data.download import CorruptFileError, ProgressCallback, RemoteFile, quiet_progress

T_GCN_DATA = "https://raw.githubusercontent.com/lehaifeng/T-GCN/master/data"
SPEED_FILE = RemoteFile("metr-la-week/los_speed.csv", f"{T_GCN_DATA}/los_speed.csv",
                        "7b732d86ae32b2930595becba28aff39dacbfb2197e250fc0332e1744ce2cbf4", "(3.4 MB) ")
ADJACENCY_FILE = RemoteFile("metr-la-week/los_adj.csv", f"{T_GCN_DATA}/los_adj.csv",
                            "7a6eb41e10677992b5af50f5ab187c6c05c5c3a92cb973950cfddbf857361e76", "(0.1 MB) ")
LOCATIONS_FILE = RemoteFile(
    "metr-la-week/graph_sensor_locations.csv",
    "https://raw.githubusercontent.com/liyaguang/DCRNN/master/data/sensor_graph/graph_sensor_locations.csv",
    "eb8ea96e07358b45d0e4ba3b89c2673fa20c54af50150249e627389e749ade6f", "(6 KB) ")

FIRST_TIMESTAMP = np.datetime64("2012-03-01T00:00")
STEP_MINUTES = 5
STEPS_PER_DAY = 24 * 60 // STEP_MINUTES
INPUT_STEPS = 12
HORIZON_STEPS = 12
REPORTED_HORIZONS = {15: 3, 30: 6, 60: 12}  # minutes ahead -> steps ahead


@dataclass(frozen=True)
class TrafficData:
    """The raw week: speeds in mph, (steps, sensors); adjacency (sensors, sensors)."""

    speeds: np.ndarray
    adjacency: np.ndarray
    sensor_ids: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    timestamps: np.ndarray
    notices: tuple[str, ...] = ()  # what loading had to recover from (see data.cache)


@dataclass(frozen=True)
class TrafficWindows:
    """Sliding windows, z-scored: x (windows, input_steps, sensors), y (windows, horizon, sensors).

    `*_target_start` is the index into `TrafficData.timestamps` of each window's first
    target step, so y[w, h - 1] is the speed `h` steps after the last input x[w, -1].
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_target_start: np.ndarray
    val_target_start: np.ndarray
    test_target_start: np.ndarray
    mean: float
    std: float
    train_steps: int

    def denormalize(self, values: np.ndarray) -> np.ndarray:
        return values * self.std + self.mean


def read_matrix(path: Path, skip_header: bool) -> np.ndarray:
    try:
        matrix = np.loadtxt(path, delimiter=",", skiprows=1 if skip_header else 0, dtype=np.float64, ndmin=2)
    except (ValueError, OSError) as error:
        raise CorruptFileError(path, f"not a numeric CSV ({error})") from error
    if not np.isfinite(matrix).all():
        raise CorruptFileError(path, "contains NaN or infinite values")
    return matrix


def parse_traffic(paths: list[Path], progress: ProgressCallback) -> dict[str, np.ndarray]:
    speed_path, adjacency_path, locations_path = paths
    progress("Reading METR-LA speeds, road graph and sensor locations", None)
    speeds = read_matrix(speed_path, skip_header=True)
    with open(speed_path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    adjacency = read_matrix(adjacency_path, skip_header=False)
    locations = read_matrix(locations_path, skip_header=True)
    sensors = speeds.shape[1]
    if len(header) != sensors:
        raise CorruptFileError(speed_path, f"header names {len(header)} sensors but rows have {sensors} values")
    if adjacency.shape != (sensors, sensors) or (adjacency < 0).any():
        raise CorruptFileError(adjacency_path, f"expected a non-negative {sensors}x{sensors} matrix, "
                                               f"got shape {adjacency.shape}")
    if locations.shape != (sensors, 4):
        raise CorruptFileError(locations_path, f"expected {sensors} rows of index,sensor_id,latitude,"
                                               f"longitude, got shape {locations.shape}")
    if [str(int(sensor)) for sensor in locations[:, 1]] != header:
        raise CorruptFileError(locations_path, "sensor ids are not in the order of the speed columns")
    if (speeds < 0).any():
        raise CorruptFileError(speed_path, "negative speeds")
    if speeds.shape[0] < INPUT_STEPS + HORIZON_STEPS:
        raise CorruptFileError(speed_path, f"only {speeds.shape[0]} time steps")
    return {"speeds": speeds.astype(np.float32), "adjacency": adjacency.astype(np.float32),
            "sensor_ids": locations[:, 1].astype(np.int64), "latitude": locations[:, 2],
            "longitude": locations[:, 3]}


def speed_file_size(path: Path) -> tuple[int, int]:
    """(time steps, sensors) of the speed CSV, from its header and line count (no parsing)."""
    with open(path, encoding="utf-8") as handle:
        sensors = len(handle.readline().split(","))
        steps = sum(1 for line in handle if line.strip())
    return steps, sensors


def check_traffic(arrays: dict[str, np.ndarray], paths: list[Path]) -> None:
    """Parsed week: finite non-negative float32 speeds of as many steps and sensors as the speed
    file, a float32 sensors x sensors graph, one id and location per sensor."""
    require(set(arrays) == {"speeds", "adjacency", "sensor_ids", "latitude", "longitude"}, f"arrays {sorted(arrays)}")
    speeds, adjacency = arrays["speeds"], arrays["adjacency"]
    require(speeds.dtype == np.float32 and speeds.ndim == 2, f"speeds are {speeds.dtype} {speeds.shape}")
    require(speeds.shape == speed_file_size(paths[0]),
            f"speeds are {speeds.shape}, the speed file has {speed_file_size(paths[0])} (steps, sensors)")
    require(bool(np.isfinite(speeds).all()) and float(speeds.min()) >= 0, "speeds outside [0, inf)")
    sensors = speeds.shape[1]
    require(adjacency.dtype == np.float32 and adjacency.shape == (sensors, sensors)
            and bool((adjacency >= 0).all()), f"adjacency is {adjacency.dtype} {adjacency.shape}")
    require(arrays["sensor_ids"].dtype == np.int64 and arrays["sensor_ids"].shape == (sensors,), "sensor ids")
    for key in ("latitude", "longitude"):
        require(arrays[key].dtype == np.float64 and arrays[key].shape == (sensors,)
                and bool(np.isfinite(arrays[key]).all()), f"{key} is {arrays[key].dtype} {arrays[key].shape}")


def load_traffic(progress: ProgressCallback = quiet_progress) -> TrafficData:
    arrays, notices = load_parsed("metr-la-week", [SPEED_FILE, ADJACENCY_FILE, LOCATIONS_FILE], parse_traffic,
                                  progress=progress, check=check_traffic)
    steps = len(arrays["speeds"])
    timestamps = FIRST_TIMESTAMP + np.arange(steps) * np.timedelta64(STEP_MINUTES, "m")
    return freeze(TrafficData(timestamps=timestamps, notices=notices, **arrays))


def split_bounds(steps: int, fractions: tuple[float, float, float] = (0.7, 0.1, 0.2)) -> tuple[int, int]:
    """Chronological cut points (end of train, end of validation) in time steps."""
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must be three non-negative numbers summing to 1, got {fractions}")
    train_end = int(round(steps * fractions[0]))
    return train_end, train_end + int(round(steps * fractions[1]))


def window_starts(begin: int, end: int, input_steps: int, horizon_steps: int) -> np.ndarray:
    """First input index of every window that fits inside the steps [begin, end)."""
    return np.arange(begin, max(begin, end - input_steps - horizon_steps + 1))


def make_windows(data: TrafficData, input_steps: int = INPUT_STEPS, horizon_steps: int = HORIZON_STEPS,
                 fractions: tuple[float, float, float] = (0.7, 0.1, 0.2)) -> TrafficWindows:
    """Split the series first, then window each part, so no window straddles two splits.

    The mean and standard deviation come from the training steps only.
    """
    if input_steps < 1 or horizon_steps < 1:
        raise ValueError(f"input_steps and horizon_steps must be at least 1, got {input_steps}, {horizon_steps}")
    speeds = data.speeds
    train_end, val_end = split_bounds(len(speeds), fractions)
    mean, std = float(speeds[:train_end].mean()), float(speeds[:train_end].std())
    scaled = ((speeds - mean) / std).astype(np.float32)
    parts = {}
    for name, (begin, end) in {"train": (0, train_end), "val": (train_end, val_end),
                               "test": (val_end, len(speeds))}.items():
        starts = window_starts(begin, end, input_steps, horizon_steps)
        if len(starts) == 0:
            raise ValueError(f"the {name} split ({end - begin} steps) is shorter than one window "
                             f"of {input_steps} + {horizon_steps} steps")
        input_index = starts[:, None] + np.arange(input_steps)  # (windows, input_steps)
        target_index = starts[:, None] + input_steps + np.arange(horizon_steps)  # (windows, horizon)
        parts[f"x_{name}"] = scaled[input_index]  # (windows, input_steps, sensors)
        parts[f"y_{name}"] = scaled[target_index]  # (windows, horizon_steps, sensors)
        parts[f"{name}_target_start"] = starts + input_steps
    return freeze(TrafficWindows(mean=mean, std=std, train_steps=train_end, **parts))


def graph_neighbours(adjacency: np.ndarray, sensor: int, count: int = 5) -> np.ndarray:
    """The `count` sensors most strongly connected to `sensor` (itself excluded)."""
    weights = np.asarray(adjacency[sensor], dtype=np.float64).copy()
    weights[sensor] = 0.0
    order = np.argsort(-weights, kind="stable")
    return order[:count][weights[order[:count]] > 0]
