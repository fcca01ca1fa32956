"""Show the code: builders read without importing them, and runs exported as standalone scripts
that retrain the same model on the same data and print the same metrics."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.registry import ARCHITECTURES
from training.engine import train
from training.events import FINISHED, RunConfig
from training.export import ExportError, check_standalone, script_for
from training.source_code import builder_code
from training.store import RunStore

ROOT = Path(__file__).resolve().parent.parent
LEARNED = [(task, name) for task, archs in ARCHITECTURES.items() for name, info in archs.items() if info.learned]


@pytest.mark.parametrize("task, arch", LEARNED)
def test_builder_code_is_the_builders_source_with_the_helpers_it_calls(task, arch):
    info = ARCHITECTURES[task][arch]
    module = importlib.import_module(info.builder.module)
    code = builder_code(info.builder.module, info.builder.function)
    assert code.builder == inspect.getsource(getattr(module, info.builder.function)).rstrip()
    # every project function or class the builder calls by name is shown among the helpers
    called = {name for name in getattr(module, info.builder.function).__code__.co_names
              if inspect.isfunction(getattr(module, name, None)) or inspect.isclass(getattr(module, name, None))}
    project = {name for name in called if getattr(getattr(module, name), "__module__", "").split(".")[0] == "models"}
    for name in project:
        assert inspect.getsource(getattr(module, name)).rstrip() in code.helpers
    assert "import keras" in code.imports


def test_reading_builder_code_never_imports_tensorflow():
    probe = ("import sys; from training.source_code import builder_code; "
             "code = builder_code('models.traffic', 'build_gcn_gru'); "
             "assert 'class GraphGRU' in code.helpers; print(sorted(m for m in sys.modules if m.split('.')[0] "
             "in ('tensorflow', 'keras')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def run_script(path: Path, mirror: Path, home: Path) -> dict:
    """The script in a fresh interpreter that cannot import this project: isolated mode (-I) drops
    the script's folder and PYTHONPATH from sys.path, and it runs outside the repository."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DLLAB_")}
    done = subprocess.run([sys.executable, "-I", str(path), "--mirror", str(mirror), "--home", str(home)],
                          cwd=path.parent, capture_output=True, text=True, timeout=300, env=environment)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Tiny hyperparameters, one epoch: each case goes through other copied code (images; a text
# vectorizer with bigrams and word vectors from the reviews; NBSVM's token sets and optimizer; graph
# layers and the road graph; a baseline without Keras).
CASES = [
    ("mnist", "cnn_bn", {"width": 4, "dense_units": 8}),  # shifted digits, batch norm, weight average
    ("imdb", "lstm", {"embedding_dim": 8, "units": 4, "ngrams": 2, "max_tokens": 500, "sequence_length": 40}),
    ("imdb", "nbsvm", {"max_tokens": 500}),  # whole reviews as sets, punctuation tokens, plain SGD
    ("traffic", "gcn", {"hidden_units": 8, "layers_count": 1}),
    ("traffic", "gcn_embed", {"width": 8, "node_dim": 3, "blocks": 2}),
    ("traffic", "historical_average", {}),
]


@pytest.mark.parametrize("task, arch, hyperparameters", CASES)
def test_exported_script_retrains_the_run_and_prints_the_same_metrics(task, arch, hyperparameters, tiny_mirror,
                                                                        tmp_path):
    config = RunConfig(task=task, arch=arch, epochs=1, batch_size=32, seed=7, hyperparameters=hyperparameters)
    result = train(config)  # through the engine, on the tiny files of the mirror
    assert result.status == FINISHED, result.message
    script = tmp_path / "out" / "retrain.py"
    script.parent.mkdir()
    done = subprocess.run([sys.executable, "-m", "training", "export", result.run_id, "-o", str(script)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = script.read_text(encoding="utf-8")
    check_standalone(text)
    assert ("import keras" in text) == (arch != "historical_average")  # a baseline needs no Keras
    printed = run_script(script, tiny_mirror, tmp_path / "script-home")
    stored = RunStore().get_run(result.run_id)["metrics"]
    scalars = {key for key, value in stored.items() if isinstance(value, float)}
    assert scalars and scalars <= set(printed)
    for key in scalars:
        assert printed[key] == pytest.approx(stored[key], rel=1e-4, abs=1e-6), key
    if task == "mnist":
        assert printed["confusion_matrix"] == stored["confusion_matrix"]


def test_export_refuses_what_it_cannot_reproduce(tiny_mirror, tmp_path):
    done = subprocess.run([sys.executable, "-m", "training", "export", "no-such-run"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DLLAB_HOME": str(tmp_path / "home")})
    assert done.returncode == 2 and "no stored run 'no-such-run'" in done.stderr
    assert "Traceback" not in done.stderr
    record = {"run_id": "r", "task": "mnist", "arch": "dnn", "config": {"task": "mnist", "arch": "dnn", "data": "x"}}
    with pytest.raises(ExportError, match="uploaded dataset"):
        script_for(record)
    with pytest.raises(ExportError, match="unknown architecture"):
        script_for({**record, "arch": "resnet", "config": {"task": "mnist", "arch": "resnet"}})
    with pytest.raises(ExportError, match="training.store"):
        check_standalone("from training.store import RunStore\n")
    with pytest.raises(ExportError, match="neither the standard library"):
        check_standalone("import streamlit\n")
    check_standalone("import json\nimport numpy as np\nfrom keras import layers\n")


def test_export_never_overwrites_a_file(tiny_mirror, tmp_path):
    result = train(RunConfig(task="traffic", arch="persistence"))
    existing = tmp_path / "mine.py"
    existing.write_text("keep me", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "training", "export", result.run_id, "-o", str(existing)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "exists" in done.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_text_from_the_store_cannot_break_out_of_the_scripts_comments():
    record = {"run_id": 'r"""x', "task": "traffic", "arch": "persistence", "status": "failed",
              "message": 'boom """\nimport os; os.system("rm -rf /")\x00\u2028print(1)',
              "config": {"task": "traffic", "arch": "persistence"}, "versions": {"numpy": '2"""'}}
    script = script_for(record)
    check_standalone(script)  # compiles, imports nothing of the project
    lines = [line for line in script.splitlines() if "os.system" in line or "print(1)" in line]
    assert lines and all(line.startswith("# ") for line in lines)
