"""Reference results: our benchmark numbers beside published ones, per task, and the app's own
speed and memory figures."""

import pandas as pd
import streamlit as st

from bench import results as bench_results
from ui.reference import TASK_NAMES, reference_panel

st.title("Reference results")
st.markdown("Numbers a learner can trust: measured on the full datasets by the scripts in `bench/` "
            "(the command and the machine are shown with each table), next to the best-known published "
            "results. A published number is only comparable when it used the same data and protocol: the "
            "last column of each published table says whether it did.")

for tab, task in zip(st.tabs(list(TASK_NAMES.values())), TASK_NAMES):
    with tab:
        reference_panel(task)

st.header("The app itself")
for name, title in (("startup", "Start-up"), ("overhead", "Training overhead of the app"),
                    ("rss_trainings", "Server memory over ten consecutive trainings")):
    results = bench_results.load(name)
    st.subheader(title)
    if not results:
        st.caption(f"Not measured yet: run `python -m bench.{name}`.")
        continue
    st.dataframe(pd.DataFrame(results["rows"]), hide_index=True)
    st.caption(bench_results.machine_line(results))
