"""Grids: small matrices as labelled squares, images and 2-D fields as heatmaps (a loss surface, a
classifier's decision map), a Go board and bit sequences, for the lesson pages. Pure functions of
arrays: tests build them without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them
from ui.scatter_charts import scatter

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
    x = alt.X("col:O", title=N_("Column"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("row:O", title=N_("Row"))
    squares = alt.Chart(frame, title=title).mark_rect(stroke="white").encode(
        x=x, y=y,
        color=alt.Color("value:Q", title=N_("Value"), scale=alt.Scale(scheme=scheme, domain=list(domain)),
                        legend=alt.Legend() if legend else None),
        tooltip=[alt.Tooltip("row", title=N_("Row")), alt.Tooltip("col", title=N_("Column")),
                 alt.Tooltip("value:Q", title=N_("Value"), format=".3f")],
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
                  size: int = 180, value_title: str = N_("Value"), height: int | None = None) -> alt.Chart:
    """A (height, width) array drawn as pixels, `size` wide (and `height` high, default square);
    `symmetric` centres the colour scale on 0."""
    frame = matrix_frame(image, decimals=3)
    finite = frame["value"].dropna()
    scale = alt.Scale(scheme=scheme)
    if symmetric and len(finite):
        bound = float(finite.abs().max()) or 1.0
        scale = alt.Scale(scheme=scheme, domain=[-bound, bound])
    return alt.Chart(frame, title=title).mark_rect().encode(
        x=alt.X("col:O", title=N_("Column"), axis=None),
        y=alt.Y("row:O", title=N_("Row"), axis=None),
        color=alt.Color("value:Q", title=value_title, scale=scale),
        tooltip=[alt.Tooltip("row", title=N_("Row")), alt.Tooltip("col", title=N_("Column")),
                 alt.Tooltip("value:Q", title=value_title, format=".3f")],
    ).properties(width=size, height=height or size, autosize=PAD)


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


def _cells(points: np.ndarray, values: np.ndarray, value_name: str) -> pd.DataFrame:
    """Rectangles centred on regular grid points, so mark_rect tiles the plane without gaps."""
    xs, ys = np.unique(points[:, 0]), np.unique(points[:, 1])
    half_x = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 0.5
    half_y = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 0.5
    return pd.DataFrame({"x": points[:, 0] - half_x, "x2": points[:, 0] + half_x,
                         "y": points[:, 1] - half_y, "y2": points[:, 1] + half_y, value_name: values})


def decision_map(grid: np.ndarray, probabilities: np.ndarray, features: np.ndarray, labels: np.ndarray,
                 title: str, size: int = 280) -> alt.LayerChart:
    """The model's P(class 1) as a background, the training points on top."""
    background = alt.Chart(_cells(grid, probabilities, "probability")).mark_rect(opacity=0.55).encode(
        x=alt.X("x:Q", title=N_("feature x₁")), x2="x2", y=alt.Y("y:Q", title=N_("feature x₂")), y2="y2",
        color=alt.Color("probability:Q", title=N_("P(class 1)"),
                        scale=alt.Scale(domain=[0, 1], range=["#9ecae1", "#f7f7f7", "#fc9272"])))
    # Point colours match the ends of the probability scale, so one legend is enough.
    return alt.layer(background, scatter(features, labels, legend=False)).properties(
        title=title, width=size, height=size).resolve_scale(color="independent")


W1_AXIS, W2_AXIS = N_("parameter w₁"), N_("parameter w₂")


