"""The Reference results page, its readable tables (reference.tables) and the bench results reader."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from reference import results as bench_results
from reference import tables
from tests.pages import open_page
from ui.results import Entry
from ui.traffic_views import versus_persistence


def write_results(folder, name, rows, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "command": f"python -m bench.{name}", "quick": False,
               "finished": "2026-11-23T20:00:00+00:00", "machine": {"cpu": "Test CPU", "cores": 2, "packages": {}},
               "rows": rows, **extra}
    (folder / f"{name}.json").write_text(json.dumps(payload))
    return payload


def write_accuracy(folder, rows, task="mnist"):
    return write_results(folder, f"accuracy_{task}", rows)


def test_published_numbers_keep_their_status():
    rows = {row["model"]: row for row in bench_results.published_rows("traffic")}
    assert rows["T-GCN"]["status"] == "verified in the source"  # recomputed from the authors' predictions
    assert rows["GRU"]["status"].startswith("UNVERIFIED") and rows["HA"]["status"].startswith("UNVERIFIED")
    assert rows["DCRNN"]["same data and protocol"] == "no: context only"
    notes = dict(tables.published_notes("traffic"))
    assert "3.156" in notes["T-GCN"] and "lowest test RMSE" in notes["T-GCN"]  # why the row flatters T-GCN


def test_accuracy_rows_format_mean_and_std(tmp_path):
    write_accuracy(tmp_path, [{"task": "mnist", "arch": "cnn", "runs": 3, "finished": 3, "statuses": ["finished"],
                               "params": 34826, "accuracy": {"mean": 0.99123, "std": 0.0008}}])
    rows = bench_results.accuracy_rows("mnist", bench_results.load("accuracy_mnist", tmp_path))
    assert rows == [{"architecture": "cnn", "runs": "3/3", "params": "34826", "accuracy": "0.9912 ± 0.0008"}]
    assert bench_results.accuracy_rows("imdb", bench_results.load("accuracy_mnist", tmp_path)) == []


def test_accuracy_table_is_readable_and_the_chart_frame_keeps_the_spread(tmp_path):
    results = write_results(tmp_path, "accuracy_traffic", [
        {"task": "traffic", "arch": "persistence", "runs": 3, "finished": 3, "params": 0, "epochs": 0,
         "mae_15": {"mean": 3.5767, "std": 0.0}, "train_seconds": {"mean": 0.05, "std": 0.0}},
        {"task": "traffic", "arch": "gcn_gru", "runs": 3, "finished": 2, "params": 56589, "epochs": 15,
         "mae_15": {"mean": 3.1839, "std": 0.0065}, "mae_60": {"mean": 5.2119, "std": 0.0313},
         "seconds_per_epoch": {"mean": 9.88, "std": 0.27}, "train_seconds": {"mean": 148.2, "std": 4.1}}])
    table = tables.accuracy_table("traffic", results)
    graph = table.iloc[1]
    assert (graph["Model"], graph["Seeds finished"], graph["Parameters"]) == ("GCN + GRU (T-GCN)", "2 of 3", "56,589")
    assert graph["MAE 15 min (mph)"] == "3.18 ± 0.01" and graph["Training time (s)"] == "148 ± 4"
    assert table.iloc[0]["MAE 60 min (mph)"] == tables.NOT_MEASURED and table.iloc[0]["Parameters"].startswith("none")
    frame = tables.score_frame("traffic", results)
    row = frame[(frame["Model"] == "GCN + GRU (T-GCN)") & (frame["Measure"] == "MAE 60 min (mph)")].iloc[0]
    assert (row["Low"], row["Mean"], row["High"]) == pytest.approx((5.1806, 5.2119, 5.2432))
    mnist = tables.score_frame("mnist", write_accuracy(tmp_path, [
        {"task": "mnist", "arch": "cnn_bn", "runs": 3, "finished": 3, "accuracy": {"mean": 0.9942, "std": 0.0001}}]))
    assert mnist.iloc[0]["Mean"] == pytest.approx(99.42) and mnist.iloc[0]["High"] == pytest.approx(99.43)


def test_protocol_table_puts_the_published_t_gcn_beside_both_epoch_choices(tmp_path):
    results = write_results(tmp_path, "traffic_protocol", [
        {"arch": "persistence", "epoch_choice": "not trained", "runs": 1, "epochs": 0,
         "mae_15": {"mean": 3.1561, "std": 0.0}, "rmse_15": {"mean": 5.5428, "std": 0.0},
         "step_mae_15": {"mean": 3.5602, "std": 0.0}, "mae_60": {"mean": 4.4330, "std": 0.0}},
        {"arch": "dnn", "epoch_choice": "lowest test RMSE (the paper's choice)", "runs": 1, "epochs": 40,
         "epoch_15": {"mean": 31.0, "std": 0.0}, "mae_15": {"mean": 2.81, "std": 0.0},
         "rmse_15": {"mean": 5.2, "std": 0.0}, "step_mae_15": {"mean": 3.17, "std": 0.0},
         "mae_60": {"mean": 3.9, "std": 0.0}},
        {"arch": "dnn", "mae_15": {"mean": 9.9, "std": 0.0}}])  # an older file's row: other definitions, left out
    table = tables.protocol_table(results)
    assert list(table["Model"]) == ["Persistence", "DNN", "T-GCN, as published"]
    assert table.iloc[1]["Epoch chosen"] == "lowest test RMSE (the paper's choice), epoch 31"
    published = table.iloc[2]
    assert published["MAE 15 min, steps 1-3 pooled (mph)"] == "3.180"
    assert published["RMSE 15 min, steps 1-3 pooled (mph)"] == "5.126"
    assert published["MAE 15-min step alone (mph)"] == "3.489"
    assert table.iloc[0]["MAE 15 min, steps 1-3 pooled (mph)"] == "3.156"
    frame = tables.protocol_frame(results)
    assert set(frame["Measure"]) == {"MAE 15 min, pooled", "RMSE 15 min, pooled"} and len(frame) == 4


def test_app_frames_memory_startup_and_peak(tmp_path):
    memory = tables.memory_frame(write_results(tmp_path, "rss_trainings", [
        {"training": 0, "arch": "", "rss_mb": 241.7}, {"training": 1, "arch": "dnn", "rss_mb": 248.9}]))
    assert list(memory["Model"]) == ["before any training", "DNN (MLP)"]
    assert list(memory["Memory (MB)"]) == [241.7, 248.9]
    startup = write_results(tmp_path, "startup", [
        {"round": 0, "app": "dashboard", "cold_seconds": 2.2, "second_load_seconds": 0.8},
        {"round": 0, "app": "streamlit hello", "cold_seconds": 2.0, "second_load_seconds": 1.0}],
        medians={"dashboard": {"cold_seconds": 2.2, "second_load_seconds": 0.8, "idle_rss_mb": 172.0},
                 "streamlit hello": {"cold_seconds": 2.0, "second_load_seconds": 1.0, "idle_rss_mb": 135.0}},
        ratio_dashboard_to_hello={"cold_seconds": {"of_medians": 1.1, "met": True},
                                  "second_load_seconds": {"of_medians": 0.8, "met": True}}, target_ratio=1.1)
    table = tables.startup_table(startup)
    assert list(table["Cold start (s, median)"]) == ["2.20", "2.00", "1.10 ✓"]
    assert len(tables.startup_frame(startup)) == 4
    peak = tables.peak_memory_frame(write_results(tmp_path, "peak_memory", [
        {"task": "imdb", "arch": "bag_of_embeddings", "status": "finished", "peak_memory_mb": 1950.0,
         "over_hosted_limit": True}]))
    assert (peak.iloc[0]["Model"], peak.iloc[0]["Within the hosted limit"]) == ("Bag of embeddings", "no")


def test_reference_table_gives_the_mean_time_to_target_only_when_every_seed_reached_it(tmp_path):
    def side(model, times, published=None):
        return {"task": "mnist", "model": model, "published": published, "params": 10, "epochs": 15, "seeds": 3,
                "test_accuracy": {"mean": 0.995, "std": 0.001}, "train_seconds": {"mean": 200.0, "std": 5.0},
                "per_epoch_test_accuracy": [0.99, 0.993],
                "seconds_to_target": {"mean": 50.0, "std": 4.0} if None not in times else None,
                "seconds_to_target_per_seed": times}

    results = write_results(tmp_path, "references_mnist", [side("keras-io mnist_convnet", [160.0, None, 150.0], 0.9922),
                                                           side("ours: cnn_bn", [48.0, 55.0, 47.0])])
    table = tables.reference_table(results, 0.992)
    assert list(table["Time to 99.2% (s)"]) == ["reached in 2 of 3 seeds", "50 ± 4"]
    assert list(table["Test accuracy here (%)"]) == ["99.50 ± 0.10", "99.50 ± 0.10"]
    reached = tables.time_to_target_frame(results)
    assert list(reached["Model"]) == ["keras-io mnist_convnet (2 of 3 seeds)", "Ours: Modern CNN"]
    assert list(reached["Seconds"]) == [155.0, 50.0]  # the seeds that reached it; ours: the stored mean


def test_the_best_trained_model_is_compared_with_persistence():
    def entry(arch, mae_15, label):
        return Entry("traffic", arch, arch, "finished", "this session", metrics={"mae_15": mae_15}, label=label)

    lines = versus_persistence([entry("persistence", 4.0, "Persistence"), entry("historical_average", 3.0, "HA"),
                                entry("dnn", 3.6, "DNN"), entry("gcn", 5.0, "GCN")])
    assert lines == ["15 min: **DNN** 10.0 % lower"]  # the historical average is a baseline, not a trained model
    worse = versus_persistence([entry("persistence", 4.0, "Persistence"), entry("gcn", 5.0, "GCN")])
    assert worse == ["15 min: **GCN** 25.0 % higher (no trained model beats it)"]


def test_damaged_results_file_reads_as_missing(tmp_path):
    (tmp_path / "accuracy_mnist.json").write_text("{not json")
    assert bench_results.load("accuracy_mnist", tmp_path) is None


def test_reference_page_without_results_explains_how_to_measure(monkeypatch, tmp_path):
    monkeypatch.setattr(bench_results, "RESULTS_DIR", tmp_path)
    app = open_page("views/reference.py")
    captions = " ".join(caption.value for caption in app.caption)
    assert "python -m bench.accuracy" in captions and "python -m bench.startup" in captions
    assert len(app.tabs) == 3 and len(app.dataframe) >= 3  # published tables are always shown


def chart_data(app) -> list[pd.DataFrame]:
    """Every dataset the page's charts were sent (Arrow), as frames."""
    return [convert_arrow_bytes_to_pandas_df(dataset.data.data)
            for chart in app.get("vega_lite_chart") for dataset in chart.proto.datasets]


