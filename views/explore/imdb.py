"""Data explorer: IMDB movie reviews."""

import numpy as np
import streamlit as st

from data.imdb import CLASS_NAMES
from ui.datasets import load_dataset
from ui.explore import class_counts_chart, length_histogram

st.title("IMDB movie reviews")
st.markdown("The Large Movie Review Dataset (Maas et al., 2011): 25,000 training and 25,000 test "
            "reviews, each labelled positive or negative, with no film in both splits. HTML line "
            "breaks are cleaned; 5,000 training reviews are set aside for validation.")
imdb = load_dataset("imdb")

sizes = st.columns(3)
sizes[0].metric("Training reviews", f"{len(imdb.x_train):,}")
sizes[1].metric("Validation reviews", f"{len(imdb.x_val):,}")
sizes[2].metric("Test reviews", f"{len(imdb.x_test):,}")

st.subheader("A few reviews")
seed = st.number_input("Sample", min_value=0, value=0, step=1, help="Change it to read other reviews.")
for index in np.random.default_rng(int(seed)).choice(len(imdb.x_train), size=min(4, len(imdb.x_train)),
                                                      replace=False):
    with st.container(border=True):
        label = CLASS_NAMES[imdb.y_train[index]]
        st.caption(f"{':material/thumb_up:' if label == 'positive' else ':material/thumb_down:'} {label} · "
                   f"{len(imdb.x_train[index].split())} words")
        st.text(imdb.x_train[index][:1200] + ("…" if len(imdb.x_train[index]) > 1200 else ""))

left, right = st.columns(2)
left.altair_chart(length_histogram(imdb.x_train, imdb.y_train, CLASS_NAMES))
right.altair_chart(class_counts_chart(imdb.y_train, CLASS_NAMES, "Reviews per label (training split)"))
