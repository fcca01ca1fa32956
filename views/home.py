"""Home: what the app is, and a link to every page."""

import streamlit as st

from ui.catalog import EXPLORE, LESSONS, RESULTS, TASKS
from ui.i18n import gettext_for_session, text

_, prose = gettext_for_session(), text("home")
st.title("Deep Learning Lab")
st.markdown(prose("intro"))

left, middle, right = st.columns(3)
with left:
    st.subheader(_("1. Explore the data"), divider="blue")
    for page in EXPLORE:
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
with middle:
    st.subheader(_("2. Learn the ideas"), divider="blue")
    for page in LESSONS[:8]:
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
    st.caption(_("…and {count} more in the Lessons section of the sidebar.").format(count=len(LESSONS) - 8))
with right:
    st.subheader(_("3. Train and compare"), divider="blue")
    for page in TASKS + RESULTS:
        st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))

st.divider()
st.markdown(prose("honest"))
