"""AppTests for what pages do with damaged files: dataset recoveries are shown, never silent; a
stored run with a damaged record, predictions or weights gets its own message and the page works;
a downloaded run record names no process, host or (on a shared server) other learner."""

from __future__ import annotations

import json
import socket
import sqlite3
from contextlib import closing

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from data.mnist import load_mnist
from data.traffic import load_traffic, make_windows
from tests.pages import open_page
from training.events import FINISHED, INTERRUPTED, RunConfig
from training.store import RunStore
from ui.catalog import ROOT
from ui.text import plain


def repairs(app) -> list[str]:
    return [item.value for item in app.warning if "had problems, handled as below" in item.value]


def test_a_page_says_that_an_unusable_dataset_file_was_moved_aside(tiny_mirror, isolated_home):
    own = isolated_home / "datasets" / "mnist" / "mnist.npz"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"an interrupted copy")
    app = open_page("views/explore/mnist.py")
    assert (own.parent / "mnist.npz.corrupt").read_bytes() == b"an interrupted copy"
    shown = repairs(app)
    assert len(shown) == 1 and plain(str(own.parent / "mnist.npz.corrupt")) in shown[0]
    assert {metric.label: metric.value for metric in app.metric}["Test images"] == "100"
    app.selectbox[0].select("7").run()  # still said on the next rerun of the session
    assert len(repairs(app)) == 1


def test_a_task_page_says_once_that_the_parsed_cache_was_rebuilt(tiny_mirror, isolated_home):
    load_mnist()
    (isolated_home / "cache" / "mnist.npz").write_bytes(b"PK and then nothing")
    app = open_page("views/tasks/mnist.py")
    shown = repairs(app)
    assert len(shown) == 1 and "parsed cache" in shown[0] and "rebuilt" in shown[0]


# ---- stored runs with damaged files or records -------------------------------------------------

def stored_run(store: RunStore, task: str, arch: str, metrics: dict, status: str = FINISHED,
               owner: str = "", predictions=None) -> str:
    run_id = store.start_run(RunConfig(task, arch, owner=owner), params=1000, owner=owner)
    for epoch, loss in enumerate((0.9, 0.5)):
        store.log_epoch(run_id, epoch, {"loss": loss, "val_loss": loss + 0.1})
    store.finish_run(run_id, status, "", metrics, train_seconds=4.0, seconds_per_epoch=2.0, epochs_run=2)
    if isinstance(predictions, bytes):
        (store.run_dir(run_id) / "predictions.npz").write_bytes(predictions)
    elif predictions is not None:
        np.savez(store.run_dir(run_id) / "predictions.npz", predictions=predictions)
    return run_id


def damage(store: RunStore, sql: str, *parameters) -> None:
    with closing(sqlite3.connect(store.path)) as connection, connection:
        connection.execute(sql, parameters)


def write_weights(path) -> None:
    import h5py

    with h5py.File(path, "w") as weights:
        weights.create_dataset("layers/dense/vars/0", data=np.ones((3, 2), dtype=np.float32))


def test_a_damaged_record_is_listed_with_its_own_warning_and_the_rest_compares(tiny_mirror):
    store = RunStore()
    good = stored_run(store, "mnist", "dnn", {"accuracy": 0.97})
    bad = stored_run(store, "mnist", "cnn", {"accuracy": 0.99})
    damage(store, "UPDATE runs SET metrics = ?, config = ? WHERE run_id = ?", '{"accuracy": 0.9', "[1, 2]", bad)
    damage(store, "UPDATE epochs SET logs = ? WHERE run_id = ? AND epoch = 1", "{oops", good)

    app = open_page("views/compare.py")
    assert sorted(chosen_runs(app).value) == sorted([good, bad])
    accuracy = app.dataframe[0].value.set_index("Run")["Test accuracy"]
    assert accuracy[good] == 0.97 and np.isnan(accuracy[bad])
    warnings = [item.value for item in app.warning if "stored record is damaged" in item.value]
    assert len(warnings) == 1 and plain(bad) in warnings[0] and "metrics" in warnings[0]

    app = open_page("views/tasks/mnist.py")  # the task page offers both, and compares them
    app.multiselect(key="mnist-stored").set_value([good, bad]).run()
    assert not app.exception and len(app.dataframe[0].value) == 2
    assert [item.value for item in app.warning if "stored record is damaged" in item.value]


def chosen_runs(app):
    return next(widget for widget in app.multiselect if widget.label == "Runs to compare")


