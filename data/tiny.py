"""Tiny datasets in the real file formats, built by code: the tests and the benchmarks' `--quick`
smoke runs use them, so neither needs the mirror or the internet."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np

POSITIVE_WORDS = ["great", "wonderful", "loved", "brilliant", "moving"]
NEGATIVE_WORDS = ["awful", "boring", "hated", "terrible", "dull"]


def write_tiny_mnist(folder: Path, train: int = 300, test: int = 100, seed: int = 0) -> Path:
    """`folder/mnist/mnist.npz`: digits drawn as a bright bar whose position encodes the label."""
    rng = np.random.default_rng(seed)

    def images_for(labels):
        images = rng.integers(0, 40, size=(len(labels), 28, 28)).astype(np.uint8)
        for index, label in enumerate(labels):
            images[index, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
        return images

    y_train = (np.arange(train) % 10).astype(np.uint8)
    y_test = (np.arange(test) % 10).astype(np.uint8)
    path = Path(folder) / "mnist" / "mnist.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x_train=images_for(y_train), y_train=y_train, x_test=images_for(y_test), y_test=y_test)
    return path


def tiny_review(positive: bool, index: int) -> str:
    words = POSITIVE_WORDS if positive else NEGATIVE_WORDS
    return (f"Review {index}: the film was {words[index % 5]}.<br /><br />Truly "
            f"{words[(index + 2) % 5]} acting and a {words[(index + 3) % 5]} story.")


def write_tiny_imdb(folder: Path, per_folder: int = 40) -> Path:
    """`folder/imdb/aclImdb_v1.tar.gz` with the original aclImdb layout and `<br />` tags."""
    path = Path(folder) / "imdb" / "aclImdb_v1.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for split in ("train", "test"):
            for polarity in ("neg", "pos"):
                for index in range(per_folder):
                    data = tiny_review(polarity == "pos", index).encode("utf-8")
                    member = tarfile.TarInfo(f"aclImdb/{split}/{polarity}/{index}_0.txt")
                    member.size = len(data)
                    archive.addfile(member, io.BytesIO(data))
        readme = tarfile.TarInfo("aclImdb/README")
        readme.size = 5
        archive.addfile(readme, io.BytesIO(b"tiny\n"))
    return path


def write_tiny_traffic(folder: Path, steps: int = 288, sensors: int = 6, seed: int = 0) -> Path:
    """`folder/metr-la-week/` with the three CSVs: speeds with a daily cycle, a ring road graph."""
    rng = np.random.default_rng(seed)
    out = Path(folder) / "metr-la-week"
    out.mkdir(parents=True, exist_ok=True)
    sensor_ids = [str(700000 + 11 * sensor) for sensor in range(sensors)]
    time = np.arange(steps)[:, None]
    speeds = 60 - 15 * np.sin(2 * np.pi * (time / 288 + np.arange(sensors) / sensors)) \
        + rng.normal(0, 1, size=(steps, sensors))
    np.savetxt(out / "los_speed.csv", speeds, delimiter=",", fmt="%.3f",
               header=",".join(sensor_ids), comments="")
    adjacency = np.eye(sensors)
    for sensor in range(sensors):
        adjacency[sensor, (sensor + 1) % sensors] = adjacency[(sensor + 1) % sensors, sensor] = 0.5
    np.savetxt(out / "los_adj.csv", adjacency, delimiter=",", fmt="%.6f")
    with open(out / "graph_sensor_locations.csv", "w", encoding="utf-8") as handle:
        handle.write("index,sensor_id,latitude,longitude\n")
        for index, sensor_id in enumerate(sensor_ids):
            angle = 2 * np.pi * index / sensors
            handle.write(f"{index},{sensor_id},{34.1 + 0.05 * np.sin(angle):.5f},"
                         f"{-118.3 + 0.05 * np.cos(angle):.5f}\n")
    return out


def write_tiny_mirror(folder: Path) -> Path:
    """All three tiny datasets in the mirror layout; returns the mirror folder."""
    write_tiny_mnist(folder)
    write_tiny_imdb(folder)
    write_tiny_traffic(folder)
    return Path(folder)


def own_traffic_files(steps: int = 300, sensors: int = 4, seed: int = 0) -> dict[str, bytes]:
    """A learner's own traffic files (speeds.csv, adjacency.csv, locations.csv) in the METR-LA layout."""
    rng = np.random.default_rng(seed)
    time = np.arange(steps)[:, None]
    speeds = 55 + 10 * np.sin(2 * np.pi * (time / 48 + np.arange(sensors) / sensors)) \
        + rng.normal(0, 0.5, (steps, sensors))
    ids = [f"S{100 + sensor}" for sensor in range(sensors)]
    lines = [",".join(ids)] + [",".join(f"{value:.2f}" for value in row) for row in speeds]
    adjacency = np.eye(sensors) + 0.5 * (np.eye(sensors, k=1) + np.eye(sensors, k=-1))
    locations = ["sensor_id,latitude,longitude"] + [f"{sensor},{34 + 0.01 * index:.4f},{-118 - 0.01 * index:.4f}"
                                                    for index, sensor in enumerate(ids)]
    return {"speeds.csv": ("\n".join(lines) + "\n").encode(),
            "adjacency.csv": ("\n".join(",".join(f"{value:g}" for value in row) for row in adjacency) + "\n").encode(),
            "locations.csv": ("\n".join(locations) + "\n").encode()}


def own_reviews_csv(per_label: int = 40) -> bytes:
    """A learner's own reviews: a CSV with columns text,label, quotes and commas inside the text."""
    rows = ["text,label"]
    for index in range(per_label):
        for positive in (True, False):
            text = tiny_review(positive, index).replace("Review", '"Quoted", review')
            rows.append('"' + text.replace('"', '""') + f'",{int(positive)}')
    return ("\n".join(rows) + "\n").encode()


def write_own_traffic(folder: Path, **kwargs) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in own_traffic_files(**kwargs).items():
        (folder / name).write_bytes(raw)
    return folder
