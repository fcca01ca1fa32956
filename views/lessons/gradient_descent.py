"""Lesson 4: loss functions, the update rule, step sizes, local minima, batches and epochs."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gradient_descent as gd
from lessons import losses
from lessons.part1_charts import lines, loss_surface
from lessons.part1_quiz_basics import GRADIENT_CORRECTIONS, GRADIENT_QUESTIONS
from ui.lesson import corrections, lesson_header, next_steps, quiz

lesson_header("views/lessons/gradient_descent.py")
st.markdown(
    "Training means choosing the parameters θ that make a **loss** small. For regression the usual loss "
    "is the **mean squared error** `mean((y − ŷ)²)`; for classification it is the **cross-entropy** "
    "`−mean(y·log p + (1 − y)·log(1 − p))`, which punishes confident mistakes without limit."
)
curves = losses.single_example_curves()
frame = pd.concat([pd.DataFrame({"p": curves["probability"], "loss": curves[name], "loss function": name})
                   for name in ("squared error", "cross-entropy")])
st.altair_chart(lines(frame, "p", "loss", "loss function", "predicted probability of the true class (label 1)",
                      "loss of this one example", title="Loss of one example whose label is 1", height=220),
                width="stretch")
st.markdown(
    "**Gradient descent** (梯度下降) repeats one rule: `θ ← θ − step · ∇L(θ)`. The gradient ∇L points "
    "uphill, so we step the other way. The step size (learning rate) is the most important setting: "
    "too small and nothing happens, too large and every step overshoots."
)


@st.fragment
def step_size_demo():
    st.subheader("Step size on a narrow valley")
    st.markdown("The loss here is `L = ½ (w₁² + 10 w₂²)`: gentle along w₁, ten times steeper along w₂. "
                "Each step multiplies w₂ by `1 − 10·step`: below 0.1 it shrinks smoothly, between 0.1 and "
                "0.2 it flips sign (zig-zag) but shrinks, above 0.2 it grows.")
    left, right = st.columns(2)
    step = left.slider("Step size (learning rate)", 0.01, 0.30, 0.05, 0.01, key="gd-step")
    steps = right.slider("Number of steps", 5, 60, 25, key="gd-steps")
    path = gd.descend(gd.BOWL, (-2.5, 2.0), step, steps)
    points, values = gd.loss_grid(gd.BOWL, resolution=50)
    walk_losses = gd.BOWL.loss(path)
    chart_left, chart_right = st.columns(2)
    chart_left.altair_chart(loss_surface(points, values, path, title="Path of gradient descent", size=320))
    history = pd.DataFrame({"step": np.arange(len(path)), "loss": walk_losses, "curve": "loss"})
    chart_right.altair_chart(lines(history, "step", "loss", "curve", "step", "loss (log scale)",
                                   title="Loss after each step", log_y=True, height=320), width="stretch")
    first, second = st.columns(2)
    first.metric("Predicted from 1 − step·curvature", gd.bowl_regime(step))
    second.metric("Loss after the last step", f"{walk_losses[-1]:.3g}",
                  delta=f"{walk_losses[-1] - walk_losses[0]:.3g} vs start", delta_color="inverse")


@st.fragment
def restarts_demo():
    st.subheader("Local minima and random restarts")
    st.markdown("This landscape has four basins. Gradient descent rolls into the basin it starts in; "
                "starting again from several random points and keeping the lowest end point is the simplest "
                "remedy (for networks: train with several seeds).")
    left, right = st.columns(2)
    count = left.slider("Random starts", 1, 20, 6, key="gd-starts")
    seed = right.number_input("Seed", 0, 999, 1, key="gd-seed")
    runs = gd.random_restarts(gd.BUMPY, count, int(seed), step=0.1, steps=300)
    marks = pd.DataFrame([{"x": run.start[0], "y": run.start[1], "kind": "start"} for run in runs]
                         + [{"x": run.end[0], "y": run.end[1], "kind": "end"} for run in runs])
    points, values = gd.loss_grid(gd.BUMPY, resolution=50)
    best = min(runs, key=lambda run: run.loss)
    chart, table = st.columns([3, 2])
    chart.altair_chart(loss_surface(points, values, extra_points=marks, title="Starts and where they ended",
                                    size=340))
    rows = pd.DataFrame({"start": [f"({run.start[0]:.1f}, {run.start[1]:.1f})" for run in runs],
                         "end": [f"({run.end[0]:.2f}, {run.end[1]:.2f})" for run in runs],
                         "final loss": [run.loss for run in runs]}).sort_values("final loss")
    table.dataframe(rows, hide_index=True, column_config={"final loss": st.column_config.NumberColumn(format="%.3f")})
    deepest = gd.BUMPY.loss(gd.descend(gd.BUMPY, gd.WELLS[0][:2], 0.1, 300)[-1])
    table.metric("Best of the restarts", f"{best.loss:.3f}",
                 help=f"the deepest basin, around ({gd.WELLS[0][0]}, {gd.WELLS[0][1]}), bottoms out at {deepest:.3f}")


@st.fragment
def batches_demo():
    st.subheader("Batches, epochs and updates")
    st.markdown("In practice the gradient is computed on a **batch** of examples, not on all of them, and the "
                "parameters are updated after every batch. One pass over all the data is an **epoch**.")
    left, middle, right = st.columns(3)
    examples = left.number_input("Training examples N", 1, 10_000_000, 10_000, key="gd-examples")
    batch = middle.number_input("Batch size", 1, 100_000, 10, key="gd-batch")
    epochs = right.number_input("Epochs", 1, 1000, 1, key="gd-epochs")
    per_epoch = gd.updates_per_epoch(int(examples), int(batch))
    st.metric("Parameter updates per epoch", f"{per_epoch:,}", help="ceil(N / batch size); Keras counts the same")
    st.caption(f"{int(epochs)} epoch(s) make {per_epoch * int(epochs):,} updates. The notes' example, N = 10,000 "
               "with batches of 10, gives 1,000 updates per epoch.")


step_size_demo()
restarts_demo()
batches_demo()
quiz(GRADIENT_QUESTIONS, key="gradient-descent")
corrections(GRADIENT_CORRECTIONS)
next_steps("views/lessons/backprop.py", "views/tasks/mnist.py")
