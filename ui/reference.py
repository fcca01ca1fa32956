"""The "Reference results" panels: our benchmark numbers beside the published ones as charts and
readable tables (frames from `reference.tables`), the T-GCN audit, the learner's own best runs, and
the app's own speed and memory."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.tasks import TASKS
from reference import results as bench_results
from reference import tables
from ui import reference_charts as charts

TARGETS = {"mnist": 0.992}  # bench.references' time-to-target accuracy


def persistence_lesson() -> str:
    """Why persistence belongs in every table, with the audited T-GCN numbers (bench/published.json)."""
    t_gcn = tables.t_gcn_published()
    if not t_gcn or "persistence_same_protocol" not in t_gcn:
        return ("**Why persistence is in every table.** Repeating the last reading costs nothing and is "
                "hard to beat a few minutes ahead: a model that does not beat it has learned nothing useful.")
    rmse, mae = t_gcn["value"]
    persistence = t_gcn["persistence_same_protocol"]
    step_rmse, step_mae = t_gcn["step_alone_15"]
    return (
        "**Why persistence is in every table.** Repeating the last reading costs nothing, and fifteen minutes "
        "ahead it is hard to beat: a model that does not beat it has learned nothing useful. The T-GCN paper's "
        "table on these very files has no persistence row. Recomputed from the authors' code and stored "
        f"predictions, its 15-minute row is exact (MAE {mae:.2f}, RMSE {rmse:.2f} mph), but under the same "
        f"protocol persistence scores MAE {persistence['mae_15']:.2f}: **lower than the published T-GCN**, "
        f"which wins only on RMSE ({rmse:.2f} against {persistence['rmse_15']:.2f}). Two choices of that "
        "protocol make every number look better:\n"
        "- **Its '15 min' averages the errors 5, 10 and 15 minutes ahead.** The 15-minute step alone is "
        f"harder: MAE {step_mae:.2f} for T-GCN, {persistence['step_mae_15']:.2f} for persistence. This app "
        "reports the step itself.\n"
        "- **Its epoch was chosen on the test set**: the one with the lowest test RMSE out of 5,000, with no "
        "validation data, which tunes the model to the very data that scores it. An honest choice is the "
        "last epoch, or the best on validation data.\n\n"
        "So every traffic table here shows persistence and the historical average, says whether horizons "
        "are pooled, and chooses nothing on test data.")


def own_best_runs(task: str) -> pd.DataFrame:
    """The learner's finished runs of `task` from the run store, best first per architecture."""
    from ui.results import arch_label
    from ui.run_store import run_store

    spec = TASKS[task].headline_metric
    rows = [{"arch": run["arch"], "value": (run.get("metrics") or {}).get(spec.key),
             "seconds": run.get("train_seconds") or 0.0, "run": run["run_id"]}
            for run in run_store().list_runs(task=task, status="finished")]
    frame = pd.DataFrame([row for row in rows if isinstance(row["value"], (int, float))])
    if frame.empty:
        return frame
    frame = frame.sort_values("value", ascending=not spec.higher_is_better).drop_duplicates("arch")
    return pd.DataFrame({"Model": [arch_label(task, arch) for arch in frame["arch"]],
                         spec.title: [spec.format(value) for value in frame["value"]],
                         "Training time (s)": [f"{seconds:.1f}" for seconds in frame["seconds"]],
                         "Run": frame["run"].tolist()})


def _machine(results: dict | None) -> None:
    if results:
        st.caption(bench_results.machine_line(results))


def benchmark_section(task: str, compact: bool) -> None:
    accuracy = bench_results.load(f"accuracy_{task}")
    st.markdown(f"**Our benchmark on the full {TASKS[task].title} data** (default recipes, mean ± std over seeds)")
    scores = tables.score_frame(task, accuracy)
    if scores.empty:
        st.caption(f"Not measured yet: run `python -m bench.accuracy --tasks {task}` (see BENCHMARKS.md).")
        return
    if not compact:
        st.altair_chart(charts.score_chart(scores, higher_is_better=task != "traffic"))
    st.dataframe(tables.accuracy_table(task, accuracy), hide_index=True)
    _machine(accuracy)


def references_section(task: str, compact: bool) -> None:
    references = bench_results.load(f"references_{task}")
    if not references or not references.get("rows"):
        return
    target = TARGETS.get(task)
    st.markdown("**Published recipes re-run here, beside ours** (same machine, same run)")
    epochs, reached = tables.epoch_accuracy_frame(references), tables.time_to_target_frame(references)
    if target and not epochs.empty and not compact:
        left, right = st.columns(2)
        left.altair_chart(charts.epoch_accuracy_chart(epochs, 100 * target))
        if not reached.empty:
            right.altair_chart(charts.seconds_bar_chart(
                reached, f"Training time to reach {target:.1%} test accuracy (shorter is better)"))
    st.dataframe(tables.reference_table(references, target), hide_index=True)
    _machine(references)


