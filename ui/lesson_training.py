"""On-demand lesson demos count against the app's limit on concurrent trainings, like the task
pages' runs: on a shared server a demo waits for its turn instead of slowing everyone down."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from typing import TypeVar

import streamlit as st

from ui.worker import training_gate

Result = TypeVar("Result")


@contextmanager
def training_slot(name: str):
    """Hold one of the process-wide training slots for the duration of the block."""
    gate, ticket = training_gate(), f"lesson-{name}-{uuid.uuid4().hex[:8]}"
    gate.acquire(ticket)
    try:
        yield
    finally:
        gate.release(ticket)


def session_result(name: str, settings: tuple, train: Callable[[], Result], spinner: str, *,
                   start: bool = True, take_slot: bool = True) -> Result | None:
    """This learner's demo result for `settings`, kept in their session; trained now when there is
    none for these settings and `start` (the page's Train button) is true, otherwise None.

    Not `st.cache_data`: a global cache would run one learner's training on behalf of everyone
    with the same settings and keep every result for the life of the server. Demos of a few
    seconds on toy data pass `take_slot=False`, so they do not queue behind a long task run."""
    stored = st.session_state.get(f"{name}-result")
    if stored is not None and stored[0] == settings:
        return stored[1]
    if not start:
        return None
    with st.spinner(spinner), (training_slot(name) if take_slot else nullcontext()):
        result = train()
    st.session_state[f"{name}-result"] = (settings, result)
    return result
