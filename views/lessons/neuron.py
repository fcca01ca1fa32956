"""Lesson 2: the neuron. A hand-set neuron cuts the plane once; trained models cut it finer."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import neuron
from lessons.toy_data import make_dataset
from ui.grid_charts import decision_map
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result
from ui.scatter_charts import line_boundary, scatter

DATASETS = [N_("two moons"), N_("circles"), "XOR"]

_, prose = gettext_for_session(), text("neuron")
lesson_header("views/lessons/neuron.py")
st.markdown(prose("intro"))


@st.fragment
def hand_set_neuron():
    st.subheader(_("Set the weights yourself"))
    dataset = st.selectbox(_("Data"), DATASETS, format_func=_, key="neuron-hand-data")
    features, labels = make_dataset(dataset, count=200, seed=0)
    left, middle, right = st.columns(3)
    w1 = left.slider(_("weight w₁"), -5.0, 5.0, 1.0, 0.1, key="neuron-w1")
    w2 = middle.slider(_("weight w₂"), -5.0, 5.0, 1.0, 0.1, key="neuron-w2")
    bias = right.slider(_("bias b"), -3.0, 3.0, 0.0, 0.1, key="neuron-b")
    weights = np.array([w1, w2])
    outputs = neuron.neuron(features, weights, bias)
    box_x = (float(features[:, 0].min()), float(features[:, 0].max()))
    box_y = (float(features[:, 1].min()), float(features[:, 1].max()))
    line = neuron.boundary_line(weights, bias, box_x, box_y)
    chart = scatter(features, labels)
    if len(line):
        chart = chart + line_boundary(line)
    st.altair_chart(localized_chart(chart.properties(height=340, title=_("The line w₁x₁ + w₂x₂ + b = 0 and the data"))))
    st.metric(_("Accuracy of this one neuron"), f"{neuron.accuracy(outputs, labels):.1%}",
              help=_("share of points on the correct side of the line (sigmoid output > 0.5 means class 1)"))
    best = neuron.best_line_accuracy(features, labels)
    st.caption(prose("best-line-short" if best < 1 else "best-line-enough", count=len(labels), best=f"{best:.0%}"))


@st.fragment
def train_three_models():
    st.subheader(_("Train one neuron, a wide layer and a deep network"))
    left, middle, right = st.columns(3)
    dataset = left.selectbox(_("Data"), DATASETS, format_func=_, key="neuron-train-data")
    seed = middle.number_input(_("Seed"), 0, 99, 0, key="neuron-seed")
    steps = right.slider(_("Training steps (full-batch Adam)"), 50, 400, 200, 50, key="neuron-steps")
    request = (dataset, int(seed), int(steps))
    start = st.button(_("Train the three models"), type="primary", icon=":material/play_arrow:", key="neuron-train")
    results = session_result("neuron", request, neuron.train_classifiers,
                             {"dataset": dataset, "seed": int(seed), "steps": int(steps)},
                             _("Training with Keras…"), start=start)
    if results is None:
        idle_prompt("neuron", _("Press the button to train all three on this data (a few seconds)."))
        return
    features, labels = make_dataset(dataset, count=200, seed=int(seed))
    columns = st.columns(len(neuron.MODELS))
    summary = []
    for column, model_name in zip(columns, neuron.MODELS):
        result = results[model_name]
        chart = decision_map(result.grid, result.grid_probabilities, features, labels, _(model_name), size=250)
        if result.weights is not None:
            box = result.grid.min(axis=0), result.grid.max(axis=0)
            line = neuron.boundary_line(result.weights, result.bias, (box[0][0], box[1][0]), (box[0][1], box[1][1]))
            if len(line):
                chart = chart + line_boundary(line)
        column.altair_chart(localized_chart(chart))
        column.metric(_("Training accuracy"), f"{result.accuracy:.1%}")
        summary.append({_("model"): _(model_name), _("parameters"): result.parameters, _("accuracy"): result.accuracy,
                        _("final loss"): result.final_loss, _("seconds"): result.seconds})
    st.dataframe(pd.DataFrame(summary), hide_index=True,
                 column_config={_("accuracy"): st.column_config.NumberColumn(format="percent"),
                                _("final loss"): st.column_config.NumberColumn(format="%.3f"),
                                _("seconds"): st.column_config.NumberColumn(format="%.1f")})
    st.caption(prose("three-maps"))


hand_set_neuron()
train_three_models()
quiz(neuron.QUESTIONS, key="neuron")
corrections(neuron.CORRECTIONS)
next_steps("views/lessons/activations.py", "views/tasks/mnist.py")
