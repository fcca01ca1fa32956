"""Altair charts for lessons 9-13 and 19: small matrices as labelled grids, images as heatmaps,
and simple line charts. Pure functions of arrays, so tests can build them without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd


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
                show_values: bool = True, decimals: int = 2) -> alt.LayerChart:
    """One square per entry, its value written in it; `highlight` = (row, col, height, width)
    draws a frame around a block (the kernel's current window). NaN cells stay blank."""
    frame = matrix_frame(matrix, decimals)
    rows, cols = np.asarray(matrix).shape
    finite = frame["value"].dropna()
    if domain is None:
        bound = float(max(1.0, finite.abs().max())) if len(finite) else 1.0
        domain = (-bound, bound)
    x = alt.X("col:O", title="Column", axis=alt.Axis(labelAngle=0))
    y = alt.Y("row:O", title="Row")
    squares = alt.Chart(frame, title=title).mark_rect(stroke="white").encode(
        x=x, y=y,
        color=alt.Color("value:Q", title="Value", scale=alt.Scale(scheme=scheme, domain=list(domain))),
        tooltip=["row", "col", alt.Tooltip("value:Q", title="Value", format=".3f")],
    )
    layers = [squares]
    if show_values:
        layers.append(alt.Chart(frame).mark_text(fontSize=13).encode(x=x, y=y, text="label:N"))
    if highlight is not None:
        top, left, height, width = highlight
        inside = frame[(frame.row >= top) & (frame.row < top + height)
                       & (frame.col >= left) & (frame.col < left + width)]
        layers.append(alt.Chart(inside).mark_rect(fill=None, stroke="black", strokeWidth=3).encode(x=x, y=y))
    return alt.layer(*layers).properties(width=cell * cols, height=cell * rows)


def image_heatmap(image: np.ndarray, title: str, scheme: str = "greys", symmetric: bool = False,
                  size: int = 180, value_title: str = "Value") -> alt.Chart:
    """A (height, width) array drawn as pixels; `symmetric` centres the colour scale on 0."""
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
    ).properties(width=size, height=size)


def lines_chart(frame: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str,
                title: str, log_y: bool = False, height: int = 280) -> alt.Chart:
    """One line per value of `series`; a log y axis for quantities that shrink or grow geometrically."""
    scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X(f"{x}:Q", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale),
        color=alt.Color(f"{series}:N", title=series.replace("_", " ").capitalize()),
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
