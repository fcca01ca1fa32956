"""Altair charts shared by lessons 1-8; every axis is titled. Streamlit-free: pages render them."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them

CLASS_COLOURS = alt.Scale(domain=["0", "1"], range=["#1f77b4", "#d62728"])


def _cells(points: np.ndarray, values: np.ndarray, value_name: str) -> pd.DataFrame:
    """Rectangles centred on regular grid points, so mark_rect tiles the plane without gaps."""
    xs, ys = np.unique(points[:, 0]), np.unique(points[:, 1])
    half_x = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 0.5
    half_y = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 0.5
    return pd.DataFrame({"x": points[:, 0] - half_x, "x2": points[:, 0] + half_x,
                         "y": points[:, 1] - half_y, "y2": points[:, 1] + half_y, value_name: values})


def scatter(features: np.ndarray, labels: np.ndarray, x_title: str = N_("feature x₁"),
            y_title: str = N_("feature x₂"), legend: bool = True) -> alt.Chart:
    frame = pd.DataFrame({"x": features[:, 0], "y": features[:, 1], "label": labels.astype(int).astype(str)})
    return alt.Chart(frame).mark_circle(size=28, opacity=0.9, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("x:Q", title=x_title), y=alt.Y("y:Q", title=y_title),
        color=alt.Color("label:N", scale=CLASS_COLOURS, title=N_("class"), legend=alt.Legend() if legend else None))


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


def line_boundary(points: np.ndarray) -> alt.Chart:
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1]})
    return alt.Chart(frame).mark_line(color="black", strokeWidth=2).encode(
        x=alt.X("x:Q", title=N_("feature x₁")), y=alt.Y("y:Q", title=N_("feature x₂")))


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
