"""What a training run is configured with, what it reports while it runs, and what it returns.

Everything that trains (task pages, lessons, CLI, benchmarks) speaks these types, so they are
kept free of Keras: a page can import them without paying for TensorFlow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

# A run ends in exactly one of these states; "running" is only ever seen in the store.
FINISHED, DIVERGED, CANCELLED, FAILED, RUNNING, INTERRUPTED = (
    "finished", "diverged", "cancelled", "failed", "running", "interrupted")

DIVERGED_HELP = ("The loss became NaN or infinite, so training was stopped. This usually means "
                 "the learning rate is too high: try a learning rate 10x smaller, or turn on "
                 "gradient clipping.")
CANCELLED_HELP = "Training was cancelled; the model keeps the weights it had reached."


def budget_help(seconds: float, epochs_run: int, epochs: int) -> str:
    return (f"Stopped by the time budget ({seconds:g} s of training, DLLAB_MAX_TRAIN_SECONDS) after "
            f"{epochs_run} of {epochs} epochs; the metrics are those of the best epoch so far.")


# A healthy run never multiplies its first batch's loss by 100 (cross-entropy starts near ln 10 or
# ln 2, traffic MAE near the speed spread); Adam with a huge learning rate does exactly that
# without ever reaching NaN, so such a blow-up counts as divergence too.
EXPLOSION_FACTOR = 100.0


def exploded_help(first_loss: float, loss: float) -> str:
    return (f"The loss exploded from {first_loss:.3g} on the first batch to {loss:,.3g} (more than "
            f"{EXPLOSION_FACTOR:g} times), so training was stopped: every step overshoots. The learning "
            "rate is too high: try one 10x smaller, or turn on gradient clipping.")


@dataclass(frozen=True)
class RunConfig:
    """One training run. `None` means "use the architecture's recipe" (quick or default)."""

    task: str
    arch: str
    epochs: int | None = None
    batch_size: int | None = None
    learning_rate: float | None = None
    seed: int = 0
    limit: int | None = None  # keep only the first N training samples
    quick: bool = False  # use the quick recipe (and its training subset) for demos
    early_stopping: bool = False
    clip_norm: float | None = None  # gradient clipping by global norm
    hyperparameters: dict[str, Any] = field(default_factory=dict)  # passed to the builder
    cosine_decay: bool | None = None  # None: as the recipe says
    owner: str = ""  # free text stored with the run, e.g. a browser session id
    data: str = ""  # a learner's own dataset ("owner/id", see data.own_store); "" = the task's dataset
    sweep: str = ""  # the id of the sweep this run is a trial of (`python -m training sweep`)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Cancel(Protocol):
    """What stops a run between batches: a `threading.Event` or a `multiprocessing` Event."""

    def is_set(self) -> bool: ...


class TrainingCallbacks:
    """Subscribe to a run's progress by overriding any of these; all are called on the
    training thread, so a UI must hand the values to its own thread (for example a queue)."""

    def on_start(self, run_id: str, config: RunConfig, params: int, epochs: int,
                 batches_per_epoch: int) -> None:
        pass

    def on_batch_end(self, epoch: int, batch: int, batches_per_epoch: int, logs: dict[str, float]) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        pass

    def on_finish(self, result: RunResult) -> None:
        pass

    def on_model_ready(self, model) -> None:
        """The compiled Keras model, just before fitting (for benchmarks' per-epoch probes)."""


@dataclass
class RunResult:
    run_id: str
    config: RunConfig
    status: str
    message: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)  # test metrics
    history: dict[str, list[float]] = field(default_factory=dict)  # per-epoch logs
    params: int = 0
    epochs_run: int = 0
    train_seconds: float = 0.0
    seconds_per_epoch: float = 0.0
    predictions: Any = None  # test-set predictions (NumPy), for the task pages' views
    model: Any = None  # the trained Keras model; None for non-learned baselines
    run_dir: str | None = None  # folder with model.weights.h5 and predictions.npz (None if not stored)
    peak_memory_mb: float = 0.0  # the training process's maximum resident memory
    wall_seconds: float = 0.0  # from the start of the run (of its worker process, if it had one) to the end

    @property
    def ok(self) -> bool:
        return self.status == FINISHED
