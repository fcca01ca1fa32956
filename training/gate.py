"""A process-wide limit on concurrent trainings, serving waiting runs first come, first served,
so a page can tell a learner their place in line."""

from __future__ import annotations

import os
import threading

LIMIT_VARIABLE = "DLLAB_MAX_CONCURRENT_TRAININGS"


def configured_limit(default: int = 1) -> int:
    """The process-wide number of trainings allowed at once, from DLLAB_MAX_CONCURRENT_TRAININGS."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return default
    try:
        limit = int(text)
    except ValueError:
        raise ValueError(f"{LIMIT_VARIABLE} must be a whole number, got {text!r}") from None
    if limit < 1:
        raise ValueError(f"{LIMIT_VARIABLE} must be at least 1, got {limit}")
    return limit


class TrainingGate:
    """At most `limit` holders at once; waiters are admitted in the order they arrived."""

    def __init__(self, limit: int = 1):
        if limit < 1:
            raise ValueError(f"a training gate needs a limit of at least 1, got {limit}")
        self.limit = limit
        self._condition = threading.Condition()
        self._waiting: list[str] = []
        self._running: set[str] = set()

    def acquire(self, ticket: str, cancel: threading.Event | None = None, poll_seconds: float = 0.2) -> bool:
        """Block until `ticket` may train; False (and out of line) if `cancel` is set first."""
        with self._condition:
            self._waiting.append(ticket)
            while not (self._waiting[0] == ticket and len(self._running) < self.limit):
                if cancel is not None and cancel.is_set():
                    self._waiting.remove(ticket)
                    self._condition.notify_all()
                    return False
                self._condition.wait(poll_seconds)
            self._waiting.pop(0)
            self._running.add(ticket)
            self._condition.notify_all()
            return True

    def release(self, ticket: str) -> None:
        with self._condition:
            self._running.discard(ticket)
            self._condition.notify_all()

    def position(self, ticket: str) -> int | None:
        """0 while `ticket` trains, n >= 1 while it is n-th in line, None otherwise."""
        with self._condition:
            if ticket in self._running:
                return 0
            if ticket in self._waiting:
                return self._waiting.index(ticket) + 1
            return None

    @property
    def running(self) -> int:
        with self._condition:
            return len(self._running)

    @property
    def waiting(self) -> int:
        with self._condition:
            return len(self._waiting)