def test_damaged_or_misshapen_predictions_are_said_per_run_on_the_mnist_page(tiny_mirror):
    labels = np.load(tiny_mirror / "mnist" / "mnist.npz")["y_test"]
    store = RunStore()
    good = stored_run(store, "mnist", "dnn", {"accuracy": 1.0}, predictions=np.eye(10)[labels])
    broken = stored_run(store, "mnist", "cnn", {"accuracy": 0.9}, predictions=b"PK\x03\x04 cut short")
    flat = stored_run(store, "mnist", "cnn_bn", {"accuracy": 0.9}, predictions=labels.astype(np.float32))
    app = open_page("views/tasks/mnist.py")
    app.multiselect(key="mnist-stored").set_value([good, broken, flat]).run()
    assert not app.exception
    assert any("No test digit is misclassified" in item.value for item in app.success)
    app.selectbox(key="mnist-view").select(1).run()
    assert any("not available: predictions.npz is damaged" in item.value for item in app.info)
    app.selectbox(key="mnist-view").select(2).run()
    assert any("not available" in item.value and "shape (100,)" in item.value for item in app.info)
    assert not app.exception


def test_a_traffic_run_with_damaged_predictions_gets_its_own_message(tiny_mirror):
    windows = make_windows(load_traffic())
    shape = windows.y_test.shape
    store = RunStore()
    good = stored_run(store, "traffic", "dnn", {"mae_15": 3.0},
                      predictions=np.full(shape, 55.0, dtype=np.float32))
    broken = stored_run(store, "traffic", "gcn", {"mae_15": 2.0}, predictions=b"not an npz")
    app = open_page("views/tasks/traffic.py")
    app.multiselect(key="traffic-stored").set_value([good, broken]).run()
    assert not app.exception
    infos = [item.value for item in app.info if "not available" in item.value]
    assert len(infos) == 1 and infos[0].startswith("GCN:")
    assert "Forecast against the measured speed" in [item.value for item in app.subheader]


def test_run_history_offers_only_usable_weights_of_finished_runs(monkeypatch):
    store = RunStore()
    usable = stored_run(store, "mnist", "dnn", {"accuracy": 0.97})
    write_weights(store.run_dir(usable) / "model.weights.h5")
    damaged = stored_run(store, "mnist", "cnn", {"accuracy": 0.98})
    (store.run_dir(damaged) / "model.weights.h5").write_bytes(b"\x89HDF\r\n\x1a\n and then nothing")
    missing = stored_run(store, "mnist", "cnn_bn", {"accuracy": 0.99})
    interrupted = stored_run(store, "mnist", "dnn", {}, status=INTERRUPTED)
    write_weights(store.run_dir(interrupted) / "model.weights.h5")  # partial: never offered
    unreadable = stored_run(store, "imdb", "lstm", {"accuracy": 0.8})
    damage(store, "UPDATE runs SET extra = ?, train_seconds = ? WHERE run_id = ?", "{not json", "soon", unreadable)

    app = AppTest.from_file(str(ROOT / "views/runs.py"), default_timeout=60)
    app.run()
    assert not app.exception and len(app.dataframe[0].value) == 5

    def offered(run_id):
        app.selectbox(key="runs-chosen").select(run_id).run()
        assert not app.exception
        return "Download weights (.weights.h5)" in {button.proto.label for button in app.get("download_button")}

    assert offered(usable)
    assert not offered(damaged) and any("damaged" in item.value for item in app.warning)
    assert not offered(missing) and any("missing" in item.value for item in app.warning)
    assert not offered(interrupted) and any("did not finish" in item.value for item in app.caption)
    offered(unreadable)
    assert any("stored record of this run is damaged" in item.value and "extra" in item.value
               for item in app.warning)


# ---- a shared server: downloaded records name no one ---------------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """The bytes of every file a page offers for download, by file name."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    captured = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return captured


@pytest.mark.parametrize("protect", ["1", ""])
def test_a_downloaded_record_has_no_pid_or_host_and_on_a_shared_server_no_owner_ids(monkeypatch, downloads,
                                                                                     protect):
    monkeypatch.setenv("DLLAB_PROTECT_SHARED_RUNS", protect)
    store = RunStore()
    mine = stored_run(store, "mnist", "dnn", {"accuracy": 0.97}, owner="learner-1-secret")
    theirs = stored_run(store, "mnist", "cnn", {"accuracy": 0.98}, owner="learner-2-secret")
    app = AppTest.from_file(str(ROOT / "views/runs.py"), default_timeout=60)
    app.session_state["dllab-owner"] = "learner-1-secret"
    app.run()
    owners = dict(zip(app.dataframe[0].value["Run"], app.dataframe[0].value["Owner"]))
    assert owners == {mine: "me", theirs: "shared" if protect else "learner-2-secret"}
    for run_id, owner in ((theirs, "shared"), (mine, "mine")):
        app.selectbox(key="runs-chosen").select(run_id).run()
        text = downloads[f"{run_id}.json"].decode("utf-8")
        record = json.loads(text)
        assert record["run_id"] == run_id and record["metrics"] and "pid" not in record and "host" not in record
        assert f'"{socket.gethostname()}"' not in text
        if protect:
            assert "secret" not in text, "no learner's owner id may leave the server"
            assert record["owner"] == record["config"]["owner"] == owner
