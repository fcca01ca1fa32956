"""The Ray Tune engine of sweeps: the same trials on a Ray cluster, or on a single-node Ray started here.

A trial runs `training.engine.train` in a Ray worker with callbacks that report every epoch to
Tune (so `--scheduler asha` can stop poor trials early). The engine writes weights, vocabulary
and predictions only into a run store, so the trial records into a throwaway store on the
worker's own disk and hands the run's row, epoch logs and files to a collector actor. The
driver copies them into its run store as each trial ends: SQLite stays on the driver's machine.

Needs `ray[tune]` (requirements-cluster.txt); nothing else in the app imports this module.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import ray
from ray import tune

from data.paths import MIRROR_VARIABLE
from models.registry import architecture
from training.events import CANCELLED, FAILED, RunConfig, TrainingCallbacks
from training.store import RunStore
from training.sweep import NEVER_STARTED, Progress, Sweep, Trial, record_unstarted

ROOT = Path(__file__).resolve().parent.parent
# The code goes to every node with the job (Ray's working_dir); these are not code.
UPLOAD_EXCLUDES = [".git", ".venv", "bench/results", "__pycache__", ".pytest_cache", ".ruff_cache"]
# Every node must read the dataset mirror at the same path (shared storage).
FORWARDED_VARIABLES = (MIRROR_VARIABLE, "TF_CPP_MIN_LOG_LEVEL")
ASHA_METRIC = "val_loss"
CPUS_PER_TRIAL = 1  # `ray start --num-cpus K` on a node sets how many trials it takes at once


@ray.remote(num_cpus=0)
class Collector:
    """Holds each finished trial's run until the driver takes it (trials may end on any node)."""

    def __init__(self):
        self.payloads: dict[int, dict] = {}

    def put(self, index: int, payload: dict) -> None:
        self.payloads[index] = payload

    def take(self, index: int) -> dict | None:
        return self.payloads.pop(index, None)


class TuneReporter(TrainingCallbacks):
    """Reports each epoch's logs to Tune; the scheduler's metric is at the top level."""

    def __init__(self):
        self.params = 0

    def on_start(self, run_id, config, params, epochs, batches_per_epoch):
        self.params = params

    def on_epoch_end(self, epoch, logs):
        logs = {name: float(value) for name, value in logs.items()}
        tune.report({ASHA_METRIC: logs.get(ASHA_METRIC, logs.get("loss")), "epoch": epoch + 1,
                     "params": self.params, "logs": logs})


def run_trial(parameters: dict, collector) -> None:
    """One trial, in a Ray worker: train, then hand the recorded run to the collector."""
    from training.engine import train

    index = parameters["trial"]["index"]
    config = RunConfig(**parameters["trial"]["config"])
    with tempfile.TemporaryDirectory(prefix="dllab-trial-") as folder:
        try:
            store = RunStore(Path(folder) / "runs.sqlite")
            result = train(config, callbacks=TuneReporter(), store=store)
            run_folder = store.run_dir(result.run_id)
            payload = {"record": store.get_run(result.run_id), "epochs": store.epochs(result.run_id),
                       "files": {path.name: path.read_bytes() for path in run_folder.iterdir() if path.is_file()}}
        except Exception as error:  # noqa: BLE001 - reported with the trial, the sweep goes on
            payload = {"error": f"{type(error).__name__}: {error}"}
    ray.get(collector.put.remote(index, payload))


def record_stopped(store, trial: Trial, reports: list[dict], status: str, message: str) -> str:
    """A trial stopped by the scheduler or by Ctrl-C: the epochs it reported, no test metrics."""
    params = reports[-1]["params"] if reports else 0
    run_id = store.start_run(trial.config, params, owner=trial.config.owner)
    for epoch, report in enumerate(reports):
        store.log_epoch(run_id, epoch, report["logs"])
    seconds = sum(report["logs"].get("seconds", 0.0) for report in reports)
    store.finish_run(run_id, status, message, train_seconds=seconds,
                     seconds_per_epoch=seconds / len(reports) if reports else 0.0, epochs_run=len(reports))
    return run_id


