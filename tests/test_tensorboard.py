"""Every stored run writes TensorBoard event files with its per-epoch scalars."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.test_engine import TINY_DNN, tiny_mnist
from training.engine import train
from training.events import CANCELLED, FINISHED, RunConfig, TrainingCallbacks
from training.store import RunStore


def read_scalars(folder, tf) -> dict[str, dict[int, float]]:
    """tag -> {step: value} from every event file in `folder` (TensorFlow's own reader)."""
    scalars: dict[str, dict[int, float]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                assert value.metadata.plugin_data.plugin_name == "scalars"
                scalars.setdefault(value.tag, {})[event.step] = float(tf.make_ndarray(value.tensor))
    return scalars


def test_a_run_writes_its_epoch_scalars_for_tensorboard(isolated_home, tf):
    config = RunConfig(task="mnist", arch="dnn", epochs=3, batch_size=20, learning_rate=3e-3, cosine_decay=True,
                       hyperparameters=TINY_DNN)
    result = train(config, data=tiny_mnist())
    assert result.status == FINISHED
    store = RunStore()
    epochs = store.epochs(result.run_id)
    folder = store.run_dir(result.run_id) / "tensorboard"
    train_scalars, validation_scalars = read_scalars(folder / "train", tf), read_scalars(folder / "validation", tf)
    for name in ("loss", "accuracy"):
        assert train_scalars[f"epoch_{name}"] == pytest.approx({row["epoch"]: row[name] for row in epochs}, rel=1e-6)
        assert validation_scalars[f"epoch_{name}"] == pytest.approx(
            {row["epoch"]: row[f"val_{name}"] for row in epochs}, rel=1e-6)
    # the learning rate after each epoch follows the cosine decay to 2 % of its start
    steps_per_epoch, total = 10, 30
    expected = {epoch: 3e-3 * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * (epoch + 1) * steps_per_epoch / total)))
                for epoch in range(3)}
    assert train_scalars["epoch_learning_rate"] == pytest.approx(expected, rel=1e-4, abs=1e-9)


class CancelAfterFirstEpoch(TrainingCallbacks):
    def __init__(self, cancel):
        self.cancel = cancel

    def on_epoch_end(self, epoch, logs):
        self.cancel.set()


def test_a_cancelled_run_keeps_the_epochs_it_finished(isolated_home, tf):
    import threading

    cancel = threading.Event()
    config = RunConfig(task="mnist", arch="dnn", epochs=5, batch_size=20, hyperparameters=TINY_DNN)
    result = train(config, callbacks=CancelAfterFirstEpoch(cancel), cancel=cancel, data=tiny_mnist())
    assert result.status == CANCELLED
    folder = RunStore().run_dir(result.run_id) / "tensorboard" / "train"
    losses = read_scalars(folder, tf)["epoch_loss"]
    assert list(losses) == [0] and np.isfinite(losses[0])
