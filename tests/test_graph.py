"""GraphConv and the graph GRU against NumPy oracles."""

from __future__ import annotations

import numpy as np
import pytest

from models.graph import normalized_adjacency


def ring(nodes: int) -> np.ndarray:
    adjacency = np.zeros((nodes, nodes))
    for node in range(nodes):
        adjacency[node, (node + 1) % nodes] = adjacency[(node + 1) % nodes, node] = 0.5
    return adjacency


def test_normalized_adjacency_by_hand():
    adjacency = np.array([[0.0, 1.0], [1.0, 0.0]])
    # A + I = [[1, 1], [1, 1]], degrees 2 and 2, so every entry is 1 / sqrt(2 * 2)
    np.testing.assert_allclose(normalized_adjacency(adjacency), np.full((2, 2), 0.5))
    weighted = np.array([[0.0, 3.0, 0.0], [3.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    degree = (weighted + np.eye(3)).sum(axis=1)  # 4, 5, 2
    expected = (weighted + np.eye(3)) / np.sqrt(np.outer(degree, degree))
    np.testing.assert_allclose(normalized_adjacency(weighted), expected, rtol=1e-6)


def test_normalized_adjacency_rejects_bad_graphs():
    with pytest.raises(ValueError, match="square"):
        normalized_adjacency(np.ones((2, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        normalized_adjacency(-np.eye(2))


def test_graph_conv_matches_numpy_oracle():
    from models.graph import GraphConv

    rng = np.random.default_rng(0)
    adjacency = ring(5)
    inputs = rng.normal(size=(3, 5, 4)).astype(np.float32)
    layer = GraphConv(6, adjacency, activation="relu")
    outputs = np.asarray(layer(inputs))
    kernel, bias = (np.asarray(weight) for weight in (layer.kernel, layer.bias))
    expected = np.maximum(np.einsum("ij,bjf->bif", normalized_adjacency(adjacency), inputs) @ kernel + bias, 0)
    assert outputs.shape == (3, 5, 6)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-5)
    assert {weight.name: weight.trainable for weight in layer.weights}["normalized_adjacency"] is False


def test_graph_conv_mixes_only_neighbours():
    from models.graph import GraphConv

    nodes = 6
    adjacency = np.zeros((nodes, nodes))
    adjacency[0, 1] = adjacency[1, 0] = 1.0  # one edge; node 3 is isolated
    inputs = np.zeros((1, nodes, 1), dtype=np.float32)
    inputs[0, 1, 0] = 1.0
    outputs = np.asarray(GraphConv(2, adjacency, use_bias=False, kernel_initializer="ones")(inputs))
    assert outputs[0, 0].sum() > 0 and outputs[0, 1].sum() > 0
    assert np.all(outputs[0, 2:] == 0)


def test_graph_conv_round_trips_through_config_and_weights(tmp_path):
    import keras

    from models.graph import GraphConv

    adjacency = ring(4)
    inputs = keras.Input(shape=(4, 3))
    model = keras.Model(inputs, GraphConv(2, adjacency, name="graph_conv")(inputs))
    path = tmp_path / "graph.weights.h5"
    model.save_weights(path)
    clone = keras.Model.from_config(model.get_config())
    clone.load_weights(path)
    sample = np.random.default_rng(2).normal(size=(2, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(clone(sample)), np.asarray(model(sample)), rtol=1e-6)


@pytest.mark.parametrize("separate_self", [False, True])
def test_graph_gru_matches_numpy_oracle(separate_self):
    from models.graph import GraphGRU

    rng = np.random.default_rng(3)
    adjacency, units = ring(4), 3
    inputs = rng.normal(size=(2, 5, 4, 1)).astype(np.float32)  # (batch, steps, nodes, features)
    layer = GraphGRU(units, adjacency, separate_self=separate_self)
    outputs = np.asarray(layer(inputs))
    propagation = normalized_adjacency(adjacency)
    gate_kernel, gate_bias = np.asarray(layer.gate_kernel), np.asarray(layer.gate_bias)
    candidate_kernel, candidate_bias = np.asarray(layer.candidate_kernel), np.asarray(layer.candidate_bias)

    def sigmoid(values):
        return 1 / (1 + np.exp(-values))

    def convolve(values):  # (batch, nodes, width)
        mixed = propagation @ values
        return np.concatenate([values, mixed], -1) if separate_self else mixed

    state = np.zeros((2, 4, units))
    for step in range(5):
        current = inputs[:, step]
        gates = sigmoid(convolve(np.concatenate([current, state], -1)) @ gate_kernel + gate_bias)
        reset, update = gates[..., :units], gates[..., units:]
        candidate = np.tanh(convolve(np.concatenate([current, reset * state], -1)) @ candidate_kernel
                            + candidate_bias)
        state = update * state + (1 - update) * candidate
    np.testing.assert_allclose(outputs, state, rtol=1e-4, atol=1e-5)
