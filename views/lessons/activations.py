"""Lesson 3: activation functions, their derivatives, and curves built from hard sigmoids."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import activations
from ui.bar_charts import probability_bars
from ui.curve_charts import lines, temperature_chart
from ui.lesson import corrections, lesson_header, next_steps, quiz

lesson_header("views/lessons/activations.py")
st.markdown(
    "Without an activation function (激活函数) a stack of layers is one big linear map: a matrix times a "
    "matrix is a matrix. The activation bends each neuron's output, and its **derivative** decides how "
    "much gradient flows back through the neuron during training (lesson 5). The sigmoid's derivative "
    "is at most 1/4, so each sigmoid a gradient passes through multiplies it by 1/4 or less (the weights "
    "multiply it too); ReLU passes it unchanged where it is active and blocks it where it is not."
)


@st.fragment
def compare_functions():
    st.subheader("The functions and their slopes")
    names = st.multiselect("Activations", list(activations.ACTIVATIONS),
                           default=["sigmoid", "tanh", "ReLU"], key="activations-shown")
    if not names:
        st.info("Pick at least one activation.")
        return
    values, slopes, summary = [], [], []
    for name, (x, value, derivative) in activations.curves(names).items():
        values.append(pd.DataFrame({"x": x, "value": value, "function": name}))
        slopes.append(pd.DataFrame({"x": x, "value": derivative, "function": name}))
        info = activations.ACTIVATIONS[name]
        summary.append({"activation": name, "formula": info.formula,
                        "largest slope on [-6, 6]": float(np.max(derivative)), "why it matters": info.note})
    left, right = st.columns(2)
    left.altair_chart(lines(pd.concat(values), "x", "value", "function", "input x", "activation f(x)",
                            title="f(x)"), width="stretch")
    right.altair_chart(lines(pd.concat(slopes), "x", "value", "function", "input x", "derivative f′(x)",
                             title="f′(x): how much gradient passes"), width="stretch")
    st.dataframe(pd.DataFrame(summary), hide_index=True,
                 column_config={"largest slope on [-6, 6]": st.column_config.NumberColumn(format="%.4f")})
    st.caption("The derivative curves are computed from the NumPy formulas; the tests check them against "
               "TensorFlow's automatic differentiation of keras.activations. Keras 3's hard sigmoid is "
               "relu6(x + 3) / 6 (slope 1/6); the docstring of keras.ops.hard_sigmoid (Keras 3.15) still "
               "describes Keras 2's 0.2·x + 0.5.")


def ramp_chart():
    x = np.linspace(-3, 3, 241)
    start, end = -1.0, 1.0
    parts = {"relu(x + 1) / 2": activations.relu(x - start) / (end - start),
             "−relu(x − 1) / 2": -activations.relu(x - end) / (end - start),
             "sum: hard sigmoid": activations.ramp_from_relus(x, start, end),
             "sigmoid(2x): the smooth version": activations.ramp_from_sigmoid(x, start, end)}
    frame = pd.concat([pd.DataFrame({"x": x, "y": value, "curve": name}) for name, value in parts.items()])
    return lines(frame, "x", "y", "curve", "input x", "output", title="Two ReLUs make one hard sigmoid exactly")


@st.fragment
def build_a_curve():
    st.subheader("Any curve from hard sigmoids")
    st.markdown(
        "The lecture in note 002 builds a curve as a constant plus a sum of hard sigmoids (flat, ramp, flat). "
        "Each hard sigmoid is exactly two ReLUs, or approximately one sigmoid. Choose how many pieces; the "
        "heights are fitted by least squares, and the error falls as the pieces increase.")
    st.altair_chart(ramp_chart(), width="stretch")
    left, right = st.columns(2)
    pieces = left.slider("Number of hard sigmoids (pieces)", 1, 30, 4, key="activations-pieces")
    kind = right.radio("Each piece made of", activations.KINDS, horizontal=True, key="activations-kind")
    result = activations.fit(pieces, kind)
    fitted_name = f"sum of {pieces} pieces + constant"
    frame = pd.concat([pd.DataFrame({"x": result.x, "y": result.target, "curve": "target: sin(1.5x) + 0.3x",
                                     "line": "target"}),
                       pd.DataFrame({"x": result.x, "y": result.fitted, "curve": fitted_name, "line": "fit"})])
    show_parts = st.toggle("Show the individual pieces", value=pieces <= 8, key="activations-parts")
    if show_parts:
        frame = pd.concat([frame] + [pd.DataFrame({"x": result.x, "y": result.components[:, index],
                                                   "curve": f"piece {index + 1}", "line": "piece"})
                                     for index in range(pieces)])
    st.altair_chart(lines(frame, "x", "y", "curve", "input x", "output y", height=320, dash="line"),
                    width="stretch")
    st.metric("Root-mean-square error of the fit", f"{result.rmse:.4f}")


SOFTMAX_CLASSES = ["cat", "dog", "bird", "fish"]


@st.fragment
def softmax_demo():
    st.subheader("Softmax: the output layer of a classifier")
    st.markdown(
        "A network that picks one of K classes ends in K numbers z₁ … z_K, the **logits**, which can be any "
        "real numbers. **Softmax** turns them into probabilities (note 001):\n\n"
        "`softmax(z)_j = e^(z_j) / Σ_k e^(z_k)`\n\n"
        "Every output is positive, they sum to 1, and the largest logit gets the largest probability. Only the "
        "*differences* between logits matter: adding the same number to all of them changes nothing. Dividing "
        "the logits by a **temperature** T first sharpens the distribution (T < 1, towards the hard max that "
        "softmax softens) or flattens it (T > 1, towards uniform). With two classes softmax is exactly the "
        "sigmoid of the difference of the two logits.\n\n"
        "Softmax comes with the **cross-entropy** loss, `−log p_true`: written with the logits it is "
        "`log Σ_k e^(z_k) − z_true`, and its gradient with respect to logit j is simply `p_j − y_j`, the "
        "probability minus the one-hot target. It stays large as long as the answer is wrong.")
    columns = st.columns(len(SOFTMAX_CLASSES))
    defaults = (2.0, 1.0, 0.1, -1.0)
    logits = [column.slider(f"Logit z ({name})", -5.0, 5.0, default, 0.1, key=f"softmax-logit-{index}")
              for index, (column, name, default) in enumerate(zip(columns, SOFTMAX_CLASSES, defaults))]
    left, right = st.columns(2)
    temperature = left.select_slider("Temperature T", [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0], value=1.0,
                                     key="softmax-temperature")
    true_class = right.radio("True class of this example", range(len(SOFTMAX_CLASSES)), horizontal=True,
                             format_func=lambda index: SOFTMAX_CLASSES[index], key="softmax-true")
    table = activations.explain(logits, true_class, temperature)
    chart_left, chart_right = st.columns(2)
    chart_left.altair_chart(probability_bars(SOFTMAX_CLASSES, table.probabilities, true_class,
                                             f"softmax(z / {temperature:g})"), width="stretch")
    sweep = activations.temperature_sweep(logits, np.geomspace(0.1, 10.0, 41))
    chart_right.altair_chart(temperature_chart(sweep, SOFTMAX_CLASSES, temperature), width="stretch")
    st.dataframe(pd.DataFrame({"class": SOFTMAX_CLASSES, "logit z": logits,
                               "e^(z / T)": np.exp(np.asarray(logits) / temperature),
                               "probability": table.probabilities,
                               "gradient of the loss, (p − y) / T": table.gradient}),
                 hide_index=True, column_config={name: st.column_config.NumberColumn(format="%.4f") for name in
                                                 ("e^(z / T)", "probability", "gradient of the loss, (p − y) / T")})
    metrics = st.columns(3)
    metrics[0].metric("Cross-entropy −log p(true class)", f"{table.loss:.4f}")
    metrics[1].metric("Entropy of the probabilities", f"{table.entropy:.3f} nats",
                      help=f"0 for a one-hot answer, log {len(SOFTMAX_CLASSES)} = "
                           f"{np.log(len(SOFTMAX_CLASSES)):.3f} when all classes are equally likely")
    metrics[2].metric("Sum of the probabilities", f"{table.probabilities.sum():.6f}")
    name = SOFTMAX_CLASSES[true_class]
    st.caption(f"A gradient-descent step subtracts the gradient: the logit of *{name}* rises by "
               f"step × {-table.gradient[true_class]:.4f} and every other logit falls by step × its own "
               "probability / T. The tests check these numbers against keras.ops.softmax, "
               "keras.losses.categorical_crossentropy(from_logits=True) and TensorFlow's automatic "
               "differentiation.")


compare_functions()
build_a_curve()
softmax_demo()
quiz(activations.QUESTIONS, key="activations")
corrections(activations.CORRECTIONS)
next_steps("views/lessons/gradient_descent.py", "views/tasks/mnist.py")
