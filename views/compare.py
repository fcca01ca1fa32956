"""Compare stored runs: one row per model (or per configuration, mean ± std over seeds), one column
per metric; export as CSV, Markdown or LaTeX."""

import streamlit as st

from models.registry import TASKS
from training.events import FINISHED
from training.sweep import summarize
from ui.reference import reference_expander
from ui.results import (
    describe_time,
    entry_from_stored,
    grouped_display,
    grouped_frame,
    label_entries,
    results_frame,
    sweep_frame,
    to_latex,
    to_markdown,
)
from ui.run_browser import filter_runs, run_filters, run_label, runs_frame
from ui.run_store import run_store
from ui.side_by_side import damaged_runs, metric_bars, overlaid_curves, seed_grouping


def export_buttons(frame, shown, name: str, key: str) -> None:
    """CSV keeps numbers (mean and std in their own columns); Markdown and LaTeX the table as shown."""
    csv_column, markdown_column, latex_column = st.columns(3)
    csv_column.download_button("Export CSV", frame.to_csv(index=False), file_name=f"{name}.csv", mime="text/csv",
                               icon=":material/table:", on_click="ignore", key=f"{key}-csv")
    markdown_column.download_button("Export Markdown", to_markdown(shown), file_name=f"{name}.md",
                                    mime="text/markdown", icon=":material/description:", on_click="ignore",
                                    key=f"{key}-markdown")
    latex_column.download_button("Export LaTeX (booktabs)", to_latex(shown), file_name=f"{name}.tex",
                                 mime="text/x-tex", icon=":material/functions:", on_click="ignore",
                                 key=f"{key}-latex")


st.title("Compare runs")
st.caption("Pick stored runs, from any session, and compare them on the same test metrics. Export the "
           "table for a report or a slide.")
store = run_store()
sweeps = {row["sweep"]: row for row in store.sweeps()}
if sweeps:
    sweep = st.selectbox("Sweep", [None, *sweeps], key="compare-sweep",
                         format_func=lambda name: "None: pick runs below" if name is None else
                         f"{name} · {sweeps[name]['runs']} runs · {describe_time(sweeps[name]['started_at'])}",
                         help="Sweeps run from the command line: `python -m training sweep`.")
    if sweep is not None:
        records = store.list_runs(sweep=sweep)[::-1]  # oldest first: the order the sweep planned
        frame = sweep_frame(summarize(records))
        st.caption("One row per configuration: mean and standard deviation over its seeds that finished.")
        st.dataframe(frame, hide_index=True,
                     column_config={"Parameters": st.column_config.NumberColumn(format="localized")})
        export_buttons(frame, frame, sweep, "compare-sweep")
        st.subheader("Trials")
        st.dataframe(runs_frame(records), hide_index=True)
        for record in records:
            if record["status"] != FINISHED:
                st.text(f"{record['arch']} seed {record['config']['seed']}, {record['status']}: {record['message']}")
        st.stop()

filters = run_filters("compare")
records = filter_runs(store, **filters)
if not records:
    st.info("No stored run matches. Train models on the task pages first.", icon=":material/leaderboard:")
    st.stop()

by_id = {record["run_id"]: record for record in records}
finished = [record for record in records if record["status"] == FINISHED]
# By default: the latest finished runs of the task trained most recently, the usual question.
latest = [record["run_id"] for record in finished if record["task"] == finished[0]["task"]][:6] if finished else []
# Keyed by the filters, so that changing a filter starts again from its default selection.
signature = "-".join(str(value) for value in filters.values())
chosen = st.multiselect("Runs to compare", list(by_id), default=latest, key=f"compare-runs-{signature}",
                        format_func=lambda run_id: run_label(by_id[run_id]))
if not chosen:
    st.info("Select at least one run.", icon=":material/checklist:")
    st.stop()

entries = label_entries([entry_from_stored(by_id[run_id], store) for run_id in chosen])
tasks = sorted({entry.task for entry in entries})
grouped = seed_grouping(entries, key="compare-group-seeds")
frame = grouped_frame(entries) if grouped else results_frame(entries, with_task=len(tasks) > 1)
shown = grouped_display(frame) if grouped else frame
st.dataframe(shown, hide_index=True,
             column_config={"Parameters": st.column_config.NumberColumn(format="localized")})
damaged_runs(entries)
if grouped:
    st.caption("Mean ± sample standard deviation (n − 1) over the seeds of each configuration; the CSV "
               "has the mean and the standard deviation in separate columns.")
export_buttons(frame, shown, "comparison", "compare")
if len(tasks) == 1 and tasks[0] in TASKS:
    metric_bars(tasks[0], entries, grouped)
    overlaid_curves(entries)
    reference_expander(tasks[0])
else:
    st.caption("Runs of different tasks share no metric: pick runs of one task for charts.")
