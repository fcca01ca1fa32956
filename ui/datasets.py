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
from ui.i18n import gettext_for_session
from ui.text import plain

NOTICES_KEY = "dllab-dataset-notices"


@st.cache_resource(show_spinner=False, max_entries=8)  # the caller shows a spinner in its language
def _load_shared(name: str):
    # Arrays come back read-only, so one copy can serve every session of the process.
    return DATASETS[name].loader()


def show_notices(title: str, notices: list[str]) -> None:
    if notices:
        _ = gettext_for_session()
        st.warning(_("**{title}: the data files had problems, handled as below.**").format(title=_(title)) + "\n\n"
                   + "\n".join(f"- {plain(notice)}" for notice in notices), icon=":material/build:")


def load_dataset(name: str, *, show_notices_here: bool = True):
    """The dataset `name`; downloads it first with a progress bar; stops the page on failure.

    Pass `show_notices_here=False` where the page has already loaded (and shown) it in this run.
    """
    info, _ = DATASETS[name], gettext_for_session()
    seen = st.session_state.setdefault(NOTICES_KEY, {}).setdefault(name, [])
    try:
        if not info.files_present():
            bar = st.progress(0.0, text=_("Fetching {title}…").format(title=_(info.title)))
            first = info.loader(progress=lambda message, fraction: bar.progress(
                fraction if fraction is not None else 0.0, text=message))
            bar.empty()
            seen.extend(notice for notice in first.notices if notice not in seen)
        with st.spinner(_("Loading the dataset…")):
            dataset = _load_shared(name)
    except DatasetError as error:
        show_notices(info.title, seen)
        st.error(_("**{title} could not be loaded.**").format(title=_(info.title)) + f"\n\n{error}",
                 icon=":material/error:")
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
