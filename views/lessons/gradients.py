"""Lesson 13: vanishing and exploding gradients: layer by layer, over time, and gradient clipping."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import gradients as grads
from ui.curve_charts import lines_chart
from ui.i18n import choices_placeholder, gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import path_chart

SCRIPT = "views/lessons/gradients.py"
ACTIVATIONS = {"linear": N_("linear"), "tanh": "tanh"}
CHART_FIELDS = (N_("norm"), N_("steps"), N_("Network"), N_("run"), N_("Run"))  # legends, tooltips (localized_chart)

_, prose = gettext_for_session(), text("gradients")
lesson_header(SCRIPT)

st.markdown(prose("intro"))


@st.fragment
def layer_by_layer():
    st.header(_("Layer by layer"))
    controls = st.columns([1, 1, 2])
    depth = controls[0].slider(_("Hidden layers"), 2, 30, 12)
    width = controls[1].slider(_("Units per layer"), 4, 64, 32)
    chosen = controls[2].multiselect(_("Networks"), list(grads.NETWORKS), format_func=_,
                                     default=["sigmoid, Glorot init", "ReLU, He init"],
                                     placeholder=choices_placeholder(grads.NETWORKS))
    norms, dead = grads.compare_layers(chosen, depth, width)
    frames = [pd.DataFrame({"layer": np.arange(1, depth + 1), "norm": values, "network": name})
              for name, values in norms.items()]
    if frames:
        layers = pd.concat(frames)
        st.altair_chart(localized_chart(lines_chart(
            layers[layers["norm"] > 0], "layer", "norm", "network", _("Hidden layer (1 = next to the input)"),
            _("‖∂loss / ∂weights‖ (log scale)"), _("Gradient size per layer, one batch"), log_y=True)),
            width="stretch")
        ratios = {name: (f"{frame['norm'].iloc[0] / frame['norm'].iloc[-1]:.1e}" if frame["norm"].iloc[-1] > 0
                         else _("undefined (0 ÷ 0)")) for name, frame in layers.groupby("network")}
        st.caption(prose("layer-ratios", ratios=_("; ").join(
            _("{network}: {ratio}").format(network=_(name), ratio=ratio) for name, ratio in ratios.items())))
    for name, layer in dead.items():
        st.markdown(prose("dead-layer", network=_(name), width=width, layer=layer))
    st.markdown(prose("sigmoid-and-relu"))


@st.fragment
def when_sigmoids_explode():
    st.subheader(_("\"Only when |w| > 4 can a sigmoid network explode\""))
    st.markdown(prose("chain-argument"))
    chain_controls = st.columns(2)
    weight = chain_controls[0].slider(_("Every weight w"), 0.1, 8.0, 5.0, 0.1)
    chain_width = chain_controls[1].slider(_("Units per layer"), 1, 16, 1)
    chain = grads.sigmoid_chain(weight, chain_width)
    units = (_("{count} units") if chain_width > 1 else _("{count} unit")).format(count=chain_width)
    st.markdown(prose("chain-measured", factor=f"{chain['factor']:.3f}", units=units,
                      product=f"{chain_width * weight / 4:.3f}", verdict=_(grads.growth_verdict(chain["factor"])),
                      ratio=f"{chain['first to last']:.2g}"))
    st.caption(prose("chain-caption", factor=f"{grads.chain_factor(100.0, 10.0):.4f}"))


@st.fragment
def over_time():
    st.header(_("Over time"))
    growth = grads.rnn_sensitivity(60, gain=2.0, activation="tanh")
    bounded = np.abs(grads.rnn_states(grads.recurrent_inputs(60), gain=2.0)).max()
    st.markdown(prose("over-time", bounded=f"{bounded:.2f}", after_1=f"{growth[0]:.1f}",
                      after_30=f"{growth[29]:.0f}", after_60=f"{growth[59]:.0f}"))
    time_controls = st.columns(2)
    gain = time_controls[0].slider(_("Recurrent weight scale"), 0.5, 2.0, 1.2, 0.05)
    activation = time_controls[1].segmented_control(_("Activation"), list(ACTIVATIONS), default="linear",
                                                    format_func=lambda name: _(ACTIVATIONS[name])) or "linear"
    steps = np.arange(1, 61)
    over_time = pd.DataFrame({"steps": steps, "norm": grads.rnn_sensitivity(60, gain=gain, activation=activation),
                              "network": _("{activation} RNN, scale {scale}").format(
                                  activation=_(ACTIVATIONS[activation]), scale=f"{gain:.2f}")})
    st.altair_chart(localized_chart(lines_chart(
        over_time, "steps", "norm", "network", _("Steps back in time (T)"), _("‖∂h_T / ∂x_1‖ (log scale)"),
        _("Gradient reaching the first input"), log_y=True)), width="stretch")


@st.fragment
def clipping():
    st.header(_("Gradient clipping"))
    st.markdown(prose("clipping"))
    vector_controls = st.columns(3)
    first = vector_controls[0].number_input(_("Gradient component 1"), -100.0, 100.0, 3.0)
    second = vector_controls[1].number_input(_("Gradient component 2"), -100.0, 100.0, -4.0)
    limit = vector_controls[2].number_input(_("Limit c"), 0.1, 50.0, 1.0)
    rows = pd.DataFrame(grads.clipping_rows(np.array([first, second]), limit)).round(3)
    rows["gradient"] = rows["gradient"].map(_)
    st.dataframe(rows.rename(columns=_), hide_index=True)


@st.fragment
def cliff_descent():
    st.subheader(_("Clipping at work: gradient descent over a cliff"))
    st.markdown(prose("cliff", x=f"{grads.CLIFF_START[0]:g}", y=f"{grads.CLIFF_START[1]:g}"))
    descent_controls = st.columns(2)
    rate = descent_controls[0].slider(_("Learning rate"), 0.01, 0.3, grads.CLIFF_LEARNING_RATE, 0.01)
    cliff_limit = descent_controls[1].slider(_("Clipping limit"), 0.5, 20.0, 5.0, 0.5)
    runs, paths = [], []
    for label, run in grads.cliff_runs(rate, cliff_limit).items():
        path = run["path"]
        if run["overflow"] is not None:
            st.warning(_("{run}: the first step jumps to ({x}, {y}) and the loss overflows at step {step}; the "
                         "weights become inf, then NaN.").format(run=_(label), x=f"{path[1][0]:.3g}",
                                                                 y=f"{path[1][1]:.3g}", step=run["overflow"]),
                       icon=":material/warning:")
            continue
        steps = np.arange(len(path))
        runs.append(pd.DataFrame({"step": steps, "loss": run["losses"].clip(min=1e-12), "run": label}))
        paths.append(pd.DataFrame({"step": steps, "w1": path[:, 0], "w2": path[:, 1], "run": label}))
    if runs:
        charts = st.columns(2)
        charts[0].altair_chart(localized_chart(lines_chart(
            pd.concat(runs), "step", "loss", "run", _("Step"), _("Loss (log scale)"),
            _("Loss per step (runs that stayed finite)"), log_y=True)), width="stretch")
        charts[1].altair_chart(localized_chart(path_chart(pd.concat(paths), _("Where each run went"),
                                                          tuple(grads.TARGET))), width="stretch")
        st.caption(prose("cliff-caption"))


layer_by_layer()
when_sigmoids_explode()
over_time()
clipping()
cliff_descent()
quiz(grads.QUESTIONS, key="gradients")
corrections(grads.CORRECTIONS)
next_steps("views/lessons/lstm_gru.py", "views/tasks/sentiment.py")
