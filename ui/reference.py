"""The "Reference results" panel: our benchmark numbers beside the published ones, and the
learner's own best runs, for one task."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bench import results as bench_results

REFERENCE_COLUMNS = ["model", "published", "test_accuracy", "seconds_to_target", "epoch_reaching_target",
                     "time_ratio_vs_reference", "train_seconds", "epochs", "params"]
TASK_NAMES = {"mnist": "MNIST", "imdb": "IMDB sentiment", "traffic": "METR-LA traffic"}


def own_best_runs(task: str) -> pd.DataFrame:
    """The learner's finished runs of `task` from the run store, best first per architecture."""
    from training.store import RunStore
    from ui.results import MAIN_METRIC

    metric = MAIN_METRIC[task]
    rows = [{"architecture": run["arch"], metric: (run.get("metrics") or {}).get(metric),
             "seconds": round(run.get("train_seconds") or 0.0, 1), "run": run["run_id"]}
            for run in RunStore().list_runs(task=task, status="finished")]
    frame = pd.DataFrame([row for row in rows if row[metric] is not None])
    if frame.empty:
        return frame
    frame = frame.sort_values(metric, ascending=(task == "traffic"))
    return frame.drop_duplicates("architecture")


def reference_panel(task: str) -> None:
    accuracy = bench_results.load(f"accuracy_{task}")
    ours = bench_results.accuracy_rows(task, accuracy)
    st.markdown(f"**Our benchmark on the full {TASK_NAMES[task]} data** (default recipes, mean ± std over seeds)")
    if ours:
        st.dataframe(pd.DataFrame(ours), hide_index=True)
        st.caption(bench_results.machine_line(accuracy))
    else:
        st.caption(f"Not measured yet: run `python -m bench.accuracy --tasks {task}` (see BENCHMARKS.md).")
    if task == "traffic":
        protocol = bench_results.load("traffic_protocol")
        if protocol:
            st.markdown("**Under the T-GCN paper's protocol** (80/20 split, scaled by the training maximum), "
                        "to read beside the paper's table")
            st.dataframe(pd.DataFrame([{"architecture": row["arch"],
                                        **{key: bench_results.cell(value) for key, value in row.items()
                                           if key not in ("arch", "runs")}} for row in protocol["rows"]]),
                         hide_index=True)
    references = bench_results.load(f"references_{task}")
    if references:
        rows = references.get("rows", [])
        if rows:
            st.markdown("**Published recipes re-run here, beside ours** (same machine, same run)")
            frame = pd.DataFrame(rows).drop(columns=["task", "engine_test_accuracy"], errors="ignore")
            first = [column for column in REFERENCE_COLUMNS if column in frame]  # the answer before the detail
            st.dataframe(frame[first + [column for column in frame if column not in first]], hide_index=True)
    st.markdown("**Published numbers** (with their source and how sure we are of them)")
    st.dataframe(pd.DataFrame(bench_results.published_rows(task)), hide_index=True)
    own = own_best_runs(task)
    st.markdown("**Your best runs** (from the run store)")
    if own.empty:
        st.caption("No finished runs of this task yet: train one on the task page.")
    else:
        st.dataframe(own, hide_index=True)


def reference_expander(task: str) -> None:
    """The panel, folded away: task pages and the Compare page show it under their results."""
    with st.expander("Reference results: our full benchmarks and published numbers", icon=":material/verified:"):
        reference_panel(task)
