"""Lesson 13: vanishing and exploding gradients: layer by layer, over time, and gradient clipping."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gradients as grads
from ui.curve_charts import lines_chart
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import path_chart

SCRIPT = "views/lessons/gradients.py"
lesson_header(SCRIPT)

st.markdown(
    "Backpropagation multiplies: the gradient that reaches a layer is the product of one factor per "
    "layer above it (weight × activation slope). Multiply many numbers below 1 and the product "
    "**vanishes**: the first layers hardly learn. Multiply many above 1 and it **explodes**: one "
    "update throws the weights far away and the loss becomes NaN. A recurrent network is deep in "
    "time, so it has the same problem over long sequences.")


@st.fragment
def layer_by_layer():
    st.header("Layer by layer")
    controls = st.columns([1, 1, 2])
    depth = controls[0].slider("Hidden layers", 2, 30, 12)
    width = controls[1].slider("Units per layer", 4, 64, 32)
    chosen = controls[2].multiselect("Networks", list(grads.NETWORKS),
                                     default=["sigmoid, Glorot init", "ReLU, He init"])
    norms, dead = grads.compare_layers(chosen, depth, width)
    frames = [pd.DataFrame({"layer": np.arange(1, depth + 1), "norm": values, "network": name})
              for name, values in norms.items()]
    if frames:
        layers = pd.concat(frames)
        st.altair_chart(lines_chart(layers[layers["norm"] > 0], "layer", "norm", "network",
                                    "Hidden layer (1 = next to the input)", "‖∂loss / ∂weights‖ (log scale)",
                                    "Gradient size per layer, one batch", log_y=True), width="stretch")
        ratios = {name: (f"{frame['norm'].iloc[0] / frame['norm'].iloc[-1]:.1e}" if frame["norm"].iloc[-1] > 0
                         else "undefined (0 ÷ 0)") for name, frame in layers.groupby("network")}
        st.caption("First layer's gradient ÷ last hidden layer's: " + ", ".join(
            f"{name}: {ratio}" for name, ratio in ratios.items()) + ". Computed by our NumPy backpropagation, "
            "which the tests check against TensorFlow's automatic differentiation.")
    for name, layer in dead.items():
        st.markdown(
            f"**{name}, {width} units wide: hidden layer {layer} is dead.** Every one of its ReLUs gets a "
            "negative input for every example of the batch, so it outputs 0 and passes back a slope of 0 "
            "(*dying ReLUs*). Nothing crosses a dead layer in either direction: every weight gets a gradient "
            "of exactly 0 and the network cannot recover by training. With only a few units per layer "
            "this happens easily; wider layers, a small positive bias or a leaky ReLU make it unlikely.")
    st.markdown(
        "The sigmoid's slope is at most 1/4, so each sigmoid layer shrinks the gradient (with Keras' "
        "default Glorot weights, by about 4× per layer). ReLU's slope is 1 where it is active, so with "
        "weights scaled for it (**He** initialisation) the gradient keeps roughly its size through every "
        "layer, as long as the units stay alive. Activations and initial weights that keep the gradient's "
        "size from layer to layer are one reason deep networks became trainable; normalisation layers "
        "(batch normalisation) and residual connections are the others, and very deep networks use all three.")


@st.fragment
def when_sigmoids_explode():
    st.subheader("\"Only when |w| > 4 can a sigmoid network explode\"")
    st.markdown("Note 000's argument: a sigmoid layer multiplies the gradient by |w| × σ'(z) ≤ |w| / 4, "
                "so it can exceed 1 only if |w| > 4. Check it on a chain where every weight is w and every "
                "pre-activation is 0 (σ' = 1/4 exactly), then make the layers wider.")
    chain_controls = st.columns(2)
    weight = chain_controls[0].slider("Every weight w", 0.1, 8.0, 5.0, 0.1)
    chain_width = chain_controls[1].slider("Units per layer", 1, 16, 1)
    chain = grads.sigmoid_chain(weight, chain_width)
    units = f"{chain_width} unit{'s' if chain_width > 1 else ''}"
    st.markdown(f"Measured: each layer multiplies the gradient by **{chain['factor']:.3f}** "
                f"(= {units} × |w| × 1/4 = {chain_width * weight / 4:.3f}), so it "
                f"**{grads.growth_verdict(chain['factor'])}** towards the input; layer 1 gets "
                f"{chain['first to last']:.2g}× the gradient of layer 10.")
    st.caption("One unit wide, a factor above 1 needs |w| > 4: true. With n units per layer the factor is "
               "the weight *matrix's* norm × 1/4 = n × |w| / 4 here, so w = 0.5 already explodes at 10 units. And "
               f"in a real network z is rarely 0: large weights push z into the flat part of the sigmoid "
               f"(|w| = 100 at z = 10 gives a factor of {grads.chain_factor(100.0, 10.0):.4f}), so sigmoid "
               "networks explode only in a narrow band of inputs. Vanishing is by far the common case.")


@st.fragment
def over_time():
    st.header("Over time")
    growth = grads.rnn_sensitivity(60, gain=2.0, activation="tanh")
    bounded = np.abs(grads.rnn_states(grads.recurrent_inputs(60), gain=2.0)).max()
    st.markdown("An RNN applies the same recurrent weights at every step, so the gradient from step T "
                "back to the first input is a product of T factors. Its size follows the recurrent "
                "matrix's scale (spectral radius): below 1 it vanishes, above 1 it explodes. tanh bounds "
                "the *states* between −1 and 1, not their sensitivities: its slope (at most 1) only makes "
                "each factor smaller. At scale 2.0 the tanh RNN below keeps every state within "
                f"±{bounded:.2f}, while the gradient reaching the first input still grows: "
                f"{growth[0]:.1f} after 1 step, {growth[29]:.0f} after 30, {growth[59]:.0f} after 60.")
    time_controls = st.columns(2)
    gain = time_controls[0].slider("Recurrent weight scale", 0.5, 2.0, 1.2, 0.05)
    activation = time_controls[1].segmented_control("Activation", ["linear", "tanh"], default="linear") or "linear"
    steps = np.arange(1, 61)
    over_time = pd.DataFrame({"steps": steps, "norm": grads.rnn_sensitivity(60, gain=gain, activation=activation),
                              "network": f"{activation} RNN, scale {gain:.2f}"})
    st.altair_chart(lines_chart(over_time, "steps", "norm", "network", "Steps back in time (T)",
                                "‖∂h_T / ∂x_1‖ (log scale)", "Gradient reaching the first input", log_y=True),
                    width="stretch")


@st.fragment
def clipping():
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
    rows = grads.clipping_rows(np.array([first, second]), limit)
    st.dataframe(pd.DataFrame(rows).round(3), hide_index=True)


@st.fragment
def cliff_descent():
    st.subheader("Clipping at work: gradient descent over a cliff")
    st.markdown("The loss (w₁ − 1)⁴/4 + 10 (w₂ − 1)⁴/4 is gentle near its minimum (1, 1) and a cliff far "
                f"from it. Starting at ({grads.CLIFF_START[0]:g}, {grads.CLIFF_START[1]:g}) the first gradient "
                "is huge.")
    descent_controls = st.columns(2)
    rate = descent_controls[0].slider("Learning rate", 0.01, 0.3, grads.CLIFF_LEARNING_RATE, 0.01)
    cliff_limit = descent_controls[1].slider("Clipping limit", 0.5, 20.0, 5.0, 0.5)
    runs, paths = [], []
    for label, run in grads.cliff_runs(rate, cliff_limit).items():
        path = run["path"]
        if run["overflow"] is not None:
            st.warning(f"{label}: the first step jumps to ({path[1][0]:.3g}, {path[1][1]:.3g}) and the loss "
                       f"overflows at step {run['overflow']}; the weights become inf, then NaN.",
                       icon=":material/warning:")
            continue
        steps = np.arange(len(path))
        runs.append(pd.DataFrame({"step": steps, "loss": run["losses"].clip(min=1e-12), "run": label}))
        paths.append(pd.DataFrame({"step": steps, "w1": path[:, 0], "w2": path[:, 1], "run": label}))
    if runs:
        charts = st.columns(2)
        charts[0].altair_chart(lines_chart(pd.concat(runs), "step", "loss", "run", "Step", "Loss (log scale)",
                                           "Loss per step (runs that stayed finite)", log_y=True), width="stretch")
        charts[1].altair_chart(path_chart(pd.concat(paths), "Where each run went", tuple(grads.TARGET)),
                               width="stretch")
        st.caption("Clipping by value first moves diagonally (both components cut to the limit); clipping by "
                   "norm follows the true downhill direction with a bounded step.")


layer_by_layer()
when_sigmoids_explode()
over_time()
clipping()
cliff_descent()
quiz(grads.QUESTIONS, key="gradients")
corrections(grads.CORRECTIONS)
next_steps("views/lessons/lstm_gru.py", "views/tasks/sentiment.py")
