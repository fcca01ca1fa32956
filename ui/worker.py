"""The Streamlit side of training: one gate per server, jobs and results per session.

Every training runs in a spawned worker process (`training.jobs`); this module only keeps each
session's jobs, folds their progress in when a page polls, and renews their leases. The gate (how
many trainings may run at once) is shared by every session through `st.cache_resource`; jobs and
results live in `st.session_state`, so a learner only ever sees their own runs.
"""

from __future__ import annotations

import re
import uuid

import streamlit as st

from training.events import RunConfig
from training.gate import TrainingGate, configured_limit
from training.jobs import BaseJob, Job, RunState
from ui.i18n import gettext_for_session
from ui.run_store import run_store

SESSION_RESULTS_KEPT = 8  # finished runs per task kept in a session; older ones stay in the store
LEASE_SECONDS = 60.0  # a job no page of its session has polled for this long is cancelled
KEEP_ALIVE_SECONDS = 10.0  # how often the sidebar polls this session's jobs, on any page
OWNER_COOKIE = "dllab_owner"
OWNER_PATTERN = re.compile(r"[0-9a-f]{16,32}")
JOBS_KEY = "dllab-jobs"


@st.cache_resource
def training_gate() -> TrainingGate:
    return TrainingGate(configured_limit())


def session_owner() -> str:
    """A random id for this browser, stored with its runs ("my runs" vs shared runs).

    Kept in a cookie, so a learner still owns their runs after reloading the page: a session id
    alone would change on every reload."""
    owner = st.session_state.get("dllab-owner")
    if owner:
        return owner
    cookie = st.context.cookies.get(OWNER_COOKIE, "")
    cookie = cookie if isinstance(cookie, str) else ""  # AppTest has no real cookies
    owner = cookie if OWNER_PATTERN.fullmatch(cookie) else uuid.uuid4().hex
    if owner != cookie:  # the value is our own hex token, never text from the request
        st.html(f"<script>document.cookie = '{OWNER_COOKIE}={owner}; path=/; max-age=31536000; "
                "SameSite=Strict';</script>", unsafe_allow_javascript=True)
    st.session_state["dllab-owner"] = owner
    return owner


def session_jobs() -> dict[str, BaseJob]:
    """This session's jobs by name (task pages and lesson demos), finished ones included."""
    return st.session_state.setdefault(JOBS_KEY, {})


def register_job(name: str, job: BaseJob) -> BaseJob:
    session_jobs()[name] = job
    return job


def live_jobs() -> dict[str, BaseJob]:
    return {name: job for name, job in session_jobs().items() if not job.finished}


def keep_alive() -> None:
    """Poll every job of this session that is still running (renews their leases), from any page."""
    jobs = live_jobs()
    if not jobs:
        return

    @st.fragment(run_every=KEEP_ALIVE_SECONDS)
    def sidebar_status() -> None:
        running = [name for name, job in session_jobs().items() if not job.poll().finished]
        if running:
            _ = gettext_for_session()
            names = ", ".join(f"`{name}`" for name in running)  # the jobs' ids, shown as code in every language
            st.caption(":material/model_training: " + _("Training in the background: {names}.").format(names=names))

    with st.sidebar:
        sidebar_status()


def current_job(task: str) -> Job | None:
    """This session's latest job for `task`, with its pending progress folded in."""
    job = session_jobs().get(task)
    if job is not None:
        job.poll()
        collected = st.session_state.setdefault("dllab-collected-jobs", set())
        if job.finished and job.id not in collected:
            collected.add(job.id)
            _collect(task, job)
    return job


def job_running(task: str) -> bool:
    job = current_job(task)
    return job is not None and not job.finished


def start_job(task: str, configs: list[RunConfig], *, store=None) -> Job:
    """Start training `configs` for this session; refuses while the session's last job runs."""
    if job_running(task):
        raise ValueError("this session is already training; stop it or wait for it to finish")
    job = Job(configs, training_gate(), store=run_store() if store is None else store,
              lease_seconds=LEASE_SECONDS).start()
    return register_job(task, job)


def _results_key(task: str) -> str:
    return f"dllab-results-{task}"


def _collect(task: str, job: Job) -> None:
    """Move a finished job's runs into the session's results, newest last."""
    new = {run.run_id for run in job.runs}
    kept = [run for run in st.session_state.get(_results_key(task), []) if run.run_id not in new]
    kept += [run for run in job.runs if run.result is not None and run.result.run_id]
    st.session_state[_results_key(task)] = kept[-SESSION_RESULTS_KEPT:]


def session_results(task: str) -> list[RunState]:
    """Runs this session finished for `task` (they stay comparable after later jobs)."""
    current_job(task)
    return list(st.session_state.get(_results_key(task), []))


def clear_session_results(task: str) -> None:
    st.session_state[_results_key(task)] = []
    job = session_jobs().get(task)
    if job is not None and job.finished:
        del session_jobs()[task]
