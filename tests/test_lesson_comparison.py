"""Lesson 18. DNN, CNN, RNN, LSTM, GCN compared: lessons/comparison.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/comparison.py run in AppTest."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from lessons import comparison as cmp
from lessons import gcn
from tests.pages import assert_lesson_parts, open_page

# ---- its math against NumPy and Keras --------------------------------------------------------------


RING = np.roll(np.eye(8), 1, axis=1) + np.roll(np.eye(8), -1, axis=1)  # the weights do not depend on the graph


@pytest.mark.parametrize("kind, settings", [
    ("dense", {"input_size": 2484}), ("conv", {"input_size": 1, "kernel_size": (3, 3), "channels": 3}),
    ("conv", {"input_size": 1, "kernel_size": (3,)}), ("rnn", {"input_size": 28}),
    ("lstm", {"input_size": 28}), ("gru", {"input_size": 7}), ("gcn", {"input_size": 12})])
def test_layer_parameters_match_keras(kind, settings):
    import keras

    from models.graph import GraphConv

    units = 16
    size = settings["input_size"]
    if kind == "dense":
        layer, shape = keras.layers.Dense(units), (size,)
    elif kind == "conv" and len(settings["kernel_size"]) == 2:
        layer, shape = keras.layers.Conv2D(units, settings["kernel_size"]), (28, 28, settings["channels"])
    elif kind == "conv":
        layer, shape = keras.layers.Conv1D(units, settings["kernel_size"]), (12, 1)
    elif kind in ("rnn", "lstm", "gru"):
        layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind](units)
        shape = (12, size)
    else:
        layer, shape = GraphConv(units, adjacency=RING), (8, size)
    layer.build((None, *shape))
    trainable = sum(int(np.prod(weight.shape)) for weight in layer.trainable_weights)
    assert cmp.layer_parameters(kind, units=units, **settings) == trainable


def test_parameter_rows_and_table_cover_every_family():
    rows = cmp.parameter_rows("traffic", 64)
    assert [row["family"] for row in rows] == list(cmp.FAMILIES)
    assert rows[0]["parameters"] == 2484 * 64 + 64
    assert [row.family for row in cmp.TABLE] == list(cmp.FAMILIES)
    assert all(row.application and row.strengths and row.weaknesses and row.suitable_data for row in cmp.TABLE)
    with pytest.raises(ValueError):
        cmp.parameter_rows("cifar", 8)
    with pytest.raises(ValueError):
        cmp.layer_parameters("attention", 4, 4)


def test_family_architectures_exist_in_the_registry():
    from models.registry import ARCHITECTURES

    for members in cmp.FAMILY_ARCHITECTURES.values():
        for task, arch in members:
            assert arch in ARCHITECTURES[task], f"{task}/{arch}"
    for _, _, task, better, worse in cmp.CLAIMS:
        assert better in ARCHITECTURES[task] and worse in ARCHITECTURES[task]
    assert cmp.family_tasks("DNN") == ["mnist", "imdb", "traffic"] and cmp.family_tasks("GCN") == ["traffic"]


def stored_run(task, arch, value, status="finished", run_id=None):
    metric = "mae_15" if task == "traffic" else "accuracy"
    return {"run_id": run_id or f"{task}-{arch}-{value}", "task": task, "arch": arch, "status": status,
            "metrics": {metric: value}}


def test_best_runs_measured_cells_and_claims():
    runs = [stored_run("mnist", "cnn", 0.98), stored_run("mnist", "cnn", 0.991), stored_run("mnist", "dnn", 0.97),
            stored_run("mnist", "dnn", 0.999, status="diverged"), stored_run("traffic", "gcn", 4.1),
            stored_run("traffic", "lstm", 3.2), stored_run("traffic", "lstm", 3.0),
            stored_run("traffic", "gcn_gru", 4.5),
            stored_run("traffic", "persistence", 3.5),
            stored_run("imdb", "lstm", float("nan"))]
    best = cmp.best_runs(runs)
    assert best[("mnist", "cnn")] == {"value": 0.991, "run_id": "mnist-cnn-0.991", "runs": 2}
    assert best[("traffic", "lstm")]["value"] == 3.0  # lower MAE is better
    assert ("imdb", "lstm") not in best and best[("mnist", "dnn")]["runs"] == 1
    cells = cmp.measured_cells(runs)
    assert cells["CNN"] == ["MNIST cnn: 99.10 % accuracy (best of 2 runs)"]
    assert cells["RNN"] == []
    checked = cmp.check_claims(runs)
    assert len(checked) == len(cmp.CLAIMS)
    by_claim = {row["claim"]: row for row in checked}
    assert by_claim[cmp.CLAIMS[0][1]]["verdict"] == "holds"  # cnn 0.991 > dnn 0.97
    assert by_claim[cmp.CLAIMS[4][1]]["verdict"] == "holds"  # persistence 3.5 < gcn 4.1
    assert by_claim[cmp.CLAIMS[3][1]]["verdict"] == "not measured"  # no traffic dnn run
    assert by_claim[cmp.CLAIMS[5][1]]["verdict"] == "does not hold in your runs"  # gcn_gru 4.5 > gcn 4.1
    assert by_claim[cmp.CLAIMS[2][1]]["verdict"] == "not measured"
    assert "cnn: 99.10 % accuracy vs dnn: 97.00 % accuracy" == by_claim[cmp.CLAIMS[0][1]]["evidence"]


def test_load_runs_reads_the_store_and_degrades_gracefully(monkeypatch):
    from training.events import FINISHED, RunConfig
    from training.store import RunStore

    runs, reason = cmp.load_runs()
    assert runs == [] and "No runs yet" in reason
    store = RunStore()
    run_id = store.start_run(RunConfig(task="mnist", arch="cnn"), params=10)
    store.finish_run(run_id, FINISHED, metrics={"accuracy": 0.95})
    runs, reason = cmp.load_runs()
    assert [item["run_id"] for item in runs] == [run_id] and reason is None
    monkeypatch.setitem(sys.modules, "training.store", None)  # the module cannot be imported
    runs, reason = cmp.load_runs()
    assert runs == [] and "not available" in reason


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


SHIPPED = cmp.benchmark_scores("traffic")


@pytest.mark.skipif(not SHIPPED, reason="the traffic benchmark has not been run")
def test_traffic_sentences_quote_the_shipped_benchmark():
    findings = cmp.traffic_findings(SHIPPED)
    assert SHIPPED["gcn"] > SHIPPED["persistence"] and SHIPPED["lstm"] > SHIPPED["dnn"]
    assert "worse than simply repeating" in findings["gcn"]
    assert f"{SHIPPED['gcn']:.2f}" in findings["gcn"] and f"{SHIPPED['persistence']:.2f}" in findings["gcn"]
    assert "trails the per-sensor DNN" in findings["lstm"] and f"{SHIPPED['lstm']:.2f}" in findings["lstm"]
    assert "is the best model" in findings["gcn_gru"]
    assert findings["gcn"] in gcn.QUESTIONS[3].right_option or findings["gcn"] in \
        gcn.QUESTIONS[3].explanation


def test_traffic_findings_change_with_the_numbers():
    flipped = {"persistence": 3.6, "dnn": 3.4, "lstm": 3.1, "gcn": 3.0, "gcn_gru": 3.5, "cnn": 3.3}
    findings = cmp.traffic_findings(flipped)
    assert "beats the per-sensor DNN" in findings["gcn"] and "reading the steps in order pays" in findings["lstm"]
    assert "does not beat lstm" in findings["gcn_gru"]
    middle = cmp.traffic_findings({"persistence": 3.6, "dnn": 3.2, "gcn": 3.4})
    assert "beats persistence" in middle["gcn"] and "lstm" not in middle
    assert cmp.traffic_findings({}) == {}


@pytest.mark.parametrize("task", ["mnist", "imdb", "traffic"])
def test_every_claim_of_the_comparison_holds_in_the_shipped_benchmark(task):
    scores = cmp.benchmark_scores(task)
    if not scores:
        pytest.skip(f"the {task} benchmark has not been run")
    runs = [{"run_id": arch, "task": task, "arch": arch, "status": "finished",
             "metrics": {cmp.headline_metric(task)[0]: value}} for arch, value in scores.items()]
    for row in cmp.check_claims(runs):
        if row["task"] == task:
            assert row["verdict"] == "holds", (row["claim"], row["evidence"])


def test_benchmark_scores_read_a_results_file():
    results = {"rows": [{"task": "traffic", "arch": "gcn", "mae_15": {"mean": 5.5, "std": 0.1}},
                        {"task": "traffic", "arch": "dnn", "mae_15": {"mean": 3.2, "std": 0.0}},
                        {"task": "mnist", "arch": "cnn", "accuracy": {"mean": 0.99, "std": 0.0}}]}
    assert cmp.benchmark_scores("traffic", results) == {"gcn": 5.5, "dnn": 3.2}
    assert cmp.benchmark_scores("imdb", {"rows": []}) == {}


# ---- the page --------------------------------------------------------------------------------------


def measured_lines(app) -> dict[str, str]:
    """The 'Measured' line of each network's card, keyed by the card's subheader."""
    families = [header.value for header in app.subheader if header.value in ("DNN", "CNN", "RNN", "LSTM", "GCN")]
    lines = [block.value for block in app.markdown if block.value.startswith("**Measured**")]
    return dict(zip(families, lines, strict=True))


def test_comparison_page_without_runs_says_so():
    app = open_page("views/lessons/comparison.py")
    assert any("No runs yet" in info.value for info in app.info)
    lines = measured_lines(app)
    assert list(lines) == ["DNN", "CNN", "RNN", "LSTM", "GCN"]
    assert all(line.endswith("no runs yet — train on the task page.") for line in lines.values())
    assert any(block.value.startswith("**Weaknesses**") and "saddle points" in block.value for block in app.markdown)
    assert_lesson_parts(app, "views/lessons/comparison.py", cmp)


def test_comparison_page_links_cells_to_stored_runs():
    from training.events import FINISHED, RunConfig
    from training.store import RunStore

    store = RunStore()
    for arch, accuracy in (("cnn", 0.99), ("dnn", 0.975)):
        run_id = store.start_run(RunConfig(task="mnist", arch=arch))
        store.finish_run(run_id, FINISHED, metrics={"accuracy": accuracy})
    app = open_page("views/lessons/comparison.py")
    lines = measured_lines(app)
    assert lines["CNN"].endswith("MNIST cnn: 99.00 % accuracy (best of 1 run)")
    assert lines["DNN"].endswith("MNIST dnn: 97.50 % accuracy (best of 1 run)")
    claims = app.dataframe[0].value
    verdict = claims.loc[claims["claim"].str.startswith("Flattening"), "verdict"].item()
    assert verdict == "holds"
    app.radio[0].set_value("traffic").run()
    assert not app.exception
    assert app.dataframe[1].value["parameters"].iloc[0] == 2484 * 64 + 64
