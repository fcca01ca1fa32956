"""Points in the plane: two-class data, digits, words, autoencoder codes, GAN samples and a descent
path, for the lesson pages. Every axis is titled; text typed by a learner only ever appears as chart
data. Pure functions of arrays: tests build them without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_  # marks titles for the catalog; ui.i18n.localized_chart translates them

CLASS_COLOURS = alt.Scale(domain=["0", "1"], range=["#1f77b4", "#d62728"])


def scatter(features: np.ndarray, labels: np.ndarray, x_title: str = N_("feature x₁"),
            y_title: str = N_("feature x₂"), legend: bool = True) -> alt.Chart:
    frame = pd.DataFrame({"x": features[:, 0], "y": features[:, 1], "label": labels.astype(int).astype(str)})
    return alt.Chart(frame).mark_circle(size=28, opacity=0.9, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("x:Q", title=x_title), y=alt.Y("y:Q", title=y_title),
        color=alt.Color("label:N", scale=CLASS_COLOURS, title=N_("class"), legend=alt.Legend() if legend else None))


def labelled_points_chart(frame: pd.DataFrame, colour: str, title: str) -> alt.Chart:
    """Points (columns x₁, x₂) coloured by the column `colour`, shaped by their train/test `split`."""
    return alt.Chart(frame).mark_point(filled=True, size=45).encode(
        x=alt.X("x₁:Q", title=N_("feature x₁")), y=alt.Y("x₂:Q", title=N_("feature x₂")),
        color=alt.Color(f"{colour}:N", title=colour), shape=alt.Shape("split:N", title=N_("split")),
    ).properties(title=title, height=320)


def fitted_line_chart(x: np.ndarray, y: np.ndarray, split: np.ndarray, slope: float,
                      intercept: float) -> alt.LayerChart:
    """Regression data (coloured by train/test split) and the fitted line y = slope x + intercept."""
    frame = pd.DataFrame({"x": x, "y": y, "split": split})
    line = pd.DataFrame({"x": [float(np.min(x)), float(np.max(x))]})
    line["y"] = intercept + slope * line["x"]
    x_axis, y_axis = alt.X("x:Q", title=N_("input x")), alt.Y("y:Q", title=N_("target y (a number)"))
    points = alt.Chart(frame).mark_point(filled=True).encode(x=x_axis, y=y_axis,
                                                             color=alt.Color("split:N", title=N_("split")))
    return (points + alt.Chart(line).mark_line(color="black").encode(x=x_axis, y=y_axis)).properties(height=320)


def line_boundary(points: np.ndarray) -> alt.Chart:
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1]})
    return alt.Chart(frame).mark_line(color="black", strokeWidth=2).encode(
        x=alt.X("x:Q", title=N_("feature x₁")), y=alt.Y("y:Q", title=N_("feature x₂")))


DIGIT_COLOURS = alt.Scale(scheme="category10")


def digit_scatter(coordinates: np.ndarray, labels: np.ndarray, title: str, axis_titles: tuple[str, str]) -> alt.Chart:
    frame = pd.DataFrame({"x": coordinates[:, 0], "y": coordinates[:, 1], "digit": labels.astype(int).astype(str)})
    return alt.Chart(frame, title=title).mark_circle(size=18, opacity=0.7).encode(
        x=alt.X("x:Q", title=axis_titles[0]), y=alt.Y("y:Q", title=axis_titles[1]),
        color=alt.Color("digit:N", title=N_("Digit"), scale=DIGIT_COLOURS,
                        sort=[str(digit) for digit in range(10)])).properties(height=300)


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


def word_map_chart(coordinates: np.ndarray, words: list[str], highlight: dict[str, str],
                   explained: tuple[float, float], title: str, translate=lambda text: text) -> alt.Chart:
    """Words at their 2-D coordinates; `highlight` maps a word to its role (chosen, neighbour).
    `translate` (the page's gettext) names the axes, legend and roles; the words stay as they are."""
    roles = {"chosen word": N_("chosen word"), "neighbour": N_("neighbour"), "other word": N_("other word")}
    frame = pd.DataFrame({"x": coordinates[:, 0], "y": coordinates[:, 1], "word": words,
                          "role": [translate(roles[highlight.get(word, "other word")]) for word in words]})
    axes = {"x": translate(N_("Principal direction 1 ({share} of the variance)")).format(share=f"{explained[0]:.0%}"),
            "y": translate(N_("Principal direction 2 ({share} of the variance)")).format(share=f"{explained[1]:.0%}")}
    shown_roles = [translate(role) for role in roles.values()]
    colour = alt.Color("role:N", title=translate(N_("Word")),
                       scale=alt.Scale(domain=shown_roles, range=["#d62728", "#ff7f0e", "#9e9e9e"]))
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("x:Q", title=axes["x"]), y=alt.Y("y:Q", title=axes["y"]),
        tooltip=[alt.Tooltip("word", title=translate(N_("word"))), alt.Tooltip("role", title=translate(N_("role")))])
    points = base.mark_circle(size=40, opacity=0.6).encode(color=colour)
    labels = base.transform_filter(alt.datum.role != shown_roles[-1]).mark_text(
        align="left", dx=6, fontSize=13, fontWeight="bold").encode(text="word:N", color=colour)
    return alt.layer(points, labels).properties(height=460)


