"""Traffic forecasters: input (batch, input_steps, sensors) z-scored speeds, output
(batch, horizon, sensors). Per-node models share their weights across sensors."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from models.checks import check_positive, check_rate
from models.graph import GraphConv, GraphGRU, GraphPropagation, NodeEmbedding

INPUT_STEPS = 12
HORIZON = 12


@keras.saving.register_keras_serializable(package="dllab")
class FoldNodes(layers.Layer):
    """(batch, sensors, steps) -> (batch * sensors, steps, 1): every sensor becomes its own
    sequence, so one recurrent layer serves all sensors (faster than TimeDistributed, which
    maps the layer over sensors one by one)."""

    def call(self, inputs):
        return ops.reshape(inputs, (-1, inputs.shape[2], 1))  # (batch * sensors, steps, 1)

    def compute_output_shape(self, input_shape):
        return (None, input_shape[2], 1)


@keras.saving.register_keras_serializable(package="dllab")
class UnfoldNodes(layers.Layer):
    """(batch * sensors, features) -> (batch, sensors, features)."""

    def __init__(self, sensors: int, **kwargs):
        super().__init__(**kwargs)
        self.sensors = sensors

    def call(self, inputs):
        return ops.reshape(inputs, (-1, self.sensors, inputs.shape[-1]))  # (batch, sensors, features)

    def compute_output_shape(self, input_shape):
        return (None, self.sensors, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "sensors": self.sensors}


def masked_mae(mean: float, std: float):
    """MAE on z-scores over the entries whose true speed is not zero (a missing reading)."""
    def loss(y_true, y_pred):
        observed = ops.cast(ops.greater(y_true * std + mean, 1e-3), y_pred.dtype)
        return ops.sum(ops.abs(y_pred - y_true) * observed) / ops.maximum(ops.sum(observed), 1.0)

    loss.__name__ = "masked_mae"
    return loss


def check_shapes(sensors: int, input_steps: int, horizon: int) -> None:
    check_positive(sensors=sensors, input_steps=input_steps, horizon=horizon)


def graph(adjacency: np.ndarray | None, sensors: int) -> np.ndarray:
    """The road graph; None (only for counting parameters) stands for a graph without edges."""
    if adjacency is None:
        return np.eye(sensors, dtype=np.float32)
    adjacency = np.asarray(adjacency)
    if adjacency.shape != (sensors, sensors):
        raise ValueError(f"adjacency must be ({sensors}, {sensors}) for {sensors} sensors, got {adjacency.shape}")
    return adjacency


def per_node_inputs(input_steps: int, sensors: int):
    inputs = keras.Input(shape=(input_steps, sensors), name="speeds")
    per_node = layers.Permute((2, 1))(inputs)  # (batch, sensors, input_steps)
    return inputs, per_node


def forecast(per_node_features, horizon: int, name: str, inputs) -> keras.Model:
    x = layers.Dense(horizon, name="forecast")(per_node_features)  # (batch, sensors, horizon)
    outputs = layers.Permute((2, 1), name="speeds_ahead")(x)  # (batch, horizon, sensors)
    return keras.Model(inputs, outputs, name=name)


def build_dnn(sensors: int, input_steps: int = INPUT_STEPS, horizon: int = HORIZON,
              hidden_units: tuple[int, ...] = (128, 128), dropout: float = 0.0) -> keras.Model:
    """Per-node feed-forward on each sensor's window: no graph, no notion of order in time."""
    check_shapes(sensors, input_steps, horizon)
    check_positive(**{f"hidden_units[{index}]": units for index, units in enumerate(hidden_units)})
    check_rate(dropout=dropout)
    inputs, x = per_node_inputs(input_steps, sensors)
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)  # (batch, sensors, units)
        x = layers.Dropout(dropout)(x)
    return forecast(x, horizon, "traffic_dnn", inputs)


def build_cnn(sensors: int, input_steps: int = INPUT_STEPS, horizon: int = HORIZON,
              filters: int = 32, kernel_size: int = 3, hidden_units: int = 128) -> keras.Model:
    """Two temporal convolutions per sensor (a (1, k) kernel never mixes sensors)."""
    check_shapes(sensors, input_steps, horizon)
    check_positive(filters=filters, kernel_size=kernel_size, hidden_units=hidden_units)
    if 2 * (kernel_size - 1) >= input_steps:
        raise ValueError(f"kernel_size {kernel_size} is too long for {input_steps} input steps")
    inputs, x = per_node_inputs(input_steps, sensors)
    x = layers.Reshape((sensors, input_steps, 1))(x)  # (batch, sensors, input_steps, 1)
    x = layers.Conv2D(filters, (1, kernel_size), activation="relu")(x)  # (batch, sensors, steps - k + 1, filters)
    x = layers.Conv2D(filters, (1, kernel_size), activation="relu")(x)  # (batch, sensors, steps - 2k + 2, filters)
    remaining = input_steps - 2 * (kernel_size - 1)
    x = layers.Reshape((sensors, remaining * filters))(x)  # (batch, sensors, remaining * filters)
    x = layers.Dense(hidden_units, activation="relu")(x)
    return forecast(x, horizon, "traffic_cnn", inputs)


