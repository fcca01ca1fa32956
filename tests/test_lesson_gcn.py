"""Lesson 17. Graph convolution: lessons/gcn.py against NumPy and Keras, the numbers its text and
quiz quote, and its page views/lessons/gcn.py run in AppTest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import comparison as cmp
from lessons import gcn
from tests.pages import assert_lesson_parts, charts_plotting, open_page

# ---- its math against NumPy and Keras --------------------------------------------------------------


def ring_with_chord(nodes: int = 8) -> np.ndarray:
    adjacency = np.zeros((nodes, nodes))
    for node in range(nodes):
        adjacency[node, (node + 1) % nodes] = adjacency[(node + 1) % nodes, node] = 0.5 + 0.1 * node
    adjacency[0, 4] = adjacency[4, 0] = 1.0
    return adjacency


def test_hop_distances_match_powers_of_the_adjacency():
    adjacency = ring_with_chord()
    adjacency[7, :] = adjacency[:, 7] = 0.0  # node 7 cut off
    reach = (adjacency > 0).astype(int) + np.eye(8, dtype=int)
    for source in range(8):
        distances = gcn.hop_distances(adjacency, source)
        for hops in range(5):
            within = np.flatnonzero(np.linalg.matrix_power(reach, hops)[source] > 0)
            np.testing.assert_array_equal(gcn.k_hop_neighbourhood(adjacency, source, hops), within)
        assert (distances == gcn.UNREACHABLE).sum() == (1 if source != 7 else 7)
    with pytest.raises(ValueError):
        gcn.hop_distances(adjacency, 8)


def test_normalized_adjacency_matches_the_formula_and_the_engine():
    adjacency = ring_with_chord()
    np.fill_diagonal(adjacency, 1.0)  # like los_adj.csv
    result = gcn.normalized_adjacency(adjacency)
    with_self = adjacency + np.eye(8)
    degree = with_self.sum(axis=1)
    for i in range(8):
        for j in range(8):
            assert result[i, j] == pytest.approx(with_self[i, j] / math.sqrt(degree[i] * degree[j]))
    from models.graph import normalized_adjacency

    np.testing.assert_allclose(result, normalized_adjacency(adjacency), rtol=1e-6)
    with pytest.raises(ValueError):
        gcn.normalized_adjacency(-adjacency)


def test_message_passing_equals_the_matrix_form_and_graphconv_with_identity_weights():
    import keras

    from models.graph import GraphConv

    adjacency = ring_with_chord()
    features = np.random.default_rng(6).normal(size=(8, 3))
    np.testing.assert_allclose(gcn.message_passing_step(adjacency, features),
                               gcn.normalized_adjacency(adjacency) @ features)
    outputs = gcn.propagate(adjacency, features, 3)
    layer = GraphConv(3, adjacency=adjacency, kernel_initializer="identity", use_bias=False)
    hidden = features[None].astype(np.float32)  # (batch 1, nodes, features)
    for layers in range(1, 4):
        hidden = keras.ops.convert_to_numpy(layer(hidden))
        np.testing.assert_allclose(hidden[0], outputs[layers], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="feature rows"):
        gcn.message_passing_step(adjacency, features[:3])


def test_the_messages_a_node_receives_sum_to_one_propagation_step():
    adjacency = ring_with_chord()
    speeds = np.linspace(40.0, 65.0, len(adjacency))
    for node in (0, 3):
        received = gcn.messages_to(adjacency, speeds, node)
        assert node in received["senders"] and len(received["senders"]) == 1 + np.count_nonzero(adjacency[node])
        step = gcn.message_passing_step(adjacency, speeds[:, None])
        np.testing.assert_allclose(received["messages"].sum(), step[node, 0])


def test_receptive_field_is_non_zero_exactly_on_the_k_hop_neighbourhood():
    adjacency = ring_with_chord(10)
    for source in (0, 3):
        for layers in range(4):
            field = gcn.receptive_field(adjacency, source, layers)
            np.testing.assert_array_equal(np.flatnonzero(field > 1e-12),
                                          gcn.k_hop_neighbourhood(adjacency, source, layers))
            expected_row = np.linalg.matrix_power(gcn.normalized_adjacency(adjacency), layers)[source]
            np.testing.assert_allclose(field, expected_row, atol=1e-12)


def test_correlation_by_hops_and_index_neighbours_on_a_path():
    path = np.zeros((5, 5))
    for node in range(4):
        path[node, node + 1] = path[node + 1, node] = 1.0
    rng = np.random.default_rng(7)
    speeds = np.cumsum(rng.normal(size=(50, 5)), axis=1)  # each sensor = previous + noise
    rows = {row["hops"]: row for row in gcn.correlation_by_hops(speeds, path, max_hops=3)}
    correlation = np.corrcoef(speeds.T)
    assert rows["1"]["pairs"] == 4
    assert rows["1"]["mean correlation"] == pytest.approx(np.mean([correlation[i, i + 1] for i in range(4)]))
    assert rows["3 or more"]["mean correlation"] == pytest.approx(
        np.mean([correlation[0, 3], correlation[1, 4], correlation[0, 4]]))
    assert "not connected" not in rows
    share = gcn.index_neighbour_share(path)
    assert share == {"consecutive sensors linked": 1.0, "random pair linked": pytest.approx(8 / 20)}


# ---- the numbers its text quotes, checked against its own demos ------------------------------------


def test_self_loops_in_the_file_give_weight_two_and_rows_need_not_sum_to_one():
    adjacency = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.0]])  # ones on the diagonal, like los_adj
    facts = gcn.propagation_summary(adjacency)
    propagation = gcn.normalized_adjacency(adjacency)
    assert facts["file self-loops"] == 1.0 and facts["self weight"] == 2.0
    assert facts["row sum min"] == pytest.approx(propagation.sum(axis=1).min())
    assert facts["row sum max"] == pytest.approx(propagation.sum(axis=1).max()) and facts["row sum max"] > 1.0
    assert gcn.propagation_summary(adjacency - np.eye(3))["file self-loops"] == 0.0


SHIPPED = cmp.benchmark_scores("traffic")


@pytest.mark.skipif(not SHIPPED, reason="the traffic benchmark has not been run")
def test_the_gcn_question_agrees_with_the_benchmark():
    from bench import results as bench_results

    rows = {row["arch"]: row for row in bench_results.load("accuracy_traffic")["rows"]}
    learned = {arch: row["params"] for arch, row in rows.items() if row["params"]}
    assert max(learned, key=learned.get) == "gcn"  # so "it is the smallest model" is wrong
    assert "the most weights" in gcn.QUESTIONS[3].explanation


# ---- the page --------------------------------------------------------------------------------------


def test_gcn_page_grows_the_receptive_field_on_the_ring_road(tiny_mirror):
    app = open_page("views/lessons/gcn.py")
    metrics = {metric.label: metric.value for metric in app.metric}
    # The tiny road graph is a ring of 6 sensors: 1 layer sees 3 sensors, 2 see 5, 3 see all 6.
    assert metrics == {"Sensors seen by 1 layer": "3", "Sensors seen by 2 layers": "5",
                       "Sensors seen by 3 layers": "6"}
    assert charts_plotting(app, "longitude", "latitude", "hops") and charts_plotting(app, "hops", "correlation")
    messages = app.dataframe[0].value
    assert len(messages) == 3  # itself and its two ring neighbours
    text = "\n".join(block.value for block in app.markdown)
    assert "a weighted sum" in text and "averaged in with the neighbours'" in text
    assert "worse than simply repeating each sensor's last reading" in text  # the shipped benchmark
    app.radio[0].set_value(3).run()
    assert not app.exception
    assert_lesson_parts(app, "views/lessons/gcn.py", gcn)
