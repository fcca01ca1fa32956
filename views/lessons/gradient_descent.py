"""Lesson 4: loss functions, the update rule, step sizes, local minima, batches and epochs."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import gradient_descent as gd
from ui.curve_charts import lines, loss_of_constant_chart
from ui.grid_charts import loss_surface
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import embedding_scatter

lesson_header("views/lessons/gradient_descent.py")
st.markdown(
    "Training means choosing the parameters θ that make a **loss** small. For regression the usual loss "
    "is the **mean squared error** `mean((y − ŷ)²)`; for classification it is the **cross-entropy** "
    "`−mean(y·log p + (1 − y)·log(1 − p))`, which punishes confident mistakes without limit."
)
curves = gd.single_example_curves()
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


LOSS_USES = {
    "squared error (L2)": ("the mean", "Symmetric noise; large errors should cost much more than small ones. "
                           "One outlier pulls the answer by its distance / n."),
    "absolute error (L1)": ("the median", "Data with outliers: each point pulls with the same force whatever "
                            "its distance, so a flat tyre counts as one late delivery."),
    "pinball": ("the q-quantile", "An answer with a guarantee (\"on time 9 times in 10\") or the edges of a "
                "prediction interval: under-predicting costs q per minute, over-predicting 1 − q."),
}


@st.fragment
def more_losses_demo():
    st.subheader("More loss functions: what each one is for")
    st.markdown(
        "Note 001 lists more losses than the two above: the **mean absolute error** (L1), the **quantile** "
        "(pinball) loss and the **contrastive** loss. The choice is not a detail: it decides *which* answer "
        "is best. One small example shows it. A courier's last nine deliveries took "
        f"{', '.join(f'{minutes:g}' for minutes in gd.DELIVERY_MINUTES)} minutes and one more (a flat tyre?). "
        "The simplest model predicts one number c for every delivery; each loss picks a different c.")
    left, right = st.columns(2)
    outlier = left.slider("The ninth delivery (minutes)", 21, 120, 60, key="losses-outlier")
    quantile = right.select_slider("Quantile q of the pinball loss", [0.1, 0.25, 0.5, 0.75, 0.8, 0.9], value=0.8,
                                   key="losses-quantile")
    targets = np.array([*gd.DELIVERY_MINUTES, float(outlier)])
    candidates = np.linspace(0.0, 125.0, 501)
    curves = gd.constant_losses(targets, candidates, quantile)
    best = gd.best_constants(targets, quantile)
    calm = gd.best_constants(np.array([*gd.DELIVERY_MINUTES, 21.0]), quantile)
    for column, (name, values) in zip(st.columns(3), curves.items()):
        column.altair_chart(loss_of_constant_chart(candidates, values, best[name], f"{name}: best c = {best[name]:.2f}",
                                                   targets), width="stretch")
    rows = []
    for name, value in best.items():
        statistic, use = LOSS_USES[name.split(",")[0]]
        rows.append({"loss": name, "best c (searched)": value, "equals": statistic,
                     "moved by the outlier": value - calm[name], "use it for": use})
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={"best c (searched)": st.column_config.NumberColumn(format="%.2f"),
                                "moved by the outlier": st.column_config.NumberColumn(
                                    format="%+.2f", help="compared with a ninth delivery of 21 minutes")})
    st.caption(f"Each best c is found by trying every c from {targets.min():g} to {targets.max():g} in steps of "
               f"0.01, not by a formula: mean {targets.mean():.2f}, median {np.median(targets):g}, "
               f"{quantile:g}-quantile {np.quantile(targets, quantile, method='inverted_cdf'):g}. "
               "Black ticks: the nine deliveries.")

    st.markdown(
        "The **contrastive** loss (Hadsell, Chopra & LeCun, 2006) has no target value at all. It is for "
        "learning *distances*: it sees pairs, each marked \"same\" or \"different\". A same pair pays its "
        "squared distance d²; a different pair pays max(0, margin − d)², so it is pushed apart only until it is "
        "a margin away. Face verification learns this way: a new face needs no retraining, only a comparison. "
        "Here six photos of three people start at random points of a 2-D embedding, and gradient descent "
        "moves the points themselves.")
    left, right = st.columns(2)
    margin = left.slider("Margin", 0.5, 2.0, 1.0, 0.25, key="losses-margin")
    steps = right.slider("Gradient-descent steps", 0, 300, 150, 10, key="losses-steps")
    start, end, history = gd.train_contrastive(margin=margin, steps=steps)
    pairs, same = gd.all_pairs()
    before, after = gd.pair_distances(start, pairs), gd.pair_distances(end, pairs)
    limit = float(max(1.5, np.abs(start).max(), np.abs(end).max()) * 1.15)
    charts = st.columns(2)
    charts[0].altair_chart(embedding_scatter(start, gd.PEOPLE, "Before training", limit), width="content")
    charts[1].altair_chart(embedding_scatter(end, gd.PEOPLE, f"After {steps} steps", limit), width="content")
    metrics = st.columns(3)
    metrics[0].metric("Largest distance, same person", f"{after[same == 1].max():.3f}",
                      delta=f"{after[same == 1].max() - before[same == 1].max():+.3f}", delta_color="inverse")
    metrics[1].metric("Smallest distance, different people", f"{after[same == 0].min():.3f}",
                      delta=f"{after[same == 0].min() - before[same == 0].min():+.3f}")
    loss_after, loss_before = (gd.contrastive_loss(distances, same, margin) for distances in (after, before))
    metrics[2].metric("Contrastive loss", f"{loss_after:.4f}", delta=f"{loss_after - loss_before:+.4f}",
                      delta_color="inverse")
    separated = after[same == 1].max() < after[same == 0].min()
    st.caption("Now one distance threshold tells every same pair from every different pair."
               if separated else
               "Some different pair is still closer than some same pair: no single distance threshold separates "
               "them yet. More steps fix it.")


step_size_demo()
restarts_demo()
batches_demo()
more_losses_demo()
quiz(gd.QUESTIONS, key="gradient-descent")
corrections(gd.CORRECTIONS)
next_steps("views/lessons/backprop.py", "views/tasks/mnist.py")
