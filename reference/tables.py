"""Readable frames of the benchmark results for the Reference results page and its charts: model
names instead of architecture ids, headers in words with units, and no empty cells (a number that
was not measured says so). Streamlit-free and Keras-free; each function takes what
`reference.results.load` returns (None when the benchmark has not run) and gives an empty frame then.
"""

from __future__ import annotations

import math

import pandas as pd

from models.registry import ARCHITECTURES
from models.tasks import HORIZONS
from reference.results import STATUS_LABELS, published

NOT_MEASURED = "not measured"
PROTOCOL_MODELS = {"paper_ha": "Paper's HA (input-window mean)"}  # protocol-only baselines
PROTOCOL_SHOWN_CHOICES = {"not trained": "nothing to choose", "last epoch": "last epoch",
                          "lowest test RMSE (the paper's choice)": "lowest test RMSE (the paper's choice)"}


def model_label(task: str, arch: str) -> str:
    info = ARCHITECTURES.get(task, {}).get(arch)
    return info.label if info is not None else PROTOCOL_MODELS.get(arch, arch)


def mean_and_std(value) -> tuple[float, float] | None:
    """(mean, std) of a {mean, std} measurement or a plain number; None when missing or NaN."""
    if isinstance(value, dict):
        mean, std = value.get("mean"), value.get("std") or 0.0
    else:
        mean, std = value, 0.0
    if not isinstance(mean, (int, float)) or isinstance(mean, bool) or not math.isfinite(mean):
        return None
    return float(mean), float(std)


def shown(value, digits: int = 2, scale: float = 1.0, unit: str = "", spread: bool = True) -> str:
    """'98.27 % ± 0.06' style text; NOT_MEASURED when there is no number."""
    measured = mean_and_std(value)
    if measured is None:
        return NOT_MEASURED
    mean, std = measured[0] * scale, measured[1] * scale
    text = f"{mean:,.{digits}f}{unit}"
    return f"{text} ± {std:.{digits}f}" if spread and isinstance(value, dict) and std > 0 else text


def _task_rows(task: str, results: dict | None) -> list[dict]:
    return [row for row in (results or {}).get("rows", []) if row.get("task", task) == task]


def score_columns(task: str) -> dict[str, tuple[str, float, int]]:
    """Result key -> (measure in words, scale, digits) of the task's headline score."""
    if task == "traffic":
        return {f"mae_{minutes}": (f"MAE {minutes} min (mph)", 1.0, 2) for minutes in HORIZONS}
    return {"accuracy": ("Test accuracy (%)", 100.0, 2)}


def score_frame(task: str, results: dict | None) -> pd.DataFrame:
    """Long frame for an error-bar chart: Model, Measure, Mean, Low, High (mean ± std over seeds)."""
    rows = []
    for row in _task_rows(task, results):
        for key, (measure, scale, _) in score_columns(task).items():
            measured = mean_and_std(row.get(key))
            if measured is None:
                continue
            mean, std = measured[0] * scale, measured[1] * scale
            rows.append({"Model": model_label(task, row["arch"]), "Measure": measure, "Mean": mean,
                         "Low": mean - std, "High": mean + std, "Seeds": row.get("finished", row.get("runs", 1))})
    return pd.DataFrame(rows, columns=["Model", "Measure", "Mean", "Low", "High", "Seeds"])


def accuracy_table(task: str, results: dict | None) -> pd.DataFrame:
    """One row per architecture: seeds, size, the task's scores and times, as text."""
    rows = []
    for row in _task_rows(task, results):
        learned = bool(row.get("params"))
        line = {"Model": model_label(task, row["arch"]),
                "Seeds finished": f"{row.get('finished', 0)} of {row.get('runs', 0)}",
                "Parameters": f"{row['params']:,}" if learned else "none (not learned)",
                "Epochs": str(row.get("epochs", NOT_MEASURED)) if learned else "none"}
        for key, (measure, scale, digits) in score_columns(task).items():
            line[measure] = shown(row.get(key), digits, scale)
        if task == "imdb":
            line["F1"], line["ROC AUC"] = shown(row.get("f1"), 3), shown(row.get("roc_auc"), 3)
        line["Seconds per epoch"] = shown(row.get("seconds_per_epoch"), 1) if learned else "none"
        line["Training time (s)"] = shown(row.get("train_seconds"), 0 if learned else 2)
        rows.append(line)
    return pd.DataFrame(rows)


def reference_table(results: dict | None, target: float | None) -> pd.DataFrame:
    """A published recipe re-run beside ours: accuracy, time, and when each first reached `target`."""
    rows = []
    for row in (results or {}).get("rows", []):
        line = {"Model": reference_model(row), "Published accuracy (%)": shown(row.get("published"), 2, 100)
                if row.get("published") is not None else "none (ours)",
                "Test accuracy here (%)": shown(row.get("test_accuracy"), 2, 100),
                "Parameters": f"{row['params']:,}", "Epochs": str(row.get("epochs", NOT_MEASURED)),
                "Training time (s)": shown(row.get("train_seconds"), 0)}
        if target is not None:
            reached = seeds_reaching_target(row)
            line[f"Time to {target:.1%} (s)"] = (
                shown(row["seconds_to_target"], 0) if row.get("seconds_to_target") is not None
                else f"reached in {len(reached)} of {row['seeds']} seeds" if reached
                else f"not reached in {row.get('epochs')} epochs")
        rows.append(line)
    return pd.DataFrame(rows)


