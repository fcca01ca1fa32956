"""Runs grouped across seeds: mean ± standard deviation against NumPy, the configuration key, the
grouped table, its LaTeX export and the error bars of the bar chart."""

from __future__ import annotations

import math

import numpy as np
import pytest

from training.seeds import configuration_key, format_mean_std, mean_std
from ui.charts import metric_bar_chart
from ui.results import Entry, grouped_display, grouped_frame, to_latex, to_markdown


def test_mean_and_sample_standard_deviation_match_numpy():
    values = np.random.default_rng(3).normal(0.97, 0.01, size=5)
    summary = mean_std(values.tolist())
    assert summary.count == 5
    assert summary.mean == pytest.approx(np.mean(values), rel=1e-12)
    assert summary.std == pytest.approx(np.std(values, ddof=1), rel=1e-12)  # ddof=1: a sample of seeds
    assert summary.std > np.std(values)  # the population formula (ddof=0) understates it


def test_missing_metrics_are_left_out_and_one_run_has_no_spread():
    summary = mean_std([0.5, None, float("nan"), True, 0.7])
    assert summary.count == 2 and summary.mean == pytest.approx(0.6)
    assert summary.std == pytest.approx(np.std([0.5, 0.7], ddof=1))
    single = mean_std([0.9])
    assert (single.mean, single.count) == (0.9, 1) and math.isnan(single.std)
    assert mean_std([]).count == 0


@pytest.mark.parametrize("mean, std, text", [
    (0.981234, 0.001137, "0.9812 ± 0.0011"),
    (3.21456, 0.05234, "3.215 ± 0.052"),
    (12.34, 1.7, "12.3 ± 1.7"),
    (0.98, float("nan"), "0.98"),
    (4.0, 0.0, "4.0000 ± 0.0000"),
])
def test_mean_std_text_keeps_two_significant_digits_of_the_spread(mean, std, text):
    assert format_mean_std(mean, std) == text


def config(seed=0, owner="", **changes):
    return {"task": "mnist", "arch": "cnn", "epochs": None, "batch_size": None, "learning_rate": None,
            "seed": seed, "limit": None, "quick": False, "early_stopping": False, "clip_norm": None,
            "hyperparameters": {}, "cosine_decay": None, "owner": owner, **changes}


def test_configuration_key_ignores_only_the_seed_and_who_ran_it():
    base = configuration_key(config())
    assert configuration_key(config(seed=5, owner="someone")) == base
    assert configuration_key(config(epochs=8, learning_rate=2e-3)) == base  # the cnn recipe, spelled out
    assert configuration_key(config(), {"epochs": 8, "batch_size": 128}) == base  # recorded by the engine
    assert configuration_key(config(learning_rate=1e-2)) != base
    assert configuration_key(config(quick=True)) != base
    assert configuration_key(config(hyperparameters={"dense_units": 64})) != base
    assert configuration_key(config(data="my-digits")) != base  # any other field counts too
    assert (configuration_key(config(hyperparameters={"filters": (16, 32)}))
            == configuration_key(config(hyperparameters={"filters": [16, 32]})))  # JSON turns tuples to lists


def entry(arch, seed, accuracy, status="finished", **changes):
    return Entry(task="mnist", arch=arch, run_id=f"{arch}-{seed}", status=status, source="stored",
                 metrics={} if accuracy is None else {"accuracy": accuracy}, params=100, epochs_run=2,
                 seconds_per_epoch=1.0 + seed, train_seconds=2.0 + 2 * seed,
                 config=config(seed=seed, arch=arch, **changes))


def test_grouped_table_has_one_row_per_configuration_with_mean_and_std():
    cnn = [0.991, 0.988, 0.993]
    entries = [entry("cnn", seed, value) for seed, value in enumerate(cnn)]
    entries += [entry("dnn", 0, 0.975), entry("cnn", 9, None, status="diverged"),
                entry("cnn", 4, 0.95, learning_rate=1e-2)]
    frame = grouped_frame(entries)
    assert list(frame["Model"]) == ["CNN #1", "DNN (MLP)", "CNN #2", "CNN #3"]
    assert list(frame["Runs"]) == [3, 1, 1, 1] and frame["Seeds"][0] == "0, 1, 2"
    assert frame["Test accuracy"][0] == pytest.approx(np.mean(cnn))
    assert frame["Test accuracy std"][0] == pytest.approx(np.std(cnn, ddof=1))
    assert frame["Total seconds"][0] == pytest.approx(np.mean([2.0, 4.0, 6.0]))
    assert frame["Test accuracy"][1] == 0.975 and frame["Test accuracy std"].isna()[1]
    assert frame["Status"][2] == "diverged" and frame["Test accuracy"].isna()[2]
    assert "lr 0.01" in frame["Setup"][3] and "lr 0.002" in frame["Setup"][0]

    shown = grouped_display(frame)
    assert "Test accuracy std" not in shown
    assert shown["Test accuracy"][0] == format_mean_std(np.mean(cnn), np.std(cnn, ddof=1))
    assert list(shown["Test accuracy"][1:]) == ["0.975", "", "0.95"]
    assert "± 0.0025 |" in to_markdown(shown).splitlines()[2]


def test_latex_export_is_a_booktabs_table_with_escaped_text():
    import pandas as pd

    frame = pd.DataFrame({"Model": ["GCN + GRU (T-GCN)", "50% & co_x"], "MAE 15 min": ["3.21 ± 0.05", "4.1"],
                          "Parameters": [1234, 56], "Note": ["a#b{c}", "~^\\"]})
    assert to_latex(frame) == "\n".join([
        r"% needs \usepackage{booktabs}",
        r"\begin{tabular}{lrrl}",
        r"\toprule",
        r"Model & MAE 15 min & Parameters & Note \\",
        r"\midrule",
        r"GCN + GRU (T-GCN) & 3.21 $\pm$ 0.05 & 1234 & a\#b\{c\} \\",
        r"50\% \& co\_x & 4.1 & 56 & \textasciitilde{}\textasciicircum{}\textbackslash{} \\",
        r"\bottomrule",
        r"\end{tabular}",
    ]) + "\n"


def test_bar_chart_error_bars_span_one_standard_deviation():
    entries = [entry("cnn", seed, value) for seed, value in enumerate([0.99, 0.98, 0.97])] + [entry("dnn", 0, 0.9)]
    frame = grouped_frame(entries)
    spec = metric_bar_chart(frame, "Test accuracy", "Test accuracy", std_column="Test accuracy std").to_dict()
    bars, whiskers = spec["layer"]
    assert whiskers["mark"]["type"] == "errorbar"
    rows = spec["datasets"][whiskers["data"]["name"]]
    assert [row["Model"] for row in rows] == ["CNN"]  # one run: no error bar
    spread = np.std([0.99, 0.98, 0.97], ddof=1)
    assert rows[0]["low"] == pytest.approx(0.98 - spread) and rows[0]["high"] == pytest.approx(0.98 + spread)
    assert len(spec["datasets"][bars["data"]["name"]]) == 2
