"""Training jobs for apps that must stay responsive: every piece of work in its own child process.

A `Job` trains one or more `RunConfig`s one after the other; a `CallJob` runs one lesson function.
Each step waits for a slot of the process-wide `TrainingGate`, then runs in a spawned child
(`training.process`). A relay thread in this process (it never imports TensorFlow) moves the
child's events onto a local queue, and the owner (a Streamlit page, a test, a benchmark) calls
`poll()` from its own thread to fold them into the job's state.

The relay thread also enforces what a shared server needs: Stop cancels between batches and
terminates a child that has not stopped within `STOP_GRACE_SECONDS`; a job nobody has polled for
`lease_seconds` is cancelled; a child that dies (signal, out of memory, native crash) ends its
run `failed` with the cause in words, and the next job in line starts.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

from training.bounds import max_train_seconds
from training.events import CANCELLED, DIVERGED, FAILED, FINISHED, Cancel, RunConfig, RunResult, TrainingCallbacks
from training.gate import TrainingGate
from training.process import describe_exit, peak_memory_mb, spawn

QUEUED = "queued"
STARTING = "starting"  # a slot is free and the child is loading TensorFlow
TRAINING = "training"
DONE_STATES = (FINISHED, DIVERGED, CANCELLED, FAILED)
BATCH_EVENT_SECONDS = 0.25  # at most four batch updates a second: enough for a progress bar
RELAY_SECONDS = 0.2
STOP_GRACE_SECONDS = 5.0  # after Stop, a child still running this long is terminated
HARD_STOP_GRACE_SECONDS = 120.0  # past its time budget, a child that has not stopped itself is ended
ABANDONED_HELP = ("Nobody was watching this training for over a minute (the page was closed or the "
                  "connection lost), so it was stopped to free its slot for other learners.")
STOPPED_HELP = "Stopped before it started."


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


class EventCallbacks(TrainingCallbacks):
    """In the child: the engine's callbacks as events for the parent (batches at most 4 a second)."""

    def __init__(self, report):
        self.report = report
        self._last_batch_event = 0.0

    def on_start(self, run_id, config, params, epochs, batches_per_epoch):
        self.report("start", run_id=run_id, params=params, epochs=epochs, batches_per_epoch=batches_per_epoch)

    def on_batch_end(self, epoch, batch, batches_per_epoch, logs):
        now = time.monotonic()
        if batch + 1 < batches_per_epoch and now - self._last_batch_event < BATCH_EVENT_SECONDS:
            return
        self._last_batch_event = now
        self.report("batch", epoch=epoch, batch=batch + 1, batches_per_epoch=batches_per_epoch)

    def on_epoch_end(self, epoch, logs):
        self.report("epoch", epoch=epoch, logs={name: float(value) for name, value in logs.items()})


def train_in_child(config: RunConfig, store_path: str | bool | None, cancel: Cancel, report,
                   spawned_at: float) -> RunResult:
    """The child's side of a `Job` step: train, record, return the result without the model."""
    from training.engine import train
    from training.store import RunStore

    store = store_path if store_path is False else RunStore(store_path) if store_path else None
    store = RunStore() if store is None else store
    result = train(config, callbacks=EventCallbacks(report), cancel=cancel, store=store)
    result = replace(result, model=None, peak_memory_mb=peak_memory_mb(), wall_seconds=time.time() - spawned_at)
    if store is not False and result.run_id:
        store.record_resources(result.run_id, result.peak_memory_mb, result.wall_seconds)
    return result


def call_in_child(function, kwargs: dict, report):
    """The child's side of a `CallJob`: lesson functions that take `report` get `report(payload)`."""
    import inspect

    if "report" in inspect.signature(function).parameters:
        kwargs = {**kwargs, "report": lambda payload: report("progress", payload=payload)}
    return function(**kwargs)


class _Stop:
    """What the gate and the relay ask: should this job stop? (Stop pressed, or its lease ran out.)"""

    def __init__(self, job: BaseJob):
        self.job = job

    def is_set(self) -> bool:
        return self.job.stop_requested()


# Every job of this process still running, for shutdown and for tests that must not leave a
# training behind them (weak: a finished job nobody holds is forgotten).
LIVE_JOBS: weakref.WeakSet = weakref.WeakSet()


