"""One piece of work in its own spawned child process: the server never trains in its own process.

A child trains, reports events over a multiprocessing queue and exits, so its memory goes back to
the system, a native crash takes only the child down, and `set_random_seed` seeds only that run.

How a child starts (`DLLAB_WORKER_START`):
- `forkserver`, the default on Linux: children fork from one server process that imported Keras
  once (training/worker_preload.py), so a run does not pay TensorFlow's import (2 s on a fast
  machine, 8 s on a slow one). The forkserver never runs an op, so no TensorFlow thread pool exists
  to be lost in the fork; each child creates its own. It costs about 220 MB of private memory while
  the server runs.
- `spawn`, the default elsewhere (macOS frameworks do not survive a fork): a fresh interpreter per
  child. Never plain `fork` of the server: TensorFlow's thread pools do not survive a fork.
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

START_VARIABLE = "DLLAB_WORKER_START"
START_METHODS = ("forkserver", "spawn")


def start_method() -> str:
    """How children start: DLLAB_WORKER_START, else `forkserver` on Linux and `spawn` elsewhere."""
    method = os.environ.get(START_VARIABLE) or ("forkserver" if sys.platform.startswith("linux") else "spawn")
    if method not in START_METHODS:
        raise ValueError(f"{START_VARIABLE}={method!r}: choose one of {', '.join(START_METHODS)}")
    return method


def context():
    method = start_method()
    chosen = multiprocessing.get_context(method)
    if method == "forkserver":
        chosen.set_forkserver_preload(["training.worker_preload"])  # read once, when the server starts
    return chosen


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


def child_main(function: Callable, kwargs: dict, events, cancel, spawned_at: float,
               environment: dict[str, str]) -> None:
    """Entry point of the child: run `function(**kwargs)` and report its value or its error.

    `function` may take `cancel` (an Event checked between batches), `report` (a Reporter for
    progress events) and `spawned_at` (for wall time including start-up); it gets those it names.
    `environment` is the parent's at the start: a forkserver child would otherwise inherit the
    forkserver's, as it was when the server started (another DLLAB_HOME, budget or data mirror).
    """
    os.environ.clear()
    os.environ.update(environment)
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
    chosen = context()
    events, cancel = chosen.Queue(), chosen.Event()
    process = chosen.Process(target=child_main, args=(function, kwargs, events, cancel, time.time(), dict(os.environ)),
                             name=f"{_CHILD_PREFIX}{getattr(function, '__name__', 'work')}", daemon=True)
    process.start()
    return process, events, cancel
