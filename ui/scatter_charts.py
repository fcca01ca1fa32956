"""Altair charts of points in 2-D for lessons 14-16: word maps, autoencoder codes, GAN samples,
and loss curves. Pure functions of arrays: easy to test."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd


def word_map_chart(coordinates: np.ndarray, words: list[str], highlight: dict[str, str],
                   explained: tuple[float, float], title: str) -> alt.Chart:
    """Words at their 2-D coordinates; `highlight` maps a word to its role (chosen, neighbour)."""
    frame = pd.DataFrame({"x": coordinates[:, 0], "y": coordinates[:, 1], "word": words,
                          "role": [highlight.get(word, "other word") for word in words]})
    axes = {"x": f"Principal direction 1 ({explained[0]:.0%} of the variance)",
            "y": f"Principal direction 2 ({explained[1]:.0%} of the variance)"}
    roles = ["chosen word", "neighbour", "other word"]
    colour = alt.Color("role:N", title="Word", scale=alt.Scale(domain=roles, range=["#d62728", "#ff7f0e", "#9e9e9e"]))
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("x:Q", title=axes["x"]), y=alt.Y("y:Q", title=axes["y"]), tooltip=["word", "role"])
    points = base.mark_circle(size=40, opacity=0.6).encode(color=colour)
    labels = base.transform_filter(alt.datum.role != "other word").mark_text(
        align="left", dx=6, fontSize=13, fontWeight="bold").encode(text="word:N", color=colour)
    return alt.layer(points, labels).properties(height=460)


def code_space_chart(codes: np.ndarray, labels: np.ndarray, axis_titles: tuple[str, str]) -> alt.Chart:
    """Autoencoder codes of test digits, one colour per digit."""
    frame = pd.DataFrame({"code 1": codes[:, 0], "code 2": codes[:, 1], "digit": labels.astype(int).astype(str)})
    return alt.Chart(frame, title="Where the encoder puts each test digit").mark_circle(size=22, opacity=0.7).encode(
        x=alt.X("code 1:Q", title=axis_titles[0]), y=alt.Y("code 2:Q", title=axis_titles[1]),
        color=alt.Color("digit:N", title="Digit", sort=[str(digit) for digit in range(10)],
                        scale=alt.Scale(scheme="category10")),
        tooltip=["digit"]).properties(height=440)


def loss_chart(curves: dict[str, list[float]], title: str, y_title: str = "Loss",
               reference: dict[str, float] | None = None) -> alt.Chart:
    """One line per curve over epochs; optional horizontal reference lines (name -> value)."""
    frame = pd.DataFrame([{"epoch": epoch, "curve": name, "value": value}
                          for name, values in curves.items() for epoch, value in enumerate(values, start=1)])
    lines = alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("curve:N", title="Curve"),
        tooltip=["curve", "epoch", alt.Tooltip("value:Q", format=".3f")])
    if not reference:
        return lines.properties(height=280)
    rules = alt.Chart(pd.DataFrame({"name": list(reference), "value": list(reference.values())})).mark_rule(
        strokeDash=[4, 4], color="grey").encode(y="value:Q", tooltip=["name", alt.Tooltip("value:Q", format=".3f")])
    return alt.layer(lines, rules).properties(height=280)


def gan_samples_chart(real: np.ndarray, fake: np.ndarray, title: str, height: int = 320) -> alt.Chart:
    """Real points (grey) and generated points (blue) on fixed axes, so snapshots are comparable."""
    frame = pd.concat([pd.DataFrame({"x": real[:, 0], "y": real[:, 1], "points": "real data"}),
                       pd.DataFrame({"x": fake[:, 0], "y": fake[:, 1], "points": "generated"})])
    limit = float(max(3.0, np.abs(real).max() * 1.3))
    scale = alt.Scale(domain=[-limit, limit], clamp=True)
    return alt.Chart(frame, title=title).mark_circle(size=14).encode(
        x=alt.X("x:Q", title="x", scale=scale), y=alt.Y("y:Q", title="y", scale=scale),
        color=alt.Color("points:N", title="Points", scale=alt.Scale(
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
        color=alt.Color("points:N", title="Points", scale=alt.Scale(
            domain=["real data", "generated"], range=["#bdbdbd", "#1f77b4"])),
    ).properties(width=150, height=150).facet(
        facet=alt.Facet("epoch:O", title="Generated points after epoch"), columns=len(epochs))
