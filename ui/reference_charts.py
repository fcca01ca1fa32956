"""Altair charts of the benchmark results (frames from `reference.tables`). Pure functions of frames.

Titles are marked with N_ and translated where a page shows the chart (ui.i18n.localized_chart); every
encoding has a title, so that no field name is shown untranslated."""

from __future__ import annotations

import altair as alt
import pandas as pd

from i18n import N_

LABELS = alt.Axis(labelLimit=320)  # model names are long ("keras-io mnist_convnet"): never cut them
LEGEND_LABELS = 360


def score_chart(frame: pd.DataFrame, higher_is_better: bool) -> alt.FacetChart:
    """Mean ± std over seeds of each model, one panel per measure (each with its own scale)."""
    order = (frame[frame["Measure"] == frame["Measure"].iloc[0]]
             .sort_values("Mean", ascending=not higher_is_better)["Model"].tolist())
    base = alt.Chart().encode(y=alt.Y("Model:N", title=None, sort=order, axis=LABELS))
    points = base.mark_point(filled=True, size=70).encode(
        x=alt.X("Mean:Q", title=N_("mean ± std over seeds"), scale=alt.Scale(zero=False)),
        tooltip=["Model", "Measure", alt.Tooltip("Mean:Q", format=".3f"), alt.Tooltip("Low:Q", format=".3f"),
                 alt.Tooltip("High:Q", format=".3f"), alt.Tooltip("Seeds:Q", title=N_("Seeds finished"))])
    bars = base.mark_rule(strokeWidth=2).encode(x="Low:Q", x2="High:Q")
    better = N_("higher is better") if higher_is_better else N_("lower is better")
    return alt.layer(bars, points, data=frame).properties(width=300, height=alt.Step(24)).facet(
        column=alt.Column("Measure:N", title=better)).resolve_scale(x="independent")


