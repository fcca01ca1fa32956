"""Lesson 13: vanishing and exploding gradients: layer by layer, over time, and gradient clipping."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gradients as grads
from lessons.quiz import Correction, Question
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.matrix_charts import lines_chart, path_chart

SCRIPT = "views/lessons/gradients.py"
lesson_header(SCRIPT)

st.markdown(
    "Backpropagation multiplies: the gradient that reaches a layer is the product of one factor per "
    "layer above it (weight × activation slope). Multiply many numbers below 1 and the product "
    "**vanishes**: the first layers hardly learn. Multiply many above 1 and it **explodes**: one "
    "update throws the weights far away and the loss becomes NaN. A recurrent network is deep in "
    "time, so it has the same problem over long sequences.")

st.header("Layer by layer")
COMBINATIONS = {"sigmoid, Glorot init": ("sigmoid", "glorot"), "tanh, Glorot init": ("tanh", "glorot"),
                "ReLU, Glorot init": ("relu", "glorot"), "ReLU, He init": ("relu", "he")}
controls = st.columns([1, 1, 2])
depth = controls[0].slider("Hidden layers", 2, 30, 12)
width = controls[1].slider("Units per layer", 4, 64, 32)
chosen = controls[2].multiselect("Networks", list(COMBINATIONS), default=["sigmoid, Glorot init", "ReLU, He init"])
x, y = grads.regression_batch()
frames = []
for name in chosen:
    activation, init = COMBINATIONS[name]
    norms = grads.layer_gradient_norms(grads.init_mlp(depth, width, x.shape[1], init), x, y, activation)
    frames.append(pd.DataFrame({"layer": np.arange(1, depth + 1), "norm": norms[:depth], "network": name}))
if frames:
    layers = pd.concat(frames)
    st.altair_chart(lines_chart(layers, "layer", "norm", "network", "Hidden layer (1 = next to the input)",
                                "‖∂loss / ∂weights‖ (log scale)", "Gradient size per layer, one batch",
                                log_y=True), width="stretch")
    ratios = {name: frame["norm"].iloc[0] / frame["norm"].iloc[-1] for name, frame in layers.groupby("network")}
    st.caption("First layer's gradient ÷ last hidden layer's: " + ", ".join(
        f"{name}: {ratio:.1e}" for name, ratio in ratios.items()) + ". Computed by our NumPy backpropagation, "
        "which the tests check against TensorFlow's automatic differentiation.")
st.markdown(
    "The sigmoid's slope is at most 1/4, so each sigmoid layer shrinks the gradient (with Keras' "
    "default Glorot weights, by about 4× per layer). ReLU's slope is 1 where it is active; with "
    "**He** initialisation (weights scaled for ReLU) the gradient keeps its size through every layer. "
    "That, not depth alone, is why deep networks became trainable.")

st.subheader("\"Only when |w| > 4 can a sigmoid network explode\"")
st.markdown("Note 000's argument: a sigmoid layer multiplies the gradient by |w| × σ'(z) ≤ |w| / 4, "
            "so it can exceed 1 only if |w| > 4. Check it on a chain where every weight is w and every "
            "pre-activation is 0 (σ' = 1/4 exactly), then make the layers wider.")
chain_controls = st.columns(2)
weight = chain_controls[0].slider("Every weight w", 0.1, 8.0, 5.0, 0.1)
chain_width = chain_controls[1].slider("Units per layer", 1, 16, 1)
chain = grads.layer_gradient_norms(grads.constant_mlp(10, chain_width, weight),
                                   np.full((4, chain_width), 0.5), np.zeros((4, 1)), "sigmoid")
growth = chain[0] / chain[1]
units = f"{chain_width} unit{'s' if chain_width > 1 else ''}"
verdict = "explodes" if growth > 1.0001 else "vanishes" if growth < 0.9999 else "stays put"
st.markdown(f"Measured: each layer multiplies the gradient by **{growth:.3f}** "
            f"(= {units} × |w| × 1/4 = {chain_width * weight / 4:.3f}), so it **{verdict}** "
            f"towards the input; layer 1 gets {chain[0] / chain[-2]:.2g}× the gradient of layer 10.")
st.caption("One unit wide, a factor above 1 needs |w| > 4: true. With n units per layer the factor is "
           "the weight *matrix's* norm × 1/4 = n × |w| / 4 here, so w = 0.5 already explodes at 10 units. And "
           f"in a real network z is rarely 0: large weights push z into the flat part of the sigmoid "
           f"(|w| = 100 at z = 10 gives a factor of {grads.chain_factor(100.0, 10.0):.4f}), so sigmoid "
           "networks explode only in a narrow band of inputs. Vanishing is by far the common case.")

st.header("Over time")
st.markdown("An RNN applies the same recurrent weights at every step, so the gradient from step T "
            "back to the first input is a product of T factors. Its size follows the recurrent "
            "matrix's scale (spectral radius): below 1 it vanishes, above 1 it explodes, and tanh's "
            "slope (at most 1) adds extra shrinking and eventually stops the growth.")
time_controls = st.columns(2)
gain = time_controls[0].slider("Recurrent weight scale", 0.5, 2.0, 1.2, 0.05)
activation = time_controls[1].segmented_control("Activation", ["linear", "tanh"], default="linear") or "linear"
steps = np.arange(1, 61)
over_time = pd.DataFrame({"steps": steps, "norm": grads.rnn_sensitivity(60, gain=gain, activation=activation),
                          "network": f"{activation} RNN, scale {gain:.2f}"})
st.altair_chart(lines_chart(over_time, "steps", "norm", "network", "Steps back in time (T)",
                            "‖∂h_T / ∂x_1‖ (log scale)", "Gradient reaching the first input", log_y=True),
                width="stretch")

st.header("Gradient clipping")
st.markdown("The standard fix for exploding gradients. **By value**: cut every component to "
            "[−c, c] (cheap, but it can turn the gradient). **By norm**: if the gradient is longer than "
            "c, shrink it to length c (same direction). Keras: `clipvalue=`, `clipnorm=` (each variable "
            "separately) or `global_clipnorm=` (all variables together) on any optimizer; the app's "
            "training pages offer clipping by global norm.")
vector_controls = st.columns(3)
first = vector_controls[0].number_input("Gradient component 1", -100.0, 100.0, 3.0)
second = vector_controls[1].number_input("Gradient component 2", -100.0, 100.0, -4.0)
limit = vector_controls[2].number_input("Limit c", 0.1, 50.0, 1.0)
gradient = np.array([first, second])
rows = {"original": gradient, "clipped by value": grads.clip_by_value(gradient, limit),
        "clipped by norm": grads.clip_by_norm(gradient, limit)}
st.dataframe(pd.DataFrame([{"gradient": name, "component 1": vector[0], "component 2": vector[1],
                            "length": np.linalg.norm(vector),
                            "direction (degrees)": np.degrees(np.arctan2(vector[1], vector[0]))}
                           for name, vector in rows.items()]).round(3), hide_index=True)

st.subheader("Clipping at work: gradient descent over a cliff")
st.markdown("The loss (w₁ − 1)⁴/4 + 10 (w₂ − 1)⁴/4 is gentle near its minimum (1, 1) and a cliff far "
            "from it. Starting at (−4, 4) the first gradient is huge.")
descent_controls = st.columns(2)
rate = descent_controls[0].slider("Learning rate", 0.01, 0.3, 0.1, 0.01)
cliff_limit = descent_controls[1].slider("Clipping limit", 0.5, 20.0, 5.0, 0.5)
runs, paths = [], []
for clipping in ("none", "value", "norm"):
    path = grads.descend([-4.0, 4.0], rate, 60, clipping, cliff_limit)
    losses = np.array([grads.cliff_loss(point) for point in path])
    finite = np.isfinite(losses)
    label = "no clipping" if clipping == "none" else f"clip by {clipping}"
    if not finite.all():
        st.warning(f"{label}: the first step jumps to ({path[1][0]:.3g}, {path[1][1]:.3g}) and the loss "
                   f"overflows at step {int(np.argmin(finite))}; the weights become inf, then NaN.",
                   icon=":material/warning:")
        continue
    runs.append(pd.DataFrame({"step": np.arange(len(path)), "loss": losses.clip(min=1e-12), "run": label}))
    paths.append(pd.DataFrame({"step": np.arange(len(path)), "w1": path[:, 0], "w2": path[:, 1], "run": label}))
if runs:
    charts = st.columns(2)
    charts[0].altair_chart(lines_chart(pd.concat(runs), "step", "loss", "run", "Step", "Loss (log scale)",
                                       "Loss per step (runs that stayed finite)", log_y=True), width="stretch")
    charts[1].altair_chart(path_chart(pd.concat(paths), "Where each run went", tuple(grads.TARGET)),
                           width="stretch")
    st.caption("Clipping by value first moves diagonally (both components cut to the limit); clipping by "
               "norm follows the true downhill direction with a bounded step.")

clipped_example = grads.clip_by_norm(np.array([3.0, -4.0]), 1.0)
quiz([
    Question("In a deep sigmoid network with ordinary initial weights, which layers learn slowest?",
             ("The ones next to the input", "The ones next to the output", "All alike"), 0,
             "Their gradient has passed through the most sigmoid slopes (each at most 1/4)."),
    Question("The gradient (3, −4) is clipped by norm with c = 1. What is the result?",
             ("(1, −1)", f"({clipped_example[0]:g}, {clipped_example[1]:g})", "(3, −4)", "(0.75, −1)"), 1,
             "Its length is 5, so it is scaled by 1/5: same direction, length 1. Clipping by value "
             "would give (1, −1), which points elsewhere."),
    Question("Which clipping keeps the direction of the gradient?", ("By value", "By norm", "Both"), 1,
             "By norm rescales the whole vector; by value cuts components independently."),
    Question("A sigmoid network one unit wide, every pre-activation 0. Which weight can make gradients explode?",
             ("|w| = 3", "|w| = 5", "None: sigmoids never explode"), 1,
             f"The factor per layer is |w|/4: {grads.chain_factor(3.0):.2f} for 3, {grads.chain_factor(5.0):.2f} "
             "for 5. With wider layers the weight *matrix* counts, so smaller weights can explode too."),
    Question("An RNN's recurrent weights have scale 0.8 and the activation is linear. About how big is the "
             "gradient from 50 steps back, relative to 1 step back?",
             ("0.8 × 50 = 40", "0.8⁵⁰ ≈ 1e-5", "0.8"), 1,
             "One factor per step: it shrinks geometrically."),
], key="gradients")

corrections([
    Correction("Note 000", "Because sigmoid' ≤ 1/4, gradients can explode only when |w| > 4.",
               "True for a chain one unit wide at σ'(z) = 1/4. A layer of n units multiplies by the weight "
               "matrix, so n · |w| / 4 > 1 is enough (w = 0.5 with 10 units above). Large weights also "
               "saturate the sigmoid, so the condition holds only for a narrow band of inputs."),
    Correction("Note 003", "Each step multiplies the error by the weight W: W < 1 vanishes, W > 1 explodes.",
               "The scalar picture. With many units it is the recurrent matrix's scale (largest singular "
               "value or spectral radius) together with the activation's slopes, which only shrink."),
    Correction("Note 000", "BPTT is an upgraded backpropagation used for RNN clipping.",
               "Backpropagation through time is ordinary backpropagation on the network unrolled over "
               "the time steps. Clipping is a separate fix for the exploding gradients it can produce."),
])
next_steps("views/lessons/lstm_gru.py", "views/tasks/sentiment.py")
