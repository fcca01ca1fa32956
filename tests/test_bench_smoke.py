"""The benchmark scripts run in --quick mode on tiny data and write valid results files.
(The measurements themselves come from the full runs documented in BENCHMARKS.md.)"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest

from ui.catalog import ROOT


def run_bench(module: str, out, *arguments: str, results: str | None = None, fresh_process: bool = False) -> dict:
    """Run `python -m bench.<module> --quick --out <out> <arguments>` and return the results file
    it wrote. In this process, with the environment restored after (in a subprocess of its own each
    script imported TensorFlow again: 8-10 s apiece on a slow machine), unless `fresh_process`."""
    command = [f"bench/{module}.py", "--quick", "--out", str(out), *arguments]
    if fresh_process:
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        completed = subprocess.run([sys.executable, "-m", f"bench.{module}", *command[1:]], cwd=ROOT,
                                   env=environment, capture_output=True, text=True, timeout=300)
        assert completed.returncode == 0, completed.stderr[-3000:]
    else:
        environment, argv = dict(os.environ), sys.argv
        sys.argv = command
        try:
            importlib.import_module(f"bench.{module}").main()
        finally:
            sys.argv = argv
            os.environ.clear()
            os.environ.update(environment)
    payload = json.loads((out / f"{results or module}.json").read_text())
    assert payload["quick"] is True and payload["machine"]["cores"] >= 1 and payload["rows"]
    return payload


def test_accuracy_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("accuracy", tmp_path, "--tasks", "mnist", "traffic", "--archs", "dnn", "persistence",
                        results="accuracy_traffic")
    rows = {row["arch"]: row for row in payload["rows"]}
    assert set(rows) == {"dnn", "persistence"} and payload["command"].startswith("python -m bench.accuracy --quick")
    assert rows["persistence"]["mae_15"]["mean"] > 0 and rows["dnn"]["finished"] == 1
    (mnist,) = json.loads((tmp_path / "accuracy_mnist.json").read_text())["rows"]  # one file per task
    assert mnist["arch"] == "dnn" and 0.0 <= mnist["accuracy"]["mean"] <= 1.0


def test_quick_vs_full_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("quick_vs_full", tmp_path, "--tasks", "traffic", "--archs", "persistence", "dnn",
                        results="quick_vs_full_traffic")
    rows = {row["arch"]: row for row in payload["rows"]}
    assert set(rows) == {"persistence", "dnn"} and payload["full_source"] == "trained in this run"
    # a baseline learns nothing: quick and full are the same forecast
    assert rows["persistence"]["quick_mae_15"] == pytest.approx(rows["persistence"]["full_mae_15"])
    assert rows["persistence"]["gap_mae_15"] == pytest.approx(0.0, abs=1e-9)
    assert rows["dnn"]["quick_seconds"] > 0 and set(payload["verdict"]["best"]) == {"mae_15", "mae_30", "mae_60"}


def test_traffic_protocol_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("traffic_protocol", tmp_path, "--archs", "persistence", "paper_ha", "gcn")
    rows = {(row["arch"], row["epoch_choice"]): row for row in payload["rows"]}
    assert set(rows) == {("persistence", "not trained"), ("paper_ha", "not trained"), ("gcn", "last epoch"),
                         ("gcn", "lowest test RMSE (the paper's choice)")}
    last, best = rows["gcn", "last epoch"], rows["gcn", "lowest test RMSE (the paper's choice)"]
    assert last["epoch_15"]["mean"] == 1 and best["rmse_15"]["mean"] <= last["rmse_15"]["mean"]
    persistence = rows["persistence", "not trained"]
    assert persistence["mae_15"]["mean"] < persistence["step_mae_15"]["mean"]  # steps 1-3 pooled beat step 3


def test_references_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("references", tmp_path, "--tasks", "mnist", results="references_mnist")
    reference, ours = payload["rows"]
    assert reference["model"] == "keras-io mnist_convnet" and reference["params"] == 34_826
    assert ours["model"] == "ours: cnn_bn" and len(ours["per_epoch_test_accuracy"]) == ours["epochs"] == 1
    assert ours["seeds"] == len(ours["test_accuracy_per_seed"]) == 1  # quick: one seed per side
    assert ours["test_accuracy"]["mean"] == pytest.approx(ours["engine_test_accuracy"]["mean"], abs=1e-6)
    assert ours["per_epoch_test_accuracy"] == [round(ours["test_accuracy_per_seed"][0], 4)]


def test_overhead_bench_quick(tiny_mirror, tmp_path):
    payload = run_bench("overhead", tmp_path, "--arch", "dnn")
    (row,) = payload["rows"]
    assert row["app_seconds"] > 0 and row["plain_seconds"] > 0 and row["worker_startup_seconds"] > 0
    assert payload["median_ratio"] == row["ratio"]  # one pair: its ratio is the median
    rounding = 0.005 * (1 + row["ratio"]) / row["plain_seconds"]  # the seconds are rounded to 0.01 s
    assert row["ratio"] == pytest.approx(row["app_seconds"] / row["plain_seconds"], abs=rounding + 0.001)


def test_peak_memory_bench_quick(tiny_mirror, tmp_path):
    # In a fresh process: a spawned child's ru_maxrss starts at its parent's resident memory (Linux
    # keeps it across fork and exec), and this process has imported TensorFlow.
    payload = run_bench("peak_memory", tmp_path, "--tasks", "traffic", "--archs", "persistence", "dnn",
                        fresh_process=True)
    rows = {row["arch"]: row for row in payload["rows"]}
    assert rows["dnn"]["status"] == "finished"
    assert rows["dnn"]["peak_memory_mb"] > rows["persistence"]["peak_memory_mb"] > 0  # TensorFlow only where it trains
    assert payload["setup"].startswith("each architecture in its own spawned worker")


def test_quick_vs_full_bench_quick_on_imdb_with_the_nbsvm_baseline(tiny_mirror, tmp_path):
    payload = run_bench("quick_vs_full", tmp_path, "--tasks", "imdb", "--archs", "nbsvm", results="quick_vs_full_imdb")
    (row,) = payload["rows"]
    assert row["arch"] == "nbsvm" and payload["full_source"] == "trained in this run"
    assert row["gap_accuracy"] == pytest.approx(100 * (row["full_accuracy"] - row["quick_accuracy"]))
    assert payload["verdict"]["best"]["accuracy"] == {"quick": "nbsvm", "full": "nbsvm"}


def test_accuracy_bench_with_archs_keeps_the_other_rows_of_the_table(tiny_mirror, tmp_path):
    run_bench("accuracy", tmp_path, "--tasks", "traffic", "--archs", "persistence", results="accuracy_traffic")
    payload = run_bench("accuracy", tmp_path, "--tasks", "traffic", "--archs", "historical_average",
                        results="accuracy_traffic")
    rows = {row["arch"]: row for row in payload["rows"]}
    assert list(rows) == ["persistence", "historical_average"]  # the registry's order
    assert rows["persistence"]["measured_by"].endswith("--archs persistence")
    assert rows["historical_average"]["measured_by"].endswith("--archs historical_average")


def test_the_time_ratio_counts_a_reference_seed_that_never_reached_the_target_as_an_upper_bound():
    from bench.references import mnist_rows

    def run(model, accuracies, seconds_to_target, epoch):
        return {"model": model, "params": 1, "epochs": 2, "test_accuracy": accuracies[-1], "train_seconds": 200.0,
                "per_epoch_test_accuracy": accuracies, "seconds_to_target": seconds_to_target,
                "epoch_reaching_target": epoch}

    references = [run("keras-io mnist_convnet", [0.98, 0.993], 100.0, 2),
                  run("keras-io mnist_convnet", [0.98, 0.99], None, None)]
    ours = [run("ours: cnn_bn", [0.993, 0.995], 30.0, 1), run("ours: cnn_bn", [0.994, 0.996], 30.0, 1)]
    reference, own = mnist_rows(references, ours)
    assert reference["seconds_to_target"] is None and reference["seconds_to_target_per_seed"] == [100.0, None]
    assert reference["per_epoch_test_accuracy"] == [0.98, 0.9915]
    assert own["seconds_to_target"] == {"mean": 30.0, "std": 0.0}
    assert own["time_ratio_per_seed"] == [0.3, 0.15]  # the second against the reference's whole training
    assert own["time_ratio_vs_reference"] == pytest.approx(30 / 150) and own["time_ratio_is_upper_bound"]
    both = mnist_rows(references[:1], ours[:1])[1]
    assert both["time_ratio_vs_reference"] == pytest.approx(0.3) and not both["time_ratio_is_upper_bound"]
