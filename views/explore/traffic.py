"""Data explorer: the METR-LA week, on a map and over time."""

import streamlit as st

from data.traffic import STEP_MINUTES, graph_neighbours
from ui.datasets import load_dataset
from ui.explore import edge_frame, sensor_frame, sensor_map, speed_series_chart

st.title("METR-LA traffic speeds")
st.markdown("Loop detectors on Los Angeles highways report the average speed every "
            f"{STEP_MINUTES} minutes. This is one week (1–7 March 2012) from 207 sensors, as used by "
            "the T-GCN paper, with the road graph that links sensors close to each other along the road.")
traffic = load_dataset("traffic")

sizes = st.columns(4)
sizes[0].metric("Sensors", traffic.speeds.shape[1])
sizes[1].metric("Time steps", f"{traffic.speeds.shape[0]:,}")
sizes[2].metric("Road-graph edges", f"{int(((traffic.adjacency > 0).sum() - traffic.speeds.shape[1]) // 2):,}")
sizes[3].metric("Mean speed", f"{traffic.speeds.mean():.1f} mph")

labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
chosen = st.selectbox("Sensor", range(len(labels)), format_func=labels.__getitem__)
count = st.slider("Graph neighbours to show", 0, 8, 3)
neighbours = graph_neighbours(traffic.adjacency, chosen, count).tolist()

sensors = sensor_frame(traffic.sensor_ids, traffic.latitude, traffic.longitude, traffic.speeds)
edges = edge_frame(traffic.adjacency, traffic.latitude, traffic.longitude, threshold=0.3)
st.altair_chart(sensor_map(sensors, edges, highlight=[chosen, *neighbours]))
st.caption("Grey lines: road-graph edges with weight above 0.3. Circled: the chosen sensor and its "
           "neighbours. Slow sensors (red) sit on congested stretches.")
st.altair_chart(speed_series_chart(traffic.timestamps, traffic.speeds, traffic.sensor_ids,
                                   [chosen, *neighbours], chosen))
st.caption("Neighbours on the road graph slow down together in the rush hours: the pattern a graph "
           "convolution can use and a per-sensor model cannot see.")
