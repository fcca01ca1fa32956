"""Lesson 2: the neuron. A hand-set neuron cuts the plane once; trained models cut it finer."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import neuron
from lessons.toy_data import make_dataset
from ui.grid_charts import decision_map
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import line_boundary, scatter

DATASETS = ["two moons", "circles", "XOR"]

lesson_header("views/lessons/neuron.py")
st.markdown(
    "A neuron (神经元) multiplies each input by a weight, adds a bias and passes the sum through an "
    "**activation function**: `output = activation(w₁x₁ + w₂x₂ + b)`. With a sigmoid activation the "
    "output is between 0 and 1; reading it as *class 1 when above 0.5* makes the neuron a binary "
    "classifier that says yes exactly where `w₁x₁ + w₂x₂ + b > 0`. That region is a half-plane: **one "
    "neuron cuts the input space once, along a straight line.** Its weights are not fixed: training "
    "adjusts them from examples, by the perceptron rule after each mistake or by gradient descent on a "
    "loss for a sigmoid neuron (which is then logistic regression)."
)


@st.fragment
def hand_set_neuron():
    st.subheader("Set the weights yourself")
    dataset = st.selectbox("Data", DATASETS, key="neuron-hand-data")
    features, labels = make_dataset(dataset, count=200, seed=0)
    left, middle, right = st.columns(3)
    w1 = left.slider("weight w₁", -5.0, 5.0, 1.0, 0.1, key="neuron-w1")
    w2 = middle.slider("weight w₂", -5.0, 5.0, 1.0, 0.1, key="neuron-w2")
    bias = right.slider("bias b", -3.0, 3.0, 0.0, 0.1, key="neuron-b")
    weights = np.array([w1, w2])
    outputs = neuron.neuron(features, weights, bias)
    box_x = (float(features[:, 0].min()), float(features[:, 0].max()))
    box_y = (float(features[:, 1].min()), float(features[:, 1].max()))
    line = neuron.boundary_line(weights, bias, box_x, box_y)
    chart = scatter(features, labels)
    if len(line):
        chart = chart + line_boundary(line)
    st.altair_chart(chart.properties(height=340, title="The line w₁x₁ + w₂x₂ + b = 0 and the data"))
    st.metric("Accuracy of this one neuron", f"{neuron.accuracy(outputs, labels):.1%}",
              help="share of points on the correct side of the line (sigmoid output > 0.5 means class 1)")
    best = neuron.best_line_accuracy(features, labels)
    st.caption(f"The best any straight line can do on these {len(labels)} points is **{best:.0%}** (every "
               "line through two of the points tried). "
               + ("No line gets them all right: one cut is not enough." if best < 1 else
                  "Here one line separates them all."))


@st.fragment
def train_three_models():
    st.subheader("Train one neuron, a wide layer and a deep network")
    left, middle, right = st.columns(3)
    dataset = left.selectbox("Data", DATASETS, key="neuron-train-data")
    seed = middle.number_input("Seed", 0, 99, 0, key="neuron-seed")
    steps = right.slider("Training steps (full-batch Adam)", 50, 400, 200, 50, key="neuron-steps")
    request = (dataset, int(seed), int(steps))
    start = st.button("Train the three models", type="primary", icon=":material/play_arrow:", key="neuron-train")
    results = session_result("neuron", request, neuron.train_classifiers,
                             {"dataset": dataset, "seed": int(seed), "steps": int(steps)},
                             "Training with Keras…", start=start)
    if results is None:
        idle_prompt("neuron", "Press the button to train all three on this data (a few seconds).")
        return
    features, labels = make_dataset(dataset, count=200, seed=int(seed))
    columns = st.columns(len(neuron.MODELS))
    summary = []
    for column, model_name in zip(columns, neuron.MODELS):
        result = results[model_name]
        chart = decision_map(result.grid, result.grid_probabilities, features, labels, model_name, size=250)
        if result.weights is not None:
            box = result.grid.min(axis=0), result.grid.max(axis=0)
            line = neuron.boundary_line(result.weights, result.bias, (box[0][0], box[1][0]), (box[0][1], box[1][1]))
            if len(line):
                chart = chart + line_boundary(line)
        column.altair_chart(chart)
        column.metric("Training accuracy", f"{result.accuracy:.1%}")
        summary.append({"model": model_name, "parameters": result.parameters, "accuracy": result.accuracy,
                        "final loss": result.final_loss, "seconds": result.seconds})
    st.dataframe(pd.DataFrame(summary), hide_index=True,
                 column_config={"accuracy": st.column_config.NumberColumn(format="percent"),
                                "final loss": st.column_config.NumberColumn(format="%.3f"),
                                "seconds": st.column_config.NumberColumn(format="%.1f")})
    st.caption("The one neuron's map changes colour along a single straight line (drawn in black). The wide "
               "layer combines 32 cuts; the deep network combines 8 cuts, then cuts of those cuts, twice more.")


hand_set_neuron()
train_three_models()
quiz(neuron.QUESTIONS, key="neuron")
corrections(neuron.CORRECTIONS)
next_steps("views/lessons/activations.py", "views/tasks/mnist.py")
