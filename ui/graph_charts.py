"""Graphs on a map: the k-hop neighbourhood of a sensor on the METR-LA road graph, for the graph
convolution lesson. A pure function of arrays: tests build it without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ui.explore import edge_frame


def hop_label(distance: int, hops: int) -> str:
    if distance == 0:
        return "chosen sensor"
    if 0 < distance <= hops:
        return f"{distance} hop{'s' if distance > 1 else ''}"
    return "outside"


def hop_map(sensor_ids, latitude, longitude, adjacency: np.ndarray, distances: np.ndarray,
            influence: np.ndarray, hops: int) -> alt.Chart:
    """Sensors coloured by hop distance from the chosen one (within `hops`), sized by their
    weight in the chosen sensor's output after `hops` graph convolutions."""
    labels = ["chosen sensor"] + [hop_label(distance, hops) for distance in range(1, hops + 1)] + ["outside"]
    frame = pd.DataFrame({"sensor": [str(sensor) for sensor in sensor_ids], "latitude": latitude,
                          "longitude": longitude, "hops": [hop_label(int(d), hops) for d in distances],
                          "influence": np.round(influence, 4)})
    frame["size"] = np.where(frame["hops"] == "outside", 15.0, 40.0 + 400.0 * np.sqrt(influence / influence.max()))
    scale = alt.Scale(zero=False)
    edges = edge_frame(adjacency, np.asarray(latitude), np.asarray(longitude), threshold=0.0)
    lines = alt.Chart(edges).mark_rule(color="#d0d0d0", strokeWidth=0.7).encode(
        x=alt.X("lon:Q", scale=scale, title="Longitude"), y=alt.Y("lat:Q", scale=scale, title="Latitude"),
        x2="lon2:Q", y2="lat2:Q")
    palette = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b"][:hops + 1] + ["#bdbdbd"]
    points = alt.Chart(frame).mark_circle(opacity=0.85, stroke="black", strokeWidth=0.3).encode(
        x=alt.X("longitude:Q", scale=scale, title="Longitude"),
        y=alt.Y("latitude:Q", scale=scale, title="Latitude"),
        color=alt.Color("hops:N", title="Distance on the road graph", sort=labels,
                        scale=alt.Scale(domain=labels, range=palette)),
        size=alt.Size("size:Q", legend=None, scale=None),
        order=alt.Order("size:Q"),
        tooltip=["sensor", "hops", alt.Tooltip("influence:Q", title=f"weight after {hops} layers")])
    title = f"Receptive field of the chosen sensor after {hops} graph-convolution layer{'s' if hops > 1 else ''}"
    return alt.layer(lines, points).properties(height=480, title=title)