def seeds_reaching_target(row: dict) -> list[float]:
    """The training seconds to target of each seed that reached it (none in a one-seed file)."""
    return [seconds for seconds in row.get("seconds_to_target_per_seed") or [] if seconds is not None]


def reference_model(row: dict) -> str:
    """'ours: cnn_bn' -> 'Ours: Modern CNN'; a published recipe keeps its name."""
    if row["model"].startswith("ours: "):
        return "Ours: " + model_label(row.get("task", ""), row["model"].removeprefix("ours: "))
    return row["model"]


def epoch_accuracy_frame(results: dict | None) -> pd.DataFrame:
    """Model, Epoch, Test accuracy (%) after every epoch, where the benchmark measured it."""
    rows = [{"Model": reference_model(row), "Epoch": epoch, "Test accuracy (%)": 100 * accuracy}
            for row in (results or {}).get("rows", [])
            for epoch, accuracy in enumerate(row.get("per_epoch_test_accuracy") or [], start=1)
            if isinstance(accuracy, (int, float)) and math.isfinite(accuracy)]
    return pd.DataFrame(rows, columns=["Model", "Epoch", "Test accuracy (%)"])


def time_to_target_frame(results: dict | None) -> pd.DataFrame:
    """Model, Seconds: the training time each model needed to reach the benchmark's target, the
    mean over seeds. A model that reached it in only some seeds gets the mean of those and says
    how many ("keras-io mnist_convnet (2 of 3 seeds)"): its other seeds would have taken longer."""
    rows = []
    for row in (results or {}).get("rows", []):
        model = reference_model(row)
        if (measured := mean_and_std(row.get("seconds_to_target"))) is not None:
            seconds = measured[0]
        elif reached := seeds_reaching_target(row):
            model, seconds = f"{model} ({len(reached)} of {row['seeds']} seeds)", sum(reached) / len(reached)
        else:
            continue
        rows.append({"Model": model, "Seconds": seconds})
    return pd.DataFrame(rows, columns=["Model", "Seconds"])


def t_gcn_published() -> dict | None:
    return next((row for row in published("traffic") if row["model"] == "T-GCN"), None)


def protocol_table(results: dict | None) -> pd.DataFrame:
    """The T-GCN protocol's rows (pooled horizons, each epoch choice) and the published T-GCN row."""
    rows = []
    for row in (results or {}).get("rows", []):
        if "epoch_choice" not in row:
            continue  # written by an older version of the benchmark, with other definitions
        choice = row["epoch_choice"]
        epoch = mean_and_std(row.get("epoch_15"))
        rows.append({"Model": model_label("traffic", row["arch"]),
                     "Epoch chosen": PROTOCOL_SHOWN_CHOICES.get(choice, choice)
                     + (f", epoch {epoch[0]:.0f}" if epoch and choice != "not trained" else ""),
                     "MAE 15 min, steps 1-3 pooled (mph)": shown(row.get("mae_15"), 3),
                     "RMSE 15 min, steps 1-3 pooled (mph)": shown(row.get("rmse_15"), 3),
                     "MAE 15-min step alone (mph)": shown(row.get("step_mae_15"), 3),
                     "MAE 60 min, steps 1-12 pooled (mph)": shown(row.get("mae_60"), 3)})
    t_gcn = t_gcn_published()
    if rows and t_gcn:
        rmse, mae = t_gcn["value"]
        step_rmse, step_mae = t_gcn.get("step_alone_15", [None, None])
        rows.append({"Model": "T-GCN, as published", "Epoch chosen": t_gcn.get("epoch_choice", "as published"),
                     "MAE 15 min, steps 1-3 pooled (mph)": f"{mae:.3f}",
                     "RMSE 15 min, steps 1-3 pooled (mph)": f"{rmse:.3f}",
                     "MAE 15-min step alone (mph)": f"{step_mae:.3f}" if step_mae else NOT_MEASURED,
                     "MAE 60 min, steps 1-12 pooled (mph)": "not verified"})
    return pd.DataFrame(rows)


def protocol_frame(results: dict | None) -> pd.DataFrame:
    """Long frame for the protocol chart: Model, Epoch chosen, Measure, Mean (mph)."""
    rows = []
    for row in (results or {}).get("rows", []):
        if "epoch_choice" not in row:
            continue
        for key, measure in (("mae_15", "MAE 15 min, pooled"), ("rmse_15", "RMSE 15 min, pooled")):
            measured = mean_and_std(row.get(key))
            if measured is not None:
                rows.append({"Model": model_label("traffic", row["arch"]),
                             "Epoch chosen": PROTOCOL_SHOWN_CHOICES.get(row["epoch_choice"], row["epoch_choice"]),
                             "Measure": measure, "Mean": measured[0]})
    return pd.DataFrame(rows, columns=["Model", "Epoch chosen", "Measure", "Mean"])