def loss_surface(points: np.ndarray, losses: np.ndarray, path: np.ndarray | None = None,
                 extra_points: pd.DataFrame | None = None, size: int = 360, title: str = "") -> alt.LayerChart:
    """Heat map of a 2-D loss with an optional descent path and extra marked points."""
    cells = _cells(points, losses, "loss")
    layers = [alt.Chart(cells).mark_rect().encode(
        x=alt.X("x:Q", title=W1_AXIS, scale=alt.Scale(domain=[cells.x.min(), cells.x2.max()], nice=False)),
        x2="x2",
        y=alt.Y("y:Q", title=W2_AXIS, scale=alt.Scale(domain=[cells.y.min(), cells.y2.max()], nice=False)),
        y2="y2", color=alt.Color("loss:Q", title=N_("loss"), scale=alt.Scale(scheme="viridis")))]
    if path is not None and len(path):
        low, high = cells[["x", "y"]].min().to_numpy(), cells[["x2", "y2"]].max().to_numpy()
        shown = np.clip(path, low, high)  # a diverging walk is drawn up to the edge of the map
        frame = pd.DataFrame({"x": shown[:, 0], "y": shown[:, 1], "step": np.arange(len(path))})
        layers.append(alt.Chart(frame).mark_line(color="white", point=alt.OverlayMarkDef(color="white", size=18))
                      .encode(x=alt.X("x:Q", title=W1_AXIS), y=alt.Y("y:Q", title=W2_AXIS), order="step:Q",
                              tooltip=[alt.Tooltip("step:Q", title=N_("step")), "x:Q", "y:Q"]))
    if extra_points is not None:
        layers.append(alt.Chart(extra_points).mark_point(filled=True, size=70, shape="triangle")
                      .encode(x=alt.X("x:Q", title=W1_AXIS), y=alt.Y("y:Q", title=W2_AXIS),
                              color=alt.Color("kind:N", title=N_("point"),
                                                                 scale=alt.Scale(range=["white", "#ff7f0e"]))))
    return alt.layer(*layers).properties(width=size, height=size, title=title).resolve_scale(color="independent")


def sequence_grid(series: dict[str, np.ndarray], title: str) -> alt.LayerChart:
    """One row per series (input, target, each network's output), one column per time step; the
    value is written in each cell, so overlapping curves cannot hide one another."""
    names = list(series)
    frame = pd.DataFrame([{"series": name, "step": step + 1, "value": float(value), "label": f"{value:.1f}"}
                          for name, values in series.items() for step, value in enumerate(values)])
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("step:O", title=N_("Time step"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("series:N", title=None, sort=names))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("value:Q", title=N_("Bit / output"), scale=alt.Scale(domain=[0, 1], scheme="blues")))
    text = base.mark_text(fontSize=10).encode(
        text="label:N", color=alt.condition(alt.datum.value > 0.6, alt.value("white"), alt.value("black")))
    return alt.layer(cells, text).properties(height=28 * len(names))


def go_board_chart(board: np.ndarray, marked: list[tuple[int, int]], title: str, size: int = 260) -> alt.LayerChart:
    """The board's lines, its stones (row 0 at the top) and the `marked` points as red squares."""
    last = board.shape[0] - 1
    lines = pd.DataFrame([{"x": 0, "y": index, "x2": last, "y2": index} for index in range(last + 1)]
                         + [{"x": index, "y": 0, "x2": index, "y2": last} for index in range(last + 1)])
    scale = alt.Scale(domain=[-0.7, last + 0.7], nice=False, zero=False)
    board_lines = alt.Chart(lines, title=title).mark_rule(color="#7a5c2e", strokeWidth=0.6).encode(
        x=alt.X("x:Q", title=N_("Column"), scale=scale, axis=alt.Axis(grid=False, values=list(range(0, last + 1, 3)))),
        y=alt.Y("y:Q", title=N_("Row"), scale=alt.Scale(domain=[last + 0.7, -0.7], nice=False, zero=False),
                axis=alt.Axis(grid=False, values=list(range(0, last + 1, 3)))),
        x2="x2:Q", y2="y2:Q")
    rows, cols = np.nonzero(board)
    stones = pd.DataFrame({"x": cols, "y": rows,
                           "stone": ["black" if board[row, col] > 0 else "white" for row, col in zip(rows, cols)]})
    stone_marks = alt.Chart(stones).mark_circle(size=(size / board.shape[0]) ** 2 * 0.8, stroke="black",
                                                strokeWidth=1, opacity=1).encode(
        x="x:Q", y="y:Q", color=alt.Color("stone:N", legend=None,
                                          scale=alt.Scale(domain=["black", "white"], range=["black", "white"])))
    chosen = pd.DataFrame({"x": [point[1] for point in marked], "y": [point[0] for point in marked]})
    squares = alt.Chart(chosen).mark_square(size=(size / board.shape[0]) ** 2 * 0.5, color="#d62728").encode(
        x="x:Q", y="y:Q")
    return alt.layer(board_lines, stone_marks, squares).properties(width=size, height=size,
                                                                   background="#e3c08d")
