"""Lesson 7: overfitting, seen on polynomials and on a network; dropout and early stopping."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import overfitting
from lessons.why_deep import dense_parameter_count
from ui.curve_charts import lines, vertical_rules
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.lesson_training import idle_prompt, session_result

lesson_header("views/lessons/overfitting.py")
st.markdown(
    "A model **overfits** (过拟合) when it does well on its training data and badly on new data: it has "
    "learned the noise of its few examples along with the pattern. The sign is a training loss that "
    "keeps falling while the **validation** loss (on held-out data) stops falling or rises. The cause is "
    "capacity that is large for the amount of data, not depth as such. Remedies: more data, a smaller "
    "model, **dropout**, **early stopping**, weight decay."
)


@st.fragment
def polynomial_demo():
    st.subheader("Too many coefficients for 15 points")
    degree = st.slider("Polynomial degree", 1, 14, 3, key="overfit-degree")
    curve = overfitting.polynomial_curve(degree)
    frame = pd.concat([pd.DataFrame({"x": curve["x"], "y": curve["truth"], "curve": "truth: sin(πx)"}),
                       pd.DataFrame({"x": curve["x"], "y": np.clip(curve["fitted"], -3, 3),
                                     "curve": f"degree-{degree} fit"})])
    points = pd.DataFrame({"x": curve["x_train"], "y": curve["y_train"], "curve": "training points"})
    errors = overfitting.polynomial_errors(list(range(1, 15)))
    error_frame = pd.concat([pd.DataFrame({"degree": errors["degree"], "mse": errors[split], "data": split})
                             for split in ("train", "validation")])
    left, right = st.columns(2)
    y_title = "output y (clipped to ±3)"
    chart = lines(frame, "x", "y", "curve", "input x", y_title, title="The fit", height=300)
    dots = lines(points, "x", "y", "curve", "input x", y_title, height=300).mark_point(filled=True, size=40)
    left.altair_chart(chart + dots, width="stretch")
    right.altair_chart(lines(error_frame, "degree", "mse", "data", "polynomial degree",
                             "mean squared error (log scale)", title="Training vs validation error",
                             log_y=True, height=300), width="stretch")
    train_error = errors["train"][degree - 1]
    validation_error = errors["validation"][degree - 1]
    first, second = st.columns(2)
    first.metric("Training MSE", f"{train_error:.4f}")
    second.metric("Validation MSE", f"{validation_error:.4f}")


@st.fragment
def network_demo():
    st.subheader("A big network on 40 noisy points: dropout and early stopping")
    parameters = dense_parameter_count(2, overfitting.HIDDEN)
    st.caption(f"Three hidden layers of {overfitting.HIDDEN[0]} ReLUs ({parameters:,} parameters) trained full-batch "
               "on 40 two-moons points with heavy noise; validation on 400 fresh points. One step is one epoch.")
    left, right = st.columns(2)
    seed = left.number_input("Seed", 0, 99, 0, key="overfit-seed")
    steps = right.slider("Epochs", 50, 400, 150, 50, key="overfit-steps")
    request = (int(seed), int(steps))
    start = st.button("Train with and without dropout", type="primary", icon=":material/play_arrow:",
                      key="overfit-train")
    results = session_result("overfit", request, overfitting.regularisation_runs,
                             {"seed": int(seed), "steps": int(steps)}, "Training with Keras…", start=start)
    if results is None:
        idle_prompt("overfit", "Press the button to train both networks (a few seconds each).")
        return
    patience = st.slider("Early-stopping patience (epochs)", 1, 100, 20, key="overfit-patience")
    frame = pd.concat([pd.DataFrame({"epoch": np.arange(1, len(run.train_loss) + 1), "loss": values,
                                     "model": run.name, "data": data})
                       for run in results
                       for data, values in (("training", run.train_loss), ("validation", run.validation_loss))])
    rows, stops = [], []
    for run in results:
        stop, best = overfitting.early_stopping_epoch(run.validation_loss, patience)
        stops.append({"epoch": stop + 1, "model": run.name})
        rows.append({"model": run.name, "final training loss": run.train_loss[-1],
                     "final validation loss": run.validation_loss[-1],
                     "best validation loss": run.validation_loss[best], "best epoch": best + 1,
                     "early stopping stops after epoch": stop + 1,
                     "validation accuracy at best epoch": run.validation_accuracy[best]})
    curves = lines(frame, "epoch", "loss", "model", "epoch", "cross-entropy loss (log scale)", log_y=True,
                   dash="data", title="Training (solid) and validation (dashed) loss; dotted: early stopping")
    st.altair_chart(curves + vertical_rules(pd.DataFrame(stops), "epoch", "model", "epoch"), width="stretch")
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={name: st.column_config.NumberColumn(format="%.3f") for name in
                                ("final training loss", "final validation loss", "best validation loss")}
                 | {"validation accuracy at best epoch": st.column_config.NumberColumn(format="percent")})
    st.caption("Early stopping with restore_best_weights keeps the weights of the best epoch, so its validation "
               "loss is the 'best validation loss' column, reached after far fewer epochs. The dropout run's "
               "training loss is measured with dropout switched on, which is why it is noisy.")


@st.fragment
def dropout_demo():
    st.subheader("What dropout does to one layer's outputs")
    rate = st.slider("Dropout rate", 0.0, 0.9, 0.5, 0.1, key="overfit-rate")
    effect = overfitting.dropout_effect(rate)
    left, right = st.columns(2)
    left.metric("Share of outputs set to zero", f"{effect['zeroed']:.1%}")
    right.metric("Mean output (input mean was 1)", f"{effect['mean']:.3f}",
                 help="survivors are scaled by 1 / (1 − rate), so the mean stays about 1")


polynomial_demo()
network_demo()
dropout_demo()
quiz(overfitting.QUESTIONS, key="overfitting")
corrections(overfitting.CORRECTIONS)
next_steps("views/lessons/tf1_to_keras.py", "views/tasks/mnist.py", "views/tasks/sentiment.py")