def readable(frame) -> bool:
    snake_case = [column for column in frame.columns if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", str(column))]
    empty = frame.isna().to_numpy().any() or frame.astype(str).isin(["", "None", "nan"]).to_numpy().any()
    return not snake_case and not empty


def test_reference_page_shows_every_benchmark_readably(monkeypatch, tmp_path):
    shutil.copytree(bench_results.RESULTS_DIR, tmp_path, dirs_exist_ok=True)  # the results the repo ships
    write_results(tmp_path, "peak_memory", [
        {"task": "traffic", "arch": "dnn", "status": "finished", "peak_memory_mb": 610.0, "over_hosted_limit": False}],
        hosted_limit_mb=1200, setup="test")
    write_accuracy(tmp_path, [{"task": "mnist", "arch": "cnn_bn", "runs": 3, "finished": 3, "statuses": ["finished"],
                               "accuracy": {"mean": 0.9935, "std": 0.0004}}])
    monkeypatch.setattr(bench_results, "RESULTS_DIR", tmp_path)
    app = open_page("views/reference.py")
    frames = [frame.value for frame in app.dataframe]
    assert all(readable(frame) for frame in frames), [list(frame.columns) for frame in frames if not readable(frame)]
    assert any(list(frame["Model"]) == ["Modern CNN"] and list(frame["Test accuracy (%)"]) == ["99.35 ± 0.04"]
               for frame in frames if "Test accuracy (%)" in frame)
    charts = chart_data(app)
    lines = next(frame for frame in charts if "Reference" in frame)  # the protocol chart's reference lines
    assert dict(zip(lines["Reference"], lines["MAE"])) == {"T-GCN as published": 3.1802, "persistence": 3.156}
    assert any(list(frame.get("Peak memory (MB)", [])) == [610.0] for frame in charts)
    assert "persistence scores MAE 3.16" in " ".join(item.value for item in app.markdown)


def test_task_pages_fold_the_reference_panel_under_their_results(tiny_mirror):
    app = open_page("views/tasks/traffic.py")
    labels = [expander.label for expander in app.expander]
    assert any(label.startswith("Reference results") for label in labels), labels
