"""Graphs on a map: the k-hop neighbourhood of a sensor on the METR-LA road graph, for the graph
convolution lesson. A pure function of arrays: tests build it without Streamlit."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from i18n import N_
from ui.explore import edge_frame


def hop_label(distance: int, hops: int, gettext=lambda message: message) -> str:
    if distance == 0:
        return gettext(N_("chosen sensor"))
    if distance == 1 <= hops:
        return gettext(N_("1 hop"))
    if 0 < distance <= hops:
        return gettext(N_("{distance} hops")).format(distance=distance)
    return gettext(N_("outside"))


def hop_map(sensor_ids, latitude, longitude, adjacency: np.ndarray, distances: np.ndarray,
            influence: np.ndarray, hops: int, gettext=lambda message: message) -> alt.Chart:
    """Sensors coloured by hop distance from the chosen one (within `hops`), sized by their
    weight in the chosen sensor's output after `hops` graph convolutions. `gettext` translates the
    labels and titles (the default keeps them English)."""
    labels = [hop_label(distance, hops, gettext) for distance in range(hops + 1)] + [hop_label(-1, hops, gettext)]
    frame = pd.DataFrame({"sensor": [str(sensor) for sensor in sensor_ids], "latitude": latitude,
                          "longitude": longitude, "hops": [hop_label(int(d), hops, gettext) for d in distances],
                          "influence": np.round(influence, 4)})
    frame["size"] = np.where(frame["hops"] == labels[-1], 15.0, 40.0 + 400.0 * np.sqrt(influence / influence.max()))
    scale = alt.Scale(zero=False)
    edges = edge_frame(adjacency, np.asarray(latitude), np.asarray(longitude), threshold=0.0)
    lines = alt.Chart(edges).mark_rule(color="#d0d0d0", strokeWidth=0.7).encode(
        x=alt.X("lon:Q", scale=scale, title=N_("Longitude")), y=alt.Y("lat:Q", scale=scale, title=N_("Latitude")),
        x2="lon2:Q", y2="lat2:Q")
    palette = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b"][:hops + 1] + ["#bdbdbd"]
    points = alt.Chart(frame).mark_circle(opacity=0.85, stroke="black", strokeWidth=0.3).encode(
        x=alt.X("longitude:Q", scale=scale, title=N_("Longitude")),
        y=alt.Y("latitude:Q", scale=scale, title=N_("Latitude")),
        color=alt.Color("hops:N", title=N_("Distance on the road graph"), sort=labels,
                        scale=alt.Scale(domain=labels, range=palette)),
        size=alt.Size("size:Q", legend=None, scale=None),
        order=alt.Order("size:Q"),
        tooltip=[alt.Tooltip("sensor", title=N_("sensor")), alt.Tooltip("hops", title=N_("hops")),
                 alt.Tooltip("influence:Q", title=gettext(N_("weight after {hops} layers")).format(hops=hops))])
    title = (gettext(N_("Receptive field of the chosen sensor after 1 graph-convolution layer")) if hops == 1
             else gettext(N_("Receptive field of the chosen sensor after {hops} graph-convolution layers")).format(
                 hops=hops))
    return alt.layer(lines, points).properties(height=480, title=title)
