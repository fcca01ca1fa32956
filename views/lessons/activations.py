"""Lesson 3: activation functions, their derivatives, and curves built from hard sigmoids."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import activations, piecewise
from lessons.part1_charts import lines
from lessons.part1_quiz_basics import ACTIVATION_CORRECTIONS, ACTIVATION_QUESTIONS
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
             "sum: hard sigmoid": piecewise.ramp_from_relus(x, start, end),
             "sigmoid(2x): the smooth version": piecewise.ramp_from_sigmoid(x, start, end)}
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
    kind = right.radio("Each piece made of", piecewise.KINDS, horizontal=True, key="activations-kind")
    result = piecewise.fit(pieces, kind)
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


compare_functions()
build_a_curve()
quiz(ACTIVATION_QUESTIONS, key="activations")
corrections(ACTIVATION_CORRECTIONS)
next_steps("views/lessons/gradient_descent.py", "views/tasks/mnist.py")
