"""Data explorer: the METR-LA week, on a map and over time."""

import streamlit as st

from data.traffic import STEP_MINUTES, graph_neighbours
from ui.datasets import load_dataset
from ui.explore import CHOSEN, edge_frame, sensor_frame, sensor_map, speed_series_chart
from ui.i18n import gettext_for_session, localized_chart, text

_, prose = gettext_for_session(), text("explore_traffic")
st.title(_("METR-LA traffic speeds"))
st.markdown(prose("intro", minutes=STEP_MINUTES))
traffic = load_dataset("traffic")

sizes = st.columns(4)
sizes[0].metric(_("Sensors"), traffic.speeds.shape[1])
sizes[1].metric(_("Time steps"), f"{traffic.speeds.shape[0]:,}")
sizes[2].metric(_("Road-graph edges"),
                f"{int(((traffic.adjacency > 0).sum() - traffic.speeds.shape[1]) // 2):,}")
sizes[3].metric(_("Mean speed"), _("{speed} mph").format(speed=f"{traffic.speeds.mean():.1f}"))

labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
chosen = st.selectbox(_("Sensor"), range(len(labels)), format_func=labels.__getitem__)
count = st.slider(_("Graph neighbours to show"), 0, 8, 3)
neighbours = graph_neighbours(traffic.adjacency, chosen, count).tolist()

sensors = sensor_frame(traffic.sensor_ids, traffic.latitude, traffic.longitude, traffic.speeds)
edges = edge_frame(traffic.adjacency, traffic.latitude, traffic.longitude, threshold=0.3)
st.altair_chart(localized_chart(sensor_map(sensors, edges, highlight=[chosen, *neighbours])))
st.caption(prose("map"))
st.altair_chart(localized_chart(speed_series_chart(traffic.timestamps, traffic.speeds, traffic.sensor_ids,
                                                   [chosen, *neighbours], chosen, chosen_label=_(CHOSEN))))
st.caption(prose("series"))
