"""The "Reference results" panels: our benchmark numbers beside the published ones as charts and
readable tables (frames from `reference.tables`), the T-GCN audit, the learner's own best runs, and
the app's own speed and memory."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from i18n import DEFAULT_LANGUAGE, N_
from models.tasks import TASKS
from reference import results as bench_results
from reference import tables
from ui import reference_charts as charts
from ui.i18n import gettext_for_session, language, localized_chart, text
from ui.names import column_title, shown_name, shown_setup, task_name

TARGETS = {"mnist": 0.992}  # bench.references' time-to-target accuracy
# Table texts made from a template (the fixed ones are in ui/reference_text.py), pattern → message
PATTERNS = (
    (re.compile(r"^(?P<finished>\d+) of (?P<runs>\d+)$"), N_("{finished} of {runs}")),
    (re.compile(r"^Ours: (?P<model>.+)$"), N_("Ours: {model}")),
    (re.compile(r"^(?P<choice>.+), epoch (?P<epoch>[\d,]+)$"), N_("{choice}, epoch {epoch}")),
    (re.compile(r"^ratio dashboard / hello \(target ≤ (?P<target>[\d.]+)\)$"),
     N_("ratio dashboard / hello (target ≤ {target})")),
    (re.compile(r"^Time to (?P<target>[\d.]+%) \(s\)$"), N_("Time to {target} (s)")),
    (re.compile(r"^(?P<measure>.+) \(s, median\)$"), N_("{measure} (s, median)")),
    (re.compile(r"^not reached in (?P<epochs>\d+) epochs$"), N_("not reached in {epochs} epochs")),
    (re.compile(r"^reached in (?P<reached>\d+) of (?P<seeds>\d+) seeds$"), N_("reached in {reached} of {seeds} seeds")),
    (re.compile(r"^(?P<model>.+) \((?P<reached>\d+) of (?P<seeds>\d+) seeds\)$"),
     N_("{model} ({reached} of {seeds} seeds)")))


def shown_text(value, gettext=None):
    """A text of the benchmark tables in this session's language: a fixed text, a model, metric or
    setup name, or a templated one (\"3 of 3\", \"Ours: CNN\"); numbers and unknown texts as they are."""
    if not isinstance(value, str) or not value:
        return value
    gettext = gettext or gettext_for_session()
    if (translated := gettext(value)) != value:
        return translated
    for pattern, message in PATTERNS:
        if (found := pattern.match(value)) is not None:
            parts = {name: shown_text(part, gettext) for name, part in found.groupdict().items()}
            return gettext(message).format(**parts)
    if value in TASKS:
        return task_name(value)
    named = shown_name(value, gettext)
    return named if named != value else shown_setup(value, gettext)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if any(isinstance(cell, str) for cell in frame[column])]


def shown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The copy of a benchmark table a page displays: its columns and text cells translated."""
    if language() == DEFAULT_LANGUAGE or frame.empty:
        return frame
    gettext = gettext_for_session()
    shown = frame.copy()
    for column in _text_columns(shown):
        shown[column] = [shown_text(cell, gettext) for cell in shown[column]]
    return shown.rename(columns={column: shown_text(column_title(column, gettext), gettext)
                                 for column in shown.columns})


def chart(spec):
    """A benchmark chart in this session's language (titles, legends and tooltips)."""
    return localized_chart(spec)


def persistence_lesson() -> str:
    """Why persistence belongs in every table, with the audited T-GCN numbers (bench/published.json)."""
    prose = text("reference")
    t_gcn = tables.t_gcn_published()
    if not t_gcn or "persistence_same_protocol" not in t_gcn:
        return prose("persistence-short")
    rmse, mae = t_gcn["value"]
    persistence = t_gcn["persistence_same_protocol"]
    step_rmse, step_mae = t_gcn["step_alone_15"]
    return prose("persistence", mae=f"{mae:.2f}", rmse=f"{rmse:.2f}", persistence_mae=f"{persistence['mae_15']:.2f}",
                 persistence_rmse=f"{persistence['rmse_15']:.2f}", step_mae=f"{step_mae:.2f}",
                 persistence_step_mae=f"{persistence['step_mae_15']:.2f}")


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


