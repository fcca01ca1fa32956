"""Data explorer: IMDB movie reviews."""

import numpy as np
import streamlit as st

from data.imdb import CLASS_NAMES
from i18n import DEFAULT_LANGUAGE, N_
from ui.datasets import load_dataset
from ui.explore import class_counts_chart, length_histogram
from ui.i18n import gettext_for_session, language, localized_chart, text

# The labels as a reader of each language calls them ("negative" alone is a negative number elsewhere).
SENTIMENTS = {"negative": N_("negative review"), "positive": N_("positive review")}

_, prose = gettext_for_session(), text("explore_imdb")
names = CLASS_NAMES if language() == DEFAULT_LANGUAGE else [_(SENTIMENTS[name]) for name in CLASS_NAMES]
st.title(_("IMDB movie reviews"))
st.markdown(prose("intro"))
imdb = load_dataset("imdb")

sizes = st.columns(3)
sizes[0].metric(_("Training reviews"), f"{len(imdb.x_train):,}")
sizes[1].metric(_("Validation reviews"), f"{len(imdb.x_val):,}")
sizes[2].metric(_("Test reviews"), f"{len(imdb.x_test):,}")

st.subheader(_("A few reviews"))
seed = st.number_input(_("Sample"), min_value=0, value=0, step=1, help=_("Change it to read other reviews."))
for index in np.random.default_rng(int(seed)).choice(len(imdb.x_train), size=min(4, len(imdb.x_train)),
                                                      replace=False):
    with st.container(border=True):
        label = CLASS_NAMES[imdb.y_train[index]]
        icon = ":material/thumb_up:" if label == "positive" else ":material/thumb_down:"
        st.caption(f"{icon} " + _("{label} · {words} words").format(label=names[imdb.y_train[index]],
                                                                    words=len(imdb.x_train[index].split())))
        st.text(imdb.x_train[index][:1200] + ("…" if len(imdb.x_train[index]) > 1200 else ""))

left, right = st.columns(2)
left.altair_chart(localized_chart(length_histogram(imdb.x_train, imdb.y_train, names)))
right.altair_chart(localized_chart(class_counts_chart(imdb.y_train, names, N_("Reviews per label (training split)"))))