def build_lstm(sensors: int, input_steps: int = INPUT_STEPS, horizon: int = HORIZON,
               units: int = 64) -> keras.Model:
    """FC-LSTM: one LSTM, shared by all sensors, reads each sensor's window step by step."""
    check_shapes(sensors, input_steps, horizon)
    check_positive(units=units)
    inputs, x = per_node_inputs(input_steps, sensors)
    x = FoldNodes()(x)  # (batch * sensors, input_steps, 1)
    x = layers.LSTM(units)(x)  # (batch * sensors, units)
    x = UnfoldNodes(sensors)(x)  # (batch, sensors, units)
    return forecast(x, horizon, "traffic_lstm", inputs)


def build_gcn(sensors: int, adjacency: np.ndarray | None = None, input_steps: int = INPUT_STEPS,
              horizon: int = HORIZON, hidden_units: int = 64, layers_count: int = 2) -> keras.Model:
    """Graph convolutions over the road graph; the window is just a feature vector per node."""
    check_shapes(sensors, input_steps, horizon)
    check_positive(hidden_units=hidden_units, layers_count=layers_count)
    adjacency = graph(adjacency, sensors)
    inputs, x = per_node_inputs(input_steps, sensors)
    for _ in range(layers_count):
        x = GraphConv(hidden_units, adjacency, activation="relu")(x)  # (batch, sensors, hidden_units)
    return forecast(x, horizon, "traffic_gcn", inputs)


def build_gcn_gru(sensors: int, adjacency: np.ndarray | None = None, input_steps: int = INPUT_STEPS,
                  horizon: int = HORIZON, units: int = 32, window_skip: bool = True, separate_self: bool = True,
                  hidden_units: int = 128) -> keras.Model:
    """T-GCN: a GRU whose gates are graph convolutions, then a per-node dense forecast.

    With `window_skip` the forecast layer also sees the sensor's own window (a skip connection
    around the recurrent part), so the model starts from what a per-node network knows and the
    graph GRU only has to learn what the neighbours add: it trains in a few epochs instead of
    dozens.
    """
    check_shapes(sensors, input_steps, horizon)
    check_positive(units=units, hidden_units=hidden_units)
    adjacency = graph(adjacency, sensors)
    inputs = keras.Input(shape=(input_steps, sensors), name="speeds")
    x = layers.Reshape((input_steps, sensors, 1))(inputs)  # (batch, input_steps, sensors, 1)
    x = GraphGRU(units, adjacency, separate_self=separate_self)(x)  # (batch, sensors, units)
    if window_skip:
        window = layers.Permute((2, 1))(inputs)  # (batch, sensors, input_steps)
        x = layers.Concatenate()([x, window])  # (batch, sensors, units + input_steps)
    x = layers.Dense(hidden_units, activation="relu")(x)  # (batch, sensors, hidden_units)
    return forecast(x, horizon, "traffic_gcn_gru", inputs)


def build_gcn_embed(sensors: int, adjacency: np.ndarray | None = None, input_steps: int = INPUT_STEPS,
                    horizon: int = HORIZON, width: int = 64, node_dim: int = 16, blocks: int = 3,
                    dropout: float = 0.1) -> keras.Model:
    """Graph residual blocks over learned node embeddings (after STID, Shao et al., 2022).

    Each sensor's window is encoded with a learned vector of its own (`NodeEmbedding`), so the
    shared weights can still learn what is particular to a sensor (its usual speed, how fast it
    recovers). Each block then adds a dense update of the sensor's own features and a graph
    convolution of its neighbours' (Â X W): `blocks` hops of the road graph in all, with a skip
    connection around every block. The window itself goes to the forecast layer too.
    """
    check_shapes(sensors, input_steps, horizon)
    check_positive(width=width, node_dim=node_dim, blocks=blocks)
    check_rate(dropout=dropout)
    adjacency = graph(adjacency, sensors)
    inputs, window = per_node_inputs(input_steps, sensors)
    x = layers.Dense(width)(window)  # (batch, sensors, width)
    nodes = NodeEmbedding(sensors, node_dim)(window)  # (batch, sensors, node_dim)
    x = layers.Dense(width)(layers.Concatenate()([x, nodes]))  # (batch, sensors, width)
    propagate = GraphPropagation(adjacency)  # one layer for every block: the graph is stored once
    for _ in range(blocks):
        own = layers.Dense(width)(x)
        neighbours = layers.Dense(width, use_bias=False)(propagate(x))  # Â X W: (batch, sensors, width)
        update = layers.Activation("relu")(layers.Add()([own, neighbours]))
        update = layers.Dropout(dropout)(update)
        x = layers.Add()([x, layers.Dense(width)(update)])  # (batch, sensors, width)
    x = layers.Concatenate()([x, window])  # (batch, sensors, width + input_steps)
    return forecast(x, horizon, "traffic_gcn_embed", inputs)
