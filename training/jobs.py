"""Training jobs that run off the caller's thread, for apps that must stay responsive.

A `Job` trains one or more `RunConfig`s one after the other in a background thread. The
engine's callbacks push progress events into a `queue.Queue`; the owner of the job (a
Streamlit page, a test, a benchmark) calls `Job.poll()` from its own thread to fold the
events into `Job.runs`. Nothing here touches Streamlit, so the worker thread never does.

A `TrainingGate` shared by every job of the process limits how many trainings run at once and
serves waiting runs first come, first served, so a page can tell a learner their place in line.
"""

from __future__ import annotations

import gc
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from training.events import CANCELLED, DIVERGED, FAILED, FINISHED, RunConfig, RunResult, TrainingCallbacks
from training.gate import TrainingGate
from training.keras_guard import background_keras_work
from training.memory import release_freed_memory

QUEUED = "queued"
TRAINING = "training"
DONE_STATES = (FINISHED, DIVERGED, CANCELLED, FAILED)
BATCH_EVENT_SECONDS = 0.25  # at most four batch updates a second: enough for a progress bar
# The engine stops a run whose loss is NaN/inf. With Adam even a learning rate of 5 rarely gets
# there: the loss jumps a million-fold and settles somewhere poor. A rise this large above the
# first batch's loss is reported as an explosion, so the learner still sees what went wrong.


@dataclass
class RunState:
    """What the owner's thread knows about one run of a job."""

    config: RunConfig
    status: str = QUEUED
    run_id: str | None = None
    params: int = 0
    epochs: int = 0
    epoch: int = 0  # epochs completed
    batch: int = 0  # batches completed in the current epoch
    batches_per_epoch: int = 0
    history: dict[str, list[float]] = field(default_factory=dict)
    message: str = ""
    result: RunResult | None = None

    @property
    def label(self) -> str:
        return self.config.arch

    @property
    def done(self) -> bool:
        return self.status in DONE_STATES

    @property
    def epoch_fraction(self) -> float:
        return self.epoch / self.epochs if self.epochs else 0.0

    @property
    def batch_fraction(self) -> float:
        return self.batch / self.batches_per_epoch if self.batches_per_epoch else 0.0


class QueueCallbacks(TrainingCallbacks):
    """Turns the engine's callbacks into `(run index, kind, payload)` events on a queue."""

    def __init__(self, events: queue.Queue, index: int):
        self.events, self.index = events, index
        self._last_batch_event = 0.0

    def _put(self, kind: str, **payload: Any) -> None:
        self.events.put((self.index, kind, payload))

    def on_start(self, run_id, config, params, epochs, batches_per_epoch):
        self._put("start", run_id=run_id, params=params, epochs=epochs, batches_per_epoch=batches_per_epoch)

    def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
        now = time.monotonic()
        if batch + 1 < batches_per_epoch and now - self._last_batch_event < BATCH_EVENT_SECONDS:
            return
        self._last_batch_event = now
        self._put("batch", epoch=epoch, batch=batch + 1, batches_per_epoch=batches_per_epoch)

    def on_epoch_end(self, epoch, logs):
        self._put("epoch", epoch=epoch, logs={name: float(value) for name, value in logs.items()})


def engine_train(config, callbacks=None, cancel=None, store=None, data=None) -> RunResult:
    from training.engine import train  # TensorFlow is imported here, on the worker thread

    return train(config, callbacks=callbacks, cancel=cancel, store=store, data=data)


