"""Altair charts and tables for the data explorer. Pure functions of arrays: easy to test."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd


def class_counts_chart(labels: np.ndarray, names: list[str], title: str) -> alt.Chart:
    counts = np.bincount(labels, minlength=len(names))
    frame = pd.DataFrame({"class": names, "count": counts})
    return alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("class:N", title="Class", sort=names),
        y=alt.Y("count:Q", title="Number of examples"),
        tooltip=["class", "count"],
    )


def length_histogram(texts: list[str], labels: np.ndarray, names: list[str]) -> alt.Chart:
    frame = pd.DataFrame({"words": [len(text.split()) for text in texts],
                          "label": [names[label] for label in labels]})
    return alt.Chart(frame, title="Review length").mark_bar(opacity=0.6).encode(
        x=alt.X("words:Q", bin=alt.Bin(maxbins=60), title="Words per review"),
        y=alt.Y("count():Q", stack=None, title="Number of reviews"),
        color=alt.Color("label:N", title="Label"),
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
               color_title: str = "Mean speed (mph)", highlight: list[int] | None = None,
               scheme: str = "redyellowgreen", title: str = "METR-LA sensors and road graph",
               height: int = 480) -> alt.Chart:
    """Sensors (columns sensor, latitude, longitude, `color`) at their coordinates, coloured by
    `color`, over the road-graph edges; `highlight` circles the sensors at those row positions."""
    scale = alt.Scale(zero=False)
    lines = alt.Chart(edges).mark_rule(color="#bbbbbb", strokeWidth=1).encode(
        x=alt.X("lon:Q", scale=scale, title="Longitude"), y=alt.Y("lat:Q", scale=scale, title="Latitude"),
        x2="lon2:Q", y2="lat2:Q")
    points = alt.Chart(sensors).mark_circle(size=70, opacity=0.9).encode(
        x=alt.X("longitude:Q", scale=scale, title="Longitude"),
        y=alt.Y("latitude:Q", scale=scale, title="Latitude"),
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
                       chosen: int) -> alt.Chart:
    frame = pd.DataFrame({"time": np.repeat(timestamps, len(columns)),
                          "speed": speeds[:, columns].reshape(-1),
                          "sensor": np.tile([f"{sensor_ids[c]}{' (chosen)' if c == chosen else ''}"
                                             for c in columns], len(timestamps))})
    return alt.Chart(frame, title="Speed over the week").mark_line(strokeWidth=1).encode(
        x=alt.X("time:T", title="Time (March 2012)"),
        y=alt.Y("speed:Q", title="Speed (mph)"),
        color=alt.Color("sensor:N", title="Sensor"),
        tooltip=["sensor", "time:T", "speed:Q"],
    ).properties(height=320)
