"""Data explorer: MNIST digits."""

import numpy as np
import streamlit as st

from data.mnist import CLASS_NAMES
from i18n import N_
from ui.datasets import load_dataset
from ui.explore import class_counts_chart
from ui.i18n import gettext_for_session, localized_chart, text

SPLITS = {"train": N_("train"), "validation": N_("validation"), "test": N_("test")}  # values stay English

_, prose = gettext_for_session(), text("explore_mnist")
st.title(_("MNIST handwritten digits"))
st.markdown(prose("intro"))
mnist = load_dataset("mnist")

sizes = st.columns(3)
sizes[0].metric(_("Training images"), f"{len(mnist.x_train):,}")
sizes[1].metric(_("Validation images"), f"{len(mnist.x_val):,}")
sizes[2].metric(_("Test images"), f"{len(mnist.x_test):,}")

controls = st.columns(3)
with controls[0]:
    split = st.segmented_control(_("Split"), list(SPLITS), default="train", format_func=lambda name: _(SPLITS[name]))
images, labels = {"train": (mnist.x_train, mnist.y_train), "validation": (mnist.x_val, mnist.y_val),
                  "test": (mnist.x_test, mnist.y_test)}[split or "train"]
digit = controls[1].selectbox(_("Show digits"), ["all", *CLASS_NAMES],
                              format_func=lambda name: _("all") if name == "all" else name)
seed = controls[2].number_input(_("Sample"), min_value=0, value=0, step=1, help=_("Change it to see other images."))
pool = np.arange(len(labels)) if digit == "all" else np.flatnonzero(labels == int(digit))
chosen = np.random.default_rng(int(seed)).choice(pool, size=min(40, len(pool)), replace=False)
st.image([images[index] for index in chosen], width=64,
         caption=[_("label {label}").format(label=labels[index]) for index in chosen])

titles = {"train": N_("Digits per class (train split)"), "validation": N_("Digits per class (validation split)"),
          "test": N_("Digits per class (test split)")}
st.altair_chart(localized_chart(class_counts_chart(labels, CLASS_NAMES, titles[split or "train"])))
