"""Lesson 17: graph convolution as message passing on the METR-LA road graph: one more hop per
layer, and how the traffic problem looks to a DNN, a CNN, an RNN and a GCN."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gcn
from lessons.comparison import parameter_rows
from lessons.quiz import Correction, Question
from ui.datasets import load_dataset
from ui.graph_charts import correlation_chart, hop_map
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
    "2. every node aggregates what it receives with its own features (a weighted average);\n"
    "3. a weight matrix W, shared by all nodes, transforms the result, followed by an activation.\n\n"
    "In matrix form one layer is **H' = σ(Â H W)** with **Â = D^-½ (A + I) D^-½**: A is the "
    "weighted adjacency, + I lets a node keep its own features, and D (the degrees of A + I) scales "
    "each message by 1 / sqrt(d_i d_j) so that busy nodes do not drown the others. Like a CNN it "
    "shares weights and looks locally; one layer sees the direct neighbours, and **each extra layer "
    "reaches one hop further**.")

traffic = load_dataset("traffic")
adjacency = traffic.adjacency
labels = [f"{sensor} (#{index})" for index, sensor in enumerate(traffic.sensor_ids)]
degrees = np.array([len(row) for row in gcn.neighbour_lists(adjacency)])

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
propagation = gcn.normalized_adjacency(adjacency)
senders = np.flatnonzero(propagation[chosen])
messages = pd.DataFrame({"sender": [f"{labels[j]}{' (itself)' if j == chosen else ''}" for j in senders],
                         "weight Â[i, j]": propagation[chosen, senders].round(4),
                         "speed x_j (mph)": speeds[senders].round(1),
                         "message Â[i, j] x_j": (propagation[chosen, senders] * speeds[senders]).round(2)})
st.dataframe(messages, hide_index=True)
aggregated = gcn.message_passing_step(adjacency, speeds[:, None])[chosen, 0]
st.markdown(f"Sum of the messages: **{aggregated:.2f}** = (Â x) at sensor {labels[chosen]}, which read "
            f"{speeds[chosen]:.1f} mph itself. (The weights need not sum to 1: the symmetric "
            "normalisation keeps Â symmetric instead; the learned W rescales.)")

st.header("Does the graph carry information?")
st.altair_chart(correlation_chart(correlations(traffic, len(labels))))
st.caption("Correlation of the speed series over the week, averaged over sensor pairs at each hop "
           "distance. Direct neighbours move together far more than distant sensors: the structure a "
           "graph convolution uses and a model that ignores the graph cannot.")

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
    "- **RNN / LSTM**: reads the 12 steps in order and models time, sensor by sensor: no graph.\n"
    "- **GCN**: each sensor is a node with its 12 past speeds as features, mixed with its road "
    "neighbours: space, but no recurrent memory of time. **GCN + GRU** (T-GCN) puts graph "
    "convolutions inside a GRU and gets both.")
units = st.select_slider("Units in one layer", [16, 32, 64, 128], value=64)
st.dataframe(pd.DataFrame(parameter_rows("traffic", units)), hide_index=True,
             column_config={"parameters": st.column_config.NumberColumn("parameters", format="%d")})
st.caption("Weights + biases of one layer of each kind on this input. The DNN's count grows with the "
           "number of sensors; the CNN's, RNN's and GCN's do not, because they share weights.")

quiz([
    Question("After 3 graph-convolution layers, which sensors can influence a sensor's output?",
             ("Only its direct neighbours", "Sensors up to 3 hops away", "Every sensor in the graph"), 1,
             "Each layer aggregates one hop; the map above shows the field growing with the layers."),
    Question("Why is I added to A in Â = D^-½ (A + I) D^-½?",
             ("So that each node keeps its own features", "To make A invertible", "To remove self-loops"), 0,
             "Without the self-loop a node's new features would come only from its neighbours."),
    Question("A DNN gets the 207 sensors' speeds as one flat vector. What does it lose?",
             ("The speeds", "Which sensors are neighbours on the road", "Nothing"), 1,
             "Any order of the 207 inputs is the same to a fully connected layer; the road graph is gone."),
    Question("On traffic forecasting, what does a GCN without a recurrent part miss?",
             ("The road graph", "The memory of how speeds evolve in time", "Nothing: it is the best model"), 1,
             "It mixes neighbours at each step but has no memory of time; published results (T-GCN) show "
             "it losing to a GRU, and GCN + GRU winning. Check on the traffic task page."),
], key="gcn")

corrections([
    Correction("Note 000", "GCN learns node features and structure end to end and is currently the best "
               "choice for learning on graph data.",
               "It is a strong, simple baseline, not the best choice everywhere: attention (GAT), sampling "
               "(GraphSAGE) and graph-transformer models often beat it, and on traffic a GCN alone loses to "
               "temporal models: the T-GCN paper's own table puts a plain GCN behind a GRU and even behind "
               "the historical average."),
    Correction("Note 000", "On node classification and link prediction it is far better than other "
               "methods on all public datasets.",
               "An overclaim. Kipf and Welling (2017) showed clear gains on a few citation datasets; later "
               "benchmarks (Shchur et al., 2018) found rankings change with the data split, and tuned "
               "simple baselines are often close."),
    Correction("Note 000", "GCN is transductive: every node must take part in training to get its "
               "embedding, so new nodes cannot be embedded quickly.",
               "True of the original spectral GCN on a fixed graph. Inductive variants such as GraphSAGE "
               "(Hamilton et al., 2017) learn aggregation functions that embed unseen nodes and graphs; and "
               "a GCN layer's weights W do not depend on the number of nodes."),
])
next_steps("views/tasks/traffic.py", "views/lessons/comparison.py")
