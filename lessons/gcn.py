"""Graph convolution as message passing, in NumPy: each node takes a weighted sum of itself and its
neighbours (weights from the normalised adjacency), and every layer reaches one hop further.

The normalisation is Kipf & Welling's (ICLR 2017): Â = D^-½ (A + I) D^-½ with D the degrees
of A + I, so a node keeps its own features (the + I) and big hubs do not drown everyone else.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from i18n import N_
from lessons.comparison import FINDINGS, measured_mae
from lessons.quiz import NOTE_PARTLY, Correction, Question

UNREACHABLE = -1
NOT_CONNECTED, OR_MORE = N_("not connected"), N_("{hops} or more")  # hop labels of correlation_by_hops


def check_adjacency(adjacency: np.ndarray) -> np.ndarray:
    adjacency = np.asarray(adjacency, dtype=np.float64)
    if adjacency.ndim != 2 or adjacency.shape[0] != adjacency.shape[1]:
        raise ValueError(f"the adjacency must be a square matrix, got shape {adjacency.shape}")
    if (adjacency < 0).any() or not np.isfinite(adjacency).all():
        raise ValueError("the adjacency must hold finite, non-negative edge weights")
    return adjacency


def neighbour_lists(adjacency: np.ndarray) -> list[np.ndarray]:
    """For each node, the other nodes it has an edge to (either direction; self-loops ignored)."""
    linked = check_adjacency(adjacency) > 0
    linked = linked | linked.T
    np.fill_diagonal(linked, False)
    return [np.flatnonzero(row) for row in linked]


def hop_distances(adjacency: np.ndarray, source: int) -> np.ndarray:
    """Fewest edges from `source` to every node (breadth-first search); -1 if unreachable."""
    neighbours = neighbour_lists(adjacency)
    if not 0 <= source < len(neighbours):
        raise ValueError(f"node {source} is not in a graph of {len(neighbours)} nodes")
    distance = np.full(len(neighbours), UNREACHABLE)
    distance[source] = 0
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for neighbour in neighbours[node]:
            if distance[neighbour] == UNREACHABLE:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    return distance


def hop_distance_matrix(adjacency: np.ndarray) -> np.ndarray:
    return np.stack([hop_distances(adjacency, source) for source in range(len(adjacency))])


def k_hop_neighbourhood(adjacency: np.ndarray, source: int, hops: int) -> np.ndarray:
    """Nodes at most `hops` edges from `source` (itself included), sorted."""
    if hops < 0:
        raise ValueError(f"hops must be non-negative, got {hops}")
    distance = hop_distances(adjacency, source)
    return np.flatnonzero((distance >= 0) & (distance <= hops))


def normalized_adjacency(adjacency: np.ndarray) -> np.ndarray:
    """Â = D^-½ (A + I) D^-½, the GCN propagation matrix."""
    with_self = check_adjacency(adjacency) + np.eye(len(adjacency))
    inverse_sqrt_degree = 1.0 / np.sqrt(with_self.sum(axis=1))
    return with_self * inverse_sqrt_degree[:, None] * inverse_sqrt_degree[None, :]


def propagation_summary(adjacency: np.ndarray) -> dict[str, float]:
    """What Â does on this graph, for the lesson's text: the share of nodes whose file already has a
    self-loop, the typical weight a node gives itself in A + I, and the range of Â's row sums (the
    weights a node gives itself and its neighbours need not add up to 1: a weighted sum, not an average)."""
    adjacency = check_adjacency(adjacency)
    row_sums = normalized_adjacency(adjacency).sum(axis=1)
    diagonal = np.diag(adjacency)
    return {"file self-loops": float(np.mean(diagonal > 0)), "self weight": float(np.median(diagonal + 1.0)),
            "row sum min": float(row_sums.min()), "row sum max": float(row_sums.max())}


def messages_to(adjacency: np.ndarray, values: np.ndarray, node: int) -> dict[str, np.ndarray]:
    """What `node` receives in one message-passing step: each sender j (itself included), its weight
    Â[node, j], its value x_j and its message Â[node, j] x_j; the messages sum to (Â x)[node]."""
    propagation = normalized_adjacency(adjacency)
    senders = np.flatnonzero(propagation[node])
    weights = propagation[node, senders]
    return {"senders": senders, "weights": weights, "speeds": values[senders], "messages": weights * values[senders]}


def message_passing_step(adjacency: np.ndarray, features: np.ndarray) -> np.ndarray:
    """One GCN propagation written as messages: node i collects w_ij x_j / sqrt(d_i d_j) from
    itself and each neighbour j. Equal to `normalized_adjacency(A) @ X`, spelled out."""
    adjacency = check_adjacency(adjacency)
    features = np.asarray(features, dtype=np.float64)
    if len(features) != len(adjacency):
        raise ValueError(f"{len(features)} feature rows for a graph of {len(adjacency)} nodes")
    with_self = adjacency + np.eye(len(adjacency))
    degree = with_self.sum(axis=1)
    updated = np.zeros_like(features)
    for node in range(len(adjacency)):
        for sender in np.flatnonzero(with_self[node]):
            updated[node] += with_self[node, sender] / np.sqrt(degree[node] * degree[sender]) * features[sender]
    return updated


def propagate(adjacency: np.ndarray, features: np.ndarray, layers: int) -> list[np.ndarray]:
    """[X, ÂX, Â²X, ...]: what `layers` graph convolutions with identity weights and no
    activation do to the node features."""
    if layers < 0:
        raise ValueError(f"layers must be non-negative, got {layers}")
    propagation = normalized_adjacency(adjacency)
    outputs = [np.asarray(features, dtype=np.float64)]
    for _ in range(layers):
        outputs.append(propagation @ outputs[-1])
    return outputs


def receptive_field(adjacency: np.ndarray, source: int, layers: int) -> np.ndarray:
    """Influence of every node on `source` after `layers` convolutions: row `source` of Â^layers.
    It is non-zero exactly on the `layers`-hop neighbourhood."""
    one_hot = np.zeros((len(adjacency), 1))
    one_hot[source] = 1.0
    # Â is symmetric, so spreading a one-hot from `source` gives row `source` of Â^layers.
    return propagate(adjacency, one_hot, layers)[-1][:, 0]


def correlation_by_hops(speeds: np.ndarray, adjacency: np.ndarray, max_hops: int = 4) -> list[dict]:
    """Mean correlation of two sensors' speed series, grouped by their hop distance on the graph:
    the evidence that the graph carries information a model can use."""
    distances = hop_distance_matrix(adjacency)
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.corrcoef(np.asarray(speeds, dtype=np.float64).T)  # (sensors, sensors)
    upper = np.triu(np.ones_like(distances, dtype=bool), k=1)
    rows = []
    for hops in range(1, max_hops + 1):
        label = str(hops) if hops < max_hops else OR_MORE.format(hops=max_hops)
        chosen = upper & ((distances == hops) if hops < max_hops else (distances >= hops))
        rows.append((label, correlation[chosen]))
    rows.append((NOT_CONNECTED, correlation[upper & (distances == UNREACHABLE)]))
    # A sensor whose speed never changes has no defined correlation: leave its pairs out.
    rows = [(label, values[np.isfinite(values)]) for label, values in rows]
    return [{"hops": label, "pairs": int(len(values)), "mean correlation": float(values.mean())}
            for label, values in rows if len(values)]


def index_neighbour_share(adjacency: np.ndarray) -> dict[str, float]:
    """A CNN sliding along the sensor index treats sensors i and i+1 as neighbours. How many of
    those pairs are neighbours on the road, compared with two sensors picked at random?"""
    neighbours = neighbour_lists(adjacency)
    count = len(neighbours)
    if count < 2:
        raise ValueError("need at least two nodes")
    consecutive = np.mean([index + 1 in set(neighbours[index]) for index in range(count - 1)])
    density = sum(len(row) for row in neighbours) / (count * (count - 1))
    return {"consecutive sensors linked": float(consecutive), "random pair linked": float(density)}


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("After 3 graph-convolution layers, which sensors can influence a sensor's output?",
             ("Only its direct neighbours", "Sensors up to 3 hops away", "Every sensor in the graph"), 1,
             "Each layer aggregates one hop; the map above shows the field growing with the layers."),
    Question("Why is I added to A in Â = D^-½ (A + I) D^-½?",
             ("So that each node keeps its own features", "To make A invertible", "To remove self-loops"), 0,
             "Without a self-loop a node's new features would come only from its neighbours. (The road-graph "
             "file already has self-loops, so here each sensor's own weight in A + I is 2.)"),
    Question("A DNN gets the 207 sensors' speeds as one flat vector. What does it lose?",
             ("The speeds", "Which sensors are neighbours on the road", "Nothing"), 1,
             "Any order of the 207 inputs is the same to a fully connected layer; the road graph is gone."),
    Question("The app's GCN gets each sensor's last 12 speeds as its features and mixes them with its road "
             "neighbours'. What does it lack that the GCN + GRU has?",
             ("Any view of the past: it only sees the current step",
              "A path of its own for each sensor's reading: at every layer it is averaged in with the "
              "neighbours'", "The road graph", "Parameters: it is the smallest model"), 1,
             "It does see the past (12 steps, all at once) and it has the most weights of the traffic models. "
             + FINDINGS.get("gcn", "") + " GCN + GRU gives each sensor's own state its own weights."),
]

CORRECTIONS = [
    Correction("Note 000", "GCN learns node features and structure end to end and is currently the best "
               "choice for learning on graph data (是目前对图数据学习任务的最佳选择).",
               "It is a strong, simple baseline, not the best choice everywhere: attention (GAT), sampling "
               "(GraphSAGE) and graph-transformer models often beat it. On traffic the app's own benchmark "
               f"puts a GCN alone behind simply repeating the last reading (MAE {measured_mae('gcn')} against "
               f"{measured_mae('persistence')} mph, 15 minutes ahead)."),
    Correction("Note 000", "On node classification and link prediction it is far better than other "
               "methods on all public datasets.",
               "An overclaim. Kipf and Welling (2017) showed clear gains on a few citation datasets; later "
               "benchmarks (Shchur et al., 2018) found rankings change with the data split, and tuned "
               "simple baselines are often close."),
    Correction("Note 000", "GCN is transductive: every node must take part in training to get its "
               "embedding, so new nodes cannot be embedded quickly.",
               "True of the original spectral GCN on a fixed graph. Inductive variants such as GraphSAGE "
               "(Hamilton et al., 2017) learn aggregation functions that embed unseen nodes and graphs; and "
               "a GCN layer's weights W do not depend on the number of nodes.", kind=NOTE_PARTLY),
    Correction("Note 000", "Graph convolution applies to nodes and graphs of any topology "
               "(图卷积适用性极广,适用于任意拓扑结构的节点与图).",
               "It *runs* on any graph: W does not depend on the number of nodes or neighbours. It does not "
               "*suit* every graph. Averaging with neighbours assumes linked nodes are alike; where they "
               "differ (heterophily) a plain GCN can do worse than ignoring the edges. Many layers smooth "
               "every node towards the same vector. The symmetric Â treats edges as undirected. And on the "
               "road graph the averaging blurs each sensor's own reading, which is why the GCN alone loses "
               "to persistence above.", kind=NOTE_PARTLY),
]
