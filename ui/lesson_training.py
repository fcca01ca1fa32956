"""Lesson demos that train run in a worker process, like the task pages' runs, and count against the
server's limit on concurrent trainings: on a shared server a demo waits for its turn.

The page keeps the result in the learner's session (never a global cache: a cache would train once
for everyone with the same settings and keep every result for the life of the server).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from training.events import FINISHED
from training.jobs import QUEUED, STARTING, CallJob
from ui.i18n import gettext_for_session
from ui.worker import LEASE_SECONDS, register_job, session_jobs, training_gate

POLL_SECONDS = 0.5


def _status(job: CallJob, spinner: str, progress: Callable[[dict], None] | None) -> None:
    state = job.state
    if state.status == QUEUED:
        place = job.queue_position()
        _ = gettext_for_session()
        st.info(_("{spinner} Waiting for a free training slot ({place} in line).").format(spinner=spinner, place=place)
                if place else _("{spinner} Waiting for a free training slot.").format(spinner=spinner),
                icon=":material/hourglass_top:")
    elif state.status == STARTING or state.progress is None:
        st.info(gettext_for_session()("{spinner} Starting a worker process (loading TensorFlow, a few seconds)…")
                .format(spinner=spinner),
                icon=":material/model_training:")
    else:
        st.info(spinner, icon=":material/model_training:")
        if progress is not None:
            progress(state.progress)
    st.button(gettext_for_session()("Stop"), icon=":material/stop:", key=f"{id(job)}-stop", on_click=job.stop)


def session_result(name: str, settings: tuple, function: Callable, kwargs: dict[str, Any], spinner: str, *,
                   start: bool = True, progress: Callable[[dict], None] | None = None) -> Any:
    """This learner's result of `function(**kwargs)` for `settings`, or None until there is one.

    When `start` (the page's Train button) is true and there is no result for these settings, the
    call starts in a worker process; while it runs, a fragment shows its status (and the latest
    payload the function sent to `report`, drawn by `progress`) and reruns the page when it ends.
    """
    stored = st.session_state.get(f"{name}-result")
    if stored is not None and stored[0] == settings:
        return stored[1]
    key = f"lesson-{name}"
    job = session_jobs().get(key)
    if start and (job is None or job.finished or job.settings != settings):
        if job is not None and not job.finished:
            job.stop()
        job = CallJob(function, kwargs, training_gate(), lease_seconds=LEASE_SECONDS)
        job.settings = settings
        register_job(key, job.start())
    if job is None or job.settings != settings:
        return None
    job.poll()
    if job.finished:
        if job.state.status == FINISHED:
            st.session_state[f"{name}-result"] = (settings, job.state.value)
            del session_jobs()[key]
            return job.state.value
        st.error(gettext_for_session()("The demo did not finish: {message}").format(message=job.state.message),
                 icon=":material/error:")
        return None

    @st.fragment(run_every=POLL_SECONDS)
    def running() -> None:
        if job.poll().finished:
            st.rerun()  # the whole page, which now finds the result
        _status(job, spinner, progress)

    running()
    return None


def demo_running(name: str) -> bool:
    """True while this session's demo `name` is queued or training (its status is on the page)."""
    job = session_jobs().get(f"lesson-{name}")
    return job is not None and not job.finished


def idle_prompt(name: str, text: str) -> None:
    """The page's "press the button" hint, shown only while demo `name` is not already running."""
    if not demo_running(name):
        st.info(text, icon=":material/info:")
