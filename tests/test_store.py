"""The SQLite run store: round trips, concurrency across threads and processes, crash recovery."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from training.events import FINISHED, INTERRUPTED, RUNNING, RunConfig
from training.store import STALE_AFTER_SECONDS, RunStore

ROOT = Path(__file__).resolve().parent.parent


def test_default_store_lives_in_the_app_home(isolated_home):
    store = RunStore()
    assert store.path == isolated_home / "runs.sqlite"
    run_id = store.start_run(RunConfig(task="mnist", arch="cnn"), params=10)
    assert store.run_dir(run_id) == isolated_home / "runs" / run_id
    assert store.run_dir(run_id).is_dir()


def test_run_round_trip(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    config = RunConfig(task="traffic", arch="gcn_gru", epochs=3, hyperparameters={"units": 16}, owner="session-1")
    run_id = store.start_run(config, params=1234, extra={"train_size": 99}, owner=config.owner)
    running = store.get_run(run_id)
    assert running["status"] == RUNNING and running["pid"] == os.getpid()
    assert running["config"]["hyperparameters"] == {"units": 16}
    assert running["versions"]["numpy"]
    for epoch in range(3):
        store.log_epoch(run_id, epoch, {"loss": 1.0 / (epoch + 1), "val_loss": float("nan")})
    store.finish_run(run_id, FINISHED, "", {"mae_15": 2.5, "mae_by_step": [1.0, 2.0]}, 12.0, 4.0, 3)
    run = store.get_run(run_id)
    assert (run["status"], run["params"], run["epochs_run"], run["owner"]) == (FINISHED, 1234, 3, "session-1")
    assert run["metrics"] == {"mae_15": 2.5, "mae_by_step": [1.0, 2.0]}
    assert run["extra"] == {"train_size": 99}
    epochs = store.epochs(run_id)
    assert [epoch["epoch"] for epoch in epochs] == [0, 1, 2]
    assert epochs[2]["loss"] == 1.0 / 3 and epochs[0]["val_loss"] is None  # NaN stored as null
    assert store.get_run("no-such-run") is None


def test_list_runs_filters_newest_first(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    first = store.start_run(RunConfig(task="mnist", arch="cnn"), owner="a")
    time.sleep(0.01)
    second = store.start_run(RunConfig(task="mnist", arch="dnn"), owner="b")
    store.start_run(RunConfig(task="imdb", arch="lstm"), owner="a")
    store.finish_run(first, FINISHED)
    assert [run["run_id"] for run in store.list_runs(task="mnist")] == [second, first]
    assert [run["run_id"] for run in store.list_runs(task="mnist", status=FINISHED)] == [first]
    assert [run["arch"] for run in store.list_runs(owner="a")] == ["lstm", "cnn"]
    assert [run["run_id"] for run in store.list_runs(arch="dnn")] == [second]


def test_delete_run_removes_rows_and_files(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    run_id = store.start_run(RunConfig(task="mnist", arch="cnn"))
    store.log_epoch(run_id, 0, {"loss": 1.0})
    (store.run_dir(run_id) / "model.weights.h5").write_bytes(b"weights")
    assert store.weights_path(run_id) is not None
    store.delete_run(run_id)
    assert store.get_run(run_id) is None and store.epochs(run_id) == []
    assert not store.run_dir(run_id).exists()


def test_many_threads_write_at_once(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    errors = []

    def worker(index):
        try:
            for _ in range(3):
                run_id = store.start_run(RunConfig(task="mnist", arch="dnn", seed=index), owner=f"t{index}")
                for epoch in range(4):
                    store.log_epoch(run_id, epoch, {"loss": float(epoch), "thread": index})
                store.finish_run(run_id, FINISHED, metrics={"accuracy": index / 10}, epochs_run=4)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    runs = store.list_runs()
    assert len(runs) == 24 and all(run["status"] == FINISHED for run in runs)
    assert all(len(store.epochs(run["run_id"])) == 4 for run in runs)
    assert sorted(run["owner"] for run in runs) == sorted(f"t{index}" for index in range(8) for _ in range(3))


WRITER = """
import sys
from training.events import RunConfig
from training.store import RunStore
store = RunStore(sys.argv[1])
for repeat in range(5):
    run_id = store.start_run(RunConfig(task="imdb", arch="gru"), owner=sys.argv[2])
    for epoch in range(3):
        store.log_epoch(run_id, epoch, {"loss": 0.5})
    store.finish_run(run_id, "finished", epochs_run=3)
