"""The graph model with node embeddings (`traffic/gcn_embed`): its maths against NumPy, what it
can see on the graph, training through the engine, and weights rebuilt from code."""

from __future__ import annotations

import numpy as np
import pytest

from models.graph import normalized_adjacency
from models.registry import architecture, build
from tests.test_engine import tiny_traffic
from training.engine import train
from training.events import FINISHED, RunConfig
from training.store import RunStore

SMALL = {"width": 8, "node_dim": 3, "blocks": 1, "dropout": 0.0}


def path_graph(nodes: int) -> np.ndarray:
    adjacency = np.zeros((nodes, nodes))
    for node in range(nodes - 1):
        adjacency[node, node + 1] = adjacency[node + 1, node] = 1.0
    return adjacency


def test_node_embedding_is_one_learned_vector_per_node():
    from models.graph import NodeEmbedding

    layer = NodeEmbedding(4, 3)
    outputs = np.asarray(layer(np.zeros((2, 4, 7), dtype=np.float32)))
    table = np.asarray(layer.table)
    assert outputs.shape == (2, 4, 3)
    np.testing.assert_array_equal(outputs[0], table)
    np.testing.assert_array_equal(outputs[1], table)
    with pytest.raises(ValueError, match="4 nodes"):
        NodeEmbedding(4, 3)(np.zeros((2, 5, 7), dtype=np.float32))
    with pytest.raises(ValueError, match="dim"):
        NodeEmbedding(4, 0)


def test_gcn_embed_matches_a_numpy_forward_pass():
    sensors = 5
    adjacency = path_graph(sensors)
    model = build(architecture("traffic", "gcn_embed"), SMALL, sensors=sensors, adjacency=adjacency)
    windows = np.random.default_rng(0).normal(size=(3, 12, sensors)).astype(np.float32)
    weights = {weight.path: np.asarray(weight) for weight in model.weights}

    def dense(name, values):
        return values @ weights[f"{name}/kernel"] + weights[f"{name}/bias"]

    names = [layer.name for layer in model.layers if layer.__class__.__name__ == "Dense"]
    encode, merge, own, neighbour, project, out = names
    embedding_name = next(layer.name for layer in model.layers if layer.__class__.__name__ == "NodeEmbedding")

    window = windows.transpose(0, 2, 1)  # (batch, sensors, steps)
    table = np.broadcast_to(weights[f"{embedding_name}/table"], (3, sensors, SMALL["node_dim"]))
    x = dense(merge, np.concatenate([dense(encode, window), table], axis=-1))
    neighbours = normalized_adjacency(adjacency) @ x @ weights[f"{neighbour}/kernel"]  # Â X W
    x = x + dense(project, np.maximum(dense(own, x) + neighbours, 0.0))
    expected = dense(out, np.concatenate([x, window], axis=-1)).transpose(0, 2, 1)  # (batch, 12, sensors)
    np.testing.assert_allclose(np.asarray(model(windows)), expected, rtol=1e-4, atol=1e-5)


def test_graph_propagation_matches_numpy_and_stores_the_graph_once():
    from models.graph import GraphPropagation

    adjacency = path_graph(4)
    inputs = np.random.default_rng(2).normal(size=(2, 4, 3)).astype(np.float32)
    layer = GraphPropagation(adjacency)
    np.testing.assert_allclose(np.asarray(layer(inputs)), normalized_adjacency(adjacency) @ inputs, rtol=1e-5,
                               atol=1e-6)
    assert [weight.trainable for weight in layer.weights] == [False]
    model = build(architecture("traffic", "gcn_embed"), {**SMALL, "blocks": 3}, sensors=4, adjacency=adjacency)
    assert sum(np.asarray(weight).size for weight in model.non_trainable_weights) == 4 * 4
    with pytest.raises(ValueError, match="4 nodes"):
        GraphPropagation(adjacency)(np.zeros((2, 5, 3), dtype=np.float32))


@pytest.mark.parametrize("blocks", [1, 2])
def test_gcn_embed_sees_exactly_blocks_hops_of_the_graph(blocks):
    sensors = 6
    model = build(architecture("traffic", "gcn_embed"), {**SMALL, "blocks": blocks}, sensors=sensors,
                  adjacency=path_graph(sensors))
    windows = np.random.default_rng(1).normal(size=(1, 12, sensors)).astype(np.float32)
    changed = windows.copy()
    changed[0, :, 0] += 5.0  # sensor 0 is `hops` edges from sensor `hops`
    difference = np.abs(np.asarray(model(changed)) - np.asarray(model(windows))).sum(axis=1)[0]
    assert (difference[:blocks + 1] > 1e-6).all()
    np.testing.assert_allclose(difference[blocks + 1:], 0.0, atol=1e-6)


def test_gcn_embed_trains_through_the_engine_and_is_rebuilt_from_code(tmp_path):
    from training.scoring import load_run_model

    store = RunStore(tmp_path / "runs.sqlite")
    data = tiny_traffic(sensors=5)
    config = RunConfig(task="traffic", arch="gcn_embed", epochs=8, batch_size=16, learning_rate=3e-3,
                       hyperparameters={**SMALL, "blocks": 2})
    result = train(config, data=data, store=store)
    assert result.status == FINISHED
    assert result.predictions.shape == data.y_test.shape
    losses = result.history["loss"]
    assert losses[-1] < losses[0]
    rebuilt = load_run_model(result.run_id, store=store)
    np.testing.assert_allclose(rebuilt.predict(data.x_test, verbose=0), result.model.predict(data.x_test, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_gcn_embed_rejects_bad_hyperparameters():
    with pytest.raises(ValueError, match="node_dim"):
        build(architecture("traffic", "gcn_embed"), {"node_dim": 0}, sensors=4, adjacency=np.eye(4))
    with pytest.raises(ValueError, match="dropout"):
        build(architecture("traffic", "gcn_embed"), {"dropout": 1.0}, sensors=4, adjacency=np.eye(4))
