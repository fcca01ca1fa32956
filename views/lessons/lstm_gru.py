"""Lesson 12: LSTM and GRU: the gates, one cell stepped through with numbers and checked against
Keras, and why the cell state helps against vanishing but not exploding gradients."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import gradients as grads
from lessons import lstm_gru as cells
from ui.curve_charts import lines_chart
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import session_result

SCRIPT = "views/lessons/lstm_gru.py"
SEQUENCE_COLUMNS = (N_("value"), N_("control"), N_("read"))  # the memory cell's three inputs
CHART_FIELDS = (N_("steps"), N_("norm"), N_("Network"))  # lines_chart's legend and tooltips (localized_chart)

_, prose = gettext_for_session(), text("lstm_gru")
lesson_header(SCRIPT)

st.markdown(prose("intro"))
st.latex(r"""\begin{aligned}
i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) & f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) &
o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
\tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) & c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t &
h_t &= o_t \odot \tanh(c_t)
\end{aligned}""")
st.caption(prose("keras-order"))


@st.fragment
def memory_cell():
    st.header(_("A memory cell you can program"))
    added = next(write for write in cells.memory_writes() if abs(write["before"]) > 0.5)
    st.markdown(prose("memory-cell", step=added["step"], before=f"{added['before']:.0f}",
                      after=f"{added['after']:.0f}", value=f"{added['value']:.0f}"))
    weights = cells.memory_cell_weights()
    value, control, read = (_(name) for name in SEQUENCE_COLUMNS)  # shown names; the columns are used by position
    sequence = st.data_editor(pd.DataFrame(cells.MEMORY_CELL_INPUTS.astype(int), columns=[value, control, read]),
                              num_rows="dynamic", key="lstm-sequence",
                              column_config={control: st.column_config.NumberColumn(min_value=-1, max_value=1),
                                             read: st.column_config.NumberColumn(min_value=0, max_value=1)})
    inputs = sequence.dropna().to_numpy(dtype=np.float32)  # (time, 3): value, control, read
    if len(inputs) == 0:
        st.warning(_("Add at least one row to the sequence."))
        return
    steps = cells.lstm_sequence(inputs, weights, activation="linear")
    table = pd.DataFrame(cells.memory_cell_rows(inputs, steps)).rename(columns=_)
    chosen = st.slider(_("Step"), 1, len(steps), min(6, len(steps)))
    step, previous = steps[chosen - 1], (steps[chosen - 2]["c"][0] if chosen > 1 else 0.0)
    shown = st.columns(5)
    gates = [(N_("Input gate i"), "i"), (N_("Forget gate f"), "f"), (N_("Candidate c~"), "candidate"),
             (N_("Output gate o"), "o"), (N_("Output h"), "h")]
    for column, (label, key) in zip(shown, gates, strict=True):
        column.metric(_(label), f"{float(step[key][0]):.5g}")
    st.markdown(f"c = f × c_prev + i × c~ = {step['f'][0]:.5g} × {previous:.5g} + {step['i'][0]:.5g} × "
                f"{step['candidate'][0]:.5g} = **{step['c'][0]:.5g}**;  h = o × c = **{step['h'][0]:.5g}**")
    st.dataframe(table.style.format(precision=3), hide_index=True)
    # Keras runs in a worker process (the server does not import TensorFlow for a lesson).
    checked = session_result("lstm-check", (inputs.shape, tuple(inputs.ravel().tolist())), cells.keras_lstm_states,
                             {"inputs": inputs, "weights": weights, "activation": "linear"},
                             _("Running keras.layers.LSTM…"),
                             start=st.button(_("Check against keras.layers.LSTM"), icon=":material/fact_check:"))
    if checked is not None:
        keras_h, keras_c = checked
        ours = np.array([float(item["h"][0]) for item in steps])
        st.success(_("Keras, with the same weights copied in, gives h = {values}; largest difference from the "
                     "table: {difference}.").format(values=np.round(keras_h[:, 0], 3).tolist(),
                                                    difference=f"{np.max(np.abs(keras_h[:, 0] - ours)):.1e}"),
                   icon=":material/check_circle:")


@st.fragment
def gru_demo():
    st.header(_("GRU: two gates"))
    st.markdown(prose("gru-intro"))
    st.latex(r"""\begin{aligned}
    z_t &= \sigma(x_t W_z + h_{t-1} U_z + b_z) & r_t &= \sigma(x_t W_r + h_{t-1} U_r + b_r) \\
    \tilde h_t &= \tanh\big(x_t W_h + r_t \odot (h_{t-1} U_h + b'_h) + b_h\big) &
    h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t
    \end{aligned}""")
    st.caption(prose("gru-form"))
    gru_controls = st.columns(2)
    x_value = gru_controls[0].slider(_("Input x"), -2.0, 2.0, 1.0, 0.1)
    h_value = gru_controls[1].slider(_("Previous state h"), -1.0, 1.0, 0.5, 0.1)
    gru = cells.random_gru(1, 1, seed=3, scale=1.5)
    gru_step = cells.gru_step(np.array([x_value]), np.array([h_value]), gru)
    gru_shown = st.columns(4)
    for column, (label, key) in zip(gru_shown, [(N_("Update gate z"), "z"), (N_("Reset gate r"), "r"),
                                                (N_("Candidate h~"), "candidate"), (N_("New state h"), "h")],
                                    strict=True):
        column.metric(_(label), f"{float(gru_step[key][0]):.3f}")
    st.markdown(f"h = z × h_prev + (1 − z) × h~ = {gru_step['z'][0]:.3f} × {h_value:.3f} + "
                f"{1 - gru_step['z'][0]:.3f} × {gru_step['candidate'][0]:.3f} = **{gru_step['h'][0]:.3f}**")
    keras_h = session_result("gru-check", (x_value, h_value), cells.keras_gru_states,
                             {"inputs": np.array([[x_value]]), "weights": gru, "reset_after": True,
                              "h0": np.array([h_value])},
                             _("Running keras.layers.GRU…"),
                             start=st.button(_("Check against keras.layers.GRU"), icon=":material/fact_check:"))
    if keras_h is not None:
        st.success(_("Keras, with the same weights and previous state, gives h = {keras} (above: {ours}).").format(
            keras=f"{keras_h[0, 0]:.6f}", ours=f"{gru_step['h'][0]:.6f}"), icon=":material/check_circle:")


@st.fragment
def cell_state_over_time():
    st.header(_("Why the cell state helps, and where it does not"))
    st.markdown(prose("cell-state", sigma_one=f"{cells.sigmoid(1.0):.2f}"))
    time_controls = st.columns(2)
    gain = time_controls[0].slider(_("Recurrent weight scale (spectral radius)"), 0.25, 8.0, 0.8, 0.05)
    forget_bias = time_controls[1].slider(_("LSTM forget-gate bias"), -2.0, 5.0, 1.0, 0.5)
    horizon = np.arange(1, 61)
    sensitivity = pd.concat([
        pd.DataFrame({"steps": horizon, "norm": grads.rnn_sensitivity(60, gain=gain),
                      "network": _("Simple RNN (tanh)")}),
        pd.DataFrame({"steps": horizon, "norm": grads.lstm_sensitivity(60, gain=gain, forget_bias=forget_bias),
                      "network": "LSTM"})])
    sensitivity["norm"] = sensitivity["norm"].clip(lower=1e-30)
    st.altair_chart(localized_chart(lines_chart(
        sensitivity, "steps", "norm", "network", _("Steps back in time (T)"), _("‖∂h_T / ∂x_1‖ (log scale)"),
        _("How much the first input still matters after T steps"), log_y=True)), width="stretch")
    forget_gates = grads.lstm_forget_gates(60, gain=gain, forget_bias=forget_bias)
    st.caption(prose("forget-gates", mean=f"{forget_gates.mean():.2f}", sigma_bias=f"{cells.sigmoid(forget_bias):.2f}"))


memory_cell()
gru_demo()
cell_state_over_time()
quiz(cells.QUESTIONS, key="lstm")
corrections(cells.CORRECTIONS)
next_steps("views/lessons/gradients.py", "views/tasks/sentiment.py")
