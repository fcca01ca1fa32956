"""Lesson 1: what deep learning is; the kinds of learning problems, each solved live in NumPy."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons import intro
from ui.curve_charts import lines
from ui.lesson import corrections, lesson_header, next_steps, quiz
from ui.scatter_charts import fitted_line_chart, labelled_points_chart

lesson_header("views/lessons/intro.py")
st.markdown(
    "**Artificial intelligence** is the goal: machines that act intelligently. **Machine learning** "
    "(机器学习) is one way to get there: instead of writing the rules, we let a program fit them from "
    "examples. **Deep learning** is one family of machine-learning methods: neural networks with many "
    "layers, each layer computing features from the one before.\n\n"
    "What the machine must output decides the kind of problem:\n"
    "- **regression** outputs a number (tomorrow's temperature, a price);\n"
    "- **classification** outputs a class: **binary** (yes/no, spam/not spam) or **multi-class** (which "
    "of the ten digits);\n"
    "- with no labels at all, **unsupervised** learning finds structure: **clustering** groups similar "
    "examples, **dimensionality reduction** squeezes many features into a few.\n\n"
    "Every model has a **training phase**, where its parameters are fitted to training examples, and a "
    "**test phase**, where it is judged on examples it never saw."
)

TASKS = ("regression", "binary classification", "multi-class classification", "clustering",
         "dimensionality reduction")


def split_frame(features, labels, train, test, label_name="class"):
    frame = pd.DataFrame({"x₁": features[:, 0], "x₂": features[:, 1], label_name: labels.astype(str)})
    frame["split"] = "train"
    frame.loc[test, "split"] = "test"
    return frame


@st.fragment
def demo():
    st.subheader("Try each kind of problem")
    task = st.radio("Problem", TASKS, horizontal=True, key="intro-task")
    seed = st.slider("Random seed for the data", 0, 20, 0, key="intro-seed")
    if task == "regression":
        x, y = intro.noisy_line(60, seed=seed)
        train, test = intro.train_test_split(len(x), 0.25, seed)
        slope, intercept = intro.fit_line(x[train], y[train])
        split = np.where(np.isin(np.arange(len(x)), test), "test", "train")
        st.altair_chart(fitted_line_chart(x, y, split, slope, intercept), width="stretch")
        train_error = intro.line_error(x[train], y[train], slope, intercept)
        test_error = intro.line_error(x[test], y[test], slope, intercept)
        left, middle, right = st.columns(3)
        left.metric("Fitted line", f"y = {slope:.2f}·x + {intercept:.2f}", help="the data came from y = 2x + 1 + noise")
        middle.metric("Training MSE", f"{train_error:.3f}")
        right.metric("Test MSE", f"{test_error:.3f}")
    elif task in ("binary classification", "multi-class classification"):
        centres = [[-1.5, 0], [1.5, 0]] if task.startswith("binary") else [[-1.5, -1], [1.5, -1], [0, 1.5], [2.5, 2]]
        features, labels = intro.blobs(160, centres, spread=0.8, seed=seed)
        train, test = intro.train_test_split(len(labels), 0.25, seed)
        centroids = intro.nearest_centroid_fit(features[train], labels[train])
        predicted = intro.nearest_centroid_predict(centroids, features)
        st.altair_chart(labelled_points_chart(split_frame(features, labels, train, test), "class",
                                     "Nearest-centroid classifier: one centre learned per class"),
                        width="stretch")
        left, right = st.columns(2)
        left.metric("Training accuracy", f"{intro.accuracy(predicted[train], labels[train]):.1%}")
        right.metric("Test accuracy", f"{intro.accuracy(predicted[test], labels[test]):.1%}")
    elif task == "clustering":
        features, hidden_labels = intro.blobs(150, [[-2, -1], [2, -1], [0, 2]], spread=0.7, seed=seed)
        centres, assignments, inertia = intro.k_means(features, 3, seed=seed)
        frame = split_frame(features, assignments, np.arange(len(features)), [], "cluster")
        left, right = st.columns(2)
        left.altair_chart(labelled_points_chart(frame, "cluster", "k-means found these groups without labels"),
                          width="stretch")
        history = pd.DataFrame({"iteration": np.arange(1, len(inertia) + 1), "sum of squares": inertia,
                                "measure": "within-cluster sum of squares"})
        right.altair_chart(lines(history, "iteration", "sum of squares", "measure", "k-means iteration",
                                 "within-cluster sum of squares", title="A label-free measure of quality"),
                           width="stretch")
    else:
        centres = np.random.default_rng(seed).normal(0, 3, (3, 6))
        features, hidden_labels = intro.blobs(150, centres, spread=1.0, seed=seed)
        projected, explained = intro.principal_components(features, 2)
        frame = pd.DataFrame({"x₁": projected[:, 0], "x₂": projected[:, 1],
                              "group (not used by PCA)": hidden_labels.astype(str), "split": "all"})
        st.altair_chart(labelled_points_chart(frame, "group (not used by PCA)",
                                     "Six features squeezed to two by PCA"), width="stretch")
        st.metric("Variance kept by the two components", f"{explained.sum():.1%}")
    st.caption("Every number on this panel is computed now, in NumPy, from the data shown.")


@st.fragment
def supervision_demo():
    st.subheader("Supervised and unsupervised learning")
    st.markdown(
        "**Supervised learning** (有监督学习) learns from examples that come with the answer: each input x "
        "has a **target** y, a label or a value, and the model is fitted to map x to y. Its quality has a "
        "plain measure, the error on held-out labelled examples. Regression and classification above are "
        "supervised; so is most of deep learning today (note 001), from digit recognition to ad clicks.\n\n"
        "**Unsupervised learning** (无监督学习) gets the inputs alone and looks for structure in them: groups "
        "(clustering), a few directions that carry most of the variation (dimensionality reduction), or a "
        "model of what typical data look like. There is no answer to compare with, so it is judged by "
        "label-free scores or by how useful its output is later.\n\n"
        "Between the two, **self-supervised** learning makes its targets from the data itself: the word "
        "embeddings of lesson 14 predict neighbouring words and the autoencoders of lesson 15 rebuild their "
        "own input. Below, the same points are learned from twice: once with their labels, once without.")
    left, right = st.columns(2)
    shape = left.radio("Data", ("round groups", "long, thin classes"), horizontal=True, key="intro-supervision-data")
    seed = right.slider("Random seed", 0, 20, 0, key="intro-supervision-seed")
    if shape == "round groups":
        features, labels = intro.blobs(300, [[-2.0, 0.0], [2.0, 0.0]], spread=0.8, seed=seed)
    else:
        features, labels = intro.stretched_classes(300, seed=seed)
    train, test = intro.train_test_split(len(labels), 0.25, seed)
    centroids = intro.nearest_centroid_fit(features[train], labels[train])
    supervised = intro.accuracy(intro.nearest_centroid_predict(centroids, features[test]), labels[test])
    _, clusters, _ = intro.k_means(features, 2, seed=seed)
    agreement = intro.cluster_agreement(clusters, labels)
    charts = st.columns(2)
    charts[0].altair_chart(labelled_points_chart(split_frame(features, labels, train, test),
                                        "class", "Supervised: the labels are given"), width="stretch")
    charts[1].altair_chart(labelled_points_chart(split_frame(features, clusters, np.arange(len(labels)), [], "cluster"),
                                        "cluster", "Unsupervised: k-means, no labels"), width="stretch")
    metrics = st.columns(2)
    metrics[0].metric("Supervised: test accuracy (nearest centroid)", f"{supervised:.1%}")
    metrics[1].metric("Unsupervised: k-means clusters that match the classes", f"{agreement:.1%}",
                      help="The better of the two ways of naming the clusters after the classes.")
    if agreement >= 0.9:
        st.caption("Here the groups the data fall into are the classes, so k-means finds them without labels.")
    else:
        st.caption("k-means found two groups, but not the classes: it splits the points where they are most "
                   "spread out, along the long direction. Nothing in unlabelled data says which grouping you "
                   "meant; the labels do.")


demo()
supervision_demo()
quiz(intro.QUESTIONS, key="intro")
corrections(intro.CORRECTIONS)
next_steps("views/lessons/neuron.py", "views/tasks/mnist.py")