class BaseJob:
    """Steps run one after the other, each in a child process, relayed into `self.events`."""

    def __init__(self, gate: TrainingGate, steps: int, lease_seconds: float | None):
        self.id = uuid.uuid4().hex[:12]
        self.gate, self.lease_seconds = gate, lease_seconds
        self.events: queue.Queue = queue.Queue()
        self.cancel = threading.Event()
        self.abandoned = False
        self.started_at = time.time()
        self.last_polled = time.monotonic()
        self._steps = steps
        self._thread = threading.Thread(target=self._work, name=f"dllab-job-{self.id}", daemon=True)
        self._poll_lock = threading.Lock()
        self._ticket: str | None = None
        self.process = None  # the current step's child process (its pid is useful to tests and ops)

    # --- the owner's side ------------------------------------------------------------------
    def start(self):
        LIVE_JOBS.add(self)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Cancel the running step at its next batch (terminated if it does not stop) and the rest."""
        self.cancel.set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def finished(self) -> bool:
        """True once the relay has exited and every event has been folded in by `poll`."""
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

    def poll(self):
        """Fold pending events into the state and renew the lease; call from the owner's thread."""
        with self._poll_lock:
            self.last_polled = time.monotonic()
            while True:
                try:
                    index, kind, payload = self.events.get_nowait()
                except queue.Empty:
                    break
                self._apply(index, kind, payload)
            return self

    def stop_requested(self) -> bool:
        if self.cancel.is_set():
            return True
        if self.lease_seconds is not None and time.monotonic() - self.last_polled > self.lease_seconds:
            self.abandoned = True
            self.cancel.set()
            return True
        return False

    # --- the relay thread ------------------------------------------------------------------
    def _child(self, index: int) -> tuple[Any, dict]:
        raise NotImplementedError

    def _apply(self, index: int, kind: str, payload: dict) -> None:
        raise NotImplementedError

    def _work(self) -> None:
        for index in range(self._steps):
            self._ticket = f"{self.id}-{index}"
            try:
                if self.stop_requested() or not self.gate.acquire(self._ticket, _Stop(self)):
                    self.events.put((index, "ended", {"status": CANCELLED, "message": self._stop_message()}))
                    continue
                try:
                    self._relay(index)
                finally:
                    self.gate.release(self._ticket)
            except Exception as error:  # noqa: BLE001 - the relay must never leave a step hanging
                self.events.put((index, "ended", {"status": FAILED, "message": f"{type(error).__name__}: {error}"}))

    def _stop_message(self) -> str:
        return ABANDONED_HELP if self.abandoned else STOPPED_HELP

    def _relay(self, index: int) -> None:
        function, kwargs = self._child(index)
        process, child_events, child_cancel = spawn(function, kwargs)
        self.process = process
        self.events.put((index, "spawned", {}))
        spawned, stop_asked, ended, killed_for = time.monotonic(), None, False, ""
        budget = max_train_seconds()
        while not ended:
            # Liveness is read before get(): a child flushes its events before it exits, so a get()
            # that finds nothing after an exit seen *beforehand* has read everything. Read after the
            # get(), it lost the last events of a child that reported and exited in between.
            exited = not process.is_alive()
            try:
                kind, payload = child_events.get(timeout=RELAY_SECONDS)
                self.events.put((index, kind, payload))
                ended = kind in ("value", "error")
                continue
            except queue.Empty:
                if exited:
                    break
            now = time.monotonic()
            if stop_asked is None and (self.stop_requested() or
                                       (budget and now - spawned > budget + HARD_STOP_GRACE_SECONDS)):
                stop_asked = now
                child_cancel.set()
                killed_for = "stop" if self.cancel.is_set() else "budget"
            elif stop_asked is not None and now - stop_asked > STOP_GRACE_SECONDS and process.is_alive():
                process.terminate()
                process.join(2.0)
                if process.is_alive():
                    process.kill()
        process.join(10.0)
        if process.is_alive():
            process.kill()
            process.join(5.0)
        child_events.close()
        if not ended:
            if stop_asked is not None and killed_for == "stop":
                status, message = CANCELLED, (self._stop_message() if self.abandoned else
                                              f"Stopped: the worker did not stop by itself within "
                                              f"{STOP_GRACE_SECONDS:g} s and was terminated.")
            elif killed_for == "budget":
                status, message = FAILED, (f"The run passed its time budget ({budget:g} s) and did not stop "
                                           "by itself, so its worker process was ended.")
            else:
                status, message = FAILED, f"Training failed: {describe_exit(process.exitcode)}."
            self.events.put((index, "ended", {"status": status, "message": message}))
        elif self.abandoned:
            self.events.put((index, "abandoned", {}))


