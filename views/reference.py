"""Reference results: our benchmark numbers beside published ones, per task, and the app's own
speed and memory, as charts with readable tables."""

import streamlit as st

from models.tasks import TASKS
from ui.reference import app_panel, reference_panel

st.title("Reference results")
st.markdown("Numbers a learner can trust: measured on the full datasets by the scripts in `bench/` "
            "(the command and the machine are shown with each table), next to the best-known published "
            "results. A published number is only comparable when it used the same data and protocol: the "
            "last column of each published table says whether it did.")

for tab, task in zip(st.tabs([info.title for info in TASKS.values()]), TASKS):
    with tab:
        reference_panel(task)

st.header("The app itself")
app_panel()
