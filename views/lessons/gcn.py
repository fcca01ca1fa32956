"""Lesson 17: graph convolution as message passing on the METR-LA road graph: one more hop per
layer, and how the traffic problem looks to a DNN, a CNN, an RNN and a GCN."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import comparison as cmp
from lessons import gcn
from ui.bar_charts import correlation_chart
from ui.datasets import load_dataset
from ui.graph_charts import hop_map
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz

SCRIPT = "views/lessons/gcn.py"
PARAMETER_COLUMNS = (N_("family"), N_("layer"), N_("sees"), N_("parameters"))  # keys of cmp.parameter_rows
_, prose = gettext_for_session(), text("gcn")
lesson_header(SCRIPT)


@st.cache_data(show_spinner=_("Measuring distances on the road graph…"), max_entries=2)
def correlations(_traffic, sensors: int) -> list[dict]:
    return gcn.correlation_by_hops(_traffic.speeds, _traffic.adjacency)


def hops_name(label: str) -> str:
    """A hop-distance label of gcn.correlation_by_hops in this session's language."""
    if label == gcn.NOT_CONNECTED:
        return _(gcn.NOT_CONNECTED)
    if label.isdigit():
        return label
    return _(gcn.OR_MORE).format(hops=label.split()[0])


st.markdown(prose("intro"))

traffic = load_dataset("traffic")
adjacency = traffic.adjacency
labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
degrees = np.array([len(row) for row in gcn.neighbour_lists(adjacency)])
graph_facts = gcn.propagation_summary(adjacency)
if graph_facts["file self-loops"] == 1.0:
    st.caption(prose("self-loops", self_weight=f"{graph_facts['self weight']:g}"))


@st.fragment
def receptive_field_and_messages():
    st.header(_("The receptive field on the road graph"))
    controls = st.columns([2, 1])
    chosen = controls[0].selectbox(_("Sensor"), range(len(labels)), format_func=labels.__getitem__,
                                   index=int(np.argsort(degrees)[len(degrees) // 2]))
    layers = controls[1].radio(_("Graph-convolution layers"), [1, 2, 3], horizontal=True)
    distances = gcn.hop_distances(adjacency, chosen)
    influence = gcn.receptive_field(adjacency, chosen, layers)
    st.altair_chart(localized_chart(hop_map(traffic.sensor_ids, traffic.latitude, traffic.longitude, adjacency,
                                            distances, influence, layers, gettext=_)))
    sizes = st.columns(3)
    for column, depth in zip(sizes, (1, 2, 3), strict=True):
        label = _("Sensors seen by 1 layer") if depth == 1 else _("Sensors seen by {depth} layers").format(depth=depth)
        column.metric(label, len(gcn.k_hop_neighbourhood(adjacency, chosen, depth)))
    st.caption(prose("receptive-field", layers=layers, chosen=chosen))

    st.header(_("One message-passing step, with numbers"))
    time_index = st.slider(_("Time step (5-minute steps from 1 March 2012, 00:00)"), 0, len(traffic.speeds) - 1,
                           min(8 * 12, len(traffic.speeds) - 1))
    speeds = traffic.speeds[time_index].astype(np.float64)
    rows = gcn.messages_to(adjacency, speeds, chosen)
    itself = _(" (itself)")
    messages = pd.DataFrame({_("sender"): [f"{labels[j]}{itself if j == chosen else ''}" for j in rows["senders"]],
                             _("weight Â[i, j]"): rows["weights"].round(4),
                             _("speed x_j (mph)"): rows["speeds"].round(1),
                             _("message Â[i, j] x_j"): rows["messages"].round(2)})
    st.dataframe(messages, hide_index=True)
    aggregated = rows["messages"].sum()
    st.markdown(prose("message-sum", total=f"{aggregated:.2f}", sensor=labels[chosen], own=f"{speeds[chosen]:.1f}",
                      row_min=f"{graph_facts['row sum min']:.2f}", row_max=f"{graph_facts['row sum max']:.2f}"))


def graph_information():
    st.header(_("Does the graph carry information?"))
    rows = [row | {"hops": hops_name(row["hops"])} for row in correlations(traffic, len(labels))]
    st.altair_chart(localized_chart(correlation_chart(rows)))
    st.caption(prose("correlation"))


@st.fragment
def each_network_on_traffic():
    st.header(_("The traffic problem as each network sees it"))
    share = gcn.index_neighbour_share(adjacency)
    st.markdown(prose("each-network", sensors=len(labels), inputs=f"{12 * len(labels):,}",
                      consecutive=f"{share['consecutive sensors linked']:.0%}",
                      random_pair=f"{share['random pair linked']:.0%}"))
    findings = cmp.traffic_findings(cmp.TRAFFIC, _)
    if findings:
        st.markdown(prose("findings", findings="\n".join(f"- {sentence}" for sentence in findings.values())))
    units = st.select_slider(_("Units in one layer"), [16, 32, 64, 128], value=64)
    columns = {name: _(name) for name in PARAMETER_COLUMNS}
    rows = [{columns[key]: value for key, value in row.items()} for row in cmp.parameter_rows("traffic", units, _)]
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={columns["parameters"]: st.column_config.NumberColumn(columns["parameters"],
                                                                                     format="%d")})
    st.caption(prose("parameters"))


receptive_field_and_messages()
graph_information()
each_network_on_traffic()
quiz(gcn.QUESTIONS, key="gcn")
corrections(gcn.CORRECTIONS)
next_steps("views/tasks/traffic.py", "views/lessons/comparison.py")
