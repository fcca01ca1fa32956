"""Sweeps: grid validation, the plan, the summary, both engines on tiny data, Ctrl-C, the JSON contract."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from data.tiny import write_tiny_mirror
from training.events import CANCELLED, FAILED, FINISHED, RunConfig
from training.store import RunStore
from training.sweep import NEVER_STARTED, Progress, parse_grid, plan, run_local, summarize

ROOT = Path(__file__).resolve().parent.parent
needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                               reason="Ray Tune is not installed (pip install -r requirements-cluster.txt)")


def test_a_grid_is_parsed_into_values():
    grid = parse_grid(["learning_rate=1e-3, 3e-3", "batch_size=64,128", "epochs=1"])
    assert grid == {"learning_rate": [0.001, 0.003], "batch_size": [64, 128], "epochs": [1]}
    assert parse_grid(["learning_rate=10", "batch_size=4096"]) == {"learning_rate": [10.0], "batch_size": [4096]}


@pytest.mark.parametrize("items, message", [
    (["lr=1e-3"], "unknown grid key 'lr'; choose from epochs, batch_size, learning_rate"),
    (["learning_rate="], "grid learning_rate has an empty value"),
    (["batch_size=64,,128"], "grid batch_size has an empty value"),
    (["learning_rate=20"], "learning_rate=20 is out of range: learning_rate must be between 1e-06 and 10"),
    (["learning_rate=nan"], "out of range"),
    (["batch_size=4097"], "batch_size must be between 1 and 4096"),
    (["epochs=0"], "epochs must be between 1 and 200"),
    (["batch_size=6.5"], "grid batch_size takes whole numbers, got '6.5'"),
    (["learning_rate=fast"], "grid learning_rate takes numbers"),
    (["epochs=1", "epochs=2"], "given twice"),
    (["epochs=2,2"], "lists 2 twice"),
    (["learning_rate"], "must look like key=value1,value2"),
])
def test_bad_grids_are_refused_with_a_clear_message(items, message):
    with pytest.raises(ValueError) as error:
        parse_grid(items)
    assert message in str(error.value)


def test_plan_crosses_architectures_grid_and_seeds():
    sweep = plan("traffic", ["dnn", "persistence"], [0, 1], {"learning_rate": [1e-3, 3e-3], "batch_size": [32, 64]})
    learned = [trial.config for trial in sweep.trials if trial.config.arch == "dnn"]
    baseline = [trial.config for trial in sweep.trials if trial.config.arch == "persistence"]
    assert len(learned) == 2 * 2 * 2  # grid points x seeds
    assert {(config.learning_rate, config.batch_size, config.seed) for config in learned} == {
        (rate, batch, seed) for rate in (1e-3, 3e-3) for batch in (32, 64) for seed in (0, 1)}
    # a baseline has no hyperparameters: one configuration, whatever the grid
    assert [(config.learning_rate, config.seed) for config in baseline] == [(None, 0), (None, 1)]
    assert [trial.index for trial in sweep.trials] == list(range(10))
    assert {trial.config.sweep for trial in sweep.trials} == {sweep.id} and "traffic" in sweep.id


@pytest.mark.parametrize("archs, seeds, message", [
    (["resnet"], [0], "unknown architecture 'resnet'"),
    (["dnn", "dnn"], [0], "architectures must differ"),
    ([], [0], "at least one architecture"),
    (["dnn"], [], "at least one seed"),
    (["dnn"], [0, 0], "seeds must differ"),
    (["dnn"], [-1], "seed -1 is out of range"),
])
def test_plan_refuses_bad_names_and_seeds(archs, seeds, message):
    with pytest.raises(ValueError) as error:
        plan("mnist", archs, seeds)
    assert message in str(error.value)


def fake_trial(store, arch, seed, status, metrics, seconds, learning_rate=1e-3, sweep="sweep-x"):
    config = RunConfig("imdb", arch, learning_rate=learning_rate, seed=seed, sweep=sweep)
    run_id = store.start_run(config, params=500 + len(arch))
    store.finish_run(run_id, status, "" if status == FINISHED else "loss became NaN", metrics, seconds, seconds, 1)
    return store.get_run(run_id)


def test_summary_has_mean_and_std_over_finished_seeds(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    accuracies = [0.81, 0.84, 0.86]
    records = [fake_trial(store, "lstm", seed, FINISHED, {"accuracy": value, "f1": value - 0.01}, 10.0 + seed)
               for seed, value in enumerate(accuracies)]
    records.append(fake_trial(store, "lstm", 3, FAILED, {}, 2.0))
    records.append(fake_trial(store, "lstm", 0, FINISHED, {"accuracy": 0.7}, 5.0, learning_rate=3e-3))
    first, second = summarize(records)
    assert (first["learning_rate"], first["trials"], first["finished"], first["seeds"]) == (1e-3, 4, 3, [0, 1, 2, 3])
    assert first["metrics"]["accuracy"]["mean"] == pytest.approx(statistics.fmean(accuracies))
    assert first["metrics"]["accuracy"]["std"] == pytest.approx(statistics.stdev(accuracies))
    assert first["metrics"]["f1"]["mean"] == pytest.approx(statistics.fmean(accuracies) - 0.01)
    assert first["metrics"]["precision"] == {"mean": None, "std": None}  # never measured
    assert first["seconds_per_trial"]["mean"] == pytest.approx(11.0) and first["params"] == 504
    assert [(problem["seed"], problem["status"]) for problem in first["problems"]] == [(3, FAILED)]
    assert (second["learning_rate"], second["metrics"]["accuracy"]) == (3e-3, {"mean": 0.7, "std": None})


def test_cli_refuses_a_bad_grid_before_anything_starts(capsys):
    from training.__main__ import main

    assert main(["sweep", "--task", "mnist", "--archs", "dnn", "--grid", "learning_rate=1e-3,50"]) == 2
    assert "learning_rate=50 is out of range" in capsys.readouterr().err
    assert main(["sweep", "--task", "mnist", "--archs", "dnn", "--address", "auto"]) == 2
    assert "need --engine ray" in capsys.readouterr().err
    assert main(["sweep", "--task", "mnist", "--archs", "dnn", "--max-concurrent", "0"]) == 2
    assert RunStore().list_runs() == []  # nothing started, nothing recorded


def cli(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "training", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=environment)


def test_sweep_json_contract(tiny_mirror):
    done = cli("sweep", "--task", "traffic", "--archs", "dnn", "persistence", "--seeds", "0", "1",
               "--grid", "epochs=1", "--quick", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert any(line.startswith("dnn epochs=1") for line in lines[:-1])  # the table, before the JSON
    assert {"sweep_id", "task", "engine", "trials", "configurations", "seconds"} <= set(summary)
    assert (summary["task"], summary["engine"], summary["cancelled"]) == ("traffic", "local", False)
    trials = summary["trials"]
    assert [(trial["arch"], trial["seed"], trial["status"]) for trial in trials] == [
        ("dnn", 0, FINISHED), ("dnn", 1, FINISHED), ("persistence", 0, FINISHED), ("persistence", 1, FINISHED)]
    stored = RunStore().list_runs(sweep=summary["sweep_id"])  # the CLI and this test share DLLAB_HOME
    assert sorted(run["run_id"] for run in stored) == sorted(trial["run_id"] for trial in trials)
    dnn, persistence = summary["configurations"]
    assert (dnn["arch"], dnn["epochs"], dnn["trials"], dnn["finished"]) == ("dnn", 1, 2, 2)
    assert dnn["params"] == trials[0]["params"] > 0
    for key in ("mae_15", "rmse_30", "mape_60"):
        values = [trial["metrics"][key] for trial in trials[:2]]
        assert dnn["metrics"][key]["mean"] == pytest.approx(statistics.fmean(values))
        assert dnn["metrics"][key]["std"] == pytest.approx(statistics.stdev(values))
    assert persistence["metrics"]["mae_15"]["std"] == 0.0  # a baseline is the same for every seed


def test_a_failing_trial_is_reported_and_the_others_finish(tiny_mirror):
    store = RunStore()
    sweep = plan("mnist", ["dnn"], [0, 1], {"epochs": [1]}, quick=True)
    broken = replace(sweep.trials[0].config, hyperparameters={"no_such_setting": 1})  # the builder rejects it
    sweep.trials[0] = replace(sweep.trials[0], config=broken)
    failed, finished = run_local(sweep, store)
    assert failed["status"] == FAILED and "no_such_setting" in failed["message"]
    assert finished["status"] == FINISHED and 0 <= finished["metrics"]["accuracy"] <= 1
    assert len(store.list_runs(sweep=sweep.id)) == 2  # the failure is a run of the sweep too
    broken_row, good_row = summarize([failed, finished])
    assert (broken_row["finished"], broken_row["metrics"]["accuracy"]["mean"]) == (0, None)
    assert broken_row["problems"][0]["message"] == failed["message"]
    assert good_row["metrics"]["accuracy"]["mean"] == finished["metrics"]["accuracy"]


def test_ctrl_c_stops_the_sweep_and_marks_unfinished_trials_cancelled(tiny_mirror):
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "training", "sweep", "--task", "mnist", "--archs", "dnn", "--seeds", "0", "1", "2",
         "--grid", "epochs=200", "batch_size=1", "--quick", "--json"],  # slow epochs: Ctrl-C lands mid-run
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    errors = []
    try:
        for line in process.stderr:  # wait until the first trial is training
            errors.append(line)
            if "epoch 1/200" in line:
                break
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the workers get it too
        stdout, rest = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 1, "".join(errors) + rest
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["cancelled"] is True
    first, *waiting = summary["trials"]
    assert first["status"] == CANCELLED and 1 <= first["epochs"] < 200
    assert [(trial["status"], trial["message"]) for trial in waiting] == [(CANCELLED, NEVER_STARTED)] * 2
    stored = {run["run_id"]: run for run in RunStore().list_runs(sweep=summary["sweep_id"])}
    assert {stored[trial["run_id"]]["status"] for trial in summary["trials"]} == {CANCELLED}


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    """One single-node Ray for the module's Ray tests (each start costs seconds). Its workers read
    their own tiny mirror, identical to each test's, and keep their caches in their own home."""
    pytest.importorskip("ray")
    import os
    import signal

    import ray

    from training.sweep_ray import connect

    folder = tmp_path_factory.mktemp("ray")
    # ray.init changes this process's environment and signal handlers; later tests spawn workers
    # from this process (after Ray had run here, they exited before reporting), so both come back.
    environment = dict(os.environ)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLLAB_DATA_MIRROR", str(write_tiny_mirror(folder / "mirror")))
        patch.setenv("DLLAB_HOME", str(folder / "home"))
        connect(None)
    yield
    ray.shutdown()
    os.environ.clear()
    os.environ.update(environment)
    for number, handler in handlers.items():
        signal.signal(number, handler)


