"""Datasets for pages: loaded once per process, read-only, with a progress bar on first download.

What loading had to recover from (a damaged parsed cache rebuilt, an unusable file moved aside,
a learner's file with another checksum; see `data.cache`) is shown above the page as a warning,
for the whole session of the learner whose load did it and for every page of the process while
the shared copy carries it.
"""

from __future__ import annotations

import re

import streamlit as st

from data.download import DatasetError
from data.registry import DATASETS
from i18n import N_
from ui.i18n import gettext_for_session
from ui.results import template_patterns, translated_text
from ui.text import plain

NOTICES_KEY = "dllab-dataset-notices"
# data.download's progress messages, as patterns: shown in the session's language (data/ stays English)
PROGRESS = (
    (re.compile(r"^Downloading (?P<file>\S+): (?P<received>[\d.]+) MB of (?P<total>[\d.]+) MB$"),
     N_("Downloading {file}: {received} MB of {total} MB")),
    (re.compile(r"^Downloading (?P<file>\S+): (?P<received>[\d.]+) MB$"), N_("Downloading {file}: {received} MB")),
    (re.compile(r"^Downloading (?P<file>\S+)$"), N_("Downloading {file}")),
    (re.compile(r"^Downloaded (?P<file>\S+)$"), N_("Downloaded {file}")))


# What data/ (download.py, cache.py) says went wrong or had to be repaired, as templates: the notices and
# errors stay English there (the CLI, the tests) and are shown in the session's language; the details they
# quote (paths, an exception's own text) stay as they are. tests/test_i18n_tasks.py keeps them in step.
DATA_MESSAGES = (
    N_("Dataset file {file} is not available: {reason}.\nFix: connect to the internet and retry, or download {url} "
       "{size}yourself and put it at {path} or into the mirror at {mirror}."),
    N_("Dataset file {file} is not available: {reason}.\nFix: connect to the internet and retry, or download {url} "
       "{size}yourself and put it at {path} or set DLLAB_DATA_MIRROR to a folder that holds {relative}."),
    N_("The parsed cache {cache} was damaged or did not match its source files ({error}); it was rebuilt from the "
       "source files."),
    N_("The mirror's {path} could not be used ({reason}); it was left as it is (the mirror is read-only) and a "
       "downloaded copy is used instead."),
    N_("{path} could not be used ({reason}). It was moved to {moved} (not deleted); a fresh copy is used instead "
       "(from the mirror or downloaded)."),
    N_("{path} is not the canonical {file} (its sha256 differs from the published one), but it parses and passes "
       "the content checks (shapes, types, value ranges), so it is used as it is."),
    N_("{error}. It was just downloaded and is still unusable, so the file at its source may have changed; check "
       "it, or put a good copy at {path}."),
    N_("no usable copy of the {name} files: {notices}"),
    N_("could not download {file} from {url}: {error}"),
    N_("the download of {file} stopped after {received} of {total} bytes (connection interrupted)"),
    N_("{file} from {url} has sha256 {digest}, expected {expected} (corrupt or changed upstream)"),
    N_("the {name} files parsed into unexpected arrays: {error}"),
    N_("{path} is corrupt: {reason}"),
)
DATA_PATTERNS = template_patterns(DATA_MESSAGES)


def data_message(message: str, gettext) -> str:
    """A notice or error of data/ in the language of `gettext` (see DATA_MESSAGES)."""
    return translated_text(message, DATA_PATTERNS, gettext)


def progress_text(message: str, gettext) -> str:
    """A download's progress message in the language of `gettext`; other messages as they are."""
    for pattern, template in PROGRESS:
        if (found := pattern.match(message)) is not None:
            return gettext(template).format(**found.groupdict())
    return data_message(message, gettext)  # a notice, shown on the bar as it is found


@st.cache_resource(show_spinner=False, max_entries=8)  # the caller shows a spinner in its language
def _load_shared(name: str):
    # Arrays come back read-only, so one copy can serve every session of the process.
    return DATASETS[name].loader()


def show_notices(title: str, notices: list[str]) -> None:
    if notices:
        _ = gettext_for_session()
        st.warning(_("**{title}: the data files had problems, handled as below.**").format(title=_(title)) + "\n\n"
                   + "\n".join(f"- {plain(data_message(notice, _))}" for notice in notices),
                   icon=":material/build:")


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
                fraction if fraction is not None else 0.0, text=progress_text(message, _)))
            bar.empty()
            seen.extend(notice for notice in first.notices if notice not in seen)
        with st.spinner(_("Loading the dataset…")):
            dataset = _load_shared(name)
    except DatasetError as error:
        show_notices(info.title, seen)
        st.error(_("**{title} could not be loaded.**").format(title=_(info.title)) + "\n\n"
                 + data_message(str(error), _),
                 icon=":material/error:")
        st.stop()
    seen.extend(notice for notice in dataset.notices if notice not in seen)
    if show_notices_here:
        show_notices(info.title, seen)
    return dataset


@st.cache_resource(show_spinner=False)  # the caller shows a spinner in its language
def _shared_windows():
    from data.traffic import make_windows

    return make_windows(_load_shared("traffic"))


def traffic_windows():
    """The z-scored 12 -> 12 windows of the METR-LA week, shared read-only."""
    load_dataset("traffic", show_notices_here=False)
    with st.spinner(gettext_for_session()("Preparing traffic windows…")):
        return _shared_windows()
