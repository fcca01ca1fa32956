"""Graph convolution (Kipf and Welling, 2017) and a graph-convolutional GRU (T-GCN, Zhao et al., 2019).

Written with `keras.ops` because the graph libraries (spektral, tensorflow-gnn) do not work
with Keras 3. The normalised adjacency is a non-trainable weight: it is saved with the
weights, and the layer config only records the number of nodes.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from models.checks import check_positive


def normalized_adjacency(adjacency: np.ndarray) -> np.ndarray:
    """Â = D^-½ (A + I) D^-½, with D the degree (row sums) of A + I. Float32 (nodes, nodes)."""
    adjacency = np.asarray(adjacency, dtype=np.float64)
    if adjacency.ndim != 2 or adjacency.shape[0] != adjacency.shape[1]:
        raise ValueError(f"adjacency must be a square (nodes, nodes) matrix, got shape {adjacency.shape}")
    if (adjacency < 0).any() or not np.isfinite(adjacency).all():
        raise ValueError("adjacency weights must be finite and non-negative")
    # Self-loops keep each node's own features. Kipf and Welling start from an A without self-loops;
    # los_adj.csv already has ones on its diagonal, so here each sensor gets weight 2 on itself.
    # The models were tuned and benchmarked this way, and the GCN lesson says so.
    with_self = adjacency + np.eye(len(adjacency))
    inverse_sqrt_degree = 1.0 / np.sqrt(with_self.sum(axis=1))
    return (with_self * inverse_sqrt_degree[:, None] * inverse_sqrt_degree[None, :]).astype(np.float32)


def _constant(values: np.ndarray | None):
    def initializer(shape, dtype=None):
        if values is None:
            return ops.zeros(shape, dtype=dtype)  # filled by load_weights
        return ops.convert_to_tensor(values, dtype=dtype)
    return initializer


@keras.saving.register_keras_serializable(package="dllab")
class GraphConv(layers.Layer):
    """(batch, nodes, features) -> (batch, nodes, units): activation(Â X W + b).

    Pass the raw weighted `adjacency` (normalised here). Rebuilt from its config, the layer
    has `nodes` but an all-zero Â until its weights are loaded.
    """

    def __init__(self, units: int, adjacency: np.ndarray | None = None, nodes: int | None = None,
                 activation=None, use_bias: bool = True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        check_positive(units=units)
        self.propagation_values = None if adjacency is None else normalized_adjacency(adjacency)
        if self.propagation_values is not None:
            if nodes is not None and nodes != len(self.propagation_values):
                raise ValueError(f"nodes={nodes} but the adjacency is {len(self.propagation_values)}x"
                                 f"{len(self.propagation_values)}")
            nodes = len(self.propagation_values)
        if nodes is None:
            raise ValueError("GraphConv needs the road graph: pass adjacency=(nodes, nodes) matrix")
        self.units = units
        self.nodes = nodes
        self.activation = keras.activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[1] != self.nodes:
            raise ValueError(f"GraphConv expects (batch, {self.nodes} nodes, features), got {input_shape}")
        self.propagation = self.add_weight(name="normalized_adjacency", shape=(self.nodes, self.nodes),
                                           initializer=_constant(self.propagation_values), trainable=False)
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer=self.kernel_initializer)
        self.bias = (self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer)
                     if self.use_bias else None)

    def call(self, inputs):
        transformed = ops.matmul(inputs, self.kernel)  # (batch, nodes, units)
        mixed = ops.einsum("ij,bjk->bik", self.propagation, transformed)  # (batch, nodes, units)
        if self.bias is not None:
            mixed = mixed + self.bias
        return self.activation(mixed)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "nodes": self.nodes,
                "activation": keras.activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer)}


@keras.saving.register_keras_serializable(package="dllab")
class GraphGRU(layers.Layer):
    """A GRU whose gates are graph convolutions (T-GCN): (batch, steps, nodes, features) ->
    (batch, nodes, units), the hidden state after the last step.

    r, u = sigmoid(Â [x_t, h] W_g + b_g); c = tanh(Â [x_t, r * h] W_c + b_c); h = u * h + (1 - u) * c.
    Inside the loop the state is laid out (nodes, batch, units), so each propagation by Â is
    one plain matrix product with no transposes: this is the slow part of the model.
    """

    def __init__(self, units: int, adjacency: np.ndarray | None = None, nodes: int | None = None,
                 separate_self: bool = False, **kwargs):
        super().__init__(**kwargs)
        check_positive(units=units)
        self.units = units
        self.separate_self = separate_self
        self.propagation_values = None if adjacency is None else normalized_adjacency(adjacency)
        if self.propagation_values is not None:
            nodes = len(self.propagation_values)
        if nodes is None:
            raise ValueError("GraphGRU needs the road graph: pass adjacency=(nodes, nodes) matrix")
        self.nodes = nodes

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[2] != self.nodes:
            raise ValueError(f"GraphGRU expects (batch, steps, {self.nodes} nodes, features), got {input_shape}")
        width = (input_shape[3] + self.units) * (2 if self.separate_self else 1)
        self.propagation = self.add_weight(name="normalized_adjacency", shape=(self.nodes, self.nodes),
                                           initializer=_constant(self.propagation_values), trainable=False)
        self.gate_kernel = self.add_weight(name="gate_kernel", shape=(width, 2 * self.units))
        # Gate biases start at 1, as in T-GCN, so the cell begins by keeping its memory.
        self.gate_bias = self.add_weight(name="gate_bias", shape=(2 * self.units,), initializer="ones")
        self.candidate_kernel = self.add_weight(name="candidate_kernel", shape=(width, self.units))
        self.candidate_bias = self.add_weight(name="candidate_bias", shape=(self.units,), initializer="zeros")

    def propagate(self, values):
        nodes, batch, width = self.nodes, ops.shape(values)[1], values.shape[2]
        flat = ops.reshape(values, (nodes, -1))  # (nodes, batch * width)
        mixed = ops.reshape(ops.matmul(self.propagation, flat), (nodes, batch, width))  # (nodes, batch, width)
        if self.separate_self:
            # A node's own values also get their own weights (as in GraphSAGE) instead of being
            # averaged with its neighbours' only.
            mixed = ops.concatenate([values, mixed], axis=-1)  # (nodes, batch, 2 * width)
        return mixed

    def step(self, current, state):
        """One GRU step; current (nodes, batch, features), state (nodes, batch, units)."""
        mixed = self.propagate(ops.concatenate([current, state], axis=-1))
        gates = ops.sigmoid(ops.matmul(mixed, self.gate_kernel) + self.gate_bias)  # (nodes, batch, 2 * units)
        reset, update = gates[..., :self.units], gates[..., self.units:]
        mixed = self.propagate(ops.concatenate([current, reset * state], axis=-1))
        candidate = ops.tanh(ops.matmul(mixed, self.candidate_kernel) + self.candidate_bias)
        return update * state + (1.0 - update) * candidate

    def call(self, inputs):
        sequence = ops.transpose(inputs, (1, 2, 0, 3))  # (steps, nodes, batch, features)
        state = ops.zeros_like(ops.repeat(sequence[0, :, :, :1], self.units, axis=-1))  # (nodes, batch, units)
        # A symbolic loop rather than a Python one: the unrolled graph took ten times longer
        # to trace than one epoch of training on the full data.
        state = ops.fori_loop(0, inputs.shape[1], lambda step, state: self.step(sequence[step], state), state)
        return ops.transpose(state, (1, 0, 2))  # (batch, nodes, units)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.nodes, self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "nodes": self.nodes,
                "separate_self": self.separate_self}


@keras.saving.register_keras_serializable(package="dllab")
class NodeEmbedding(layers.Layer):
    """(batch, nodes, any) -> (batch, nodes, dim): a learned vector per node, the same for every
    sample (STID, Shao et al., 2022). It lets weights shared by all nodes still tell the nodes
    apart, e.g. learn each sensor's usual speed; the input only gives the batch size."""

    def __init__(self, nodes: int, dim: int, **kwargs):
        super().__init__(**kwargs)
        check_positive(nodes=nodes, dim=dim)
        self.nodes = nodes
        self.dim = dim

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[1] != self.nodes:
            raise ValueError(f"NodeEmbedding expects (batch, {self.nodes} nodes, features), got {input_shape}")
        # Small uniform values, as STID initialises its embeddings: the model starts close to one
        # that ignores which node it is.
        self.table = self.add_weight(name="table", shape=(self.nodes, self.dim),
                                     initializer=keras.initializers.RandomUniform(-0.1, 0.1))

    def call(self, inputs):
        return ops.broadcast_to(self.table[None], (ops.shape(inputs)[0], self.nodes, self.dim))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.nodes, self.dim)

    def get_config(self):
        return {**super().get_config(), "nodes": self.nodes, "dim": self.dim}


