"""The live panel of a task page: one status box per run, curves that grow, a Stop button.

Rendered by a fragment that polls the job every second; it only reads the job's state, which the
job's relay thread fills from the worker process's events, so nothing here ever trains.
"""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANGUAGE, N_, Message
from models.tasks import TASKS
from training.events import CANCELLED, DIVERGED, DIVERGED_HELP, FAILED, FINISHED
from training.jobs import QUEUED, STARTING, TRAINING, Job, RunState
from ui.charts import curves_chart, history_frame
from ui.i18n import gettext_for_session, language, localized_chart, pgettext_for_session
from ui.names import shown_name
from ui.results import arch_label, template_patterns, translated_text
from ui.text import plain
from ui.worker import training_gate

POLL_SECONDS = 1.0

# The messages training/ stores with a run (events.exploded_help and budget_help, jobs.ABANDONED_HELP and
# the stop and failure messages of jobs.Job), as templates: shown in the session's language, stored in
# English. DIVERGED_HELP and CANCELLED_HELP are in ui.names. tests/test_i18n_tasks.py keeps them in step.
RUN_MESSAGES = (
    N_("The loss exploded from {first} on the first batch to {loss} (more than {factor} times), so training was "
       "stopped: every step overshoots. The learning rate is too high: try one 10x smaller, or turn on gradient "
       "clipping."),
    N_("Stopped by the time budget ({seconds} s of training, DLLAB_MAX_TRAIN_SECONDS) after {done} of {epochs} "
       "epochs; the metrics are those of the best epoch so far."),
    N_("Nobody was watching this training for over a minute (the page was closed or the connection lost), so it "
       "was stopped to free its slot for other learners."),
    N_("Stopped before it started."),
    N_("Stopped: the worker did not stop by itself within {seconds} s and was terminated."),
    N_("The run passed its time budget ({budget} s) and did not stop by itself, so its worker process was ended."),
    N_("Training failed: {reason}."),
)

MESSAGE_PATTERNS = template_patterns(RUN_MESSAGES)


def run_message(message: str, gettext) -> str:
    """A run's stored message in the language of `gettext`: a template's, DIVERGED_HELP or CANCELLED_HELP
    (ui.names), a worker's Message (a refused own dataset), else as it is (an error's own text)."""
    if isinstance(message, Message):  # e.g. the dataset was deleted or changed on disk before training
        return plain(message.translated(gettext))  # it quotes paths and the learner's dataset name
    return translated_text(message, MESSAGE_PATTERNS, gettext, depth=0)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd in English; in Chinese the page writes 第 1 位 in its own sentence."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def headline_text(task: str, metrics: dict, gettext) -> str:
    """TaskInfo.headline_text with the metric titles in this session's language."""
    info, separator = TASKS[task], ", " if language() == DEFAULT_LANGUAGE else "，"
    return separator.join(f"{gettext(info.metric(key).title)} {info.metric(key).format(metrics[key])}"
                          for key in info.summary if isinstance(metrics.get(key), int | float))


def run_status(task: str, run: RunState, position: int | None) -> None:
    _ = gettext_for_session()
    label = shown_name(arch_label(task, run.config.arch), _)
    message = run_message(run.message, _)
    if run.status == QUEUED:
        if position:
            gate = training_gate()
            place = ordinal(position) if language() == DEFAULT_LANGUAGE else str(position)
            st.markdown(_("**{model}**: waiting for a free training slot, **{place} in line** "
                          "({running} of {limit} slots busy on this server).").format(
                model=label, place=place, running=gate.running, limit=gate.limit))
        else:
            st.markdown(_("**{model}**: queued behind this page's earlier runs.").format(model=label))
    elif run.status == STARTING:
        st.markdown(_("**{model}**: starting its worker process (loading TensorFlow, a few seconds)…").format(
            model=label))
    elif run.status == TRAINING:
        st.markdown(_("**{model}**: training · {count} parameters").format(model=label, count=f"{run.params:,}"))
        epoch_shown = min(run.epoch + 1, run.epochs) if run.epochs else 0
        st.progress(run.epoch_fraction, text=_("Epoch {epoch} of {epochs}").format(epoch=epoch_shown,
                                                                                   epochs=run.epochs))
        st.progress(run.batch_fraction, text=_("Batch {batch} of {batches}").format(batch=run.batch,
                                                                                    batches=run.batches_per_epoch))
    elif run.status == FINISHED:
        metrics = run.result.metrics if run.result else {}
        summary = headline_text(task, metrics, _) if metrics else _("finished")
        st.success(_("**{model}**: {summary}.").format(model=label, summary=summary)
                   + (f" {message}" if message else ""), icon=":material/check_circle:")
    elif run.status == DIVERGED:
        st.error(_("**{model} diverged.**").format(model=label) + " " + (message or _(DIVERGED_HELP)),
                 icon=":material/error:")
    elif run.status == CANCELLED:
        st.warning(_("**{model}**: stopped.").format(model=label) + (f" {message}" if message else ""),
                   icon=":material/stop_circle:")
    elif run.status == FAILED:
        st.error(_("**{model} failed.**").format(model=label) + (f" {message}" if message else ""),
                 icon=":material/error:")


def live_curves(task: str, job: Job) -> None:
    frame = history_frame({arch_label(task, run.config.arch): run.history for run in job.runs if run.history})
    if frame.empty:
        return
    metrics = ["loss"] + [name for name in (TASKS[task].headline, "accuracy", "mae")
                          if name != "loss" and name in set(frame["metric"])][:1]
    _ = gettext_for_session()
    for column, metric in zip(st.columns(len(metrics)), metrics):
        column.altair_chart(localized_chart(curves_chart(frame, metric, gettext=_)))


def live_panel(task: str, job: Job) -> None:
    running = not job.finished

    @st.fragment(run_every=POLL_SECONDS if running else None)
    def panel() -> None:
        job.poll()
        _ = gettext_for_session()
        with st.container(border=True):
            header, stop = st.columns([4, 1])
            busy = not job.finished
            pgettext = pgettext_for_session()  # "Training" is also a column of the reference tables
            header.subheader(pgettext("live panel", "Training") if busy else _("Last training"))
            if busy:
                stop.button(_("Stop"), icon=":material/stop:", on_click=job.stop, key=f"{task}-stop",
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
