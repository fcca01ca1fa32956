"""Altair charts for lessons 9-13 and 19: small matrices as labelled grids, images as heatmaps,
and simple line charts. Pure functions of arrays, so tests can build them without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

# Streamlit fits a chart's *whole* drawing (axes, legend, title) into its width unless the chart
# says otherwise; "pad" keeps the cells at their intended size and adds the decorations around them.
PAD = alt.AutoSizeParams(type="pad", contains="padding")


def matrix_frame(matrix: np.ndarray, decimals: int = 2) -> pd.DataFrame:
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"a grid chart needs a 2-D matrix, got shape {matrix.shape}")
    rows, cols = np.indices(matrix.shape)
    values = matrix.reshape(-1)  # (rows*cols,)
    labels = ["" if np.isnan(value) else f"{value:.{decimals}f}".rstrip("0").rstrip(".") for value in values]
    return pd.DataFrame({"row": rows.reshape(-1), "col": cols.reshape(-1), "value": values,
                         "label": [label if label != "-0" else "0" for label in labels]})


def matrix_grid(matrix: np.ndarray, title: str, highlight: tuple[int, int, int, int] | None = None,
                cell: int = 34, scheme: str = "blueorange", domain: tuple[float, float] | None = None,
                show_values: bool = True, decimals: int = 2, legend: bool = True) -> alt.LayerChart:
    """One square per entry, its value written in it; `highlight` = (row, col, height, width)
    draws a frame around a block (the kernel's current window). NaN cells stay blank."""
    frame = matrix_frame(matrix, decimals)
    rows, cols = np.asarray(matrix).shape
    finite = frame["value"].dropna()
    if domain is None:
        bound = float(max(1.0, finite.abs().max())) if len(finite) else 1.0
        domain = (-bound, bound)
    low, high = domain
    # Written values must stay readable on the darkest cells: the far end of a one-sided scale,
    # either end of a diverging one.
    diverging = low < 0 < high
    position = (frame["value"] - low) / ((high - low) or 1.0)
    dark = (abs(position - 0.5) > 0.3) if diverging else (position > 0.5)
    frame["ink"] = np.where(dark, "white", "black")
    x = alt.X("col:O", title="Column", axis=alt.Axis(labelAngle=0))
    y = alt.Y("row:O", title="Row")
    squares = alt.Chart(frame, title=title).mark_rect(stroke="white").encode(
        x=x, y=y,
        color=alt.Color("value:Q", title="Value", scale=alt.Scale(scheme=scheme, domain=list(domain)),
                        legend=alt.Legend() if legend else None),
        tooltip=["row", "col", alt.Tooltip("value:Q", title="Value", format=".3f")],
    )
    layers = [squares]
    if show_values:
        # The ink is a fixed colour per cell, chosen by a condition rather than a field with
        # `scale=None`: in a layer Vega-Lite gives that field the squares' shared colour scale and
        # then fails to compile the chart in the browser ("Cannot read properties of null").
        ink = alt.condition(alt.datum.ink == "white", alt.value("white"), alt.value("black"))
        layers.append(alt.Chart(frame).mark_text(fontSize=13).encode(x=x, y=y, text="label:N", color=ink))
    if highlight is not None:
        top, left, height, width = highlight
        inside = frame[(frame.row >= top) & (frame.row < top + height)
                       & (frame.col >= left) & (frame.col < left + width)]
        layers.append(alt.Chart(inside).mark_rect(fill=None, stroke="black", strokeWidth=3).encode(x=x, y=y))
    return alt.layer(*layers).properties(width=cell * cols, height=cell * rows, autosize=PAD)


def image_heatmap(image: np.ndarray, title: str, scheme: str = "greys", symmetric: bool = False,
                  size: int = 180, value_title: str = "Value", height: int | None = None) -> alt.Chart:
    """A (height, width) array drawn as pixels, `size` wide (and `height` high, default square);
    `symmetric` centres the colour scale on 0."""
    frame = matrix_frame(image, decimals=3)
    finite = frame["value"].dropna()
    scale = alt.Scale(scheme=scheme)
    if symmetric and len(finite):
        bound = float(finite.abs().max()) or 1.0
        scale = alt.Scale(scheme=scheme, domain=[-bound, bound])
    return alt.Chart(frame, title=title).mark_rect().encode(
        x=alt.X("col:O", title="Column", axis=None),
        y=alt.Y("row:O", title="Row", axis=None),
        color=alt.Color("value:Q", title=value_title, scale=scale),
        tooltip=["row", "col", alt.Tooltip("value:Q", title=value_title, format=".3f")],
    ).properties(width=size, height=height or size, autosize=PAD)


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


def pixels_for_display(image: np.ndarray, symmetric: bool = False, scale: int = 4) -> np.ndarray:
    """A (height, width) array as a [0, 1] grey image, each pixel repeated `scale` times so the browser
    does not blur it. `symmetric` maps 0 to mid-grey (for weights and gradients with a sign)."""
    image = np.asarray(image, dtype=float)
    if symmetric:
        bound = float(np.max(np.abs(image))) or 1.0
        unit = (image / bound + 1.0) / 2.0
    else:
        low, high = float(np.min(image)), float(np.max(image))
        unit = (image - low) / (high - low) if high > low else np.zeros_like(image)
    return np.kron(unit, np.ones((scale, scale)))  # (height * scale, width * scale)


def path_chart(frame: pd.DataFrame, title: str, target: tuple[float, float]) -> alt.LayerChart:
    """Points visited by gradient descent (columns w1, w2, step, run), joined in step order, with
    the minimum marked."""
    lines = alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("w1:Q", title="w₁", scale=alt.Scale(zero=False)),
        y=alt.Y("w2:Q", title="w₂", scale=alt.Scale(zero=False)),
        order="step:Q",
        color=alt.Color("run:N", title="Run", scale=alt.Scale(scheme="tableau10")),
        tooltip=["run", "step", alt.Tooltip("w1:Q", format=".3f"), alt.Tooltip("w2:Q", format=".3f")],
    )
    goal = alt.Chart(pd.DataFrame({"w1": [target[0]], "w2": [target[1]]})).mark_point(
        shape="cross", size=200, color="black").encode(x="w1:Q", y="w2:Q")
    return alt.layer(lines, goal).properties(height=320)
