"""Bring your own dataset: upload traffic speeds with a road graph, or labelled reviews; the files are
checked, kept for this learner, and the task's architectures train on them through the same engine."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from data.own_store import delete_dataset, list_datasets, save_reviews, save_traffic
from data.own_validation import (
    MAX_ADJACENCY_BYTES,
    MAX_LOCATIONS_BYTES,
    MAX_REVIEW_CHARS,
    MAX_REVIEWS,
    MAX_REVIEWS_BYTES,
    MAX_SENSORS,
    MAX_SPEED_VALUES,
    MAX_SPEEDS_BYTES,
    MB,
    MIN_REVIEWS_PER_LABEL,
    MIN_STEPS,
    OwnDataError,
)
from i18n import ENGLISH, N_
from models.registry import ARCHITECTURES
from models.tasks import TASKS
from ui.i18n import choices_placeholder, gettext_for_session, language, text
from ui.lesson import page_info
from ui.live import live_panel
from ui.names import shown_name
from ui.query import PageSetup
from ui.results import describe_time, entry_from_run, entry_from_stored, label_entries
from ui.run_store import run_store
from ui.side_by_side import side_by_side
from ui.task_page import configs_for
from ui.text import plain
from ui.worker import current_job, session_owner, session_results, start_job

SCRIPT = "views/tasks/own_data.py"
KINDS = {"traffic": N_("Traffic speeds and a road graph"), "imdb": N_("Labelled reviews (sentiment)")}
SUMMARY_WORDS = (N_("sensors"), N_("steps"), N_("edges"), N_("locations"), N_("reviews"), N_("positive"))
COLUMNS = (N_("Name"), N_("Uploaded"), N_("Sensors"), N_("Steps"), N_("Edges"), N_("Locations"), N_("Reviews"),
           N_("Positive"))
_ = gettext_for_session()


def formats(task: str) -> str:
    """The file formats of `task`, with the limits of data.own_validation."""
    if task == "traffic":
        return text("tasks")("own-traffic-formats", min_steps=f"{MIN_STEPS:,}", max_sensors=f"{MAX_SENSORS:,}",
                             max_values=f"{MAX_SPEED_VALUES:,}", speeds_mb=MAX_SPEEDS_BYTES // MB,
                             adjacency_mb=MAX_ADJACENCY_BYTES // MB, locations_mb=MAX_LOCATIONS_BYTES // MB)
    return text("tasks")("own-imdb-formats", max_reviews=f"{MAX_REVIEWS:,}", max_chars=f"{MAX_REVIEW_CHARS:,}",
                         min_per_label=MIN_REVIEWS_PER_LABEL, reviews_mb=MAX_REVIEWS_BYTES // MB)


def describe(dataset) -> str:
    """OwnDataset.describe in this session's language: "reviews 80, positive 40"."""
    separator = ", " if language() == ENGLISH else "，"
    return separator.join(f"{_(key)} {value:,}" for key, value in dataset.summary.items()
                          if not isinstance(value, bool))


def job_key(task: str) -> str:
    return f"own-{task}"  # this page's jobs, apart from the task pages' own


def refused(error: ValueError) -> None:
    st.error(_("The dataset was not accepted:"), icon=":material/error:")
    shown = error.text.translated(_) if isinstance(error, OwnDataError) else str(error)
    st.code(shown, language=None, wrap_lines=True)  # plain text: it quotes the learner's file