def code_space_chart(codes: np.ndarray, labels: np.ndarray, axis_titles: tuple[str, str]) -> alt.Chart:
    """Autoencoder codes of test digits, one colour per digit."""
    frame = pd.DataFrame({"code 1": codes[:, 0], "code 2": codes[:, 1], "digit": labels.astype(int).astype(str)})
    title = N_("Where the encoder puts each test digit")
    return alt.Chart(frame, title=title).mark_circle(size=22, opacity=0.7).encode(
        x=alt.X("code 1:Q", title=axis_titles[0]), y=alt.Y("code 2:Q", title=axis_titles[1]),
        color=alt.Color("digit:N", title=N_("Digit"), sort=[str(digit) for digit in range(10)],
                        scale=alt.Scale(scheme="category10")),
        tooltip=[alt.Tooltip("digit", title=N_("digit"))]).properties(height=440)


def gan_samples_chart(real: np.ndarray, fake: np.ndarray, title: str, height: int = 320) -> alt.Chart:
    """Real points (grey) and generated points (blue) on fixed axes, so snapshots are comparable."""
    frame = pd.concat([pd.DataFrame({"x": real[:, 0], "y": real[:, 1], "points": N_("real data")}),
                       pd.DataFrame({"x": fake[:, 0], "y": fake[:, 1], "points": N_("generated")})])
    limit = float(max(3.0, np.abs(real).max() * 1.3))
    scale = alt.Scale(domain=[-limit, limit], clamp=True)
    return alt.Chart(frame, title=title).mark_circle(size=14).encode(
        x=alt.X("x:Q", title="x", scale=scale), y=alt.Y("y:Q", title="y", scale=scale),
        color=alt.Color("points:N", title=N_("Points"), scale=alt.Scale(
            domain=["real data", "generated"], range=["#bdbdbd", "#1f77b4"])),
        opacity=alt.Opacity("points:N", legend=None, scale=alt.Scale(
            domain=["real data", "generated"], range=[0.5, 0.8])),
    ).properties(height=height, width=height)


def gan_snapshot_grid(real: np.ndarray, snapshots: np.ndarray, epochs: list[int]) -> alt.Chart:
    """Small multiples: the generated points after each of `epochs` (0 = before training)."""
    frames = [pd.DataFrame({"x": real[:, 0], "y": real[:, 1], "points": "real data", "epoch": epoch})
              for epoch in epochs]
    frames += [pd.DataFrame({"x": snapshots[epoch][:, 0], "y": snapshots[epoch][:, 1], "points": "generated",
                             "epoch": epoch}) for epoch in epochs]
    limit = float(max(3.0, np.abs(real).max() * 1.3))
    scale = alt.Scale(domain=[-limit, limit], clamp=True)
    return alt.Chart(pd.concat(frames)).mark_circle(size=8).encode(
        x=alt.X("x:Q", title="x", scale=scale), y=alt.Y("y:Q", title="y", scale=scale),
        color=alt.Color("points:N", title=N_("Points"), scale=alt.Scale(
            domain=["real data", "generated"], range=["#bdbdbd", "#1f77b4"])),
    ).properties(width=150, height=150).facet(
        facet=alt.Facet("epoch:O", title=N_("Generated points after epoch")), columns=len(epochs))


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
