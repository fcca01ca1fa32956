"""The Reference results page and the bench results reader."""

from __future__ import annotations

import json

from bench import results as bench_results
from tests.pages import open_page


def write_accuracy(folder, rows, task="mnist"):
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": "accuracy", "command": "python -m bench.accuracy", "quick": False,
               "finished": "2026-11-23T20:00:00+00:00", "machine": {"cpu": "Test CPU", "cores": 2, "packages": {}},
               "rows": rows}
    (folder / f"accuracy_{task}.json").write_text(json.dumps(payload))


def test_published_numbers_keep_their_status():
    rows = bench_results.published_rows("traffic")
    t_gcn = [row for row in rows if row["model"] == "T-GCN"]
    assert t_gcn and t_gcn[0]["status"].startswith("UNVERIFIED")
    assert all(row["same data and protocol"] == "no: context only" for row in rows if row["model"] == "DCRNN")


def test_accuracy_rows_format_mean_and_std(tmp_path):
    write_accuracy(tmp_path, [{"task": "mnist", "arch": "cnn", "runs": 3, "finished": 3, "statuses": ["finished"],
                               "params": 34826, "accuracy": {"mean": 0.99123, "std": 0.0008}}])
    rows = bench_results.accuracy_rows("mnist", bench_results.load("accuracy_mnist", tmp_path))
    assert rows == [{"architecture": "cnn", "runs": "3/3", "params": "34826", "accuracy": "0.9912 ± 0.0008"}]
    assert bench_results.accuracy_rows("imdb", bench_results.load("accuracy_mnist", tmp_path)) == []


def test_damaged_results_file_reads_as_missing(tmp_path):
    (tmp_path / "accuracy_mnist.json").write_text("{not json")
    assert bench_results.load("accuracy_mnist", tmp_path) is None


def test_reference_page_without_results_explains_how_to_measure(monkeypatch, tmp_path):
    monkeypatch.setattr(bench_results, "RESULTS_DIR", tmp_path)
    app = open_page("views/reference.py")
    captions = " ".join(caption.value for caption in app.caption)
    assert "python -m bench.accuracy" in captions
    assert len(app.tabs) == 3 and len(app.dataframe) >= 3  # published tables are always shown


def test_reference_page_shows_measured_rows(monkeypatch, tmp_path):
    write_accuracy(tmp_path, [{"task": "mnist", "arch": "cnn_bn", "runs": 3, "finished": 3, "statuses": ["finished"],
                               "accuracy": {"mean": 0.9935, "std": 0.0004}}])
    monkeypatch.setattr(bench_results, "RESULTS_DIR", tmp_path)
    app = open_page("views/reference.py")
    tables = [frame.value for frame in app.dataframe]
    assert any("cnn_bn" in table.to_string() and "0.9935 ± 0.0004" in table.to_string() for table in tables)


def test_task_pages_fold_the_reference_panel_under_their_results(tiny_mirror):
    app = open_page("views/tasks/traffic.py")
    labels = [expander.label for expander in app.expander]
    assert any(label.startswith("Reference results") for label in labels), labels
