"""The training engine on tiny synthetic data: one short run per task, divergence, cancel, budgets."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from models.registry import ARCHITECTURES, architecture, build
from training.bounds import BUDGET_VARIABLE
from training.datasets import Prepared
from training.engine import train
from training.events import CANCELLED, DIVERGED, DIVERGED_HELP, FINISHED, RunConfig, TrainingCallbacks
from training.metrics import traffic_metrics
from training.recipes import recipe_rows
from training.standalone import PREDICTION_BATCH_MIN, prediction_batch_size
from training.store import RunStore
from training.tasks import fit_data

TINY_DNN = {"hidden_units": (16,), "dropout": 0.0}


def tiny_mnist(samples: int = 200, seed: int = 0) -> Prepared:
    """Digits as a bright bar whose row encodes the label: learnable in one epoch."""
    rng = np.random.default_rng(seed)

    def split(count):
        labels = (np.arange(count) % 10).astype(np.uint8)
        images = (rng.random((count, 28, 28, 1)) * 0.1).astype(np.float32)
        for index, label in enumerate(labels):
            images[index, 2 + 2 * label:4 + 2 * label, 4:24] = 1.0
        return images, labels

    return Prepared("mnist", *split(samples), *split(50), *split(60), class_names=list("0123456789"))


class Recorder(TrainingCallbacks):
    def __init__(self):
        self.started, self.batches, self.epochs, self.finished = [], [], [], []

    def on_start(self, run_id, config, params, epochs, batches_per_epoch):
        self.started.append((run_id, params, epochs, batches_per_epoch))

    def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
        self.batches.append((epoch, batch, logs["loss"]))

    def on_epoch_end(self, epoch, logs):
        self.epochs.append((epoch, logs))

    def on_finish(self, result):
        self.finished.append(result)


def test_mnist_run_is_trained_evaluated_and_recorded(isolated_home):
    recorder = Recorder()
    config = RunConfig(task="mnist", arch="dnn", epochs=2, batch_size=20, learning_rate=3e-3,
                       hyperparameters=TINY_DNN, owner="tester")
    data = tiny_mnist()
    result = train(config, callbacks=recorder, data=data)
    assert result.status == FINISHED and result.epochs_run == 2
    assert recorder.started == [(result.run_id, result.params, 2, 10)]
    assert len(recorder.batches) == 20 and [epoch for epoch, _ in recorder.epochs] == [0, 1]
    assert recorder.finished == [result]
    # metrics against a NumPy oracle on the returned model's own predictions
    probabilities = result.model.predict(data.x_test, verbose=0)
    predicted = probabilities.argmax(axis=1)
    assert result.metrics["accuracy"] == pytest.approx((predicted == data.y_test).mean())
    assert result.metrics["accuracy"] > 0.5
    assert np.trace(np.array(result.metrics["confusion_matrix"])) == (predicted == data.y_test).sum()
    assert len(result.metrics["per_class_accuracy"]) == 10
    # recorded: run, epochs, weights that reload into a rebuilt model, predictions
    store = RunStore()
    run = store.get_run(result.run_id)
    assert (run["status"], run["params"], run["owner"], run["epochs_run"]) == (FINISHED, result.params, "tester", 2)
    assert run["metrics"]["accuracy"] == result.metrics["accuracy"]
    assert run["train_seconds"] > 0 and run["seconds_per_epoch"] > 0
    assert [epoch["epoch"] for epoch in store.epochs(result.run_id)] == [0, 1]
    rebuilt = build(architecture("mnist", "dnn"), TINY_DNN)
    rebuilt.load_weights(store.weights_path(result.run_id))
    np.testing.assert_allclose(rebuilt.predict(data.x_test, verbose=0), probabilities, rtol=1e-5, atol=1e-6)
    with np.load(store.run_dir(result.run_id) / "predictions.npz") as stored:
        np.testing.assert_allclose(stored["predictions"], probabilities, rtol=1e-5, atol=1e-6)


def test_a_weight_average_is_what_each_epoch_validates_and_the_run_keeps(isolated_home, monkeypatch):
    """With `ema_momentum` the model at each epoch's end, and the finished model, are the moving
    average of the weights after each batch, computed here by hand from those weights."""
    info = architecture("mnist", "dnn")
    momentum = 0.7
    monkeypatch.setitem(ARCHITECTURES["mnist"], "dnn",
                        replace(info, default_recipe=replace(info.default_recipe, ema_momentum=momentum)))

    class Weights(TrainingCallbacks):
        def __init__(self):
            self.average, self.at_epoch_end = None, []

        def on_model_ready(self, model):
            self.model = model

        def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
            raw = [variable.numpy() for variable in self.model.trainable_variables]
            self.average = raw if self.average is None else [
                momentum * mean + (1 - momentum) * value for mean, value in zip(self.average, raw)]

        def on_epoch_end(self, epoch, logs):
            self.at_epoch_end.append(([variable.numpy() for variable in self.model.trainable_variables],
                                      self.average))

    weights = Weights()
    result = train(RunConfig(task="mnist", arch="dnn", epochs=2, batch_size=20, learning_rate=3e-2,
                             hyperparameters=TINY_DNN), callbacks=weights, data=tiny_mnist())
    assert result.status == FINISHED and len(weights.at_epoch_end) == 2
    for in_model, by_hand in weights.at_epoch_end:
        for shown, expected in zip(in_model, by_hand):
            np.testing.assert_allclose(shown, expected, rtol=1e-4, atol=1e-6)
    last_raw = [variable.numpy() for variable in result.model.trainable_variables]
    for kept, expected in zip(last_raw, weights.average):
        np.testing.assert_allclose(kept, expected, rtol=1e-4, atol=1e-6)
    assert RunStore().get_run(result.run_id)["extra"]["ema_momentum"] == momentum


def test_nan_loss_stops_the_run_as_diverged(isolated_home):
    data = tiny_mnist(100)
    # Inputs near float32's maximum overflow the first layer to +/-inf and the next one to NaN, whatever
    # the shuffle (NaN inputs themselves are not enough: oneDNN's ReLU on some CPUs turns NaN into 0).
    poisoned = np.full_like(data.x_train, 3e38)
    recorder = Recorder()
    result = train(RunConfig(task="mnist", arch="dnn", epochs=3, batch_size=10, hyperparameters=TINY_DNN),
                   callbacks=recorder, data=Prepared("mnist", poisoned, data.y_train, data.x_val, data.y_val,
                                                     data.x_test, data.y_test))
    assert result.status == DIVERGED and result.message == DIVERGED_HELP
    assert recorder.batches == [] and result.epochs_run == 0 and result.model is None
    assert RunStore().get_run(result.run_id)["status"] == DIVERGED


def test_a_loss_blow_up_without_nan_also_stops_as_diverged(isolated_home):
    result = train(RunConfig(task="mnist", arch="dnn", epochs=3, batch_size=8, learning_rate=9.5,
                             hyperparameters=TINY_DNN), data=tiny_mnist(200), store=False)
    assert result.status == DIVERGED and "exploded" in result.message and "learning rate" in result.message
    assert result.epochs_run < 3


def test_cancel_stops_between_batches(isolated_home):
    cancel = threading.Event()

    class CancelAfterThree(Recorder):
        def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
            super().on_batch_end(epoch, batch, batches_per_epoch, logs)
            if batch == 2:
                cancel.set()

    recorder = CancelAfterThree()
    result = train(RunConfig(task="mnist", arch="dnn", epochs=5, batch_size=10, hyperparameters=TINY_DNN),
                   callbacks=recorder, cancel=cancel, data=tiny_mnist(100), store=False)
    assert result.status == CANCELLED
    assert [batch for _, batch, _ in recorder.batches] == [0, 1, 2] and recorder.epochs == []
    assert result.run_dir is None and not (isolated_home / "runs.sqlite").exists()  # store=False


def test_the_time_budget_stops_a_run_and_keeps_the_best_epoch(isolated_home, monkeypatch):
    monkeypatch.setenv(BUDGET_VARIABLE, "0.000001")  # spent after the first batch
    recorder = Recorder()
    result = train(RunConfig(task="mnist", arch="dnn", epochs=50, batch_size=10, hyperparameters=TINY_DNN),
                   callbacks=recorder, data=tiny_mnist(100))
    assert result.status == FINISHED and "time budget" in result.message and "0 of 50 epochs" in result.message
    assert len(recorder.batches) == 1 and 0 <= result.metrics["accuracy"] <= 1
    assert RunStore().weights_path(result.run_id) is not None
    monkeypatch.setenv(BUDGET_VARIABLE, "soon")
    with pytest.raises(ValueError, match=BUDGET_VARIABLE):
        train(RunConfig(task="mnist", arch="dnn", epochs=1, hyperparameters=TINY_DNN), data=tiny_mnist(20))


def test_the_form_bounds_apply_to_every_training(isolated_home):
    for bad in ({"epochs": 1000}, {"batch_size": 100_000}, {"learning_rate": 50.0}, {"epochs": 0}):
        with pytest.raises(ValueError, match="must be between"):
            train(RunConfig(task="mnist", arch="dnn", **bad), data=tiny_mnist(20))
    assert RunStore().list_runs() == []


def tiny_traffic(sensors: int = 4, seed: int = 0) -> Prepared:
    """Z-scored windows of a daily sine per sensor (period 24 steps), with its raw speeds."""
    steps, period = 240, 24
    rng = np.random.default_rng(seed)
    time_index = np.arange(steps)[:, None]
    speeds = (55 + 10 * np.sin(2 * np.pi * (time_index / period + np.arange(sensors) / sensors))
              + rng.normal(0, 0.5, (steps, sensors))).astype(np.float32)
    train_steps = 168
    mean, std = float(speeds[:train_steps].mean()), float(speeds[:train_steps].std())
    scaled = (speeds - mean) / std

    def windows(begin, end):
        starts = np.arange(begin, end - 24 + 1)
        return (scaled[starts[:, None] + np.arange(12)], scaled[starts[:, None] + 12 + np.arange(12)],
                starts + 12)

    x_train, y_train, _ = windows(0, train_steps)
    x_val, y_val, _ = windows(train_steps, 200)
    x_test, y_test, test_start = windows(200, steps)
    adjacency = np.eye(sensors) + np.eye(sensors, k=1) + np.eye(sensors, k=-1)
    return Prepared("traffic", x_train, y_train, x_val, y_val, x_test, y_test, adjacency=adjacency, mean=mean,
                    std=std, train_speeds=speeds[:train_steps], test_target_start=test_start, steps_per_day=period)


def test_traffic_baselines_are_recorded_with_numpy_metrics(isolated_home):
    data = tiny_traffic()
    truth = data.denormalize(data.y_test)
    persistence = train(RunConfig(task="traffic", arch="persistence"), data=data)
    expected = traffic_metrics(truth, np.repeat(data.denormalize(data.x_test[:, -1:]), 12, axis=1))
    assert persistence.status == FINISHED and persistence.model is None
    assert persistence.metrics["mae_60"] == pytest.approx(expected["mae_60"], rel=1e-5)
    average = train(RunConfig(task="traffic", arch="historical_average"), data=data)
    # the synthetic series repeats daily, so the daily profile forecasts it far better
    assert average.metrics["mae_60"] < persistence.metrics["mae_60"] / 2
    run = RunStore().get_run(average.run_id)
    assert (run["learned"], run["params"], run["epochs_run"], run["status"]) == (0, 0, 0, FINISHED)


def test_traffic_gcn_gru_one_epoch(isolated_home):
    data = tiny_traffic()
    result = train(RunConfig(task="traffic", arch="gcn_gru", epochs=1, batch_size=32,
                             hyperparameters={"units": 8}), data=data, store=False)
    assert result.status == FINISHED
    assert result.predictions.shape == data.y_test.shape
    expected = traffic_metrics(data.denormalize(data.y_test), data.denormalize(
        result.model.predict(data.x_test, verbose=0)))
    for key in ("mae_15", "rmse_30", "mape_60"):
        assert result.metrics[key] == pytest.approx(expected[key], rel=1e-4)
    assert len(result.metrics["mae_by_step"]) == 12


def test_prediction_batches_count_sequences_so_a_traffic_window_counts_once_per_sensor():
    data = tiny_traffic()
    sensors = data.x_train.shape[2]
    traffic = fit_data(architecture("traffic", "lstm"), data, {})
    digits = fit_data(architecture("mnist", "dnn"), tiny_mnist(), dict(TINY_DNN))
    assert (traffic.sequences_per_example, digits.sequences_per_example) == (sensors, 1)
    assert prediction_batch_size(32, digits.sequences_per_example) == PREDICTION_BATCH_MIN
    assert prediction_batch_size(32, traffic.sequences_per_example) == max(32, PREDICTION_BATCH_MIN // sensors)
    assert prediction_batch_size(32, 207) == 32  # METR-LA: the training batch, not 256 x 207 sequences


def tiny_imdb() -> Prepared:
    words = {1: ["great", "wonderful", "loved"], 0: ["awful", "boring", "hated"]}

    def reviews(count, offset):
        labels = (np.arange(count) % 2).astype(np.uint8)
        texts = [f"review {offset + index} was {words[label][index % 3]} and {words[label][(index + 1) % 3]}"
                 for index, label in enumerate(labels)]
        return texts, labels

    return Prepared("imdb", *reviews(120, 0), *reviews(20, 500), *reviews(40, 900))


def test_imdb_one_epoch_and_the_model_reads_text(isolated_home):
    data = tiny_imdb()
    result = train(RunConfig(task="imdb", arch="bag_of_embeddings", epochs=3, batch_size=16, learning_rate=0.02,
                             hyperparameters={"sequence_length": 16, "embedding_dim": 8}), data=data)
    assert result.status == FINISHED
    assert result.metrics["accuracy"] > 0.9
    for key in ("precision", "recall", "f1", "roc_auc"):
        assert 0.0 <= result.metrics[key] <= 1.0
    probabilities = result.model.predict(np.array(data.x_test, dtype=object), verbose=0).reshape(-1)
    np.testing.assert_allclose(probabilities, result.predictions, rtol=1e-5, atol=1e-6)
    vocabulary = (RunStore().run_dir(result.run_id) / "vocabulary.txt").read_text().split("\n")
    assert "great" in vocabulary and "review" in vocabulary
    assert RunStore().get_run(result.run_id)["extra"]["vectorizer"]["sequence_length"] == 16


def test_a_quick_recurrent_run_reads_the_quick_recipes_sequence_length_and_records_it(isolated_home):
    info = architecture("imdb", "lstm")
    full, quick = info.data_settings["sequence_length"], info.quick_recipe.sequence_length
    assert quick is not None and quick < full
    shown = [row for row in recipe_rows("imdb", "lstm") if row["Setting"] == "Text: sequence length"]
    assert shown == [{"Setting": "Text: sequence length", "Full": f"{full:,}", "Quick": f"{quick:,}"}]
    small = {"embedding_dim": 4, "units": 4}
    for config, length in [(RunConfig(task="imdb", arch="lstm", quick=True, epochs=1, hyperparameters=small), quick),
                           (RunConfig(task="imdb", arch="lstm", epochs=1, hyperparameters=small), full),
                           (RunConfig(task="imdb", arch="lstm", quick=True, epochs=1,
                                      hyperparameters={**small, "sequence_length": 12}), 12)]:
        result = train(config, data=tiny_imdb())
        assert result.status == FINISHED, result.message
        record = RunStore().get_run(result.run_id)
        token_model = result.model.layers[-1]  # the text model wraps the one that reads token ids
        assert token_model.inputs[0].shape[1] == length
        assert record["extra"]["vectorizer"]["sequence_length"] == length
        # The recorded config says what the run read, so an exported script reads the same.
        assert record["config"]["hyperparameters"].get("sequence_length", full) == length


def test_invalid_config_is_rejected_before_recording(isolated_home):
    with pytest.raises(ValueError, match="learning_rate"):
        train(RunConfig(task="mnist", arch="dnn", learning_rate=-1.0), data=tiny_mnist(20))
    with pytest.raises(ValueError, match="choose one of"):
        train(RunConfig(task="mnist", arch="vgg"), data=tiny_mnist(20))
    assert RunStore().list_runs() == []
