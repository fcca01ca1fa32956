"""Altair charts for the task, compare and run pages. Pure functions of arrays and frames.

Fixed titles are marked with N_ and translated where a page shows the chart (ui.i18n.localized_chart);
titles made from a template take the page's `gettext`."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_
from ui.explore import sensor_map

METRIC_TITLES = {"loss": N_("Loss"), "accuracy": N_("Accuracy"), "mae": "MAE", "mse": "MSE", "rmse": "RMSE",
                 "auc": N_("ROC AUC"), "roc_auc": N_("ROC AUC"), "f1": N_("F1"), "precision": N_("Precision"),
                 "recall": N_("Recall"), "mape": "MAPE"}
FIELDS = (N_("model"), N_("split"), N_("epoch"), N_("standard deviation"),  # tooltip names
          N_("true"), N_("predicted"), N_("count"), N_("minutes"), N_("series"))
SERIES = (N_("measured"),)  # the truth's name in the forecast chart's legend


def _same(message: str) -> str:
    return message


def metric_title(name: str) -> str:
    return METRIC_TITLES.get(name, name.replace("_", " ").capitalize())


NOT_CURVES = {"seconds", "learning_rate", "lr"}  # logged per epoch, but not a training curve


def history_frame(histories: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """Long format, one row per (model, metric, split, epoch), from Keras-style per-epoch logs."""
    rows = []
    for model, history in histories.items():
        for key, values in history.items():
            if key in NOT_CURVES:
                continue
            split, metric = ("validation", key[4:]) if key.startswith("val_") else ("training", key)
            rows += [{"model": model, "metric": metric, "split": split, "epoch": epoch, "value": value}
                     for epoch, value in enumerate(values, start=1) if value is not None and np.isfinite(value)]
    return pd.DataFrame(rows, columns=["model", "metric", "split", "epoch", "value"])


def curves_chart(frame: pd.DataFrame, metric: str, height: int = 260, gettext=_same) -> alt.Chart:
    """Training (solid) and validation (dashed) curves of `metric`, one colour per model."""
    chosen = frame[frame["metric"] == metric]
    title = gettext(metric_title(metric))
    return alt.Chart(chosen, title=gettext(N_("{metric} per epoch")).format(metric=title)).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title=N_("Epoch"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
        color=alt.Color("model:N", title=N_("Model")),
        strokeDash=alt.StrokeDash("split:N", title=N_("Data"), sort=[N_("training"), N_("validation")]),
        tooltip=["model", "split", "epoch", alt.Tooltip("value:Q", title=title, format=".4f")],
    ).properties(height=height)


def metric_bar_chart(frame: pd.DataFrame, column: str, title: str, higher_is_better: bool = True,
                     std_column: str | None = None, gettext=_same) -> alt.Chart:
    """One bar per model (row of `frame`, labelled by its `Model` column); with `std_column`, an
    error bar from mean - std to mean + std on every bar that has a spread (two runs or more)."""
    kept = ["Model", column, *([std_column] if std_column else [])]
    chosen = frame[kept].dropna(subset=[column]).sort_values(column, ascending=not higher_is_better)
    better = N_("{metric} (higher is better)") if higher_is_better else N_("{metric} (lower is better)")
    title = gettext(title)
    tooltip = ["Model", alt.Tooltip(f"{column}:Q", title=title, format=".4f")]
    if std_column:
        tooltip.append(alt.Tooltip(f"{std_column}:Q", title=N_("standard deviation"), format=".4f"))
    bars = alt.Chart(chosen, title=gettext(better).format(metric=title)).mark_bar().encode(
        x=alt.X(f"{column}:Q", title=title),
        y=alt.Y("Model:N", title=N_("Model"), sort=list(chosen["Model"])),
        color=alt.Color("Model:N", title=N_("Model"), legend=None),
        tooltip=tooltip,
    ).properties(height=alt.Step(28))  # a fixed pixel height squashes discrete axes in Streamlit
    if not std_column:
        return bars
    spread = chosen.dropna(subset=[std_column]).assign(
        low=lambda rows: rows[column] - rows[std_column], high=lambda rows: rows[column] + rows[std_column])
    whiskers = alt.Chart(spread).mark_errorbar(ticks=True).encode(
        x=alt.X("low:Q", title=title), x2="high:Q", y=alt.Y("Model:N", sort=list(chosen["Model"])))
    return alt.layer(bars, whiskers)


def confusion_heatmap(matrix: np.ndarray, class_names: list[str], title: str) -> alt.Chart:
    """Counts of (true, predicted) pairs; the diagonal is what the model got right."""
    matrix = np.asarray(matrix)
    true_index, predicted_index = np.indices(matrix.shape)
    frame = pd.DataFrame({"true": [class_names[i] for i in true_index.ravel()],
                          "predicted": [class_names[i] for i in predicted_index.ravel()],
                          "count": matrix.ravel().astype(int)})
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("predicted:N", title=N_("Predicted digit"), sort=class_names),
        y=alt.Y("true:N", title=N_("True digit"), sort=class_names))
    cells = base.mark_rect().encode(color=alt.Color("count:Q", title=N_("Test images"),
                                                    scale=alt.Scale(scheme="blues", type="symlog")),
                                    tooltip=["true", "predicted", "count"])
    labels = base.mark_text(fontSize=10).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > matrix.max() / 2, alt.value("white"), alt.value("black")))
    return alt.layer(cells, labels).properties(height=alt.Step(28))


def horizon_chart(frame: pd.DataFrame, metric: str, unit: str, gettext=_same) -> alt.Chart:
    """`frame` has columns model, minutes, metric, value: error against how far ahead."""
    chosen = frame[frame["metric"] == metric]
    title = f"{metric.upper()} ({unit})" if unit else metric.upper()
    return alt.Chart(chosen, title=gettext(N_("{metric} by horizon (lower is better)")).format(
        metric=metric.upper())).mark_line(point=True).encode(
        x=alt.X("minutes:O", title=N_("Minutes ahead")),
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
        color=alt.Color("model:N", title=N_("Model")),
        tooltip=["model", "minutes", alt.Tooltip("value:Q", title=title, format=".3f")],
    ).properties(height=260)


def forecast_chart(times: np.ndarray, truth: np.ndarray, forecasts: dict[str, np.ndarray], title: str) -> alt.Chart:
    """The measured speed of one sensor and each model's forecast of it."""
    frames = [pd.DataFrame({"time": times, "speed": truth, "series": "measured"})]
    frames += [pd.DataFrame({"time": times, "speed": values, "series": name}) for name, values in forecasts.items()]
    frame = pd.concat(frames, ignore_index=True)
    return alt.Chart(frame, title=title).mark_line(strokeWidth=1.2).encode(
        x=alt.X("time:T", title=N_("Time (test days)")),
        y=alt.Y("speed:Q", title=N_("Speed (mph)"), scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=N_("Series")),
        tooltip=["series", "time:T", alt.Tooltip("speed:Q", format=".1f")],
    ).properties(height=300)


def error_map(sensors: pd.DataFrame, edges: pd.DataFrame, title: str, color_title: str) -> alt.Chart:
    """Sensors (columns longitude, latitude, sensor, error) over the road graph; red = large error."""
    return sensor_map(sensors, edges, color="error", color_title=color_title, scheme="yelloworangered",
                      title=title, height=340)