def upload_form(task: str) -> None:
    with st.form(f"own-{task}-upload", clear_on_submit=False):
        name = st.text_input(_("Name for this dataset"), max_chars=60, key=f"own-{task}-name")
        if task == "traffic":
            speeds = st.file_uploader("speeds.csv", type=["csv"], max_upload_size=MAX_SPEEDS_BYTES // MB,
                                      key="own-speeds")
            adjacency = st.file_uploader("adjacency.csv", type=["csv"], max_upload_size=MAX_ADJACENCY_BYTES // MB,
                                         key="own-adjacency")
            locations = st.file_uploader(_("locations.csv (optional)"), type=["csv"],
                                         max_upload_size=max(1, MAX_LOCATIONS_BYTES // MB), key="own-locations")
        else:
            reviews = st.file_uploader(_("reviews CSV"), type=["csv"], max_upload_size=MAX_REVIEWS_BYTES // MB,
                                       key="own-reviews")
        submitted = st.form_submit_button(_("Check and keep"), icon=":material/upload_file:")
    if not submitted:
        return
    try:
        if task == "traffic":
            if speeds is None or adjacency is None:
                st.warning(_("Choose at least speeds.csv and adjacency.csv."), icon=":material/warning:")
                return
            dataset = save_traffic(session_owner(), name, speeds.getvalue(), adjacency.getvalue(),
                                   locations.getvalue() if locations is not None else None)
        else:
            if reviews is None:
                st.warning(_("Choose a CSV file of reviews."), icon=":material/warning:")
                return
            dataset = save_reviews(session_owner(), name or reviews.name, reviews.getvalue(), reviews.name)
    except ValueError as error:
        refused(error)
        return
    st.session_state[f"own-{task}-chosen"] = dataset.reference
    st.success(_("Accepted and kept: {summary}.").format(summary=describe(dataset)), icon=":material/check_circle:")


def datasets_table(datasets) -> None:
    st.dataframe(pd.DataFrame([{_("Name"): dataset.name, _("Uploaded"): describe_time(dataset.created_at),
                                **{_(key.capitalize()): value for key, value in dataset.summary.items()},
                                "SHA-256": dataset.checksum[:16]} for dataset in datasets]), hide_index=True)


def train_form(task: str, reference: str, locked: bool) -> None:
    names = list(ARCHITECTURES[task])
    with st.form(f"own-{task}-train"):
        archs = st.multiselect(_("Architectures to train on it"), names, default=list(TASKS[task].default_archs),
                               format_func=lambda name: shown_name(ARCHITECTURES[task][name].label, _),
                               key=f"own-{task}-archs", disabled=locked,
                               placeholder=choices_placeholder(names))
        left, middle = st.columns(2)
        epochs = left.number_input(_("Epochs"), 1, 200, value=None, placeholder=_("recipe"),
                                   key=f"own-{task}-epochs", disabled=locked,
                                   help=_("Leave empty to use each architecture's recipe."))
        seed = middle.number_input(_("Seed"), 0, 10_000, value=0, key=f"own-{task}-seed", disabled=locked)
        quick = st.toggle(_("Quick recipe"), value=True, key=f"own-{task}-quick", disabled=locked)
        submitted = st.form_submit_button(_("Train"), type="primary", icon=":material/play_arrow:", disabled=locked)
    if submitted and archs:
        setup = PageSetup(archs=list(archs), epochs=None if epochs is None else int(epochs), seed=int(seed),
                          quick=bool(quick))
        always = ("persistence", "historical_average") if task == "traffic" else ()
        configs = [replace(config, data=reference) for config in configs_for(task, setup, always)]
        start_job(job_key(task), configs)
        st.rerun()


def results(task: str, reference: str) -> None:
    store = run_store()
    entries = [entry_from_run(task, run) for run in session_results(job_key(task)) if run.config.data == reference]
    seen = {entry.run_id for entry in entries}
    entries += [entry_from_stored(record, store) for record in store.list_runs(task=task, owner=session_owner())
                if record["config"].get("data") == reference and record["run_id"] not in seen]
    side_by_side(task, label_entries(entries))


info = page_info(SCRIPT)
st.title(_(info.title))
st.caption(_(info.summary))
task = st.segmented_control(_("Kind of data"), list(KINDS), format_func=lambda kind: _(KINDS[kind]),
                            default="traffic", key="own-kind") or "traffic"
st.markdown(formats(task))
datasets = list_datasets(session_owner(), task)
with st.expander(_("Upload a dataset"), expanded=not datasets, icon=":material/upload_file:"):
    upload_form(task)
datasets = list_datasets(session_owner(), task)
if not datasets:
    st.info(_("Your datasets appear here once they pass the checks. They are kept in the app's data folder for "
              "this browser session's learner until you delete them."), icon=":material/folder_open:")
    st.stop()

st.subheader(_("Your datasets"))
datasets_table(datasets)
by_reference = {dataset.reference: dataset for dataset in datasets}
if st.session_state.get(f"own-{task}-chosen") not in by_reference:
    st.session_state[f"own-{task}-chosen"] = datasets[0].reference
reference = st.selectbox(_("Dataset"), list(by_reference), format_func=lambda chosen: by_reference[chosen].name,
                         key=f"own-{task}-chosen")
job = current_job(job_key(task))
running = job is not None and not job.finished
st.session_state[f"{task}-live-job"] = job.id if running else None
confirm_column, delete_column = st.columns([2, 1])
confirm = confirm_column.checkbox(_("Yes, delete this dataset (its runs stay in the run history)"),
                                  key=f"own-{task}-confirm", disabled=running)
if delete_column.button(_("Delete dataset"), icon=":material/delete:", disabled=not confirm or running,
                        key=f"own-{task}-delete"):
    try:
        delete_dataset(reference, session_owner())
    except OwnDataError as error:  # deleted meanwhile (in another tab), or another learner's
        st.error(plain(error.text.translated(_)), icon=":material/error:")
    else:
        st.session_state.pop(f"own-{task}-confirm", None)
        st.rerun()

train_form(task, reference, locked=running)
if job is not None:
    live_panel(task, job)
if running:
    st.info(_("The comparison appears here when the training ends."), icon=":material/hourglass_top:")
    st.stop()
results(task, reference)
