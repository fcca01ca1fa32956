"""`python -m training`: the --json contract, exit codes and the listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.store import RunStore

ROOT = Path(__file__).resolve().parent.parent
TRAFFIC_KEYS = {f"{name}_{minutes}" for minutes in (15, 30, 60) for name in ("mae", "rmse", "mape")}


def cli(*arguments: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "training", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_run_json_contract_on_tiny_mnist(tiny_mirror, isolated_home):
    done = cli("run", "--task", "mnist", "--arch", "dnn", "--epochs", "1", "--batch-size", "32",
               "--limit", "96", "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"run_id", "task", "arch", "status", "epochs", "params", "train_seconds", "metrics"} <= set(summary)
    assert (summary["task"], summary["arch"], summary["status"], summary["epochs"]) == ("mnist", "dnn", "finished", 1)
    assert 0.0 <= summary["metrics"]["accuracy"] <= 1.0
    assert "epoch 1/1" in done.stderr  # the progress bar goes to stderr
    run = RunStore().get_run(summary["run_id"])  # the CLI and this test share DLLAB_HOME
    assert run["params"] == summary["params"] > 0
    assert run["config"]["limit"] == 96 and run["config"]["seed"] == 3
    assert run["extra"]["train_size"] == 96
    assert run["metrics"]["accuracy"] == summary["metrics"]["accuracy"]


def test_traffic_baseline_json_has_every_horizon(tiny_mirror, isolated_home):
    done = cli("run", "--task", "traffic", "--arch", "persistence", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(summary["metrics"]) == TRAFFIC_KEYS
    assert summary["params"] == 0 and summary["epochs"] == 0
    assert all(value > 0 for value in summary["metrics"].values())


def test_compare_prints_a_table_and_a_json_list(tiny_mirror, isolated_home):
    done = cli("run", "--task", "traffic", "--compare", "persistence", "historical_average", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("persistence") for line in lines)
    assert any(line.startswith("historical_average") for line in lines)
    assert [summary["arch"] for summary in json.loads(lines[-1])] == ["persistence", "historical_average"]


@pytest.mark.parametrize("arguments, message", [
    (["run", "--task", "mnist", "--arch", "resnet"], "unknown architecture 'resnet'"),
    (["run", "--task", "mnist", "--arch", "dnn", "--epochs", "0"], "epochs must be"),
    (["run", "--task", "mnist"], "--arch"),
])
def test_bad_arguments_fail_with_a_clear_message(arguments, message):
    done = cli(*arguments)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_data_fails_with_the_fix(isolated_home, monkeypatch, capsys):
    import urllib.error
    import urllib.request

    from training.__main__ import main

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network in this test")

    monkeypatch.setenv("DLLAB_DATA_MIRROR", str(isolated_home / "empty-mirror"))
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    assert main(["run", "--task", "traffic", "--arch", "persistence"]) == 1
    error = capsys.readouterr().err
    assert "los_speed.csv" in error and "Fix:" in error


def test_list_shows_every_architecture_with_its_parameters(capsys):
    from models.registry import ARCHITECTURES, count_params
    from training.__main__ import main

    assert main(["list"]) == 0
    output = capsys.readouterr().out
    for archs in ARCHITECTURES.values():
        for name in archs:
            assert f"  {name} " in output
    cnn_line = next(line for line in output.splitlines() if line.startswith("  cnn ") and "classic" in line)
    assert f"{count_params('mnist', 'cnn'):,} params" in cnn_line


@pytest.mark.parametrize("arguments, message", [
    (["run", "--task", "cifar", "--arch", "dnn"], "invalid choice: 'cifar'"),  # argparse
    (["run", "--task", "mnist", "--arch", "dnn", "--epochs", "many"], "invalid int value"),  # argparse
    (["run", "--arch", "dnn"], "--task"),  # argparse: a required option missing
    (["run", "--task", "mnist", "--arch", "dnn", "--colour", "red"], "unrecognized arguments"),  # argparse
    (["run", "--task", "mnist", "--arch", "resnet"], "unknown architecture 'resnet'"),
    (["run", "--task", "mnist", "--compare", "dnn", "resnet"], "unknown architecture 'resnet'"),
    (["run", "--task", "mnist", "--arch", "dnn", "--epochs", "0"], "epochs"),
    (["run", "--task", "mnist", "--arch", "dnn", "--learning-rate", "-1"], "learning_rate"),
    (["run", "--task", "mnist"], "--arch"),
])
def test_an_invalid_command_with_json_ends_with_one_invalid_json_object(arguments, message, capsys):
    from training.__main__ import main

    assert main([*arguments, "--json"]) == 2
    output = capsys.readouterr()
    result = json.loads(output.out.strip().splitlines()[-1])
    assert result["status"] == "invalid" and message in result["message"]
    assert message in output.err
    assert RunStore().list_runs() == [], "nothing may train or be recorded"


def test_an_invalid_command_exits_2_with_the_json_line_from_a_shell():
    done = cli("run", "--task", "mnist", "--arch", "dnn", "--batch-size", "lots", "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "invalid"


def test_a_recovered_dataset_file_is_reported_on_stderr_and_in_the_json(tiny_mirror, isolated_home):
    broken = isolated_home / "datasets" / "metr-la-week" / "los_adj.csv"
    broken.parent.mkdir(parents=True)
    broken.write_text("1,0\n0,1\n")  # a graph of 2 sensors for a week of 6
    done = cli("run", "--task", "traffic", "--arch", "persistence", "--json")
    assert done.returncode == 0, done.stderr
    aside = broken.with_name("los_adj.csv.corrupt")
    assert aside.read_text() == "1,0\n0,1\n" and not broken.exists()  # the mirror's copy is used
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(aside) in warnings[0]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["status"] == "finished" and str(aside) in summary["data_notices"][0]
