"""On-demand lesson demos count against the app's limit on concurrent trainings, like the task
pages' runs: on a shared server a demo waits for its turn instead of slowing everyone down."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from ui.worker import training_gate


@contextmanager
def training_slot(name: str):
    """Hold one of the process-wide training slots for the duration of the block."""
    gate, ticket = training_gate(), f"lesson-{name}-{uuid.uuid4().hex[:8]}"
    gate.acquire(ticket)
    try:
        yield
    finally:
        gate.release(ticket)
