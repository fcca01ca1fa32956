"""Lesson 7: overfitting, seen on polynomials and on a network; dropout and early stopping."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import overfitting
from lessons.why_deep import dense_parameter_count
from ui.curve_charts import lines, vertical_rules
from ui.i18n import gettext_for_session, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

SPLITS = {"train": N_("training"), "validation": N_("validation")}  # keys of overfitting.polynomial_errors

_, prose = gettext_for_session(), text("overfitting")
lesson_header("views/lessons/overfitting.py")
st.markdown(prose("intro"))


@st.fragment
def polynomial_demo():
    st.subheader(_("Too many coefficients for 15 points"))
    degree = st.slider(_("Polynomial degree"), 1, 14, 3, key="overfit-degree")
    curve = overfitting.polynomial_curve(degree)
    frame = pd.concat([pd.DataFrame({"x": curve["x"], "y": curve["truth"], "curve": _("truth: sin(πx)")}),
                       pd.DataFrame({"x": curve["x"], "y": np.clip(curve["fitted"], -3, 3),
                                     "curve": _("degree-{degree} fit").format(degree=degree)})])
    points = pd.DataFrame({"x": curve["x_train"], "y": curve["y_train"], "curve": _("training points")})
    errors = overfitting.polynomial_errors(list(range(1, 15)))
    error_frame = pd.concat([pd.DataFrame({"degree": errors["degree"], "mse": errors[split], "data": _(shown)})
                             for split, shown in SPLITS.items()])
    left, right = st.columns(2)
    y_title = _("output y (clipped to ±3)")
    chart = lines(frame, "x", "y", "curve", _("input x"), y_title, title=_("The fit"), height=300)
    dots = lines(points, "x", "y", "curve", _("input x"), y_title, height=300).mark_point(filled=True, size=40)
    left.altair_chart(chart + dots, width="stretch")
    right.altair_chart(lines(error_frame, "degree", "mse", "data", _("polynomial degree"),
                             _("mean squared error (log scale)"), title=_("Training vs validation error"),
                             log_y=True, height=300), width="stretch")
    train_error = errors["train"][degree - 1]
    validation_error = errors["validation"][degree - 1]
    first, second = st.columns(2)
    first.metric(_("Training MSE"), f"{train_error:.4f}")
    second.metric(_("Validation MSE"), f"{validation_error:.4f}")


@st.fragment
def network_demo():
    st.subheader(_("A big network on 40 noisy points: dropout and early stopping"))
    parameters = dense_parameter_count(2, overfitting.HIDDEN)
    st.caption(prose("network-setup", units=overfitting.HIDDEN[0], parameters=f"{parameters:,}"))
    left, right = st.columns(2)
    seed = left.number_input(_("Seed"), 0, 99, 0, key="overfit-seed")
    steps = right.slider(_("Epochs"), 50, 400, 150, 50, key="overfit-steps")
    request = (int(seed), int(steps))
    start = st.button(_("Train with and without dropout"), type="primary", icon=":material/play_arrow:",
                      key="overfit-train")
    results = session_result("overfit", request, overfitting.regularisation_runs,
                             {"seed": int(seed), "steps": int(steps)}, _("Training with Keras…"), start=start)
    if results is None:
        idle_prompt("overfit", _("Press the button to train both networks (a few seconds each)."))
        return
    patience = st.slider(_("Early-stopping patience (epochs)"), 1, 100, 20, key="overfit-patience")
    training, validation = _("training"), _("validation")
    frame = pd.concat([pd.DataFrame({"epoch": np.arange(1, len(run.train_loss) + 1), "loss": values,
                                     "model": _(run.name), "data": data})
                       for run in results
                       for data, values in ((training, run.train_loss), (validation, run.validation_loss))])
    columns = {name: _(name) for name in (
        N_("model"), N_("final training loss"), N_("final validation loss"), N_("best validation loss"),
        N_("best epoch"), N_("early stopping stops after epoch"), N_("validation accuracy at best epoch"))}
    rows, stops = [], []
    for run in results:
        stop, best = overfitting.early_stopping_epoch(run.validation_loss, patience)
        stops.append({"epoch": stop + 1, "model": _(run.name)})
        rows.append({columns["model"]: _(run.name), columns["final training loss"]: run.train_loss[-1],
                     columns["final validation loss"]: run.validation_loss[-1],
                     columns["best validation loss"]: run.validation_loss[best], columns["best epoch"]: best + 1,
                     columns["early stopping stops after epoch"]: stop + 1,
                     columns["validation accuracy at best epoch"]: run.validation_accuracy[best]})
    curves = lines(frame, "epoch", "loss", "model", _("epoch"), _("cross-entropy loss (log scale)"), log_y=True,
                   dash="data", title=_("Training (solid) and validation (dashed) loss; dotted: early stopping"))
    st.altair_chart(curves + vertical_rules(pd.DataFrame(stops), "epoch", "model", _("epoch")), width="stretch")
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={columns[name]: st.column_config.NumberColumn(format="%.3f") for name in
                                ("final training loss", "final validation loss", "best validation loss")}
                 | {columns["validation accuracy at best epoch"]: st.column_config.NumberColumn(format="percent")})
    st.caption(prose("early-stopping"))


@st.fragment
def dropout_demo():
    st.subheader(_("What dropout does to one layer's outputs"))
    rate = st.slider(_("Dropout rate"), 0.0, 0.9, 0.5, 0.1, key="overfit-rate")
    effect = overfitting.dropout_effect(rate)
    left, right = st.columns(2)
    left.metric(_("Share of outputs set to zero"), f"{effect['zeroed']:.1%}")
    right.metric(_("Mean output (input mean was 1)"), f"{effect['mean']:.3f}",
                 help=_("survivors are scaled by 1 / (1 − rate), so the mean stays about 1"))


polynomial_demo()
network_demo()
dropout_demo()
quiz(overfitting.QUESTIONS, key="overfitting")
corrections(overfitting.CORRECTIONS)
next_steps("views/lessons/tf1_to_keras.py", "views/tasks/mnist.py", "views/tasks/sentiment.py")
