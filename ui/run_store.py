"""One run store per server process.

`RunStore()` checks its schema and scans for interrupted runs when it is opened; a page that
opened one on every rerun repeated both a few times a second per learner. The store keeps no
connection open (each call opens SQLite and closes it), so one instance serves every session and
thread; it is keyed by its path, so a changed `DLLAB_HOME` (tests) gets its own store.
"""

from __future__ import annotations

import streamlit as st

from data.paths import app_home
from training.store import RunStore


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> RunStore:
    return RunStore(path)  # marks the runs a dead process left `running` as interrupted, once


def run_store() -> RunStore:
    """The process's run store under `$DLLAB_HOME` (opened, and scanned once, on first use)."""
    return _store_at(str(app_home() / "runs.sqlite"))
