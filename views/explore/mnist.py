"""Data explorer: MNIST digits."""

import numpy as np
import streamlit as st

from data.mnist import CLASS_NAMES
from ui.datasets import load_dataset
from ui.explore import class_counts_chart

st.title("MNIST handwritten digits")
st.markdown("28×28 grey-scale images of the digits 0–9: the official 60,000 training and 10,000 test "
            "images. The app keeps the last 5,000 training images aside for validation, so model "
            "choices never peek at the test set.")
mnist = load_dataset("mnist")

sizes = st.columns(3)
sizes[0].metric("Training images", f"{len(mnist.x_train):,}")
sizes[1].metric("Validation images", f"{len(mnist.x_val):,}")
sizes[2].metric("Test images", f"{len(mnist.x_test):,}")

controls = st.columns(3)
with controls[0]:
    split = st.segmented_control("Split", ["train", "validation", "test"], default="train")
images, labels = {"train": (mnist.x_train, mnist.y_train), "validation": (mnist.x_val, mnist.y_val),
                  "test": (mnist.x_test, mnist.y_test)}[split or "train"]
digit = controls[1].selectbox("Show digits", ["all", *CLASS_NAMES])
seed = controls[2].number_input("Sample", min_value=0, value=0, step=1, help="Change it to see other images.")
pool = np.arange(len(labels)) if digit == "all" else np.flatnonzero(labels == int(digit))
chosen = np.random.default_rng(int(seed)).choice(pool, size=min(40, len(pool)), replace=False)
st.image([images[index] for index in chosen], caption=[f"label {labels[index]}" for index in chosen], width=64)

st.altair_chart(class_counts_chart(labels, CLASS_NAMES, f"Digits per class ({split} split)"))
