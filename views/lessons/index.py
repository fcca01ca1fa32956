"""Lessons index: the reading order and the estimated minutes of every lesson, from the catalog."""

import streamlit as st

from views.catalog import LESSONS, TASKS

st.title("Lessons: start here")
lessons = [page for page in LESSONS if page.minutes]  # the index itself has no reading time
st.markdown(
    "Read the lessons in this order: each one uses the ideas of the ones before it. Every lesson is a "
    "short text, a live demo computed by real code, a quiz with explained answers, and a list of what "
    "the course notes it is based on get wrong. The training pages then run the same ideas at scale."
)
left, right = st.columns(2)
left.metric("Lessons", len(lessons))
right.metric("Reading and playing time", f"{sum(page.minutes for page in lessons)} min")

for page in lessons:
    with st.container(border=True):
        text, time = st.columns([5, 1])
        with text:
            st.page_link(page.script, label=page.title, icon=page.icon)
            st.caption(page.summary)
        time.markdown(f"**{page.minutes} min**")

st.subheader("Then train")
for page in TASKS:
    st.page_link(page.script, label=page.title, icon=page.icon, help=page.summary)
