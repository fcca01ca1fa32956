"""Compare stored runs: one row per model (or per configuration, mean ± std over seeds), one column
per metric; export as CSV, Markdown or LaTeX."""

import streamlit as st

from models.registry import TASKS
from training.events import FINISHED
from training.sweep import summarize
from ui.i18n import choices_placeholder, gettext_for_session, text
from ui.names import shown_config, shown_table
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
    """CSV keeps numbers (mean and std in their own columns) and English column names (data for other
    tools); Markdown and LaTeX the table as shown, in the page's language."""
    shown = shown_table(shown)
    csv_column, markdown_column, latex_column = st.columns(3)
    csv_column.download_button(_("Export CSV"), frame.to_csv(index=False), file_name=f"{name}.csv", mime="text/csv",
                               icon=":material/table:", on_click="ignore", key=f"{key}-csv")
    markdown_column.download_button(_("Export Markdown"), to_markdown(shown), file_name=f"{name}.md",
                                    mime="text/markdown", icon=":material/description:", on_click="ignore",
                                    key=f"{key}-markdown")
    latex_column.download_button(_("Export LaTeX (booktabs)"), to_latex(shown), file_name=f"{name}.tex",
                                 mime="text/x-tex", icon=":material/functions:", on_click="ignore",
                                 key=f"{key}-latex")


_, prose = gettext_for_session(), text("compare")
st.title(_("Compare runs"))
st.caption(prose("intro"))
store = run_store()
sweeps = {row["sweep"]: row for row in store.sweeps()}
if sweeps:
    sweep = st.selectbox(_("Sweep"), [None, *sweeps], key="compare-sweep",
                         format_func=lambda name: _("None: pick runs below") if name is None else
                         _("{name} · {runs} runs · {started}").format(
                             name=name, runs=sweeps[name]["runs"], started=describe_time(sweeps[name]["started_at"])),
                         help=_("Sweeps run from the command line: `python -m training sweep`."))
    if sweep is not None:
        records = store.list_runs(sweep=sweep)[::-1]  # oldest first: the order the sweep planned
        frame = sweep_frame(summarize(records))
        st.caption(_("One row per configuration: mean and standard deviation over its seeds that finished."))
        st.dataframe(shown_table(frame), hide_index=True,
                     column_config=shown_config({"Parameters": st.column_config.NumberColumn(format="localized")}))
        export_buttons(frame, frame, sweep, "compare-sweep")
        st.subheader(_("Trials"))
        st.dataframe(shown_table(runs_frame(records)), hide_index=True)
        for record in records:
            if record["status"] != FINISHED:
                st.text(_("{model} seed {seed}, {status}: {message}").format(
                    model=record["arch"], seed=record["config"]["seed"], status=_(record["status"]),
                    message=_(record["message"]) if record["message"] else ""))
        st.stop()

filters = run_filters("compare")
records = filter_runs(store, **filters)
if not records:
    st.info(_("No stored run matches. Train models on the task pages first."), icon=":material/leaderboard:")
    st.stop()

by_id = {record["run_id"]: record for record in records}
finished = [record for record in records if record["status"] == FINISHED]
# By default: the latest finished runs of the task trained most recently, the usual question.
latest = [record["run_id"] for record in finished if record["task"] == finished[0]["task"]][:6] if finished else []
# Keyed by the filters, so that changing a filter starts again from its default selection.
signature = "-".join(str(value) for value in filters.values())
chosen = st.multiselect(_("Runs to compare"), list(by_id), default=latest, key=f"compare-runs-{signature}",
                        format_func=lambda run_id: run_label(by_id[run_id]), placeholder=choices_placeholder(by_id))
if not chosen:
    st.info(_("Select at least one run."), icon=":material/checklist:")
    st.stop()

entries = label_entries([entry_from_stored(by_id[run_id], store) for run_id in chosen])
tasks = sorted({entry.task for entry in entries})
grouped = seed_grouping(entries, key="compare-group-seeds")
frame = grouped_frame(entries) if grouped else results_frame(entries, with_task=len(tasks) > 1)
shown = grouped_display(frame) if grouped else frame
st.dataframe(shown_table(shown), hide_index=True,
             column_config=shown_config({"Parameters": st.column_config.NumberColumn(format="localized")}))
damaged_runs(entries)
if grouped:
    st.caption(prose("grouped"))
export_buttons(frame, shown, "comparison", "compare")
if len(tasks) == 1 and tasks[0] in TASKS:
    metric_bars(tasks[0], entries, grouped)
    overlaid_curves(entries)
    reference_expander(tasks[0])
else:
    st.caption(_("Runs of different tasks share no metric: pick runs of one task for charts."))
