"""One piece of work in its own spawned child process: the server never trains in its own process.

A child imports TensorFlow, trains, reports events over a multiprocessing queue and exits, so its
memory goes back to the system, a native crash takes only the child down, and `set_random_seed`
seeds only that run. `spawn` (not `fork`) because TensorFlow's thread pools do not survive a fork.
"""

from __future__ import annotations

import inspect
import multiprocessing
import multiprocessing.spawn
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

CONTEXT = multiprocessing.get_context("spawn")


def peak_memory_mb() -> float:
    """This process's maximum resident set size so far, in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def describe_exit(exitcode: int | None) -> str:
    """A child's exit code in plain words (negative codes are the signal that killed it)."""
    if exitcode is None:
        return "the worker process is still running"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (killed from outside, often because the machine ran out of memory)" if name == "SIGKILL" else ""
        return f"the worker process was killed by {name}{hint}"
    return f"the worker process exited with code {exitcode} before reporting a result"


def error_message(error: BaseException) -> str:
    """What the parent is told of a child's error: "Kind: message". A learner's refused dataset
    (data.own_validation.OwnDataError) is told as its own message, an i18n.Message, so the page can
    show it in the learner's language."""
    from data.own_validation import OwnDataError

    return error.text if isinstance(error, OwnDataError) else f"{type(error).__name__}: {error}"


class Reporter:
    """Puts `(kind, payload)` events on the child's queue; the parent relays them to the page."""

    def __init__(self, events):
        self.events = events

    def __call__(self, kind: str, **payload: Any) -> None:
        self.events.put((kind, payload))


def child_main(function: Callable, kwargs: dict, events, cancel, spawned_at: float) -> None:
    """Entry point of the child: run `function(**kwargs)` and report its value or its error.

    `function` may take `cancel` (an Event checked between batches), `report` (a Reporter for
    progress events) and `spawned_at` (for wall time including start-up); it gets those it names.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what it means
    # (the CLI sets `cancel`, so the run stops between batches and is stored as cancelled).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    report = Reporter(events)
    accepted = inspect.signature(function).parameters
    extras = {"cancel": cancel, "report": report, "spawned_at": spawned_at}
    try:
        value = function(**kwargs, **{name: extra for name, extra in extras.items() if name in accepted})
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent in words
        traceback.print_exc()
        report("error", message=error_message(error), peak_memory_mb=peak_memory_mb())
    else:
        report("value", value=value, peak_memory_mb=peak_memory_mb(),
               wall_seconds=time.time() - spawned_at)
    events.close()
    events.join_thread()  # the parent must have every event before this process is gone


# Streamlit runs each page script as the `__main__` module, and a spawned child re-runs the parent's
# `__main__` (from its file or module name) before it unpickles its target: every worker would run
# dashboard.py or an AppTest script first. Our children only call functions of importable modules, so
# their start-up data names no `__main__`. Swapping `sys.modules["__main__"]` around `start()` was not
# enough: a page script starting on another thread installs its own module in between.
_CHILD_PREFIX = "dllab-"
_preparation_data = multiprocessing.spawn.get_preparation_data


def _without_main(name: str) -> dict:
    data = _preparation_data(name)
    if name.startswith(_CHILD_PREFIX):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _without_main  # read at each start by popen_spawn_*


def spawn(function: Callable, kwargs: dict):
    """Start `function(**kwargs)` in a new process; returns (process, events queue, cancel event)."""
    events, cancel = CONTEXT.Queue(), CONTEXT.Event()
    process = CONTEXT.Process(target=child_main, args=(function, kwargs, events, cancel, time.time()),
                              name=f"{_CHILD_PREFIX}{getattr(function, '__name__', 'work')}", daemon=True)
    process.start()
    return process, events, cancel
