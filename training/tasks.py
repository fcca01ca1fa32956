"""What differs between tasks inside the engine: inputs, loss, predictions and test metrics
(the task registry, `models.tasks`, names each task's function here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from models.registry import ArchInfo, imdb_settings
from models.tasks import TASKS
from training.datasets import Prepared
from training.metrics import binary_metrics, classification_metrics, traffic_metrics


@dataclass
class FitData:
    """Arrays for `model.fit`, the builder's data arguments, and how to score predictions."""

    x_train: Any
    y_train: np.ndarray
    x_val: Any
    y_val: np.ndarray
    x_test: Any
    builder_arguments: dict[str, Any]
    hyperparameters: dict[str, Any]
    loss: Any
    metrics: list
    score: Callable[[np.ndarray], tuple[np.ndarray, dict]]  # raw predictions -> (stored, metrics)
    extra: dict[str, Any] = field(default_factory=dict)  # recorded with the run
    vectorizer: Any = None  # IMDB: the adapted TextVectorization layer
    streamed: bool = False  # IMDB: batches read from the arrays in place (training.batches)
    sequences_per_example: int = 1  # traffic: a window holds one sequence per sensor

    def fit_arguments(self, batch_size: int, seed: int) -> dict[str, Any]:
        """`model.fit`'s data arguments: the arrays, or batches read from them in place (a new
        order each epoch drawn from `seed`), so TensorFlow never copies a whole split."""
        if not self.streamed:
            return {"x": self.x_train, "y": self.y_train, "batch_size": batch_size, "shuffle": True,
                    "validation_data": (self.x_val, self.y_val)}
        from training.batches import batches

        return {"x": batches(self.x_train, self.y_train, batch_size, shuffle_seed=seed), "shuffle": False,
                "validation_data": batches(self.x_val, self.y_val, batch_size)}

    def test_arguments(self, batch_size: int) -> dict[str, Any]:
        """`model.predict`'s data arguments for the test split."""
        if not self.streamed:
            return {"x": self.x_test, "batch_size": batch_size}
        from training.batches import batches

        return {"x": batches(self.x_test, None, batch_size)}

    def finalize(self, model):
        """The model to hand to the caller: IMDB gets the vectorizer in front so it reads text."""
        if self.vectorizer is None:
            return model
        from models.imdb import with_vectorizer

        return with_vectorizer(self.vectorizer, model)

    def save_assets(self, folder: Path) -> None:
        if self.vectorizer is not None:
            from models.imdb import write_vocabulary
            from training.scoring import VOCABULARY_FILE

            write_vocabulary(self.vectorizer, folder / VOCABULARY_FILE)


def fit_data(info: ArchInfo, data: Prepared, hyperparameters: dict[str, Any]) -> FitData:
    fit = TASKS[info.task].fit(info, data, dict(hyperparameters))
    if data.dataset:
        fit.extra["dataset"] = dict(data.dataset)  # own data: recorded with the run
    return fit


def _mnist(info: ArchInfo, data: Prepared, hyperparameters: dict) -> FitData:
    def score(probabilities):
        return probabilities.astype(np.float32), classification_metrics(data.y_test, probabilities)

    return FitData(data.x_train, data.y_train, data.x_val, data.y_val, data.x_test, {}, hyperparameters,
                   "sparse_categorical_crossentropy", ["accuracy"], score)


def _imdb(info: ArchInfo, data: Prepared, hyperparameters: dict) -> FitData:
    from models.imdb import vectorize

    settings, builder_hyperparameters = imdb_settings(info, hyperparameters)
    vectorizer, (x_train, x_val, x_test) = vectorize(data.x_train, [data.x_val, data.x_test], **settings)

    def score(probabilities):
        probabilities = probabilities.reshape(-1).astype(np.float32)  # (reviews,)
        return probabilities, binary_metrics(data.y_test, probabilities)

    vocabulary_size = vectorizer.vocabulary_size()
    builder_arguments = {"vocabulary_size": vocabulary_size, "sequence_length": settings["sequence_length"]}
    if settings.get("distinct"):  # NBSVM: each token's naive-Bayes ratio, from the training split only
        from models.imdb import naive_bayes_ratios

        builder_arguments["ratios"] = naive_bayes_ratios(x_train, data.y_train, vocabulary_size)
    if info.needs_word_vectors:  # from the training reviews' words alone, no labels
        from models.word_vectors import cooccurrence_vectors

        builder_arguments["word_vectors"] = cooccurrence_vectors(x_train, vocabulary_size)
    return FitData(x_train, data.y_train.astype(np.float32), x_val, data.y_val.astype(np.float32), x_test,
                   builder_arguments, builder_hyperparameters, "binary_crossentropy", ["accuracy"], score,
                   extra={"vectorizer": {**settings, "vocabulary_size": vocabulary_size}},
                   vectorizer=vectorizer, streamed=True)


def _traffic(info: ArchInfo, data: Prepared, hyperparameters: dict) -> FitData:
    from models.traffic import masked_mae

    sensors = data.x_train.shape[2]
    builder_arguments = {"sensors": sensors}
    if info.needs_graph:
        builder_arguments["adjacency"] = data.adjacency

    def score(predictions):
        predicted_mph = data.denormalize(predictions)  # (windows, horizon, sensors)
        return predicted_mph, traffic_metrics(data.denormalize(data.y_test), predicted_mph)

    return FitData(data.x_train, data.y_train, data.x_val, data.y_val, data.x_test, builder_arguments,
                   hyperparameters, masked_mae(data.mean, data.std), [], score,
                   extra={"sensors": sensors},  # training.scoring rebuilds the model from it
                   sequences_per_example=sensors)


def baseline_predictions(info: ArchInfo, data: Prepared) -> np.ndarray:
    """Test predictions in mph of a non-learned traffic baseline."""
    from models.baselines import historical_average, persistence

    if info.name == "persistence":
        return persistence(data.denormalize(data.x_test), data.y_test.shape[1])
    if info.name == "historical_average":
        if data.train_speeds is None or data.test_target_start is None:
            raise ValueError("the historical average needs the training speeds and the test windows' "
                             "target times: prepare the data with training.datasets.prepare('traffic')")
        return historical_average(data.train_speeds, data.test_target_start, data.y_test.shape[1],
                                  data.steps_per_day)
    raise ValueError(f"{info.name!r} is not a baseline")


def score_baseline(data: Prepared, predicted_mph: np.ndarray) -> dict:
    return traffic_metrics(data.denormalize(data.y_test), predicted_mph)
