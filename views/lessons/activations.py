"""Lesson 3: activation functions, their derivatives, and curves built from hard sigmoids."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import activations
from ui.bar_charts import probability_bars
from ui.curve_charts import lines, temperature_chart
from ui.i18n import choices_placeholder, gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz

_, prose = gettext_for_session(), text("activations")
lesson_header("views/lessons/activations.py")
st.markdown(prose("intro"))


@st.fragment
def compare_functions():
    st.subheader(_("The functions and their slopes"))
    names = st.multiselect(_("Activations"), list(activations.ACTIVATIONS), format_func=_,
                           default=["sigmoid", "tanh", "ReLU"], key="activations-shown",
                           placeholder=choices_placeholder(activations.ACTIVATIONS))
    if not names:
        st.info(_("Pick at least one activation."))
        return
    values, slopes, summary = [], [], []
    for name, (x, value, derivative) in activations.curves(names).items():
        values.append(pd.DataFrame({"x": x, "value": value, "function": _(name)}))
        slopes.append(pd.DataFrame({"x": x, "value": derivative, "function": _(name)}))
        info = activations.ACTIVATIONS[name]
        summary.append({_("activation"): _(name), _("formula"): info.formula,
                        _("largest slope on [-6, 6]"): float(np.max(derivative)), _("why it matters"): _(info.note)})
    left, right = st.columns(2)
    left.altair_chart(lines(pd.concat(values), "x", "value", "function", _("input x"), _("activation f(x)"),
                            title="f(x)"), width="stretch")
    right.altair_chart(lines(pd.concat(slopes), "x", "value", "function", _("input x"), _("derivative f′(x)"),
                             title=_("f′(x): how much gradient passes")), width="stretch")
    st.dataframe(pd.DataFrame(summary), hide_index=True,
                 column_config={_("largest slope on [-6, 6]"): st.column_config.NumberColumn(format="%.4f")})
    st.caption(prose("slopes-checked"))


def ramp_chart():
    x = np.linspace(-3, 3, 241)
    start, end = -1.0, 1.0
    _ = gettext_for_session()
    parts = {"relu(x + 1) / 2": activations.relu(x - start) / (end - start),
             "−relu(x − 1) / 2": -activations.relu(x - end) / (end - start),
             _("sum: hard sigmoid"): activations.ramp_from_relus(x, start, end),
             _("sigmoid(2x): the smooth version"): activations.ramp_from_sigmoid(x, start, end)}
    frame = pd.concat([pd.DataFrame({"x": x, "y": value, "curve": name}) for name, value in parts.items()])
    return lines(frame, "x", "y", "curve", _("input x"), _("output"),
                 title=_("Two ReLUs make one hard sigmoid exactly"))


@st.fragment
def build_a_curve():
    st.subheader(_("Any curve from hard sigmoids"))
    st.markdown(prose("pieces"))
    st.altair_chart(ramp_chart(), width="stretch")
    left, right = st.columns(2)
    pieces = left.slider(_("Number of hard sigmoids (pieces)"), 1, 30, 4, key="activations-pieces")
    kind = right.radio(_("Each piece made of"), activations.KINDS, format_func=_, horizontal=True,
                       key="activations-kind")
    result = activations.fit(pieces, kind)
    fitted_name = _("sum of {pieces} pieces + constant").format(pieces=pieces)
    frame = pd.concat([pd.DataFrame({"x": result.x, "y": result.target, "curve": _("target: sin(1.5x) + 0.3x"),
                                     "line": _("target")}),
                       pd.DataFrame({"x": result.x, "y": result.fitted, "curve": fitted_name, "line": _("fit")})])
    show_parts = st.toggle(_("Show the individual pieces"), value=pieces <= 8, key="activations-parts")
    if show_parts:
        frame = pd.concat([frame] + [pd.DataFrame({"x": result.x, "y": result.components[:, index],
                                                   "curve": _("piece {number}").format(number=index + 1),
                                                   "line": _("piece")})
                                     for index in range(pieces)])
    st.altair_chart(lines(frame, "x", "y", "curve", _("input x"), _("output y"), height=320, dash="line"),
                    width="stretch")
    st.metric(_("Root-mean-square error of the fit"), f"{result.rmse:.4f}")


SOFTMAX_CLASSES = [N_("cat"), N_("dog"), N_("bird"), N_("fish")]


@st.fragment
def softmax_demo():
    st.subheader(_("Softmax: the output layer of a classifier"))
    st.markdown(prose("softmax"))
    classes = [_(name) for name in SOFTMAX_CLASSES]
    columns = st.columns(len(SOFTMAX_CLASSES))
    defaults = (2.0, 1.0, 0.1, -1.0)
    logits = [column.slider(_("Logit z ({name})").format(name=_(name)), -5.0, 5.0, default, 0.1,
                            key=f"softmax-logit-{index}")
              for index, (column, name, default) in enumerate(zip(columns, SOFTMAX_CLASSES, defaults))]
    left, right = st.columns(2)
    temperature = left.select_slider(_("Temperature T"), [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0], value=1.0,
                                     key="softmax-temperature")
    true_class = right.radio(_("True class of this example"), range(len(SOFTMAX_CLASSES)), horizontal=True,
                             format_func=lambda index: classes[index], key="softmax-true")
    table = activations.explain(logits, true_class, temperature)
    chart_left, chart_right = st.columns(2)
    chart_left.altair_chart(localized_chart(probability_bars(classes, table.probabilities, true_class,
                                                             f"softmax(z / {temperature:g})")), width="stretch")
    sweep = activations.temperature_sweep(logits, np.geomspace(0.1, 10.0, 41))
    chart_right.altair_chart(localized_chart(temperature_chart(sweep, classes, temperature)), width="stretch")
    gradient_name = _("gradient of the loss, (p − y) / T")
    st.dataframe(pd.DataFrame({_("class"): classes, _("logit z"): logits,
                               "e^(z / T)": np.exp(np.asarray(logits) / temperature),
                               _("probability"): table.probabilities,
                               gradient_name: table.gradient}),
                 hide_index=True, column_config={name: st.column_config.NumberColumn(format="%.4f") for name in
                                                 ("e^(z / T)", _("probability"), gradient_name)})
    metrics = st.columns(3)
    metrics[0].metric(_("Cross-entropy −log p(true class)"), f"{table.loss:.4f}")
    metrics[1].metric(_("Entropy of the probabilities"), f"{table.entropy:.3f} nats",
                      help=_("0 for a one-hot answer, log {count} = {entropy} when all classes are equally "
                             "likely").format(count=len(SOFTMAX_CLASSES),
                                              entropy=f"{np.log(len(SOFTMAX_CLASSES)):.3f}"))
    metrics[2].metric(_("Sum of the probabilities"), f"{table.probabilities.sum():.6f}")
    st.caption(prose("softmax-step", name=classes[true_class], rise=f"{-table.gradient[true_class]:.4f}"))


compare_functions()
build_a_curve()
softmax_demo()
quiz(activations.QUESTIONS, key="activations")
corrections(activations.CORRECTIONS)
next_steps("views/lessons/gradient_descent.py", "views/tasks/mnist.py")
