"""The MNIST CNN that lessons 10 and 19 look inside, trained by the app's own engine.

Read-only after training: the lessons only run it forward and take gradients with respect to
its *inputs*; they never fit it again, so one copy can serve every session of a process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TrainedCnn:
    model: Any  # keras.Model: (batch, 28, 28, 1) floats in [0, 1] -> (batch, 10) probabilities
    test_accuracy: float
    train_seconds: float
    epochs: int


def trained_mnist_cnn(quick: bool = True) -> TrainedCnn:
    """Train the task page's CNN (the quick recipe by default: 2 epochs on 10,000 images, about half
    a minute on two cores) without recording it in the run store."""
    from training.engine import train
    from training.events import RunConfig

    result = train(RunConfig(task="mnist", arch="cnn", quick=quick), store=False)
    if not result.ok or result.model is None:
        raise RuntimeError(f"training the MNIST CNN ended as {result.status}: {result.message}")
    return TrainedCnn(model=result.model, test_accuracy=float(result.metrics.get("accuracy", float("nan"))),
                      train_seconds=float(result.train_seconds), epochs=int(result.epochs_run))