@keras.saving.register_keras_serializable(package="dllab")
class GraphPropagation(layers.Layer):
    """(batch, nodes, features) -> (batch, nodes, features): Â X, each node's features replaced by
    the normalised weighted sum over itself and its neighbours, with no weights of its own.

    Call one instance at every hop: the graph is then stored once (a (nodes, nodes) weight), not
    once per layer as in `GraphConv`. A Dense layer after it gives Â X W.
    """

    def __init__(self, adjacency: np.ndarray | None = None, nodes: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.propagation_values = None if adjacency is None else normalized_adjacency(adjacency)
        if self.propagation_values is not None:
            nodes = len(self.propagation_values)
        if nodes is None:
            raise ValueError("GraphPropagation needs the road graph: pass adjacency=(nodes, nodes) matrix")
        self.nodes = nodes

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[1] != self.nodes:
            raise ValueError(f"GraphPropagation expects (batch, {self.nodes} nodes, features), got {input_shape}")
        self.propagation = self.add_weight(name="normalized_adjacency", shape=(self.nodes, self.nodes),
                                           initializer=_constant(self.propagation_values), trainable=False)

    def call(self, inputs):
        return ops.einsum("ij,bjk->bik", self.propagation, inputs)  # (batch, nodes, features)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "nodes": self.nodes}