class Job:
    """Several runs trained one after the other on a background thread.

    `keep_models` keeps each trained Keras model in its `RunResult` (for pages that score new
    inputs, such as a review typed by the learner); otherwise the model is dropped as soon as
    the run ends so its memory can be released.
    """

    def __init__(self, configs: list[RunConfig], gate: TrainingGate, *, store=None,
                 data: Callable[[RunConfig], Any] | None = None, keep_models: bool = False,
                 train: Callable[..., RunResult] = engine_train):
        if not configs:
            raise ValueError("a training job needs at least one RunConfig")
        self.id = uuid.uuid4().hex[:12]
        self.gate, self.store, self.data, self.keep_models, self.train = gate, store, data, keep_models, train
        self.runs = [RunState(config) for config in configs]
        self.events: queue.Queue = queue.Queue()
        self.cancel = threading.Event()
        self.started_at = time.time()
        self._thread = threading.Thread(target=self._work, name=f"dllab-training-{self.id}", daemon=True)
        self._poll_lock = threading.Lock()
        self._ticket: str | None = None

    def start(self) -> Job:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the running epoch to stop at the next batch; queued runs are cancelled."""
        self.cancel.set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def finished(self) -> bool:
        """True once the worker has exited and every event has been folded in by `poll`."""
        return self._thread.ident is not None and not self._thread.is_alive() and self.events.empty()

    def queue_position(self) -> int | None:
        """This job's place in line for a free training slot (1 = next), or None if not waiting."""
        ticket = self._ticket
        position = self.gate.position(ticket) if ticket else None
        return position if position else None

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        self.poll()
        return self.finished

    def poll(self) -> Job:
        """Fold every pending event into `runs`; call from the owner's thread only."""
        with self._poll_lock:
            while True:
                try:
                    index, kind, payload = self.events.get_nowait()
                except queue.Empty:
                    break
                self._apply(self.runs[index], kind, payload)
            if self.finished:  # a worker that died without reporting must not leave runs hanging
                for run in self.runs:
                    if not run.done:
                        run.status, run.message = FAILED, "The training thread stopped unexpectedly."
            return self

    @staticmethod
    def _apply(run: RunState, kind: str, payload: dict) -> None:
        if kind == "start":
            run.status, run.run_id, run.params = TRAINING, payload["run_id"], payload["params"]
            run.epochs, run.batches_per_epoch = payload["epochs"], payload["batches_per_epoch"]
        elif kind == "batch":
            run.epoch, run.batch = payload["epoch"], payload["batch"]
            run.batches_per_epoch = payload["batches_per_epoch"]
        elif kind == "epoch":
            run.epoch, run.batch = payload["epoch"] + 1, run.batches_per_epoch
            for name, value in payload["logs"].items():
                run.history.setdefault(name, []).append(value)
        elif kind == "end":
            result: RunResult = payload["result"]
            run.status, run.message, run.result = result.status, result.message, result
            run.run_id = result.run_id or run.run_id
            run.params = result.params or run.params
            if result.history:
                run.history = {name: list(values) for name, values in result.history.items()}

    def _work(self) -> None:
        for index, run in enumerate(self.runs):
            result = self._train_one(index, run.config)
            if not self.keep_models:
                result = replace(result, model=None)
            self.events.put((index, "end", {"result": result}))

    def _train_one(self, index: int, config: RunConfig) -> RunResult:
        self._ticket = f"{self.id}-{index}"
        if self.cancel.is_set() or not self.gate.acquire(self._ticket, self.cancel):
            return RunResult(run_id="", config=config, status=CANCELLED,
                             message="Stopped before it started.")
        try:
            data = self.data(config) if self.data is not None else None
            with background_keras_work():
                return self.train(config, callbacks=QueueCallbacks(self.events, index), cancel=self.cancel,
                                  store=self.store, data=data)
        except Exception as error:  # noqa: BLE001 - a failed run must not kill the job or the app
            return RunResult(run_id="", config=config, status=FAILED,
                             message=f"{type(error).__name__}: {error}")
        finally:
            # The engine clears Keras' session after the last active run; collecting here
            # frees the run's arrays before the next learner's run starts, and trimming hands
            # those pages back to the system so the server does not creep up run after run.
            gc.collect()
            release_freed_memory()
            self.gate.release(self._ticket)