def machine_line(results: dict) -> str:
    """The machine and command of a benchmark (reference.results.machine_line) in this session's language."""
    if language() == DEFAULT_LANGUAGE:
        return bench_results.machine_line(results)
    _ = gettext_for_session()
    machine = results.get("machine", {})
    load = machine.get("load_average_1_5_15_min")
    parts = {"cpu": machine.get("cpu", "?"), "cores": machine.get("cores", "?"), "python": machine.get("python", "?"),
             "packages": ", ".join(f"{name} {version}" for name, version in machine.get("packages", {}).items()),
             "command": results.get("command", "?"),
             "finished": str(results.get("finished", "?")).replace("T", " ")}  # 2026-12-01 04:41:46+00:00
    line = (_("{cpu}, {cores} cores (load average {load} at the end); Python {python}; {packages}. Command: "
              "`{command}`, finished {finished}").format(load=load[0], **parts) if load else
            _("{cpu}, {cores} cores; Python {python}; {packages}. Command: `{command}`, finished {finished}")
            .format(**parts))
    return line + (" " + _("(quick smoke run, not a measurement)") if results.get("quick") else "")


def _machine(results: dict | None) -> None:
    if results:
        st.caption(machine_line(results))


def shown_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A chart's frame with its text cells (models, measures) translated and its columns kept (the fields)."""
    if language() == DEFAULT_LANGUAGE or frame.empty:
        return frame
    gettext = gettext_for_session()
    return frame.assign(**{column: [shown_text(cell, gettext) for cell in frame[column]]
                           for column in _text_columns(frame)})


def benchmark_section(task: str, compact: bool) -> None:
    _ = gettext_for_session()
    accuracy = bench_results.load(f"accuracy_{task}")
    st.markdown(_("**Our benchmark on the full {task} data** (default recipes, mean ± std over seeds)")
                .format(task=_(TASKS[task].title)))
    scores = tables.score_frame(task, accuracy)
    if scores.empty:
        st.caption(_("Not measured yet: run `python -m bench.accuracy --tasks {task}` (see BENCHMARKS.md).")
                   .format(task=task))
        return
    if not compact:
        st.altair_chart(chart(charts.score_chart(scores, higher_is_better=task != "traffic")))
    st.dataframe(shown_frame(tables.accuracy_table(task, accuracy)), hide_index=True)
    _machine(accuracy)


def references_section(task: str, compact: bool) -> None:
    _ = gettext_for_session()
    references = bench_results.load(f"references_{task}")
    if not references or not references.get("rows"):
        return
    target = TARGETS.get(task)
    st.markdown(_("**Published recipes re-run here, beside ours** (same machine, same run)"))
    epochs, reached = tables.epoch_accuracy_frame(references), tables.time_to_target_frame(references)
    if target and not epochs.empty and not compact:
        left, right = st.columns(2)
        left.altair_chart(chart(charts.epoch_accuracy_chart(shown_cells(epochs), 100 * target)))
        if not reached.empty:
            right.altair_chart(chart(charts.seconds_bar_chart(
                shown_cells(reached),
                _("Training time to reach {target} test accuracy (shorter is better)").format(target=f"{target:.1%}"))))
    st.dataframe(shown_frame(tables.reference_table(references, target)), hide_index=True)
    _machine(references)


def protocol_section(compact: bool) -> None:
    _ = gettext_for_session()
    st.markdown(_("**The T-GCN paper's protocol, audited**"))
    if not compact:
        st.markdown(persistence_lesson())
    protocol = bench_results.load("traffic_protocol")
    frame = tables.protocol_frame(protocol)
    if frame.empty:
        st.caption(_("Not measured with the audited protocol yet: run `python -m bench.traffic_protocol`."))
        return
    t_gcn = tables.t_gcn_published() or {}
    if not compact:
        st.altair_chart(chart(charts.protocol_chart(frame, t_gcn.get("value", [None, None])[1],
                                                    t_gcn.get("persistence_same_protocol", {}).get("mae_15"))))
    st.dataframe(shown_frame(tables.protocol_table(protocol)), hide_index=True)
    st.caption(text("reference")("protocol"))
    _machine(protocol)


