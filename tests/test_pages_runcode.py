"""AppTests for the code behind the runs and the seed groups: a task page shows each architecture's
builder and recipe; the Runs page offers the retraining script; the Compare page groups seeds."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from models.mnist import build_cnn, build_dnn
from tests.pages import open_page
from training.events import FINISHED, RunConfig
from training.seeds import format_mean_std
from training.store import RunStore
from ui.catalog import ROOT


def stored(store: RunStore, arch: str, seed: int, accuracy: float | None, status: str = FINISHED, **config) -> str:
    run_id = store.start_run(RunConfig("mnist", arch, seed=seed, **config), params=1000)
    store.log_epoch(run_id, 0, {"loss": 0.5, "val_loss": 0.6, "seconds": 2.0})
    store.finish_run(run_id, status, "", {} if accuracy is None else {"accuracy": accuracy},
                     train_seconds=2.0, seconds_per_epoch=2.0, epochs_run=1)
    return run_id


def test_task_page_shows_each_builders_source_and_recipe(tiny_mirror):
    app = open_page("views/tasks/mnist.py", timeout=120)
    assert not app.code  # folded away until asked for
    app.toggle(key="mnist-show-code").set_value(True).run()
    code = [block.value for block in app.code]
    assert any(block.endswith(inspect.getsource(build_dnn).rstrip()) for block in code)
    assert any(block.endswith(inspect.getsource(build_cnn).rstrip()) for block in code)
    assert any("def conv_bn(" in block for block in code)  # the modern CNN's helper is shown with it
    cnn = app.table[1].value  # one recipe per tab, in registry order: dnn, cnn, cnn_bn
    assert cnn.loc["Epochs", "Full"] == "8" and cnn.loc["Learning-rate schedule", "Full"] == "cosine decay to 2 %"
    assert cnn.loc["Training samples", "Quick"] == "first 10,000"


def test_runs_page_offers_the_retraining_script():
    store = RunStore()
    stored(store, "dnn", 0, 0.97)
    app = AppTest.from_file(str(ROOT / "views/runs.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert "Download script (.py)" in {button.proto.label for button in app.get("download_button")}
    # a run of an architecture this version no longer has cannot be rebuilt: said, not offered
    gone = store.start_run(RunConfig("mnist", "resnet"), params=1)
    app.run()
    app.selectbox(key="runs-chosen").select(gone).run()
    assert not app.exception
    assert "Download script (.py)" not in {button.proto.label for button in app.get("download_button")}
    assert any("No script" in caption.value and "resnet" in caption.value for caption in app.caption)


def chart_rows(app: AppTest) -> list[dict]:
    """Every row of every dataset of the page's Altair charts."""
    rows = []
    for chart in app.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            rows += pa.ipc.open_stream(dataset.data.data).read_pandas().to_dict("records")
    return rows


def test_compare_page_groups_seeds_with_mean_std_error_bars_and_latex():
    store = RunStore()
    accuracies = [0.991, 0.985, 0.989]
    chosen = [stored(store, "cnn", seed, value) for seed, value in enumerate(accuracies)]
    chosen.append(stored(store, "dnn", 0, 0.97))
    app = open_page("views/compare.py")
    next(widget for widget in app.multiselect if widget.label == "Runs to compare").set_value(chosen).run()
    assert app.toggle(key="compare-group-seeds").value is True
    frame = app.dataframe[0].value
    assert list(frame["Model"]) == ["CNN", "DNN (MLP)"] and list(frame["Runs"]) == [3, 1]
    mean, spread = np.mean(accuracies), np.std(accuracies, ddof=1)
    assert frame["Test accuracy"][0] == format_mean_std(mean, spread)
    labels = {button.proto.label for button in app.get("download_button")}
    assert labels == {"Export CSV", "Export Markdown", "Export LaTeX (booktabs)"}
    whisker = [row for row in chart_rows(app) if "low" in row]
    assert len(whisker) == 1 and whisker[0]["Model"] == "CNN"
    assert (whisker[0]["low"], whisker[0]["high"]) == pytest.approx((mean - spread, mean + spread))

    app.toggle(key="compare-group-seeds").set_value(False).run()
    assert len(app.dataframe[0].value) == 4  # one row per run again
    assert not [row for row in chart_rows(app) if "low" in row]
    assert json.dumps(sorted(app.dataframe[0].value["Test accuracy"].tolist())) == json.dumps(
        sorted([*accuracies, 0.97]))
