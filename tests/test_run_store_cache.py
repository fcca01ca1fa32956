"""One run store per server process (ui.run_store): the schema check and the interrupted-run scan
happen when the process first opens it, not on every rerun of every page."""

from __future__ import annotations

import os

from training.events import INTERRUPTED, RUNNING, RunConfig
from training.store import RunStore
from ui.run_store import run_store


def dead_pid() -> int:
    pid = 2 ** 22 - 1
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def left_running(store: RunStore) -> str:
    """A run that a process which has since died left `running`."""
    run_id = store.start_run(RunConfig("mnist", "dnn"))
    store._write("UPDATE runs SET pid = ? WHERE run_id = ?", (dead_pid(), run_id))
    return run_id


def test_the_process_shares_one_store_and_scans_for_interrupted_runs_once(isolated_home):
    before = left_running(RunStore(isolated_home / "runs.sqlite"))
    store = run_store()
    assert run_store() is store and store.get_run(before)["status"] == INTERRUPTED  # scanned on first use
    later = left_running(store)
    assert run_store().get_run(later)["status"] == RUNNING  # a rerun does not scan again
    assert RunStore(store.path).get_run(later)["status"] == INTERRUPTED  # the next process start does
