"""Datasets for pages: loaded once per process, read-only, with a progress bar on first download."""

from __future__ import annotations

import streamlit as st

from data.download import DatasetError
from data.registry import DATASETS


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=8)
def _load_shared(name: str):
    # Arrays come back read-only, so one copy can serve every session of the process.
    return DATASETS[name].loader()


def load_dataset(name: str):
    """The dataset `name`; downloads it first with a progress bar; stops the page on failure."""
    info = DATASETS[name]
    try:
        if not info.files_present():
            bar = st.progress(0.0, text=f"Fetching {info.title}…")
            info.loader(progress=lambda message, fraction: bar.progress(
                fraction if fraction is not None else 0.0, text=message))
            bar.empty()
        return _load_shared(name)
    except DatasetError as error:
        st.error(f"**{info.title} could not be loaded.**\n\n{error}", icon=":material/error:")
        st.stop()


@st.cache_resource(show_spinner="Preparing traffic windows…")
def _shared_windows():
    from data.traffic import make_windows

    return make_windows(_load_shared("traffic"))


def traffic_windows():
    """The z-scored 12 -> 12 windows of the METR-LA week, shared read-only."""
    load_dataset("traffic")
    return _shared_windows()
