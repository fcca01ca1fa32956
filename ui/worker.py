"""The Streamlit side of background training: one gate per process, jobs per session.

The gate (how many trainings may run at once) is shared by every session through
`st.cache_resource`; jobs, their progress and their results live in `st.session_state`, so a
learner only ever sees their own runs and a model is never held in a global cache.
"""

from __future__ import annotations

import threading
import uuid

import streamlit as st

from models.registry import ARCHITECTURES, count_params
from training.events import RunConfig
from training.gate import TrainingGate, configured_limit
from training.jobs import Job, RunState
from training.keras_guard import background_keras_work

SESSION_RESULTS_KEPT = 8  # finished runs per task kept in a session; older ones stay in the store


@st.cache_resource
def training_gate() -> TrainingGate:
    return TrainingGate(configured_limit())


def session_owner() -> str:
    """A random id for this browser session, stored with its runs ("my runs" vs shared runs)."""
    return st.session_state.setdefault("dllab-owner", uuid.uuid4().hex[:12])


def _job_key(task: str) -> str:
    return f"dllab-job-{task}"


def _results_key(task: str) -> str:
    return f"dllab-results-{task}"


def current_job(task: str) -> Job | None:
    """This session's latest job for `task`, with its pending progress folded in."""
    job = st.session_state.get(_job_key(task))
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


def start_job(task: str, configs: list[RunConfig], *, store=None, keep_models: bool = False) -> Job:
    """Start training `configs` for this session; refuses while the session's last job runs."""
    if job_running(task):
        raise ValueError("this session is already training; stop it or wait for it to finish")
    job = Job(configs, training_gate(), store=store, keep_models=keep_models).start()
    st.session_state[_job_key(task)] = job
    return job


def _collect(task: str, job: Job) -> None:
    """Move a finished job's runs into the session's results, newest last. Only the latest
    job's models are kept (to score new inputs): older ones are dropped to free their memory."""
    kept = [run for run in st.session_state.get(_results_key(task), []) if run.run_id not in
            {new.run_id for new in job.runs}]
    for run in kept:
        if run.result is not None:
            run.result.model = None
    kept += [run for run in job.runs if run.result is not None and run.result.run_id]
    if len(kept) > SESSION_RESULTS_KEPT:
        kept = kept[-SESSION_RESULTS_KEPT:]
    st.session_state[_results_key(task)] = kept


def session_results(task: str) -> list[RunState]:
    """Runs this session finished for `task` (they stay comparable after later jobs)."""
    current_job(task)
    return list(st.session_state.get(_results_key(task), []))


def clear_session_results(task: str) -> None:
    st.session_state[_results_key(task)] = []
    job = st.session_state.get(_job_key(task))
    if job is not None and job.finished:
        del st.session_state[_job_key(task)]


class ParameterCounter:
    """Parameter counts of every architecture of a task, computed once per process on a
    background thread: counting builds the Keras models, and a page must not wait 2-3 s for
    TensorFlow just to show a number next to each name."""

    def __init__(self, task: str):
        self.task = task
        self.counts: dict[str, int] = {}
        self.error = ""
        self._thread = threading.Thread(target=self._count, name=f"dllab-count-{task}", daemon=True)
        self._thread.start()

    def _count(self) -> None:
        try:
            with background_keras_work():
                for arch in ARCHITECTURES[self.task]:
                    self.counts[arch] = count_params(self.task, arch)
        except Exception as error:  # noqa: BLE001 - counts are informative; the page works without
            self.error = f"{type(error).__name__}: {error}"

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()


@st.cache_resource
def parameter_counter(task: str) -> ParameterCounter:
    return ParameterCounter(task)