"""


def test_several_processes_write_at_once(tmp_path):
    path = tmp_path / "runs.sqlite"
    RunStore(path)
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"process-{index}"], cwd=ROOT)
                 for index in range(3)]
    assert [process.wait(timeout=60) for process in processes] == [0, 0, 0]
    runs = RunStore(path).list_runs(status=FINISHED)
    assert len(runs) == 15
    assert sum(len(RunStore(path).epochs(run["run_id"])) for run in runs) == 45
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


CRASHER = """
import os, sys
from training.events import RunConfig
from training.store import RunStore
store = RunStore(sys.argv[1])
print(store.start_run(RunConfig(task="mnist", arch="cnn")), flush=True)
os._exit(1)  # dies without finishing the run, like a crash
"""


def test_run_of_a_dead_process_becomes_interrupted(tmp_path):
    path = tmp_path / "runs.sqlite"
    output = subprocess.run([sys.executable, "-c", CRASHER, str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    crashed = output.stdout.strip()
    store = RunStore(path)
    mine = store.start_run(RunConfig(task="mnist", arch="dnn"))
    assert store.get_run(crashed)["status"] == INTERRUPTED
    assert "stopped before it finished" in store.get_run(crashed)["message"]
    assert RunStore(path).get_run(mine)["status"] == RUNNING  # this process is alive: untouched


def test_silent_run_from_another_host_becomes_interrupted(tmp_path):
    path = tmp_path / "runs.sqlite"
    store = RunStore(path)
    recent = store.start_run(RunConfig(task="mnist", arch="dnn"))
    silent = store.start_run(RunConfig(task="mnist", arch="cnn"))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE runs SET host = 'elsewhere', pid = 1 WHERE run_id IN (?, ?)", (recent, silent))
        connection.execute("UPDATE runs SET heartbeat_at = ? WHERE run_id = ?",
                           (time.time() - STALE_AFTER_SECONDS - 60, silent))
    reopened = RunStore(path)
    assert reopened.get_run(silent)["status"] == INTERRUPTED
    assert reopened.get_run(recent)["status"] == RUNNING  # its heartbeat is fresh


def test_a_damaged_row_is_read_with_its_problems_named(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite")
    good = store.start_run(RunConfig(task="mnist", arch="cnn"))
    bad = store.start_run(RunConfig(task="mnist", arch="dnn"))
    for epoch in range(3):
        store.log_epoch(bad, epoch, {"loss": 1.0 / (epoch + 1)})
    store.finish_run(bad, FINISHED, "", {"accuracy": 0.9})
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE runs SET metrics = '{\"accuracy\": 0.', params = 'many', versions = '3' "
                           "WHERE run_id = ?", (bad,))
        connection.execute("UPDATE epochs SET logs = 'NaN}' WHERE run_id = ? AND epoch = 1", (bad,))
    records = {record["run_id"]: record for record in store.list_runs()}
    assert "problems" not in records[good]
    damaged = records[bad]
    assert damaged["metrics"] == {} and damaged["versions"] == {} and damaged["params"] == 0
    assert damaged["config"]["arch"] == "dnn", "what is intact is kept"
    assert [problem.split(" ")[1] for problem in damaged["problems"]] == ["metrics", "versions", "params"]
    assert [epoch["epoch"] for epoch in store.epochs(bad)] == [0, 2]


def test_weights_problem_tells_missing_damaged_and_usable_apart(tmp_path):
    import h5py
    import numpy as np

    store = RunStore(tmp_path / "runs.sqlite")
    run_id = store.start_run(RunConfig(task="mnist", arch="cnn"))
    assert "missing" in store.weights_problem(run_id)
    path = store.run_dir(run_id) / "model.weights.h5"
    path.write_bytes(b"weights")
    assert "not an HDF5 file" in store.weights_problem(run_id)
    with h5py.File(path, "w") as weights:
        weights.create_dataset("vars/0", data=np.ones(3))
    assert store.weights_problem(run_id) == ""
    path.write_bytes(path.read_bytes()[:200])  # cut short after the signature
    assert "damaged" in store.weights_problem(run_id)


def test_a_run_finished_elsewhere_is_imported_with_its_epochs_and_files(tmp_path):
    worker = RunStore(tmp_path / "worker" / "runs.sqlite")  # e.g. a Ray worker's throwaway store
    config = RunConfig(task="mnist", arch="dnn", seed=2, sweep="sweep-1")
    run_id = worker.start_run(config, params=321, extra={"train_size": 96}, owner="cli")
    worker.log_epoch(run_id, 0, {"loss": 0.7, "val_loss": 0.9, "seconds": 1.5})
    worker.log_epoch(run_id, 1, {"loss": 0.4, "val_loss": 0.6, "seconds": 1.4})
    worker.finish_run(run_id, FINISHED, "", {"accuracy": 0.875}, 2.9, 1.45, 2)

    driver = RunStore(tmp_path / "driver" / "runs.sqlite")
    files = {"model.weights.h5": b"weights", "predictions.npz": b"predictions"}
    assert driver.import_run(worker.get_run(run_id), worker.epochs(run_id), files) == run_id
    imported = driver.get_run(run_id)
    original = worker.get_run(run_id)
    assert {key: imported[key] for key in original} == original  # every column, host and pid included
    assert driver.epochs(run_id) == worker.epochs(run_id)
    assert (driver.run_dir(run_id) / "model.weights.h5").read_bytes() == b"weights"
    assert driver.weights_path(run_id) is not None
    assert [run["run_id"] for run in driver.list_runs(sweep="sweep-1")] == [run_id]
    assert driver.list_runs(sweep="sweep-2") == []
    assert [(row["sweep"], row["task"], row["runs"]) for row in driver.sweeps()] == [("sweep-1", "mnist", 1)]


def test_import_refuses_running_runs_duplicates_and_paths(tmp_path):
    worker = RunStore(tmp_path / "worker" / "runs.sqlite")
    running = worker.start_run(RunConfig(task="mnist", arch="dnn"))
    driver = RunStore(tmp_path / "driver" / "runs.sqlite")
    with pytest.raises(ValueError, match="still running"):
        driver.import_run(worker.get_run(running), [], {})
    worker.finish_run(running, FINISHED)
    for name in ("../escape.h5", "sub/model.weights.h5", ".hidden"):
        with pytest.raises(ValueError, match="plain file name"):
            driver.import_run(worker.get_run(running), [], {name: b"x"})
    assert driver.get_run(running) is None and not (tmp_path / "driver" / "escape.h5").exists()
    driver.import_run(worker.get_run(running), [], {})
    with pytest.raises(ValueError, match="already in the store"):
        driver.import_run(worker.get_run(running), [], {})
    assert driver.sweeps() == []  # runs outside any sweep are not listed as one
