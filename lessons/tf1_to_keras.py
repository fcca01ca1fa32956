"""Lesson 8, the TF1 layer of note 001, repaired, and the same layer in Keras 3 and in NumPy.

The page shows the source of `tf1_layer` and `keras_layer` with `inspect`, so the code on screen
is the code the tests run. The notes' snippet itself is kept as text and checked with `ast`: it
uses a name it never defines (Z) and defines a bias it never uses (B).
"""

from __future__ import annotations

import ast
import builtins

import numpy as np

from i18n import N_
from lessons.quiz import NOTE_PARTLY, Correction, Question

NOTES_CODE = """\
# 数据集 (the data set)
X = tf.placeholder(tf.float32, shape=(None,features_num))
# Weight, 权重矩阵 (the weight matrix)
W = tf.Variable(tf.random_normal(shape=[features_num, hidden_layer_nodes_num]))
# 偏移量矩阵 (the bias)
B = tf.Variable(tf.ones(shape=([hidden_layer_nodes_num])))
# 构建神经网络计算图 (build the graph)
XW = tf.matmul(X,W)
# Activation Function | 激活函数
A = tf.sigmoid(Z)
"""

# Names the snippet takes from its surroundings rather than defining.
NOTES_CONTEXT = {"tf", "features_num", "hidden_layer_nodes_num"}


def name_problems(code: str, provided: set[str] = NOTES_CONTEXT) -> dict[str, list[str]]:
    """Names read before any assignment ('undefined') and names assigned but never read ('unused')."""
    assigned, read_before_assignment, read = set(), [], set()
    for statement in ast.parse(code).body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                read.add(node.id)
                known = assigned | provided | set(dir(builtins))
                if node.id not in known and node.id not in read_before_assignment:
                    read_before_assignment.append(node.id)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assigned.add(node.id)
    return {"undefined": read_before_assignment, "unused": sorted(assigned - read - {"A"})}


def example_arrays(examples: int = 4, features: int = 3, units: int = 2,
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs X (examples, features), weights W (features, units) and bias B (units,), float32."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(examples, features)).astype("float32"),
            rng.normal(size=(features, units)).astype("float32"),
            np.ones(units, dtype="float32"))


def numpy_layer(X, W, B):
    return 1.0 / (1.0 + np.exp(-(X @ W + B)))


def tf1_layer(X_value, W_value, B_value):
    """The notes' code with its two bugs fixed (Z = XW + B), run the TF1 way: build a graph of
    placeholders and variables, then feed data through a session (tf.compat.v1 in TF 2)."""
    import tensorflow as tf

    features_num, hidden_layer_nodes_num = W_value.shape
    graph = tf.Graph()
    with graph.as_default():
        X = tf.compat.v1.placeholder(tf.float32, shape=(None, features_num))
        W = tf.compat.v1.Variable(W_value)  # the notes start from tf.random_normal
        B = tf.compat.v1.Variable(B_value)  # the notes start from tf.ones
        XW = tf.matmul(X, W)
        Z = XW + B  # the line the notes left out
        A = tf.sigmoid(Z)
        initialise = tf.compat.v1.global_variables_initializer()
    with tf.compat.v1.Session(graph=graph) as session:
        session.run(initialise)
        return session.run(A, feed_dict={X: X_value})


def keras_layer(X_value, W_value, B_value):
    """The same layer in Keras 3: a Dense layer owns W and B and runs eagerly, no session."""
    import keras

    features_num, hidden_layer_nodes_num = W_value.shape
    inputs = keras.Input(shape=(features_num,))
    layer = keras.layers.Dense(hidden_layer_nodes_num, activation="sigmoid")
    model = keras.Model(inputs, layer(inputs))
    layer.set_weights([W_value, B_value])  # Keras would start from Glorot-uniform W and zero B
    return keras.ops.convert_to_numpy(model(X_value))


def compare_layers(seed: int = 0) -> dict[str, np.ndarray | float]:
    """Run all three versions on the same numbers; the outputs must agree to float32 precision."""
    X, W, B = example_arrays(seed=seed)
    outputs = {"NumPy": numpy_layer(X, W, B), N_("TF1 graph + session"): tf1_layer(X, W, B),  # N_: shown
               "Keras 3 Dense": keras_layer(X, W, B)}
    reference = outputs["NumPy"]
    difference = max(float(np.max(np.abs(value - reference))) for value in outputs.values())
    return {**outputs, "largest difference": difference}


# ---- check yourself, and the course notes checked ------------------------------------------------

QUESTIONS = [
    Question("What is wrong with the notes' last line, `A = tf.sigmoid(Z)`?",
             ("Nothing", "`tf.sigmoid` does not exist", "`A` must be called `Y`",
              "`Z` is never defined: it should be `Z = XW + B`, and `B` is otherwise never used"), 3,
             "The code computes `XW` and creates `B` but never adds them; running it raises `NameError: name 'Z' is "
             "not defined`. The repaired TF1 version on this page adds `Z = XW + B`."),
    Question("In Keras 3, what takes the place of `tf.placeholder`?",
             ("`keras.Input(shape=…)`, or simply passing NumPy arrays to the model", "`tf.Session`",
              "`tf.Variable`", "Nothing can"), 0,
             "TF 2 runs eagerly, so there is no graph to feed: `keras.Input` describes the input shape for the "
             "functional API, and `fit`/`predict`/calls take arrays directly."),
    Question("What shape is the weight matrix of `Dense(units)` applied to inputs with `d` features?",
             ("`(units, d)`", "`(d, units)`", "`(d,)`", "`(units,)`"), 1,
             "Keras stores the weights (its `kernel`) as `(inputs, units)`, like the notes' `W` of shape "
             "`[features_num, hidden_layer_nodes_num]`, so `outputs = inputs @ kernel + bias`."),
    Question("How does `keras.layers.Dense` initialise its weights and biases by default?",
             ("Standard normal weights and biases of one, like the notes", "All zeros",
              "Glorot-uniform weights and zero biases", "All ones"), 2,
             "Glorot scaling keeps pre-activations in a sensible range; standard-normal weights over many inputs "
             "saturate sigmoids, and all-equal weights would keep units identical (lesson 5)."),
]

CORRECTIONS = [
    Correction("note 001", "`A = tf.sigmoid(Z)` after `XW = tf.matmul(X, W)`.",
               "`Z` is never defined and `B` is never used: the line missing is `Z = XW + B` (or `tf.add(XW, B)`)."),
    Correction("note 001", "`tf.placeholder`, `tf.random_normal` and sessions build the network.",
               "That is the TensorFlow 1 API. TF 2 removed them from the main namespace (`tf.compat.v1.placeholder`, "
               "`tf.random.normal`); Keras 3 uses `keras.Input` and `layers.Dense` and runs eagerly.",
               kind=NOTE_PARTLY),
    Correction("note 001", "`W` starts from `tf.random_normal` (standard deviation 1) and `B` from `tf.ones`.",
               "Legal, but a poor default: with many inputs, standard-deviation-1 weights give large sums that "
               "saturate a sigmoid. Keras defaults to Glorot-uniform weights and zero biases.", kind=NOTE_PARTLY),
]