def published_section(task: str) -> None:
    _ = gettext_for_session()
    st.markdown(_("**Published numbers** (with their source and how sure we are of them)"))
    st.dataframe(shown_frame(tables.published_table(task)), hide_index=True)
    for model, note in tables.published_notes(task):
        st.caption(_("**{model}:** {note}").format(model=shown_text(model), note=shown_text(note)))


def reference_panel(task: str, compact: bool = False) -> None:
    """Everything measured and published for `task`; `compact` leaves out the charts and the
    explanations (the task pages fold it under their own charts and notes)."""
    _ = gettext_for_session()
    benchmark_section(task, compact)
    references_section(task, compact)
    if task == "traffic":
        protocol_section(compact)
    published_section(task)
    own = own_best_runs(task)
    st.markdown(_("**Your best runs** (from the run store)"))
    if own.empty:
        st.caption(_("No finished runs of this task yet: train one on the task page."))
    else:
        st.dataframe(shown_frame(own), hide_index=True)


def reference_expander(task: str) -> None:
    """The panel, folded away: task pages and the Compare page show it under their results."""
    _ = gettext_for_session()
    with st.expander(_("Reference results: our full benchmarks and published numbers"), icon=":material/verified:"):
        st.caption(_("The *Reference results* page (sidebar) shows the same as charts, with the T-GCN audit."))
        reference_panel(task, compact=True)


def app_panel() -> None:
    """The app's own start-up, training overhead and memory."""
    _ = gettext_for_session()
    startup = bench_results.load("startup")
    st.subheader(_("Start-up, beside Streamlit's own `streamlit hello`"))
    frame = tables.startup_frame(startup)
    if frame.empty:
        st.caption(_("Not measured yet: run `{command}`.").format(command="python -m bench.startup"))
    else:
        st.altair_chart(chart(charts.startup_chart(frame)))
        st.dataframe(shown_frame(tables.startup_table(startup)), hide_index=True)
        _machine(startup)

    overhead = bench_results.load("overhead")
    st.subheader(_("Training overhead of the app"))
    frame = tables.overhead_frame(overhead)
    if frame.empty:
        st.caption(_("Not measured yet: run `{command}`.").format(command="python -m bench.overhead"))
    else:
        st.altair_chart(chart(charts.overhead_chart(frame)))
        st.caption(_("Median ratio app / plain: {ratio} ({setup}).").format(
            ratio=f"{overhead.get('median_ratio', float('nan')):.2f}",
            setup=shown_text(overhead.get("setup", "see BENCHMARKS.md"))))
        _machine(overhead)

    rss, in_process = bench_results.load("rss_trainings"), bench_results.load("rss_trainings_in_process")
    st.subheader(_("Memory over consecutive trainings"))
    frame = tables.memory_frame(rss, in_process)
    if frame.empty:
        st.caption(_("Not measured yet: run `{command}`.").format(command="python -m bench.rss_trainings"))
    else:
        st.altair_chart(chart(charts.memory_chart(frame)))
        for results in (rss, in_process):
            if results:
                st.caption(_("{setup}. {machine}").format(setup=shown_text(results.get("setup", "")),
                                                          machine=machine_line(results)))

    peak = bench_results.load("peak_memory")
    st.subheader(_("Peak memory of each training (its own worker process)"))
    frame = tables.peak_memory_frame(peak)
    if frame.empty:
        st.caption(_("Not measured yet: run `{command}`.").format(command="python -m bench.peak_memory"))
    else:
        st.altair_chart(chart(charts.peak_memory_chart(frame, peak.get("hosted_limit_mb"))))
        st.caption(_("Dashed line: the hosted limit ({limit} MB for one training beside the server). {setup}.")
                   .format(limit=f"{peak.get('hosted_limit_mb', 0):,.0f}", setup=shown_text(peak.get("setup", ""))))
        _machine(peak)