class Recorder(tune.Callback):
    """On the driver: prints progress and records each trial in the run store as it ends."""

    def __init__(self, sweep: Sweep, store, collector, cancel: threading.Event, progress: Progress,
                 scheduler: str):
        self.sweep, self.store, self.collector = sweep, store, collector
        self.cancel, self.progress, self.scheduler = cancel, progress, scheduler
        self.reports: dict[int, list[dict]] = {}
        self.run_ids: dict[int, str] = {}
        self.epochs = {trial.index: planned_epochs(sweep.task, trial) for trial in sweep.trials}

    def __getstate__(self) -> dict:
        # Tune pickles its run config to resume experiments later; a sweep is never resumed
        # (its trials are already in the store), and the store, event and actor stay here.
        return {}

    def _trial(self, tune_trial) -> Trial:
        return self.sweep.trials[tune_trial.config["trial"]["index"]]

    def on_trial_start(self, iteration, trials, trial, **info):
        self.progress.started(self._trial(trial), "on Ray")

    def on_trial_result(self, iteration, trials, trial, result, **info):
        ours = self._trial(trial)
        self.reports.setdefault(ours.index, []).append({"params": result["params"], "logs": result["logs"]})
        self.progress.epoch(ours, result["epoch"], self.epochs[ours.index], result["logs"])

    def on_trial_complete(self, iteration, trials, trial, **info):
        self._record(self._trial(trial), None)

    def on_trial_error(self, iteration, trials, trial, **info):
        error = trial.get_pickled_error()
        self._record(self._trial(trial), f"The Ray worker running this trial failed: {error or 'no error recorded'}")

    def record_the_rest(self) -> None:
        """After Tune returns: trials it stopped without a callback (Ctrl-C stops them all at once)."""
        for trial in self.sweep.trials:
            self._record(trial, None, completed=False)

    def _record(self, trial: Trial, worker_error: str | None, completed: bool = True) -> None:
        if trial.index in self.run_ids:
            return
        payload = ray.get(self.collector.take.remote(trial.index))
        reports = self.reports.get(trial.index, [])
        if payload is not None and "record" in payload:
            run_id = self.store.import_run(payload["record"], payload["epochs"], payload["files"])
        elif payload is not None or worker_error:
            run_id = record_unstarted(self.store, trial, FAILED, payload["error"] if payload else worker_error)
        elif self.cancel.is_set():
            message = (f"Cancelled after {len(reports)} epoch(s): the sweep was stopped." if reports
                       else NEVER_STARTED)
            run_id = record_stopped(self.store, trial, reports, CANCELLED, message)
        elif completed:  # Tune ended it before it returned: only the scheduler does that
            run_id = record_stopped(self.store, trial, reports, CANCELLED,
                                    f"Stopped early by the {self.scheduler.upper()} scheduler after "
                                    f"{len(reports)} epoch(s): its {ASHA_METRIC} was among the worst at that point.")
        else:
            run_id = record_stopped(self.store, trial, reports, FAILED, "Ray Tune ended without running this trial.")
        self.run_ids[trial.index] = run_id
        self.progress.ended(trial, self.store.get_run(run_id))


class CancelStopper(tune.Stopper):
    """Stops the whole experiment once `cancel` is set (Ctrl-C): pending trials never start."""

    def __init__(self, cancel: threading.Event):
        self.cancel = cancel

    def __getstate__(self) -> dict:
        return {}  # as Recorder: never resumed

    def __call__(self, trial_id, result) -> bool:
        return False

    def stop_all(self) -> bool:
        return self.cancel.is_set()


def connect(address: str | None) -> bool:
    """Join the cluster at `address` (`auto`: the one this machine belongs to), or start a
    single-node Ray here; True when this call started Ray (and should shut it down)."""
    if ray.is_initialized():
        return False
    runtime_env = {"working_dir": str(ROOT), "excludes": UPLOAD_EXCLUDES,
                   "env_vars": {name: os.environ[name] for name in FORWARDED_VARIABLES if name in os.environ}}
    options = {"address": address, "runtime_env": runtime_env, "log_to_driver": False,
               "logging_level": logging.WARNING}
    if address is None:  # "local": a new instance, even when this machine already runs a cluster
        options.update(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=False)
    ray.init(**options)
    return True


def planned_epochs(task: str, trial: Trial) -> int:
    from training.engine import resolve_recipe

    return resolve_recipe(trial.config, architecture(task, trial.config.arch)).epochs


def asha(sweep: Sweep):
    from ray.tune.schedulers import ASHAScheduler

    epochs = max(planned_epochs(sweep.task, trial) for trial in sweep.trials)
    # stop_last_trials=False: a trial that reaches its last epoch ends by itself, with its
    # test metrics and weights, instead of being stopped at the finish line.
    return ASHAScheduler(time_attr="training_iteration", metric=ASHA_METRIC, mode="min",
                         max_t=max(epochs, 1), grace_period=1, reduction_factor=2, stop_last_trials=False)


def run_ray(sweep: Sweep, store, *, address: str | None = None, max_concurrent: int | None = None,
            scheduler: str = "none", cancel: threading.Event | None = None,
            progress: Progress | None = None) -> list[dict]:
    """Run the trials with Ray Tune; returns their store records in trial order."""
    cancel = cancel or threading.Event()
    progress = progress or Progress(len(sweep.trials))
    # Ctrl-C is the caller's: it sets `cancel`, which stops the experiment through CancelStopper.
    os.environ["TUNE_DISABLE_SIGINT_HANDLER"] = "1"
    os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")  # the new output prints tables even when silent
    started_here = connect(address)
    storage = tempfile.mkdtemp(prefix="dllab-tune-")  # Tune's own logs; our results are in the store
    try:
        collector = Collector.remote()
        recorder = Recorder(sweep, store, collector, cancel, progress, scheduler)
        trainable = tune.with_resources(tune.with_parameters(run_trial, collector=collector), {"cpu": CPUS_PER_TRIAL})
        trials = [{"index": trial.index, "config": trial.config.to_dict()} for trial in sweep.trials]
        tuner = tune.Tuner(
            trainable, param_space={"trial": tune.grid_search(trials)},
            tune_config=tune.TuneConfig(scheduler=asha(sweep) if scheduler == "asha" else None,
                                        max_concurrent_trials=max_concurrent, reuse_actors=True),
            run_config=tune.RunConfig(name=sweep.id, storage_path=storage, verbose=0, callbacks=[recorder],
                                      stop=CancelStopper(cancel), failure_config=tune.FailureConfig(max_failures=0)))
        with contextlib.redirect_stdout(sys.stderr):  # stdout is for the table and the JSON line
            tuner.fit()
        recorder.record_the_rest()
        return [store.get_run(recorder.run_ids[trial.index]) for trial in sweep.trials]
    finally:
        shutil.rmtree(storage, ignore_errors=True)
        if started_here:
            ray.shutdown()
