"""Altair charts and tables for the data explorer. Pure functions of arrays: easy to test.

Titles are marked with N_ and translated where a page shows the chart (ui.i18n.localized_chart)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_

FIELDS = (N_("class"), N_("count"), N_("sensor"), N_("time"), N_("speed"))  # tooltip names
CHOSEN = N_("{sensor} (chosen)")


def class_counts_chart(labels: np.ndarray, names: list[str], title: str) -> alt.Chart:
    counts = np.bincount(labels, minlength=len(names))
    frame = pd.DataFrame({"class": names, "count": counts})
    return alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("class:N", title=N_("Class"), sort=names),
        y=alt.Y("count:Q", title=N_("Number of examples")),
        tooltip=["class", "count"],
    )


def length_histogram(texts: list[str], labels: np.ndarray, names: list[str]) -> alt.Chart:
    frame = pd.DataFrame({"words": [len(text.split()) for text in texts],
                          "label": [names[label] for label in labels]})
    return alt.Chart(frame, title=N_("Review length")).mark_bar(opacity=0.6).encode(
        x=alt.X("words:Q", bin=alt.Bin(maxbins=60), title=N_("Words per review")),
        y=alt.Y("count():Q", stack=None, title=N_("Number of reviews")),
        color=alt.Color("label:N", title=N_("Label")),
    )


def sensor_frame(sensor_ids, latitude, longitude, speeds: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"sensor": [str(sensor) for sensor in sensor_ids], "index": np.arange(len(sensor_ids)),
                         "latitude": latitude, "longitude": longitude,
                         "mean_speed": speeds.mean(axis=0).round(1)})


def edge_frame(adjacency: np.ndarray, latitude, longitude, threshold: float) -> pd.DataFrame:
    """One row per road-graph edge with weight above `threshold` (each pair once)."""
    source, target = np.nonzero(np.triu(adjacency, k=1) > threshold)
    return pd.DataFrame({"lon": longitude[source], "lat": latitude[source],
                         "lon2": longitude[target], "lat2": latitude[target],
                         "weight": adjacency[source, target].round(3)})


def sensor_map(sensors: pd.DataFrame, edges: pd.DataFrame, color: str = "mean_speed",
               color_title: str = N_("Mean speed (mph)"), highlight: list[int] | None = None,
               scheme: str = "redyellowgreen", title: str = N_("METR-LA sensors and road graph"),
               height: int = 480) -> alt.Chart:
    """Sensors (columns sensor, latitude, longitude, `color`) at their coordinates, coloured by
    `color`, over the road-graph edges; `highlight` circles the sensors at those row positions."""
    scale = alt.Scale(zero=False)
    lines = alt.Chart(edges).mark_rule(color="#bbbbbb", strokeWidth=1).encode(
        x=alt.X("lon:Q", scale=scale, title=N_("Longitude")), y=alt.Y("lat:Q", scale=scale, title=N_("Latitude")),
        x2="lon2:Q", y2="lat2:Q")
    points = alt.Chart(sensors).mark_circle(size=70, opacity=0.9).encode(
        x=alt.X("longitude:Q", scale=scale, title=N_("Longitude")),
        y=alt.Y("latitude:Q", scale=scale, title=N_("Latitude")),
        color=alt.Color(f"{color}:Q", title=color_title, scale=alt.Scale(scheme=scheme)),
        tooltip=["sensor", alt.Tooltip(f"{color}:Q", title=color_title, format=".2f")],
    )
    layers = [lines, points]
    if highlight:
        chosen = sensors.iloc[highlight]
        layers.append(alt.Chart(chosen).mark_point(size=220, shape="circle", filled=False, color="black",
                                                   strokeWidth=2).encode(x="longitude:Q", y="latitude:Q"))
    return alt.layer(*layers).properties(height=height, title=title)


def speed_series_chart(timestamps: np.ndarray, speeds: np.ndarray, sensor_ids, columns: list[int],
                       chosen: int, chosen_label: str = CHOSEN) -> alt.Chart:
    """`chosen_label` names the chosen sensor's line; a page passes it translated (its legend entry)."""
    shown = [chosen_label.format(sensor=sensor_ids[c]) if c == chosen else str(sensor_ids[c]) for c in columns]
    frame = pd.DataFrame({"time": np.repeat(timestamps, len(columns)),
                          "speed": speeds[:, columns].reshape(-1), "sensor": np.tile(shown, len(timestamps))})
    return alt.Chart(frame, title=N_("Speed over the week")).mark_line(strokeWidth=1).encode(
        x=alt.X("time:T", title=N_("Time (March 2012)")),
        y=alt.Y("speed:Q", title=N_("Speed (mph)")),
        color=alt.Color("sensor:N", title=N_("Sensor")),
        tooltip=["sensor", "time:T", "speed:Q"],
    ).properties(height=320)
