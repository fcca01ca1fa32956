"""Datasets for pages: loaded once per process, read-only, with a progress bar on first download.

What loading had to recover from (a damaged parsed cache rebuilt, an unusable file moved aside,
a learner's file with another checksum; see `data.cache`) is shown above the page as a warning,
for the whole session of the learner whose load did it and for every page of the process while
the shared copy carries it.
"""

from __future__ import annotations

import streamlit as st

from data.download import DatasetError
from data.registry import DATASETS
from ui.text import plain

NOTICES_KEY = "dllab-dataset-notices"


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=8)
def _load_shared(name: str):
    # Arrays come back read-only, so one copy can serve every session of the process.
    return DATASETS[name].loader()


def show_notices(title: str, notices: list[str]) -> None:
    if notices:
        st.warning(f"**{title}: the data files needed attention.**\n\n"
                   + "\n".join(f"- {plain(notice)}" for notice in notices), icon=":material/build:")


def load_dataset(name: str, *, show_notices_here: bool = True):
    """The dataset `name`; downloads it first with a progress bar; stops the page on failure.

    Pass `show_notices_here=False` where the page has already loaded (and shown) it in this run.
    """
    info = DATASETS[name]
    seen = st.session_state.setdefault(NOTICES_KEY, {}).setdefault(name, [])
    try:
        if not info.files_present():
            bar = st.progress(0.0, text=f"Fetching {info.title}…")
            first = info.loader(progress=lambda message, fraction: bar.progress(
                fraction if fraction is not None else 0.0, text=message))
            bar.empty()
            seen.extend(notice for notice in first.notices if notice not in seen)
        dataset = _load_shared(name)
    except DatasetError as error:
        show_notices(info.title, seen)
        st.error(f"**{info.title} could not be loaded.**\n\n{error}", icon=":material/error:")
        st.stop()
    seen.extend(notice for notice in dataset.notices if notice not in seen)
    if show_notices_here:
        show_notices(info.title, seen)
    return dataset


@st.cache_resource(show_spinner="Preparing traffic windows…")
def _shared_windows():
    from data.traffic import make_windows

    return make_windows(_load_shared("traffic"))


def traffic_windows():
    """The z-scored 12 -> 12 windows of the METR-LA week, shared read-only."""
    load_dataset("traffic", show_notices_here=False)
    return _shared_windows()
