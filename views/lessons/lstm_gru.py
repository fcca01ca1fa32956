"""Lesson 12: LSTM and GRU: the gates, one cell stepped through with numbers and checked against
Keras, and why the cell state helps against vanishing but not exploding gradients."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gradients as grads
from lessons import lstm_gru as cells
from ui.curve_charts import lines_chart
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import session_result

SCRIPT = "views/lessons/lstm_gru.py"
lesson_header(SCRIPT)

st.markdown(
    "A simple RNN overwrites its memory at every step. An **LSTM** (long short-term memory) keeps a "
    "separate **cell state** c and three **gates**, numbers between 0 and 1 (sigmoids) that the "
    "network learns to open and close: the **input gate** decides how much new content is written, "
    "the **forget gate** how much of the old memory is kept (open = keep, closed = erase), and the "
    "**output gate** how much of the memory is read out. Each gate looks at the current input and "
    "the previous output.")
st.latex(r"""\begin{aligned}
i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) & f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) &
o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
\tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) & c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t &
h_t &= o_t \odot \tanh(c_t)
\end{aligned}""")
st.caption("Keras stores the four weight blocks side by side in the order i, f, c, o: `kernel` is "
           "(inputs, 4 × units), `recurrent_kernel` (units, 4 × units), `bias` (4 × units).")


@st.fragment
def memory_cell():
    st.header("A memory cell you can program")
    added = next(write for write in cells.memory_writes() if abs(write["before"]) > 0.5)
    st.markdown(
        "One LSTM unit with weights set by hand and linear activations (so the numbers stay readable). "
        "The input has three parts: a **value**; a **control** signal, where +1 opens the input gate "
        "(i ≈ 1) and −1 closes the forget gate (f ≈ 0, erasing the memory); and **read** = 1, which "
        "opens the output gate. Weights of 100 with biases of ±10 push every gate to almost exactly 0 "
        "or 1. A write **adds** the value to what is stored, because the forget gate stays open: at step "
        f"{added['step']} the memory goes from {added['before']:.0f} to {added['after']:.0f} "
        f"({added['before']:.0f} + {added['value']:.0f}). To store a new value alone, erase first. "
        "Edit the sequence and step through it.")
    weights = cells.memory_cell_weights()
    sequence = st.data_editor(pd.DataFrame(cells.MEMORY_CELL_INPUTS.astype(int), columns=["value", "control", "read"]),
                              num_rows="dynamic", key="lstm-sequence",
                              column_config={"control": st.column_config.NumberColumn(min_value=-1, max_value=1),
                                             "read": st.column_config.NumberColumn(min_value=0, max_value=1)})
    inputs = sequence.dropna().to_numpy(dtype=np.float32)  # (time, 3)
    if len(inputs) == 0:
        st.warning("Add at least one row to the sequence.")
        return
    steps = cells.lstm_sequence(inputs, weights, activation="linear")
    table = pd.DataFrame(cells.memory_cell_rows(inputs, steps))
    chosen = st.slider("Step", 1, len(steps), min(6, len(steps)))
    step, previous = steps[chosen - 1], (steps[chosen - 2]["c"][0] if chosen > 1 else 0.0)
    shown = st.columns(5)
    gates = [("Input gate i", "i"), ("Forget gate f", "f"), ("Candidate c~", "candidate"), ("Output gate o", "o"),
             ("Output h", "h")]
    for column, (label, key) in zip(shown, gates, strict=True):
        column.metric(label, f"{float(step[key][0]):.5g}")
    st.markdown(f"c = f × c_prev + i × c~ = {step['f'][0]:.5g} × {previous:.5g} + {step['i'][0]:.5g} × "
                f"{step['candidate'][0]:.5g} = **{step['c'][0]:.5g}**;  h = o × c = **{step['h'][0]:.5g}**")
    st.dataframe(table.style.format(precision=3), hide_index=True)
    # Keras runs in a worker process (the server does not import TensorFlow for a lesson).
    checked = session_result("lstm-check", (inputs.shape, tuple(inputs.ravel().tolist())), cells.keras_lstm_states,
                             {"inputs": inputs, "weights": weights, "activation": "linear"},
                             "Running keras.layers.LSTM…",
                             start=st.button("Check against keras.layers.LSTM", icon=":material/fact_check:"))
    if checked is not None:
        keras_h, keras_c = checked
        ours = np.array([float(item["h"][0]) for item in steps])
        st.success(f"Keras, with the same weights copied in, gives h = {np.round(keras_h[:, 0], 3).tolist()}; "
                   f"largest difference from the table: {np.max(np.abs(keras_h[:, 0] - ours)):.1e}.",
                   icon=":material/check_circle:")


@st.fragment
def gru_demo():
    st.header("GRU: two gates")
    st.markdown(
        "The **GRU** (gated recurrent unit) has no separate cell state and only two gates. The **update "
        "gate** z decides how much of the old state to keep; the new content gets the rest, 1 − z. So "
        "writing and forgetting are coupled: letting new content in fully (z = 0) erases the old state, "
        "and partial values mix the two. The **reset gate** r decides how much of the old state the "
        "candidate may look at.")
    st.latex(r"""\begin{aligned}
    z_t &= \sigma(x_t W_z + h_{t-1} U_z + b_z) & r_t &= \sigma(x_t W_r + h_{t-1} U_r + b_r) \\
    \tilde h_t &= \tanh\big(x_t W_h + r_t \odot (h_{t-1} U_h + b'_h) + b_h\big) &
    h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t
    \end{aligned}""")
    st.caption("This is Keras' default `reset_after=True` form (r applied after multiplying by U_h, with a "
               "second bias); the original paper applies r before: (r ⊙ h) U_h. Both are tested against Keras.")
    gru_controls = st.columns(2)
    x_value = gru_controls[0].slider("Input x", -2.0, 2.0, 1.0, 0.1)
    h_value = gru_controls[1].slider("Previous state h", -1.0, 1.0, 0.5, 0.1)
    gru = cells.random_gru(1, 1, seed=3, scale=1.5)
    gru_step = cells.gru_step(np.array([x_value]), np.array([h_value]), gru)
    gru_shown = st.columns(4)
    for column, (label, key) in zip(gru_shown, [("Update gate z", "z"), ("Reset gate r", "r"),
                                                ("Candidate h~", "candidate"), ("New state h", "h")], strict=True):
        column.metric(label, f"{float(gru_step[key][0]):.3f}")
    st.markdown(f"h = z × h_prev + (1 − z) × h~ = {gru_step['z'][0]:.3f} × {h_value:.3f} + "
                f"{1 - gru_step['z'][0]:.3f} × {gru_step['candidate'][0]:.3f} = **{gru_step['h'][0]:.3f}**")
    keras_h = session_result("gru-check", (x_value, h_value), cells.keras_gru_states,
                             {"inputs": np.array([[x_value]]), "weights": gru, "reset_after": True,
                              "h0": np.array([h_value])},
                             "Running keras.layers.GRU…",
                             start=st.button("Check against keras.layers.GRU", icon=":material/fact_check:"))
    if keras_h is not None:
        st.success(f"Keras, with the same weights and previous state, gives h = {keras_h[0, 0]:.6f} "
                   f"(above: {gru_step['h'][0]:.6f}).", icon=":material/check_circle:")


@st.fragment
def cell_state_over_time():
    st.header("Why the cell state helps, and where it does not")
    st.markdown(
        "Backpropagation through time multiplies one factor per step. In a simple RNN that factor is "
        "tanh' × U at every step, so it shrinks or grows geometrically. In an LSTM the cell state has an "
        "**additive** path: c_t = f_t c_{t−1} + …, whose factor per step is just the forget gate f_t. "
        "With f close to 1 the signal survives many steps. Keras starts the forget gate's bias at 1, "
        f"which gives f = σ(1) ≈ {cells.sigmoid(1.0):.2f} when the rest of the gate's input is 0: a lean "
        "towards keeping, not f ≈ 1; training can raise it where a long memory pays. But "
        "the gates and the candidate also feed back through h and U, and with large recurrent weights "
        "those paths multiply up too: the LSTM eases **vanishing** gradients but does not prevent "
        "**exploding** ones, which is why LSTMs are usually trained with gradient clipping. The curves "
        "are exact derivatives of 32-unit networks with random weights.")
    time_controls = st.columns(2)
    gain = time_controls[0].slider("Recurrent weight scale (spectral radius)", 0.25, 8.0, 0.8, 0.05)
    forget_bias = time_controls[1].slider("LSTM forget-gate bias", -2.0, 5.0, 1.0, 0.5)
    horizon = np.arange(1, 61)
    sensitivity = pd.concat([
        pd.DataFrame({"steps": horizon, "norm": grads.rnn_sensitivity(60, gain=gain), "network": "Simple RNN (tanh)"}),
        pd.DataFrame({"steps": horizon, "norm": grads.lstm_sensitivity(60, gain=gain, forget_bias=forget_bias),
                      "network": "LSTM"})])
    sensitivity["norm"] = sensitivity["norm"].clip(lower=1e-30)
    st.altair_chart(lines_chart(sensitivity, "steps", "norm", "network", "Steps back in time (T)",
                                "‖∂h_T / ∂x_1‖ (log scale)", "How much the first input still matters after T steps",
                                log_y=True), width="stretch")
    forget_gates = grads.lstm_forget_gates(60, gain=gain, forget_bias=forget_bias)
    st.caption(f"This LSTM's forget gates average {forget_gates.mean():.2f} (σ of the bias alone: "
               f"{cells.sigmoid(forget_bias):.2f}). Try a scale of 0.8 (RNN vanishes, LSTM keeps much more), a "
               "forget bias of −2 (the LSTM forgets too), and a scale of 6 (both blow up).")


memory_cell()
gru_demo()
cell_state_over_time()
quiz(cells.QUESTIONS, key="lstm")
corrections(cells.CORRECTIONS)
next_steps("views/lessons/gradients.py", "views/tasks/sentiment.py")
