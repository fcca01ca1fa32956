"""The MNIST CNN that lessons 10 and 19 look inside, trained by the app's own engine.

A worker process trains it once (`train_lesson_cnn`) and writes its weights and metrics under
`$DLLAB_HOME/lesson_models/mnist-cnn-quick/`; the server rebuilds the model from code and loads
those weights (`load_lesson_cnn`), so after the first training, and after a restart, nothing is
trained again. Read-only afterwards: the lessons only run it forward and take gradients with
respect to its *inputs*, so one copy can serve every session of a process.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.paths import app_home

TASK, ARCH = "mnist", "cnn"  # the task page's CNN, trained with its quick recipe
FOLDER = Path("lesson_models") / "mnist-cnn-quick"  # inside the app's home
WEIGHTS_FILE = "model.weights.h5"
METRICS_FILE = "metrics.json"  # written after the weights: its presence means both are complete


@dataclass(frozen=True)
class TrainedCnn:
    model: Any  # keras.Model: (batch, 28, 28, 1) floats in [0, 1] -> (batch, 10) probabilities
    test_accuracy: float
    train_seconds: float
    epochs: int


def lesson_cnn_folder() -> Path:
    return app_home() / FOLDER


def stored_metrics(folder: Path) -> dict | None:
    """The metrics of the CNN stored in `folder`, or None when it has not been trained (completely).

    Raises ValueError when the metrics file is there but unreadable."""
    metrics_path, weights_path = folder / METRICS_FILE, folder / WEIGHTS_FILE
    if not metrics_path.is_file() or not weights_path.is_file():
        return None
    try:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        return {"test_accuracy": float(metrics["test_accuracy"]), "train_seconds": float(metrics["train_seconds"]),
                "epochs": int(metrics["epochs"])}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{metrics_path} is unreadable ({type(error).__name__}: {error})") from error


def _replace_atomically(path: Path, write) -> None:
    """`write(temporary path)`, then rename it over `path`: a reader never sees half a file."""
    temporary = path.with_name(f".{uuid.uuid4().hex[:8]}-{path.name}")  # keeps the .weights.h5 suffix Keras wants
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def train_lesson_cnn(folder: str, retrain: bool = False) -> dict:
    """Train the CNN in a worker process and store it in `folder`; returns its metrics.

    Not recorded in the run store: it is the lessons' model, not a learner's run. When another
    learner's worker stored it while this one waited for its training slot, it is not trained
    twice (unless `retrain`, after the stored one could not be loaded)."""
    from training.engine import train
    from training.events import RunConfig

    destination = Path(folder)
    if not retrain:
        try:
            existing = stored_metrics(destination)
        except ValueError:
            existing = None
        if existing is not None:
            return existing
    result = train(RunConfig(task=TASK, arch=ARCH, quick=True), store=False)
    if not result.ok or result.model is None:
        raise RuntimeError(f"training the MNIST CNN ended as {result.status}: {result.message}")
    metrics = {"test_accuracy": float(result.metrics.get("accuracy", float("nan"))),
               "train_seconds": float(result.train_seconds), "epochs": int(result.epochs_run)}
    destination.mkdir(parents=True, exist_ok=True)
    _replace_atomically(destination / WEIGHTS_FILE, lambda path: result.model.save_weights(str(path)))
    _replace_atomically(destination / METRICS_FILE, lambda path: path.write_text(
        json.dumps({**metrics, "task": TASK, "arch": ARCH, "quick": True}, indent=1), encoding="utf-8"))
    return metrics


def load_lesson_cnn(folder: Path) -> TrainedCnn:
    """The stored CNN rebuilt from code with its weights loaded (imports Keras; no training).

    Raises FileNotFoundError when it has not been trained, ValueError when the files are unusable."""
    from models.registry import architecture, build

    metrics = stored_metrics(folder)
    if metrics is None:
        raise FileNotFoundError(f"no trained lesson CNN in {folder}")
    model = build(architecture(TASK, ARCH))
    try:
        model.load_weights(str(folder / WEIGHTS_FILE))
    except (OSError, ValueError) as error:
        raise ValueError(f"{folder / WEIGHTS_FILE} does not fit the CNN ({type(error).__name__}: {error})") from error
    return TrainedCnn(model=model, **metrics)
