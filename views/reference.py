"""Reference results: our benchmark numbers beside published ones, per task, and the app's own
speed and memory, as charts with readable tables."""

import streamlit as st

from models.tasks import TASKS
from ui.i18n import gettext_for_session, text
from ui.reference import app_panel, reference_panel

_ = gettext_for_session()
st.title(_("Reference results"))
st.markdown(text("reference")("intro"))

for tab, task in zip(st.tabs([_(info.title) for info in TASKS.values()]), TASKS):
    with tab:
        reference_panel(task)

st.header(_("The app itself"))
app_panel()
