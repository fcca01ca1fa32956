"""The live panel of a task page: one status box per run, curves that grow, a Stop button.

Rendered by a fragment that polls the job every second; it only reads the job's state, which the
job's relay thread fills from the worker process's events, so nothing here ever trains.
"""

from __future__ import annotations

import streamlit as st

from models.tasks import TASKS
from training.events import CANCELLED, DIVERGED, DIVERGED_HELP, FAILED, FINISHED
from training.jobs import QUEUED, STARTING, TRAINING, Job, RunState
from ui.charts import curves_chart, history_frame
from ui.results import arch_label
from ui.worker import training_gate

POLL_SECONDS = 1.0


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def run_status(task: str, run: RunState, position: int | None) -> None:
    label = arch_label(task, run.config.arch)
    if run.status == QUEUED:
        if position:
            gate = training_gate()
            st.markdown(f"**{label}**: waiting for a free training slot, **{ordinal(position)} in line** "
                        f"({gate.running} of {gate.limit} slots busy on this server).")
        else:
            st.markdown(f"**{label}**: queued behind this page's earlier runs.")
    elif run.status == STARTING:
        st.markdown(f"**{label}**: starting its worker process (loading TensorFlow, a few seconds)…")
    elif run.status == TRAINING:
        st.markdown(f"**{label}**: training · {run.params:,} parameters")
        epoch_shown = min(run.epoch + 1, run.epochs) if run.epochs else 0
        st.progress(run.epoch_fraction, text=f"Epoch {epoch_shown} of {run.epochs}")
        st.progress(run.batch_fraction, text=f"Batch {run.batch} of {run.batches_per_epoch}")
    elif run.status == FINISHED:
        metrics = run.result.metrics if run.result else {}
        summary = TASKS[task].headline_text(metrics) if metrics else "finished"
        note = f" {run.message}" if run.message else ""
        st.success(f"**{label}**: {summary}.{note}", icon=":material/check_circle:")
    elif run.status == DIVERGED:
        st.error(f"**{label} diverged.** {run.message or DIVERGED_HELP}", icon=":material/error:")
    elif run.status == CANCELLED:
        st.warning(f"**{label}**: stopped. {run.message}", icon=":material/stop_circle:")
    elif run.status == FAILED:
        st.error(f"**{label} failed.** {run.message}", icon=":material/error:")


def live_curves(task: str, job: Job) -> None:
    frame = history_frame({arch_label(task, run.config.arch): run.history for run in job.runs if run.history})
    if frame.empty:
        return
    metrics = ["loss"] + [name for name in (TASKS[task].headline, "accuracy", "mae")
                          if name != "loss" and name in set(frame["metric"])][:1]
    for column, metric in zip(st.columns(len(metrics)), metrics):
        column.altair_chart(curves_chart(frame, metric))


def live_panel(task: str, job: Job) -> None:
    running = not job.finished

    @st.fragment(run_every=POLL_SECONDS if running else None)
    def panel() -> None:
        job.poll()
        with st.container(border=True):
            header, stop = st.columns([4, 1])
            busy = not job.finished
            header.subheader("Training" if busy else "Last training")
            if busy:
                stop.button("Stop", icon=":material/stop:", on_click=job.stop, key=f"{task}-stop",
                            disabled=job.cancel.is_set(), width="stretch")
            waiting = next((run for run in job.runs if run.status == QUEUED), None)
            position = job.queue_position()
            for run in job.runs:
                run_status(task, run, position if run is waiting else None)
            live_curves(task, job)
        # The job ended during a fragment-only rerun: rerun the whole page once, to unlock
        # the form and draw the comparison.
        if job.finished and st.session_state.get(f"{task}-live-job") == job.id:
            st.session_state[f"{task}-live-job"] = None
            st.rerun()

    panel()