@needs_ray
def test_ray_sweep_records_every_trial_with_the_local_means(tiny_mirror, local_ray):
    from training.sweep_ray import run_ray

    store = RunStore()
    local_sweep = plan("mnist", ["dnn"], [0, 1], {"epochs": [1], "learning_rate": [3e-3]}, quick=True)
    ray_sweep = plan("mnist", ["dnn"], [0, 1], {"epochs": [1], "learning_rate": [3e-3]}, quick=True)
    ray_sweep.trials.append(replace(ray_sweep.trials[0], index=2, config=replace(
        ray_sweep.trials[0].config, seed=2, hyperparameters={"no_such_setting": 1})))  # fails to build
    local = run_local(local_sweep, store)
    on_ray = run_ray(ray_sweep, store, max_concurrent=2)
    assert [record["status"] for record in on_ray] == [FINISHED, FINISHED, FAILED]
    assert "no_such_setting" in on_ray[2]["message"]  # reported, and the others finished
    assert len(store.list_runs(sweep=ray_sweep.id)) == 3
    for record in on_ray[:2]:  # the driver stored what the workers trained: weights, predictions, epochs
        assert store.weights_path(record["run_id"]) is not None
        assert (store.run_dir(record["run_id"]) / "predictions.npz").is_file()
        assert len(store.epochs(record["run_id"])) == 1 and record["params"] > 0
    (local_row,), (ray_row, failed_row) = summarize(local), summarize(on_ray)
    assert (ray_row["label"], ray_row["finished"], failed_row["finished"]) == (local_row["label"], 2, 0)
    for key, value in local_row["metrics"].items():
        if value["mean"] is not None:  # same seeds, same data: the same trained models
            assert ray_row["metrics"][key]["mean"] == pytest.approx(value["mean"], abs=1e-6)
    for local_record, ray_record in zip(local, on_ray):
        assert [epoch["loss"] for epoch in store.epochs(ray_record["run_id"])] == pytest.approx(
            [epoch["loss"] for epoch in store.epochs(local_record["run_id"])], rel=1e-4)