def protocol_section(compact: bool) -> None:
    st.markdown("**The T-GCN paper's protocol, audited**")
    if not compact:
        st.markdown(persistence_lesson())
    protocol = bench_results.load("traffic_protocol")
    frame = tables.protocol_frame(protocol)
    if frame.empty:
        st.caption("Not measured with the audited protocol yet: run `python -m bench.traffic_protocol`.")
        return
    t_gcn = tables.t_gcn_published() or {}
    if not compact:
        st.altair_chart(charts.protocol_chart(frame, t_gcn.get("value", [None, None])[1],
                                              t_gcn.get("persistence_same_protocol", {}).get("mae_15")))
    st.dataframe(tables.protocol_table(protocol), hide_index=True)
    st.caption("Same files, split, windows, scaling and pooled errors as the paper; our models are the app's "
               "recipes, each trained once for all horizons. 'Last epoch' is an honest choice; 'lowest test "
               "RMSE' repeats the paper's choice to show how much it flatters.")
    _machine(protocol)


def published_section(task: str) -> None:
    st.markdown("**Published numbers** (with their source and how sure we are of them)")
    st.dataframe(tables.published_table(task), hide_index=True)
    for model, note in tables.published_notes(task):
        st.caption(f"**{model}:** {note}")


def reference_panel(task: str, compact: bool = False) -> None:
    """Everything measured and published for `task`; `compact` leaves out the charts and the
    explanations (the task pages fold it under their own charts and notes)."""
    benchmark_section(task, compact)
    references_section(task, compact)
    if task == "traffic":
        protocol_section(compact)
    published_section(task)
    own = own_best_runs(task)
    st.markdown("**Your best runs** (from the run store)")
    if own.empty:
        st.caption("No finished runs of this task yet: train one on the task page.")
    else:
        st.dataframe(own, hide_index=True)


def reference_expander(task: str) -> None:
    """The panel, folded away: task pages and the Compare page show it under their results."""
    with st.expander("Reference results: our full benchmarks and published numbers", icon=":material/verified:"):
        st.caption("The *Reference results* page (sidebar) shows the same as charts, with the T-GCN audit.")
        reference_panel(task, compact=True)


def app_panel() -> None:
    """The app's own start-up, training overhead and memory."""
    startup = bench_results.load("startup")
    st.subheader("Start-up, beside Streamlit's own `streamlit hello`")
    frame = tables.startup_frame(startup)
    if frame.empty:
        st.caption("Not measured yet: run `python -m bench.startup`.")
    else:
        st.altair_chart(charts.startup_chart(frame))
        st.dataframe(tables.startup_table(startup), hide_index=True)
        _machine(startup)

    overhead = bench_results.load("overhead")
    st.subheader("Training overhead of the app")
    frame = tables.overhead_frame(overhead)
    if frame.empty:
        st.caption("Not measured yet: run `python -m bench.overhead`.")
    else:
        st.altair_chart(charts.overhead_chart(frame))
        st.caption(f"Median ratio app / plain: {overhead.get('median_ratio', float('nan')):.2f} "
                   f"({overhead.get('setup', 'see BENCHMARKS.md')}).")
        _machine(overhead)

    rss, in_process = bench_results.load("rss_trainings"), bench_results.load("rss_trainings_in_process")
    st.subheader("Memory over consecutive trainings")
    frame = tables.memory_frame(rss, in_process)
    if frame.empty:
        st.caption("Not measured yet: run `python -m bench.rss_trainings`.")
    else:
        st.altair_chart(charts.memory_chart(frame))
        for results in (rss, in_process):
            if results:
                st.caption(f"{results.get('setup', '')}. " + bench_results.machine_line(results))

    peak = bench_results.load("peak_memory")
    st.subheader("Peak memory of each training (its own worker process)")
    frame = tables.peak_memory_frame(peak)
    if frame.empty:
        st.caption("Not measured yet: run `python -m bench.peak_memory`.")
    else:
        st.altair_chart(charts.peak_memory_chart(frame, peak.get("hosted_limit_mb")))
        st.caption(f"Dashed line: the hosted limit ({peak.get('hosted_limit_mb', 0):,.0f} MB for one training "
                   f"beside the server). {peak.get('setup', '')}.")
        _machine(peak)
