"""Altair charts for the topics added to the lessons (softmax, losses, Go, layers, transfer,
attention). Every axis is titled; text typed by a learner only ever appears as chart data."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them

DIGIT_COLOURS = alt.Scale(scheme="category10")


def probability_bars(classes: list[str], probabilities: np.ndarray, true_class: int, title: str) -> alt.Chart:
    frame = pd.DataFrame({"class": classes, "probability": probabilities,
                          "role": [N_("true class") if index == true_class else N_("other class")
                                   for index in range(len(classes))]})
    return alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("class:N", title=N_("Class"), sort=None), y=alt.Y("probability:Q", title=N_("Softmax probability"),
                                                               scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("role:N", title=None, scale=alt.Scale(domain=[N_("true class"), N_("other class")],
                                                              range=["#d62728", "#1f77b4"])),
        tooltip=["class", alt.Tooltip("probability:Q", format=".3f")]).properties(height=240)


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


def embedding_scatter(points: np.ndarray, names: tuple[str, ...], title: str, limit: float) -> alt.Chart:
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "person": list(names),
                          "photo": [str(index + 1) for index in range(len(names))]})  # titled "photo"
    scale = alt.Scale(domain=[-limit, limit])
    return alt.Chart(frame, title=title).mark_circle(size=140).encode(
        x=alt.X("x:Q", title=N_("Embedding dimension 1"), scale=scale),
        y=alt.Y("y:Q", title=N_("Embedding dimension 2"), scale=scale),
        color=alt.Color("person:N", title=N_("Person")),
        tooltip=[alt.Tooltip("person", title=N_("person")), alt.Tooltip("photo", title=N_("photo"))]
    ).properties(width=260, height=260)


def go_board_chart(board: np.ndarray, marked: list[tuple[int, int]], title: str, size: int = 260) -> alt.LayerChart:
    """The board's lines, its stones (row 0 at the top) and the `marked` points as red squares."""
    last = board.shape[0] - 1
    lines = pd.DataFrame([{"x": 0, "y": index, "x2": last, "y2": index} for index in range(last + 1)]
                         + [{"x": index, "y": 0, "x2": index, "y2": last} for index in range(last + 1)])
    scale = alt.Scale(domain=[-0.7, last + 0.7], nice=False, zero=False)
    board_lines = alt.Chart(lines, title=title).mark_rule(color="#7a5c2e", strokeWidth=0.6).encode(
        x=alt.X("x:Q", title="Column", scale=scale, axis=alt.Axis(grid=False, values=list(range(0, last + 1, 3)))),
        y=alt.Y("y:Q", title="Row", scale=alt.Scale(domain=[last + 0.7, -0.7], nice=False, zero=False),
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


def digit_scatter(coordinates: np.ndarray, labels: np.ndarray, title: str, axis_titles: tuple[str, str]) -> alt.Chart:
    frame = pd.DataFrame({"x": coordinates[:, 0], "y": coordinates[:, 1], "digit": labels.astype(int).astype(str)})
    return alt.Chart(frame, title=title).mark_circle(size=18, opacity=0.7).encode(
        x=alt.X("x:Q", title=axis_titles[0]), y=alt.Y("y:Q", title=axis_titles[1]),
        color=alt.Color("digit:N", title="Digit", scale=DIGIT_COLOURS,
                        sort=[str(digit) for digit in range(10)])).properties(height=300)


def layer_chart(layer_names: tuple[str, ...], series: dict[str, tuple[float, ...]], title: str,
                y_title: str) -> alt.Chart:
    """One line per series across the layers, in the order they compute."""
    frame = pd.DataFrame([{"layer": name, "series": label, "value": value, "order": index}
                          for label, values in series.items() for index, (name, value) in
                          enumerate(zip(layer_names, values))])
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("layer:N", title="Layer", sort=list(layer_names), axis=alt.Axis(labelAngle=-20)),
        y=alt.Y("value:Q", title=y_title), color=alt.Color("series:N", title=None),
        tooltip=["layer", "series", alt.Tooltip("value:Q", format=".3f")]).properties(height=280)


def word_weights_chart(words: list[str], weights: np.ndarray, contributions: np.ndarray) -> alt.Chart:
    """One bar per word, in reading order: its attention weight, coloured by the way it pushes."""
    frame = pd.DataFrame({"position": np.arange(1, len(words) + 1), "word": words, "weight": weights,
                          "contribution": contributions,
                          "pushes towards": np.where(contributions >= 0, "positive", "negative")})
    frame["label"] = frame["position"].astype(str) + ". " + frame["word"]
    return alt.Chart(frame, title="Attention weight of each word").mark_bar().encode(
        y=alt.Y("label:N", title="Word (in reading order)", sort=list(frame["label"]),
                axis=alt.Axis(labelOverlap=False)),
        x=alt.X("weight:Q", title="Attention weight (all words sum to 1)"),
        color=alt.Color("pushes towards:N", title="Pushes towards",
                        scale=alt.Scale(domain=["positive", "negative"], range=["#2ca02c", "#d62728"])),
        tooltip=["word", alt.Tooltip("weight:Q", format=".3f"), alt.Tooltip("contribution:Q", format=".3f")],
    ).properties(height=max(120, 22 * len(words)))


def sequence_grid(series: dict[str, np.ndarray], title: str) -> alt.LayerChart:
    """One row per series (input, target, each network's output), one column per time step; the
    value is written in each cell, so overlapping curves cannot hide one another."""
    names = list(series)
    frame = pd.DataFrame([{"series": name, "step": step + 1, "value": float(value), "label": f"{value:.1f}"}
                          for name, values in series.items() for step, value in enumerate(values)])
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("step:O", title="Time step", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("series:N", title=None, sort=names))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("value:Q", title="Bit / output", scale=alt.Scale(domain=[0, 1], scheme="blues")))
    text = base.mark_text(fontSize=10).encode(
        text="label:N", color=alt.condition(alt.datum.value > 0.6, alt.value("white"), alt.value("black")))
    return alt.layer(cells, text).properties(height=28 * len(names))
