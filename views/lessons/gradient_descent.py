"""Lesson 4: loss functions, the update rule, step sizes, local minima, batches and epochs."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import gradient_descent as gd
from ui.curve_charts import lines, loss_of_constant_chart
from ui.grid_charts import loss_surface
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import embedding_scatter

_, prose = gettext_for_session(), text("gradient_descent")
lesson_header("views/lessons/gradient_descent.py")
st.markdown(prose("intro"))
curves = gd.single_example_curves()
frame = pd.concat([pd.DataFrame({"p": curves["probability"], "loss": curves[name], "loss function": _(name)})
                   for name in (N_("squared error"), N_("cross-entropy"))])
st.altair_chart(lines(frame, "p", "loss", "loss function", _("predicted probability of the true class (label 1)"),
                      _("loss of this one example"), title=_("Loss of one example whose label is 1"), height=220),
                width="stretch")
st.markdown(prose("update-rule"))


@st.fragment
def step_size_demo():
    st.subheader(_("Step size on a narrow valley"))
    st.markdown(prose("valley"))
    left, right = st.columns(2)
    step = left.slider(_("Step size (learning rate)"), 0.01, 0.30, 0.05, 0.01, key="gd-step")
    steps = right.slider(_("Number of steps"), 5, 60, 25, key="gd-steps")
    path = gd.descend(gd.BOWL, (-2.5, 2.0), step, steps)
    points, values = gd.loss_grid(gd.BOWL, resolution=50)
    walk_losses = gd.BOWL.loss(path)
    chart_left, chart_right = st.columns(2)
    chart_left.altair_chart(localized_chart(loss_surface(points, values, path, title=_("Path of gradient descent"),
                                                         size=320)))
    history = pd.DataFrame({"step": np.arange(len(path)), "loss": walk_losses, "curve": _("loss")})
    chart_right.altair_chart(lines(history, "step", "loss", "curve", _("step"), _("loss (log scale)"),
                                   title=_("Loss after each step"), log_y=True, height=320), width="stretch")
    first, second = st.columns(2)
    first.metric(_("Predicted from 1 − step·curvature"), _(gd.bowl_regime(step)))
    second.metric(_("Loss after the last step"), f"{walk_losses[-1]:.3g}",
                  delta=_("{change} vs start").format(change=f"{walk_losses[-1] - walk_losses[0]:.3g}"),
                  delta_color="inverse")


@st.fragment
def restarts_demo():
    st.subheader(_("Local minima and random restarts"))
    st.markdown(prose("restarts"))
    left, right = st.columns(2)
    count = left.slider(_("Random starts"), 1, 20, 6, key="gd-starts")
    seed = right.number_input(_("Seed"), 0, 999, 1, key="gd-seed")
    runs = gd.random_restarts(gd.BUMPY, count, int(seed), step=0.1, steps=300)
    marks = pd.DataFrame([{"x": run.start[0], "y": run.start[1], "kind": _("start")} for run in runs]
                         + [{"x": run.end[0], "y": run.end[1], "kind": _("end")} for run in runs])
    points, values = gd.loss_grid(gd.BUMPY, resolution=50)
    best = min(runs, key=lambda run: run.loss)
    chart, table = st.columns([3, 2])
    chart.altair_chart(localized_chart(loss_surface(points, values, extra_points=marks,
                                                    title=_("Starts and where they ended"), size=340)))
    rows = pd.DataFrame({_("start"): [f"({run.start[0]:.1f}, {run.start[1]:.1f})" for run in runs],
                         _("end"): [f"({run.end[0]:.2f}, {run.end[1]:.2f})" for run in runs],
                         _("final loss"): [run.loss for run in runs]}).sort_values(_("final loss"))
    table.dataframe(rows, hide_index=True,
                    column_config={_("final loss"): st.column_config.NumberColumn(format="%.3f")})
    deepest = gd.BUMPY.loss(gd.descend(gd.BUMPY, gd.WELLS[0][:2], 0.1, 300)[-1])
    table.metric(_("Best of the restarts"), f"{best.loss:.3f}",
                 help=_("the deepest basin, around ({x}, {y}), bottoms out at {loss}").format(
                     x=gd.WELLS[0][0], y=gd.WELLS[0][1], loss=f"{deepest:.3f}"))


@st.fragment
def batches_demo():
    st.subheader(_("Batches, epochs and updates"))
    st.markdown(prose("batches"))
    left, middle, right = st.columns(3)
    examples = left.number_input(_("Training examples N"), 1, 10_000_000, 10_000, key="gd-examples")
    batch = middle.number_input(_("Batch size"), 1, 100_000, 10, key="gd-batch")
    epochs = right.number_input(_("Epochs"), 1, 1000, 1, key="gd-epochs")
    per_epoch = gd.updates_per_epoch(int(examples), int(batch))
    st.metric(_("Parameter updates per epoch"), f"{per_epoch:,}",
              help=_("ceil(N / batch size); Keras counts the same"))
    st.caption(prose("updates", epochs=int(epochs), updates=f"{per_epoch * int(epochs):,}"))


LOSS_USES = {
    N_("squared error (L2)"): (N_("the mean"), N_("Symmetric noise; large errors should cost much more than small "
                                                 "ones. One outlier pulls the answer by its distance / n.")),
    N_("absolute error (L1)"): (N_("the median"), N_("Data with outliers: each point pulls with the same force "
                                                    "whatever its distance, so a flat tyre counts as one late "
                                                    "delivery.")),
    N_("pinball"): (N_("the q-quantile"), N_("An answer with a guarantee (\"on time 9 times in 10\") or the edges "
                                             "of a prediction interval: under-predicting costs q per minute, "
                                             "over-predicting 1 − q.")),
}


def loss_label(name: str) -> str:
    """'pinball, q = 0.8' in the reader's language: the loss's name translated, the setting kept."""
    _ = gettext_for_session()
    base, _comma, setting = name.partition(",")
    return _("{name}, {setting}").format(name=_(base), setting=setting.strip()) if setting else _(base)


@st.fragment
def more_losses_demo():
    st.subheader(_("More loss functions: what each one is for"))
    st.markdown(prose("more-losses", minutes=", ".join(f"{minutes:g}" for minutes in gd.DELIVERY_MINUTES)))
    left, right = st.columns(2)
    outlier = left.slider(_("The ninth delivery (minutes)"), 21, 120, 60, key="losses-outlier")
    quantile = right.select_slider(_("Quantile q of the pinball loss"), [0.1, 0.25, 0.5, 0.75, 0.8, 0.9], value=0.8,
                                   key="losses-quantile")
    targets = np.array([*gd.DELIVERY_MINUTES, float(outlier)])
    candidates = np.linspace(0.0, 125.0, 501)
    curves = gd.constant_losses(targets, candidates, quantile)
    best = gd.best_constants(targets, quantile)
    calm = gd.best_constants(np.array([*gd.DELIVERY_MINUTES, 21.0]), quantile)
    for column, (name, values) in zip(st.columns(3), curves.items()):
        title = _("{name}: best c = {value}").format(name=loss_label(name), value=f"{best[name]:.2f}")
        column.altair_chart(localized_chart(loss_of_constant_chart(candidates, values, best[name], title, targets)),
                            width="stretch")
    rows = []
    for name, value in best.items():
        statistic, use = LOSS_USES[name.split(",")[0]]
        rows.append({_("loss"): loss_label(name), _("best c (searched)"): value, _("equals"): _(statistic),
                     _("moved by the outlier"): value - calm[name], _("use it for"): _(use)})
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={_("best c (searched)"): st.column_config.NumberColumn(format="%.2f"),
                                _("moved by the outlier"): st.column_config.NumberColumn(
                                    format="%+.2f", help=_("compared with a ninth delivery of 21 minutes"))})
    st.caption(prose("searched", low=f"{targets.min():g}", high=f"{targets.max():g}", mean=f"{targets.mean():.2f}",
                     median=f"{np.median(targets):g}", quantile=f"{quantile:g}",
                     quantile_value=f"{np.quantile(targets, quantile, method='inverted_cdf'):g}"))

    st.markdown(prose("contrastive"))
    left, right = st.columns(2)
    margin = left.slider(_("Margin"), 0.5, 2.0, 1.0, 0.25, key="losses-margin")
    steps = right.slider(_("Gradient-descent steps"), 0, 300, 150, 10, key="losses-steps")
    start, end, history = gd.train_contrastive(margin=margin, steps=steps)
    pairs, same = gd.all_pairs()
    before, after = gd.pair_distances(start, pairs), gd.pair_distances(end, pairs)
    limit = float(max(1.5, np.abs(start).max(), np.abs(end).max()) * 1.15)
    charts = st.columns(2)
    charts[0].altair_chart(localized_chart(embedding_scatter(start, gd.PEOPLE, _("Before training"), limit)),
                           width="content")
    charts[1].altair_chart(localized_chart(embedding_scatter(end, gd.PEOPLE, _("After {steps} steps").format(
        steps=steps), limit)), width="content")
    metrics = st.columns(3)
    metrics[0].metric(_("Largest distance, same person"), f"{after[same == 1].max():.3f}",
                      delta=f"{after[same == 1].max() - before[same == 1].max():+.3f}", delta_color="inverse")
    metrics[1].metric(_("Smallest distance, different people"), f"{after[same == 0].min():.3f}",
                      delta=f"{after[same == 0].min() - before[same == 0].min():+.3f}")
    loss_after, loss_before = (gd.contrastive_loss(distances, same, margin) for distances in (after, before))
    metrics[2].metric(_("Contrastive loss"), f"{loss_after:.4f}", delta=f"{loss_after - loss_before:+.4f}",
                      delta_color="inverse")
    separated = after[same == 1].max() < after[same == 0].min()
    st.caption(prose("separated" if separated else "not-separated"))


step_size_demo()
restarts_demo()
batches_demo()
more_losses_demo()
quiz(gd.QUESTIONS, key="gradient-descent")
corrections(gd.CORRECTIONS)
next_steps("views/lessons/backprop.py", "views/tasks/mnist.py")