METRIC_WORDS = {"accuracy": "Test accuracy", "mae_15/30/60": "MAE at 15 / 30 / 60 min (mph)",
                "rmse_15/mae_15": "RMSE, MAE at 15 min (mph)"}


def metric_words(metric: str) -> str:
    for key, words in METRIC_WORDS.items():
        if metric.startswith(key):
            return words + metric.removeprefix(key)
    return metric


def published_table(task: str) -> pd.DataFrame:
    def value(row):
        if row["metric"] == "accuracy":
            return f"{100 * row['value']:.2f} %"
        values = row["value"] if isinstance(row["value"], list) else [row["value"]]
        return ", ".join(f"{item:g}" for item in values)

    return pd.DataFrame([{"Model": row["model"], "Metric": metric_words(row["metric"]), "Value": value(row),
                          "Setup": row["setup"], "Source": row["source"], "Status": STATUS_LABELS[row["status"]],
                          "Same data and protocol": "yes" if row["like_for_like"] else "no: context only"}
                         for row in published(task)])


def published_notes(task: str) -> list[tuple[str, str]]:
    """(model, what to know before comparing with it) for the published rows that have a note."""
    return [(row["model"], row["note"]) for row in published(task) if row.get("note")]


def memory_frame(rss: dict | None, in_process: dict | None = None) -> pd.DataFrame:
    """Training, Memory (MB), Setup: the server's resident memory after each training."""
    rows = []
    for results, setup in ((rss, "Dashboard server (trainings in worker processes)"),
                           (in_process, "Trainings in the measuring process itself, no Streamlit")):
        for row in (results or {}).get("rows", []):
            if mean_and_std(row.get("rss_mb")):
                rows.append({"Training": int(row["training"]), "Memory (MB)": float(row["rss_mb"]),
                             "Setup": setup,
                             "Model": model_label("mnist", row["arch"]) if row.get("arch") else "before any training"})
    return pd.DataFrame(rows, columns=["Training", "Memory (MB)", "Setup", "Model"])


def peak_memory_frame(results: dict | None) -> pd.DataFrame:
    rows = [{"Task": row["task"], "Model": model_label(row["task"], row["arch"]),
             "Peak memory (MB)": float(row["peak_memory_mb"]),
             "Within the hosted limit": "no" if row.get("over_hosted_limit") else "yes",
             "Status": row.get("status", NOT_MEASURED)}
            for row in (results or {}).get("rows", []) if mean_and_std(row.get("peak_memory_mb"))]
    return pd.DataFrame(rows, columns=["Task", "Model", "Peak memory (MB)", "Within the hosted limit", "Status"])


STARTUP_MEASURES = {"cold_seconds": "Cold start", "second_load_seconds": "Second page load"}


def startup_frame(results: dict | None) -> pd.DataFrame:
    """App, Measure, Seconds, Round: every start-up measurement (rows of `bench.startup`)."""
    rows = [{"App": row["app"], "Measure": measure, "Seconds": float(row[key]), "Round": row.get("round", 0)}
            for row in (results or {}).get("rows", []) if "app" in row
            for key, measure in STARTUP_MEASURES.items() if mean_and_std(row.get(key))]
    return pd.DataFrame(rows, columns=["App", "Measure", "Seconds", "Round"])


def startup_table(results: dict | None) -> pd.DataFrame:
    """Median seconds of each app, and the dashboard / hello ratio against its target."""
    medians = (results or {}).get("medians", {})
    ratios = (results or {}).get("ratio_dashboard_to_hello", {})
    if not medians or not ratios:
        return pd.DataFrame()
    rows = [{"App": app, **{f"{measure} (s, median)": shown(values.get(key), 2)
                            for key, measure in STARTUP_MEASURES.items()},
             "Idle server memory (MB)": shown(values.get("idle_rss_mb"), 0)} for app, values in medians.items()]
    target = results.get("target_ratio")
    rows.append({"App": f"ratio dashboard / hello (target ≤ {target:g})",
                 **{f"{measure} (s, median)": shown(ratios.get(key, {}).get("of_medians"), 2)
                    + (" ✓" if ratios.get(key, {}).get("met") else " ✗" if key in ratios else "")
                    for key, measure in STARTUP_MEASURES.items()},
                 "Idle server memory (MB)": "not compared"})
    return pd.DataFrame(rows)


def overhead_frame(results: dict | None) -> pd.DataFrame:
    """Pair, Path, Seconds: the app's training path and plain `fit`, pair by pair."""
    rows = [{"Pair": int(row["pair"]) + 1, "Path": path, "Seconds": float(row[key])}
            for row in (results or {}).get("rows", [])
            for key, path in (("app_seconds", "the app's path"), ("plain_seconds", "plain model.fit"))
            if mean_and_std(row.get(key))]
    return pd.DataFrame(rows, columns=["Pair", "Path", "Seconds"])