@needs_ray
def test_ray_asha_stops_a_poor_trial_early(local_ray):
    from training.sweep_ray import run_ray

    store = RunStore()
    # One at a time, so the good trial has reached each rung before the poor one gets there.
    sweep = plan("mnist", ["dnn"], [0], {"epochs": [3], "learning_rate": [3e-3, 1e-6]}, quick=True)
    good, poor = run_ray(sweep, store, max_concurrent=1, scheduler="asha")
    assert (good["status"], good["epochs_run"]) == (FINISHED, 3)
    assert poor["status"] == CANCELLED and "Stopped early by the ASHA scheduler after 1 epoch" in poor["message"]
    assert poor["epochs_run"] == 1 and len(store.epochs(poor["run_id"])) == 1


@needs_ray
def test_cancelling_a_ray_sweep_stores_what_ran_and_what_never_started(local_ray):
    from training.sweep_ray import run_ray

    class CancelAfterFirstEpoch(Progress):
        def epoch(self, trial, epoch, epochs, logs):
            super().epoch(trial, epoch, epochs, logs)
            cancel.set()  # what Ctrl-C does in the CLI

    cancel, store = threading.Event(), RunStore()
    sweep = plan("mnist", ["dnn"], [0, 1], {"epochs": [50], "batch_size": [32]}, quick=True)
    running, waiting = run_ray(sweep, store, max_concurrent=1, cancel=cancel, progress=CancelAfterFirstEpoch(2))
    assert running["status"] == CANCELLED and running["message"].startswith("Cancelled after")
    assert 1 <= running["epochs_run"] < 50 and len(store.epochs(running["run_id"])) == running["epochs_run"]
    assert (waiting["status"], waiting["message"]) == (CANCELLED, NEVER_STARTED)
