"""Lesson 1: what deep learning is; the kinds of learning problems, each solved live in NumPy."""

import numpy as np
import pandas as pd
import streamlit as st

from i18n import N_
from lessons import intro
from ui.curve_charts import lines
from ui.i18n import gettext_for_session, localized_chart, text
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import fitted_line_chart, labelled_points_chart

_, prose = gettext_for_session(), text("intro")
lesson_header("views/lessons/intro.py")
st.markdown(prose("intro"))

TASKS = (N_("regression"), N_("binary classification"), N_("multi-class classification"), N_("clustering"),
         N_("dimensionality reduction"))  # values stay English; the radio shows them translated
SHAPES = (N_("round groups"), N_("long, thin classes"))
SPLITS = (N_("train"), N_("test"), N_("all"))  # legend values, translated by localized_chart
COLOURS = (N_("class"), N_("cluster"), N_("group (not used by PCA)"))  # legend titles, likewise


def split_frame(features, labels, train, test, label_name="class"):
    frame = pd.DataFrame({"x₁": features[:, 0], "x₂": features[:, 1], label_name: labels.astype(str)})
    frame["split"] = "train"
    frame.loc[test, "split"] = "test"
    return frame


@st.fragment
def demo():
    st.subheader(_("Try each kind of problem"))
    task = st.radio(_("Problem"), TASKS, format_func=_, horizontal=True, key="intro-task")
    seed = st.slider(_("Random seed for the data"), 0, 20, 0, key="intro-seed")
    if task == "regression":
        x, y = intro.noisy_line(60, seed=seed)
        train, test = intro.train_test_split(len(x), 0.25, seed)
        slope, intercept = intro.fit_line(x[train], y[train])
        split = np.where(np.isin(np.arange(len(x)), test), "test", "train")
        st.altair_chart(localized_chart(fitted_line_chart(x, y, split, slope, intercept)), width="stretch")
        train_error = intro.line_error(x[train], y[train], slope, intercept)
        test_error = intro.line_error(x[test], y[test], slope, intercept)
        left, middle, right = st.columns(3)
        left.metric(_("Fitted line"), f"y = {slope:.2f}·x + {intercept:.2f}",
                    help=_("the data came from y = 2x + 1 + noise"))
        middle.metric(_("Training MSE"), f"{train_error:.3f}")
        right.metric(_("Test MSE"), f"{test_error:.3f}")
    elif task in ("binary classification", "multi-class classification"):
        centres = [[-1.5, 0], [1.5, 0]] if task.startswith("binary") else [[-1.5, -1], [1.5, -1], [0, 1.5], [2.5, 2]]
        features, labels = intro.blobs(160, centres, spread=0.8, seed=seed)
        train, test = intro.train_test_split(len(labels), 0.25, seed)
        centroids = intro.nearest_centroid_fit(features[train], labels[train])
        predicted = intro.nearest_centroid_predict(centroids, features)
        st.altair_chart(localized_chart(labelled_points_chart(
            split_frame(features, labels, train, test), "class",
            _("Nearest-centroid classifier: one centre learned per class"))), width="stretch")
        left, right = st.columns(2)
        left.metric(_("Training accuracy"), f"{intro.accuracy(predicted[train], labels[train]):.1%}")
        right.metric(_("Test accuracy"), f"{intro.accuracy(predicted[test], labels[test]):.1%}")
    elif task == "clustering":
        features, hidden_labels = intro.blobs(150, [[-2, -1], [2, -1], [0, 2]], spread=0.7, seed=seed)
        centres, assignments, inertia = intro.k_means(features, 3, seed=seed)
        frame = split_frame(features, assignments, np.arange(len(features)), [], "cluster")
        left, right = st.columns(2)
        left.altair_chart(localized_chart(labelled_points_chart(
            frame, "cluster", _("k-means found these groups without labels"))), width="stretch")
        history = pd.DataFrame({"iteration": np.arange(1, len(inertia) + 1), "sum of squares": inertia,
                                "measure": _("within-cluster sum of squares")})
        right.altair_chart(lines(history, "iteration", "sum of squares", "measure", _("k-means iteration"),
                                 _("within-cluster sum of squares"), title=_("A label-free measure of quality")),
                           width="stretch")
    else:
        centres = np.random.default_rng(seed).normal(0, 3, (3, 6))
        features, hidden_labels = intro.blobs(150, centres, spread=1.0, seed=seed)
        projected, explained = intro.principal_components(features, 2)
        frame = pd.DataFrame({"x₁": projected[:, 0], "x₂": projected[:, 1],
                              "group (not used by PCA)": hidden_labels.astype(str), "split": "all"})
        st.altair_chart(localized_chart(labelled_points_chart(frame, "group (not used by PCA)",
                                                              _("Six features squeezed to two by PCA"))),
                        width="stretch")
        st.metric(_("Variance kept by the two components"), f"{explained.sum():.1%}")
    st.caption(prose("computed-now"))


@st.fragment
def supervision_demo():
    st.subheader(_("Supervised and unsupervised learning"))
    st.markdown(prose("supervision"))
    left, right = st.columns(2)
    shape = left.radio(_("Data"), SHAPES, format_func=_, horizontal=True, key="intro-supervision-data")
    seed = right.slider(_("Random seed"), 0, 20, 0, key="intro-supervision-seed")
    if shape == "round groups":
        features, labels = intro.blobs(300, [[-2.0, 0.0], [2.0, 0.0]], spread=0.8, seed=seed)
    else:
        features, labels = intro.stretched_classes(300, seed=seed)
    train, test = intro.train_test_split(len(labels), 0.25, seed)
    centroids = intro.nearest_centroid_fit(features[train], labels[train])
    supervised = intro.accuracy(intro.nearest_centroid_predict(centroids, features[test]), labels[test])
    _unused, clusters, _inertia = intro.k_means(features, 2, seed=seed)
    agreement = intro.cluster_agreement(clusters, labels)
    charts = st.columns(2)
    charts[0].altair_chart(localized_chart(labelled_points_chart(
        split_frame(features, labels, train, test), "class", _("Supervised: the labels are given"))),
        width="stretch")
    charts[1].altair_chart(localized_chart(labelled_points_chart(
        split_frame(features, clusters, np.arange(len(labels)), [], "cluster"), "cluster",
        _("Unsupervised: k-means, no labels"))), width="stretch")
    metrics = st.columns(2)
    metrics[0].metric(_("Supervised: test accuracy (nearest centroid)"), f"{supervised:.1%}")
    metrics[1].metric(_("Unsupervised: k-means clusters that match the classes"), f"{agreement:.1%}",
                      help=_("The better of the two ways of naming the clusters after the classes."))
    if agreement >= 0.9:
        st.caption(prose("clusters-are-classes"))
    else:
        st.caption(prose("clusters-are-not-classes"))


demo()
supervision_demo()
quiz(intro.QUESTIONS, key="intro")
corrections(intro.CORRECTIONS)
next_steps("views/lessons/neuron.py", "views/tasks/mnist.py")
