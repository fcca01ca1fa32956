"""Lessons index: the reading order and the estimated minutes of every lesson, from the catalog."""

import streamlit as st

from ui.catalog import LESSONS, TASKS
from ui.i18n import gettext_for_session, text

_, prose = gettext_for_session(), text("lessons_index")
st.title(_("Lessons: start here"))
lessons = [page for page in LESSONS if page.minutes]  # the index itself has no reading time
st.markdown(prose("intro"))
left, right = st.columns(2)
left.metric(_("Lessons"), len(lessons))
right.metric(_("Reading and playing time"), _("{minutes} min").format(minutes=sum(page.minutes for page in lessons)))

for page in lessons:
    with st.container(border=True):
        title, time = st.columns([5, 1])
        with title:
            st.page_link(page.script, label=_(page.title), icon=page.icon)
            st.caption(_(page.summary))
        time.markdown("**" + _("{minutes} min").format(minutes=page.minutes) + "**")

st.subheader(_("Then train"))
for page in TASKS:
    st.page_link(page.script, label=_(page.title), icon=page.icon, help=_(page.summary))