class Job(BaseJob):
    """Several runs trained one after the other, each in its own child process.

    `store`: None records in the default store under DLLAB_HOME, False records nothing, a
    `RunStore` records there. `lease_seconds`: cancel the job when nobody polls it for that long.
    """

    def __init__(self, configs: list[RunConfig], gate: TrainingGate, *, store=None,
                 lease_seconds: float | None = None):
        if not configs:
            raise ValueError("a training job needs at least one RunConfig")
        super().__init__(gate, len(configs), lease_seconds)
        self.store = store
        self.runs = [RunState(config) for config in configs]

    def _child(self, index):
        store_path = self.store if self.store in (None, False) else str(self.store.path)
        return train_in_child, {"config": self.runs[index].config, "store_path": store_path}

    def _apply(self, index: int, kind: str, payload: dict) -> None:
        run = self.runs[index]
        if kind == "spawned":
            run.status = STARTING
        elif kind == "start":
            run.status, run.run_id, run.params = TRAINING, payload["run_id"], payload["params"]
            run.epochs, run.batches_per_epoch = payload["epochs"], payload["batches_per_epoch"]
        elif kind == "batch":
            run.epoch, run.batch = payload["epoch"], payload["batch"]
            run.batches_per_epoch = payload["batches_per_epoch"]
        elif kind == "epoch":
            run.epoch, run.batch = payload["epoch"] + 1, run.batches_per_epoch
            for name, value in payload["logs"].items():
                run.history.setdefault(name, []).append(value)
        elif kind == "value":
            result: RunResult = payload["value"]
            run.status, run.message, run.result = result.status, result.message, result
            run.run_id = result.run_id or run.run_id
            run.params = result.params or run.params
            if result.history:
                run.history = {name: list(values) for name, values in result.history.items()}
        elif kind == "abandoned" and run.status == CANCELLED:
            run.message = ABANDONED_HELP
            if run.result is not None:
                run.result.message = ABANDONED_HELP
        elif kind in ("error", "ended"):
            run.status = payload.get("status", FAILED)
            run.message = payload["message"]
            self._record_end(run)

    def _record_end(self, run: RunState) -> None:
        """A child that died cannot record its own end: the store must not keep it `running`."""
        if run.run_id and self.store is not False:
            from training.store import RunStore

            store = self.store if self.store is not None else RunStore()
            store.finish_run(run.run_id, run.status, run.message, {}, 0.0, 0.0, run.epoch)
        run.result = RunResult(run_id=run.run_id or "", config=run.config, status=run.status,
                               message=run.message, history=run.history, params=run.params,
                               epochs_run=run.epoch)


@dataclass
class CallState:
    """A lesson function's call: its latest progress payload, then its value or its error."""

    status: str = QUEUED
    progress: dict | None = None
    value: Any = None
    message: str = ""
    peak_memory_mb: float = 0.0
    wall_seconds: float = 0.0

    @property
    def done(self) -> bool:
        return self.status in DONE_STATES


class CallJob(BaseJob):
    """`function(**kwargs)` (a module-level function: it is pickled by name) in a child process.

    Arguments and the return value cross a process boundary, so both must be plain picklable data
    (NumPy arrays, numbers, dataclasses of those), never a Keras model.
    """

    def __init__(self, function, kwargs: dict, gate: TrainingGate, *, lease_seconds: float | None = None):
        super().__init__(gate, 1, lease_seconds)
        self.function, self.kwargs = function, dict(kwargs)
        self.state = CallState()
        self.settings: tuple | None = None  # what the page asked for, to match its result later

    def _child(self, index):
        return call_in_child, {"function": self.function, "kwargs": self.kwargs}

    def _apply(self, index: int, kind: str, payload: dict) -> None:
        state = self.state
        if kind == "spawned":
            state.status = STARTING
        elif kind == "progress":
            state.status, state.progress = TRAINING, payload["payload"]
        elif kind == "value":
            state.status, state.value = FINISHED, payload["value"]
            state.peak_memory_mb, state.wall_seconds = payload["peak_memory_mb"], payload["wall_seconds"]
        elif kind in ("error", "ended"):
            state.status, state.message = payload.get("status", FAILED), payload["message"]
        elif kind == "abandoned":
            state.status, state.message = CANCELLED, ABANDONED_HELP
