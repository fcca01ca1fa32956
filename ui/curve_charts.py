"""Curves: one line per series against a number (epochs, steps, layers, a temperature), for the
lesson pages. Every axis is titled. Pure functions of arrays and frames: tests build them without
Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them


def lines(frame: pd.DataFrame, x: str, y: str, colour: str, x_title: str, y_title: str,
          title: str = "", height: int = 260, log_y: bool = False, dash: str | None = None) -> alt.Chart:
    """Several named curves in one long-format frame (x, y, colour columns)."""
    encoding = {"x": alt.X(f"{x}:Q", title=x_title),
                "y": alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log") if log_y else alt.Undefined),
                "color": alt.Color(f"{colour}:N", title=None)}
    if dash:
        encoding["strokeDash"] = alt.StrokeDash(f"{dash}:N", title=None)
    return alt.Chart(frame).mark_line().encode(**encoding).properties(title=title, height=height)


def vertical_rules(frame: pd.DataFrame, x: str, colour: str, x_title: str) -> alt.Chart:
    """Dotted vertical lines at the x positions in `frame`, e.g. where early stopping would stop."""
    return alt.Chart(frame).mark_rule(strokeDash=[2, 3], strokeWidth=1.5).encode(
        x=alt.X(f"{x}:Q", title=x_title), color=alt.Color(f"{colour}:N", title=None))


def lines_chart(frame: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str,
                title: str, log_y: bool = False, height: int = 280) -> alt.Chart:
    """One line per value of `series`; a log y axis for quantities that shrink or grow geometrically."""
    scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale),
        color=alt.Color(f"{series}:N", title=series.replace("_", " ").capitalize(),
                        scale=alt.Scale(scheme="tableau10")),
        tooltip=[series, x, alt.Tooltip(f"{y}:Q", format=".3g")],
    ).properties(height=height)


def loss_chart(curves: dict[str, list[float]], title: str, y_title: str = "Loss",
               reference: dict[str, float] | None = None) -> alt.Chart:
    """One line per curve over epochs; optional horizontal reference lines (name -> value)."""
    frame = pd.DataFrame([{"epoch": epoch, "curve": name, "value": value}
                          for name, values in curves.items() for epoch, value in enumerate(values, start=1)])
    lines = alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title=N_("Epoch"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("curve:N", title=N_("Curve")),
        tooltip=[alt.Tooltip("curve", title=N_("curve")), "epoch", alt.Tooltip("value:Q", format=".3f")])
    if not reference:
        return lines.properties(height=280)
    rules = alt.Chart(pd.DataFrame({"name": list(reference), "value": list(reference.values())})).mark_rule(
        strokeDash=[4, 4], color="grey").encode(y="value:Q", tooltip=[alt.Tooltip("name", title=N_("line")),
                                                                  alt.Tooltip("value:Q", format=".3f")])
    return alt.layer(lines, rules).properties(height=280)


def temperature_chart(sweep: dict[float, np.ndarray], classes: list[str], chosen: float) -> alt.LayerChart:
    frame = pd.DataFrame([{"temperature": temperature, "class": name, "probability": float(value)}
                          for temperature, values in sweep.items() for name, value in zip(classes, values)])
    lines = alt.Chart(frame, title=N_("The same logits at every temperature")).mark_line().encode(
        x=alt.X("temperature:Q", title=N_("Temperature T (log scale)"), scale=alt.Scale(type="log")),
        y=alt.Y("probability:Q", title=N_("Softmax probability")),
        color=alt.Color("class:N", title=N_("Class"), sort=classes))
    rule = alt.Chart(pd.DataFrame({"temperature": [chosen]})).mark_rule(strokeDash=[4, 3]).encode(x="temperature:Q")
    return alt.layer(lines, rule).properties(height=240)


def loss_of_constant_chart(candidates: np.ndarray, values: np.ndarray, best: float, title: str,
                           targets: np.ndarray) -> alt.LayerChart:
    """A loss as a function of the one number predicted, its minimum marked, the targets as ticks."""
    curve = alt.Chart(pd.DataFrame({"c": candidates, "loss": values}), title=title).mark_line().encode(
        x=alt.X("c:Q", title=N_("Predicted minutes c")), y=alt.Y("loss:Q", title=N_("Loss")))
    minimum = alt.Chart(pd.DataFrame({"c": [best]})).mark_rule(color="#d62728").encode(x="c:Q")
    ticks = alt.Chart(pd.DataFrame({"c": targets})).mark_tick(color="black", thickness=2).encode(x="c:Q")
    return alt.layer(curve, minimum, ticks).properties(height=200)


def layer_chart(layer_names: tuple[str, ...], series: dict[str, tuple[float, ...]], title: str,
                y_title: str) -> alt.Chart:
    """One line per series across the layers, in the order they compute."""
    frame = pd.DataFrame([{"layer": name, "series": label, "value": value, "order": index}
                          for label, values in series.items() for index, (name, value) in
                          enumerate(zip(layer_names, values))])
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("layer:N", title=N_("Layer"), sort=list(layer_names), axis=alt.Axis(labelAngle=-20)),
        y=alt.Y("value:Q", title=y_title), color=alt.Color("series:N", title=None),
        tooltip=["layer", alt.Tooltip("series", title=N_("series")), alt.Tooltip("value:Q", format=".3f")]
    ).properties(height=280)