def epoch_accuracy_chart(frame: pd.DataFrame, target_percent: float) -> alt.LayerChart:
    """Test accuracy after each epoch, with the target as a dashed line."""
    lines = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("Epoch:Q", title=N_("Epoch"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("Test accuracy (%):Q", title=N_("Test accuracy (%), target dashed"), scale=alt.Scale(zero=False)),
        color=alt.Color("Model:N", title=N_("Model")),
        tooltip=["Model", "Epoch", alt.Tooltip("Test accuracy (%):Q", format=".2f")])
    target = alt.Chart(pd.DataFrame({"Target": [target_percent]})).mark_rule(strokeDash=[4, 4]).encode(
        y=alt.Y("Target:Q", title=N_("Test accuracy (%), target dashed")))
    # the title on the layer, not on a layer's chart: Vega-Lite drew that one half above the view
    return alt.layer(lines, target, title=N_("Test accuracy after each epoch"))


def seconds_bar_chart(frame: pd.DataFrame, title: str, value: str = N_("Seconds")) -> alt.Chart:
    """One bar per model (shortest first) with its value written at the end."""
    order = frame.sort_values(value)["Model"].tolist()
    base = alt.Chart(frame, title=title).encode(y=alt.Y("Model:N", title=None, sort=order, axis=LABELS),
                                                x=alt.X(f"{value}:Q", title=value))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{value}:Q", format=".0f"))
    return alt.layer(base.mark_bar(), labels).properties(height=alt.Step(30))


def protocol_chart(frame: pd.DataFrame, published_mae: float | None, persistence_mae: float | None) -> alt.LayerChart:
    """MAE at '15 min' (steps 1-3 pooled) of each model and epoch choice, beside the published
    T-GCN (dashed) and persistence (dotted)."""
    chosen = frame[frame["Measure"] == "MAE 15 min, pooled"]
    order = chosen.groupby("Model")["Mean"].min().sort_values().index.tolist()
    title = N_("Under the T-GCN paper's protocol: MAE at '15 min' (steps 1-3 pooled)")
    points = alt.Chart(chosen, title=title).mark_point(filled=True, size=90).encode(
        x=alt.X("Mean:Q", title=N_("MAE (mph), lower is better"), scale=alt.Scale(zero=False)),
        y=alt.Y("Model:N", title=None, sort=order, axis=LABELS),
        color=alt.Color("Epoch chosen:N", title=N_("Epoch chosen"), legend=alt.Legend(labelLimit=LEGEND_LABELS)),
        shape=alt.Shape("Epoch chosen:N", title=N_("Epoch chosen")),
        tooltip=["Model", "Epoch chosen", alt.Tooltip("Mean:Q", title="MAE", format=".3f")])
    lines = pd.DataFrame([{"Reference": name, "MAE": value} for name, value in
                          (("T-GCN as published", published_mae), ("persistence", persistence_mae)) if value])
    rules = alt.Chart(lines).mark_rule(strokeDash=[5, 3]).encode(
        x="MAE:Q", strokeDash=alt.StrokeDash("Reference:N", title=N_("Reference")),
        tooltip=["Reference", alt.Tooltip("MAE:Q", format=".3f")])
    return alt.layer(rules, points).properties(height=alt.Step(32))


def memory_chart(frame: pd.DataFrame) -> alt.Chart:
    """Resident memory after each consecutive training, one line per setup."""
    title = N_("Memory after each training (lower and flat is better)")
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("Training:Q", title=N_("Trainings so far"), axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("Memory (MB):Q", title=N_("Memory (MB)")),
        # a legend above or below squeezes the plot in Streamlit's container-width layout
        color=alt.Color("Setup:N", title=N_("Setup"), legend=alt.Legend(orient="right", labelLimit=LEGEND_LABELS)),
        tooltip=["Setup", "Training", "Model", alt.Tooltip("Memory (MB):Q", format=".0f")],
    ).properties(height=280)


def peak_memory_chart(frame: pd.DataFrame, limit_mb: float | None) -> alt.FacetChart:
    """Each training's peak memory, one panel per task, with the hosted limit as a dashed line."""
    frame = frame.assign(Limit=float(limit_mb or 0))
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("Peak memory (MB):Q", title=N_("Peak memory (MB)")),
        y=alt.Y("Model:N", title=None, sort="-x", axis=LABELS),
        color=alt.Color("Within the hosted limit:N", title=N_("Within the hosted limit"),
                        scale=alt.Scale(domain=[N_("yes"), N_("no")], range=["#4c78a8", "#e45756"])),
        tooltip=["Task", "Model", alt.Tooltip("Peak memory (MB):Q", format=".0f"), "Status"])
    layers = [bars]
    if limit_mb:
        layers.append(alt.Chart().mark_rule(strokeDash=[4, 4]).encode(x="max(Limit):Q"))
    return alt.layer(*layers, data=frame).properties(width=420, height=alt.Step(20)).facet(
        row=alt.Row("Task:N", title=None)).resolve_scale(y="independent")


def startup_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """Every round's seconds of each app (points) and the median (tick), per measure."""
    base = alt.Chart().encode(y=alt.Y("App:N", title=None, axis=LABELS),
                              x=alt.X("Seconds:Q", title=N_("Seconds"), scale=alt.Scale(zero=True)))
    points = base.mark_circle(size=50, opacity=0.6).encode(tooltip=["App", "Measure", "Round", "Seconds"])
    median = base.mark_tick(thickness=3, size=24, color="black").encode(
        x=alt.X("median(Seconds):Q", title=N_("Seconds")))
    return alt.layer(points, median, data=frame).properties(width=280, height=alt.Step(36)).facet(
        column=alt.Column("Measure:N", title=N_("each round (dots) and the median (bar), lower is better")))


def overhead_chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame, title=N_("The same training through the app and through plain fit")).mark_point(
        filled=True, size=70).encode(
        x=alt.X("Pair:O", title=N_("Pair (the first of each pair alternates)")),
        y=alt.Y("Seconds:Q", title=N_("Seconds"), scale=alt.Scale(zero=False)),
        color=alt.Color("Path:N", title=N_("Path")), shape=alt.Shape("Path:N", title=N_("Path")),
        tooltip=["Pair", "Path", alt.Tooltip("Seconds:Q", format=".2f")]).properties(height=240)
