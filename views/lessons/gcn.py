"""Lesson 17: graph convolution as message passing on the METR-LA road graph: one more hop per
layer, and how the traffic problem looks to a DNN, a CNN, an RNN and a GCN."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import comparison as cmp
from lessons import gcn
from ui.bar_charts import correlation_chart
from ui.datasets import load_dataset
from ui.graph_charts import hop_map
from ui.lesson import corrections, lesson_header, next_steps, quiz

SCRIPT = "views/lessons/gcn.py"
lesson_header(SCRIPT)


@st.cache_data(show_spinner="Measuring distances on the road graph…", max_entries=2)
def correlations(_traffic, sensors: int) -> list[dict]:
    return gcn.correlation_by_hops(_traffic.speeds, _traffic.adjacency)


st.markdown(
    "Images are grids and sentences are chains, but road sensors form a **graph**: each sensor is "
    "a node, and an edge links sensors close to each other along the road. A node can have any "
    "number of neighbours, so a fixed 3x3 kernel cannot slide over it. A **graph convolution** "
    "(Kipf and Welling, 2017) does the graph version of the same idea, **message passing**:\n\n"
    "1. every node sends its features to its neighbours;\n"
    "2. every node adds up what it receives and its own features, each with a weight (a weighted "
    "sum, close to an average);\n"
    "3. a weight matrix W, shared by all nodes, transforms the result, followed by an activation.\n\n"
    "In matrix form one layer is **H' = σ(Â H W)** with **Â = D^-½ (A + I) D^-½**: A is the "
    "weighted adjacency, + I gives every node a self-loop so it keeps its own features, and D (the "
    "degrees of A + I) scales each message by 1 / sqrt(d_i d_j) so that busy nodes do not drown the "
    "others. Like a CNN it "
    "shares weights and looks locally; one layer sees the direct neighbours, and **each extra layer "
    "reaches one hop further**.")

traffic = load_dataset("traffic")
adjacency = traffic.adjacency
labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
degrees = np.array([len(row) for row in gcn.neighbour_lists(adjacency)])
graph_facts = gcn.propagation_summary(adjacency)
if graph_facts["file self-loops"] == 1.0:
    st.caption("The road-graph file already has a self-loop (weight 1) on every sensor, so A + I gives each "
               f"sensor a self-weight of {graph_facts['self weight']:g}: against its neighbours, its own reading "
               "counts about twice as much as in Kipf and Welling's recipe, whose A has no self-loops. The "
               "app's models are trained and benchmarked with this Â.")


@st.fragment
def receptive_field_and_messages():
    st.header("The receptive field on the road graph")
    controls = st.columns([2, 1])
    chosen = controls[0].selectbox("Sensor", range(len(labels)), format_func=labels.__getitem__,
                                   index=int(np.argsort(degrees)[len(degrees) // 2]))
    layers = controls[1].radio("Graph-convolution layers", [1, 2, 3], horizontal=True)
    distances = gcn.hop_distances(adjacency, chosen)
    influence = gcn.receptive_field(adjacency, chosen, layers)
    st.altair_chart(hop_map(traffic.sensor_ids, traffic.latitude, traffic.longitude, adjacency, distances,
                            influence, layers))
    sizes = st.columns(3)
    for column, depth in zip(sizes, (1, 2, 3), strict=True):
        column.metric(f"Sensors seen by {depth} layer{'s' if depth > 1 else ''}",
                      len(gcn.k_hop_neighbourhood(adjacency, chosen, depth)))
    st.caption("Colour: hops from the chosen sensor. Size: the sensor's weight in the chosen sensor's output "
               f"after {layers} layer(s) (row {chosen} of Â^{layers}); it is non-zero exactly on the "
               f"{layers}-hop neighbourhood. Grey lines: all road-graph edges.")

    st.header("One message-passing step, with numbers")
    time_index = st.slider("Time step (5-minute steps from 1 March 2012, 00:00)", 0, len(traffic.speeds) - 1,
                           min(8 * 12, len(traffic.speeds) - 1))
    speeds = traffic.speeds[time_index].astype(np.float64)
    rows = gcn.messages_to(adjacency, speeds, chosen)
    messages = pd.DataFrame({"sender": [f"{labels[j]}{' (itself)' if j == chosen else ''}" for j in rows["senders"]],
                             "weight Â[i, j]": rows["weights"].round(4), "speed x_j (mph)": rows["speeds"].round(1),
                             "message Â[i, j] x_j": rows["messages"].round(2)})
    st.dataframe(messages, hide_index=True)
    aggregated = rows["messages"].sum()
    st.markdown(f"Sum of the messages: **{aggregated:.2f}** = (Â x) at sensor {labels[chosen]}, which read "
                f"{speeds[chosen]:.1f} mph itself. The weights need not sum to 1 (on this graph each sensor's "
                f"row of Â sums to between {graph_facts['row sum min']:.2f} and {graph_facts['row sum max']:.2f}): "
                "the symmetric normalisation keeps Â symmetric instead, and the learned W rescales.")


def graph_information():
    st.header("Does the graph carry information?")
    st.altair_chart(correlation_chart(correlations(traffic, len(labels))))
    st.caption("Correlation of the speed series over the week, averaged over sensor pairs at each hop "
               "distance. Direct neighbours move together far more than distant sensors: the structure a "
               "graph convolution uses and a model that ignores the graph cannot.")


@st.fragment
def each_network_on_traffic():
    st.header("The traffic problem as each network sees it")
    share = gcn.index_neighbour_share(adjacency)
    st.markdown(
        f"One input is 12 five-minute steps of {len(labels)} sensors.\n\n"
        f"- **DNN**: the window is one flat vector of {12 * len(labels):,} numbers, one dimension per "
        "sensor and step. Which sensors are neighbours is lost: shuffle the sensors and the DNN's task "
        "is exactly as hard. (The app's traffic `dnn` instead runs on each sensor's own 12 steps, with "
        "weights shared by all sensors: just as blind to the graph.)\n"
        "- **CNN**: needs a grid. Along time it works (the app's temporal CNN slides over each sensor's "
        "12 steps). Along the sensors there is no grid: sliding over the sensor index treats sensors "
        f"i and i+1 as neighbours, yet only **{share['consecutive sensors linked']:.0%}** of those pairs "
        f"are linked on the road (a random pair: {share['random pair linked']:.0%}).\n"
        "- **RNN / LSTM**: reads each sensor's 12 steps in order, carrying a state from step to step: "
        "no graph.\n"
        "- **GCN**: each sensor is a node whose features are its 12 past speeds, so it sees the recent "
        "past all at once, like the DNN; every layer mixes that window with the road neighbours'. Its own "
        "reading has no path of its own: it is averaged in with the neighbours' at every layer. **GCN + "
        "GRU** (T-GCN) runs graph convolutions inside a GRU and gives each sensor's own state its own "
        "weights.")
    if cmp.FINDINGS:
        st.markdown("**What the app's own benchmark measured** (full data, averaged over seeds; the traffic task "
                    "page's reference results):\n\n" + "\n".join(f"- {sentence}" for sentence in cmp.FINDINGS.values()))
    units = st.select_slider("Units in one layer", [16, 32, 64, 128], value=64)
    st.dataframe(pd.DataFrame(cmp.parameter_rows("traffic", units)), hide_index=True,
                 column_config={"parameters": st.column_config.NumberColumn("parameters", format="%d")})
    st.caption("Weights + biases of one layer of each kind on this input. The DNN's count grows with the "
               "number of sensors; the CNN's, RNN's and GCN's do not, because they share weights.")


receptive_field_and_messages()
graph_information()
each_network_on_traffic()
quiz(gcn.QUESTIONS, key="gcn")
corrections(gcn.CORRECTIONS)
next_steps("views/tasks/traffic.py", "views/lessons/comparison.py")
