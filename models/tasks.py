"""Every task in one place: what it is called, its dataset and page, the metrics its runs are
judged by (and the one that ranks them), the architectures a page starts with, the sizes the
builders get from the full data, and the functions that load and prepare its data.

Adding a task is one `TaskInfo` entry here (plus its architectures in `models/registry.py` and
the functions its hooks name). Free of Keras and Streamlit at import time: the hooks are
`module:function` names imported on first call, so pages read this table for free.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from data.traffic import REPORTED_HORIZONS


@dataclass(frozen=True)
class LazyBuilder:
    """`module.function`, imported on the first call so that listing tasks and models stays cheap."""

    module: str
    function: str

    def __call__(self, *args: Any, **kwargs: Any):
        return getattr(importlib.import_module(self.module), self.function)(*args, **kwargs)


def lazy(name: str) -> LazyBuilder:
    module, _, function = name.partition(":")
    return LazyBuilder(module, function)


@dataclass(frozen=True)
class MetricSpec:
    """One test metric as runs store it (`key`) and as tables show it."""

    key: str
    title: str
    unit: str = ""  # shown after the number: "%", "mph"
    higher_is_better: bool = True
    scale: float = 1.0  # stored value x scale = shown value (accuracy is stored as a fraction)

    def format(self, value: float, digits: int = 2) -> str:
        return f"{self.scale * value:.{digits}f}" + (f" {self.unit}" if self.unit else "")

    def better(self, value: float, than: float) -> bool:
        return value > than if self.higher_is_better else value < than


@dataclass(frozen=True)
class TaskInfo:
    name: str
    title: str  # the one name of the task in every table, tab and line of text
    description: str
    dataset: str  # key of data.registry.DATASETS
    page: str  # the task page's script, relative to the repository root
    metrics: tuple[MetricSpec, ...]  # every test metric a summary reports, in table order
    headline: str  # the metric that ranks runs ("the best run") on every page, the CLI and lessons
    summary: tuple[str, ...]  # the few metrics a one-line summary or a printed table shows
    default_archs: tuple[str, ...]  # preselected on the task page and the own-data page
    sizes: dict[str, Any]  # what builders take from the full data, for models built without data
    prepare: LazyBuilder  # () -> training.datasets.Prepared, the canonical dataset
    fit: LazyBuilder  # (ArchInfo, Prepared, hyperparameters) -> training.tasks.FitData
    prepare_own: LazyBuilder | None = None  # (reference) -> Prepared for a learner's own dataset

    @property
    def headline_metric(self) -> MetricSpec:
        return self.metric(self.headline)

    def metric(self, key: str) -> MetricSpec:
        for spec in self.metrics:
            if spec.key == key:
                return spec
        raise ValueError(f"task {self.name!r} has no metric {key!r}; it has {', '.join(self.metric_keys)}")

    @property
    def metric_keys(self) -> list[str]:
        return [spec.key for spec in self.metrics]

    def headline_text(self, metrics: dict) -> str:
        """One line for a learner: the summary metrics the run has, e.g. "MAE 15 min 3.18 mph"."""
        return ", ".join(f"{self.metric(key).title} {self.metric(key).format(metrics[key])}"
                         for key in self.summary if isinstance(metrics.get(key), int | float))


HORIZONS = tuple(REPORTED_HORIZONS)  # minutes ahead reported for traffic: 15, 30, 60
ERRORS = (("mae", "MAE", "mph"), ("rmse", "RMSE", "mph"), ("mape", "MAPE", "%"))
IMDB_SIZES = {"max_tokens": 20_000, "sequence_length": 200, "ngrams": 1}  # per-architecture overrides in registry
TRAFFIC_SENSORS = 207  # METR-LA's sensors: parameter counts without loading the graph

TASKS: dict[str, TaskInfo] = {
    "mnist": TaskInfo(
        "mnist", "MNIST digits", "MNIST handwritten digits: 28x28 grey images, 10 classes", "mnist",
        "views/tasks/mnist.py",
        metrics=(MetricSpec("accuracy", "Test accuracy", "%", True, 100.0),),
        headline="accuracy", summary=("accuracy",), default_archs=("dnn", "cnn"), sizes={},
        prepare=lazy("training.datasets:_mnist"), fit=lazy("training.tasks:_mnist")),
    "imdb": TaskInfo(
        "imdb", "IMDB sentiment", "IMDB movie reviews: positive or negative sentiment", "imdb",
        "views/tasks/sentiment.py",
        metrics=(MetricSpec("accuracy", "Accuracy", "%", True, 100.0), MetricSpec("precision", "Precision"),
                 MetricSpec("recall", "Recall"), MetricSpec("f1", "F1"), MetricSpec("roc_auc", "ROC AUC")),
        headline="accuracy", summary=("accuracy", "f1", "roc_auc"),
        default_archs=("nbsvm", "bag_of_embeddings", "lstm"), sizes=IMDB_SIZES,
        prepare=lazy("training.datasets:_imdb"), fit=lazy("training.tasks:_imdb"),
        prepare_own=lazy("training.datasets:_own_imdb")),
    "traffic": TaskInfo(
        "traffic", "METR-LA traffic",
        f"METR-LA traffic: forecast {TRAFFIC_SENSORS} road sensors' speeds 5 to 60 minutes ahead", "traffic",
        "views/tasks/traffic.py",
        metrics=tuple(MetricSpec(f"{key}_{minutes}", f"{title} {minutes} min", unit, False)
                      for minutes in HORIZONS for key, title, unit in ERRORS),
        # 15 minutes: the horizon of the published T-GCN row and of our audited protocol, which the
        # Reference panel shows beside the runs, and the one where persistence (the baseline every
        # model must beat) is strongest; ranking at 60 minutes would crown models that lose to
        # repeating the last reading a quarter of an hour ahead.
        headline="mae_15", summary=tuple(f"mae_{minutes}" for minutes in HORIZONS),
        default_archs=("persistence", "historical_average", "dnn", "cnn", "gcn", "gcn_embed"),
        sizes={"sensors": TRAFFIC_SENSORS},
        prepare=lazy("training.datasets:_traffic"), fit=lazy("training.tasks:_traffic"),
        prepare_own=lazy("training.datasets:_own_traffic")),
}


def task(name: str) -> TaskInfo:
    """The registry entry of task `name`; ValueError listing the valid names otherwise."""
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    return TASKS[name]


def headline_metric(name: str) -> MetricSpec:
    return task(name).headline_metric
