"""Home: what the app is, and a link to every page."""

import streamlit as st

from ui.catalog import EXPLORE, LESSONS, RESULTS, TASKS

st.title("Deep Learning Lab")
st.markdown(
    "Read a short lesson, then train real networks on real data and compare them side by side. "
    "Every number in this app comes from code that runs here: Keras 3 models trained live on "
    "**MNIST** digits, **IMDB** movie reviews and **METR-LA** road-sensor traffic."
)

left, middle, right = st.columns(3)
with left:
    st.subheader("1. Explore the data", divider="blue")
    for page in EXPLORE:
        st.page_link(page.script, label=page.title, icon=page.icon, help=page.summary)
with middle:
    st.subheader("2. Learn the ideas", divider="blue")
    for page in LESSONS[:8]:
        st.page_link(page.script, label=page.title, icon=page.icon, help=page.summary)
    st.caption(f"…and {len(LESSONS) - 8} more in the Lessons section of the sidebar.")
with right:
    st.subheader("3. Train and compare", divider="blue")
    for page in TASKS + RESULTS:
        st.page_link(page.script, label=page.title, icon=page.icon, help=page.summary)

st.divider()
st.markdown(
    "**How this app keeps its numbers honest.** Datasets are the real files (checked by sha256 "
    "where the source publishes one), test sets are never used for training or model selection, "
    "forecasts are compared with naive baselines, and published results are shown beside ours "
    "with their source and how sure we are of them."
)
