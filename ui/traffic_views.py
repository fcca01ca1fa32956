"""Traffic results: error by horizon, one sensor's forecast against the truth, errors on the map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from data.traffic import REPORTED_HORIZONS, STEP_MINUTES
from models.registry import ARCHITECTURES
from ui.charts import error_map, forecast_chart, horizon_chart
from ui.datasets import load_dataset, traffic_windows
from ui.explore import edge_frame
from ui.i18n import gettext_for_session, localized_chart, text
from ui.names import shown_name
from ui.reference import persistence_lesson
from ui.results import Entry

ERROR_UNITS = {"mae": "mph", "rmse": "mph", "mape": "%"}


def horizon_frame(entries: list[Entry]) -> pd.DataFrame:
    rows = [{"model": entry.label, "minutes": minutes, "metric": name,
             "value": entry.metrics.get(f"{name}_{minutes}")}
            for entry in entries for minutes in REPORTED_HORIZONS for name in ERROR_UNITS]
    frame = pd.DataFrame(rows, columns=["model", "minutes", "metric", "value"])
    return frame.dropna(subset=["value"])


def best_at(entries: list[Entry], key: str) -> Entry | None:
    scored = [entry for entry in entries if isinstance(entry.metrics.get(key), (int, float))
              and np.isfinite(entry.metrics[key])]
    return min(scored, key=lambda entry: entry.metrics[key]) if scored else None


def versus_persistence(entries: list[Entry]) -> list[str]:
    """At each horizon, how much lower (or higher) the best trained model's MAE is than persistence's."""
    persistence = next((entry for entry in entries if entry.arch == "persistence"), None)
    trained = [entry for entry in entries if getattr(ARCHITECTURES["traffic"].get(entry.arch), "learned", False)]
    _ = gettext_for_session()
    lines = []
    for minutes in REPORTED_HORIZONS:
        key = f"mae_{minutes}"
        best = best_at(trained, key)
        if persistence is None or best is None or not persistence.metrics.get(key):
            continue
        change = 100 * (best.metrics[key] / persistence.metrics[key] - 1)
        template = (_("{minutes} min: **{model}** {change} lower") if change < 0  # change: "12.3 %"
                    else _("{minutes} min: **{model}** {change} higher (no trained model beats it)"))
        lines.append(template.format(minutes=minutes, model=shown_name(best.label, _), change=f"{abs(change):.1f} %"))
    return lines


def traffic_notes(entries: list[Entry]) -> None:
    """The comparison in words, with the measured winner at each horizon."""
    _ = gettext_for_session()
    lines = []
    for minutes in REPORTED_HORIZONS:
        best = best_at(entries, f"mae_{minutes}")
        if best is not None:
            lines.append(_("{minutes} min: **{model}** ({mae} mph)").format(
                minutes=minutes, model=shown_name(best.label, _), mae=f"{best.metrics[f'mae_{minutes}']:.2f}"))
    if lines:
        st.markdown(_("Lowest MAE in this comparison") + " · " + " · ".join(lines))
    against = versus_persistence(entries)
    if against:
        st.markdown(_("The best trained model's MAE against persistence") + " · " + " · ".join(against))
    with st.expander(_("Why persistence is in every table (the T-GCN paper, audited)"), icon=":material/rule:"):
        st.markdown(persistence_lesson())
    st.markdown(text("tasks")("traffic-architectures"))


def sensor_errors(predictions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Mean absolute error per sensor over the test windows; zero (missing) readings left out."""
    observed = np.abs(truth) > 1e-3
    totals = np.where(observed, np.abs(predictions - truth), 0.0).sum(axis=0)
    return totals / np.maximum(observed.sum(axis=0), 1)


def traffic_views(entries: list[Entry]) -> None:
    traffic = load_dataset("traffic", show_notices_here=False)  # the task page showed its notices
    windows = traffic_windows()
    _ = gettext_for_session()
    st.subheader(_("Error by horizon: every model and both baselines"))
    frame = horizon_frame(entries)
    for column, (name, unit) in zip(st.columns(3), ERROR_UNITS.items()):
        column.altair_chart(localized_chart(horizon_chart(frame, name, unit, gettext=_)))

    starts = windows.test_target_start
    shapes = (len(starts), windows.y_test.shape[1], traffic.speeds.shape[1])
    usable = [(entry, entry.predictions_shaped(shapes)) for entry in entries]
    for entry, predictions in usable:
        if predictions is None:
            st.info(f"{shown_name(entry.label, _)}: {entry.predictions_unavailable(_)}", icon=":material/info:")
    usable = [(entry, predictions) for entry, predictions in usable if predictions is not None]
    if not usable:
        return
    st.subheader(_("Forecast against the measured speed"))
    labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
    left, right = st.columns(2)
    sensor = left.selectbox(_("Sensor"), range(len(labels)), format_func=labels.__getitem__, key="traffic-sensor")
    minutes = right.selectbox(_("Minutes ahead"), list(REPORTED_HORIZONS), index=0, key="traffic-minutes")
    step = REPORTED_HORIZONS[minutes]
    target = starts + step - 1  # index of the forecast time step of each test window
    forecasts = {entry.label: predictions[:, step - 1, sensor] for entry, predictions in usable}
    st.altair_chart(localized_chart(forecast_chart(
        traffic.timestamps[target], traffic.speeds[target, sensor], forecasts,
        _("Sensor {sensor}, {minutes} minutes ahead").format(sensor=labels[sensor], minutes=minutes))))
    st.caption(_("Each point is a forecast made {minutes} minutes ({steps} steps of {step} min) before the time "
                 "it is plotted at.").format(minutes=minutes, steps=step, step=STEP_MINUTES))

    st.subheader(_("Which sensors are hard to forecast"))
    names = [shown_name(entry.label, _) for entry, __ in usable]
    chosen = st.selectbox(_("Model"), range(len(usable)), format_func=names.__getitem__, key="traffic-map-model")
    entry, predictions = usable[chosen]
    sensors = pd.DataFrame({"sensor": [str(sensor) for sensor in traffic.sensor_ids],
                            "latitude": traffic.latitude, "longitude": traffic.longitude,
                            "error": sensor_errors(predictions[:, step - 1], traffic.speeds[target]).round(2)})
    edges = edge_frame(traffic.adjacency, traffic.latitude, traffic.longitude, threshold=0.3)
    st.altair_chart(localized_chart(error_map(
        sensors, edges, _("{model}: MAE per sensor, {minutes} min ahead").format(
            model=shown_name(entry.label, _), minutes=minutes), "MAE (mph)")))
