"""Home: what the app is, and a link to every page."""

import streamlit as st

from ui.i18n import gettext_for_session, text
from views.catalog import EXPLORE, LESSONS, RESULTS, TASKS, available

_, prose = gettext_for_session(), text("home")
st.title("Deep Learning Lab")
st.markdown(prose("intro"))

left, middle, right = st.columns(3)
with left:
    st.subheader(_("1. Explore the data"), divider="blue")
    for page in available(EXPLORE):
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
with middle:
    st.subheader(_("2. Learn the ideas"), divider="blue")
    lessons = available(LESSONS)
    for page in lessons[:8]:
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
    if len(lessons) > 8:
        st.caption(_("…and {count} more in the Lessons section of the sidebar.").format(count=len(lessons) - 8))
    if not lessons:
        st.caption(_("Lessons are on their way."))
with right:
    st.subheader(_("3. Train and compare"), divider="blue")
    for page in available(TASKS + RESULTS):
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
    if not available(TASKS + RESULTS):
        st.caption(_("Training pages are on their way."))

st.divider()
st.markdown(prose("honest"))
