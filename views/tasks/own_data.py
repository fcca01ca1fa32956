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
)
from models.registry import ARCHITECTURES
from models.tasks import TASKS
from ui.lesson import page_info
from ui.live import live_panel
from ui.query import PageSetup
from ui.results import describe_time, entry_from_run, entry_from_stored, label_entries
from ui.run_store import run_store
from ui.side_by_side import side_by_side
from ui.task_page import configs_for
from ui.worker import current_job, session_owner, session_results, start_job

SCRIPT = "views/tasks/own_data.py"
KINDS = {"traffic": "Traffic speeds and a road graph", "imdb": "Labelled reviews (sentiment)"}
FORMATS = {
    "traffic": f"""
**speeds.csv** (the layout of METR-LA's `los_speed.csv`): line 1 names the sensors, one id per column; then
one line per 5-minute step, one speed per sensor, `0` for a missing reading. At least {MIN_STEPS:,} steps
(one day: the 70/10/20 chronological split must leave whole 12 → 12 step windows for validation and test),
{MAX_SENSORS:,} sensors at most and {MAX_SPEED_VALUES:,} values in all (steps × sensors), {MAX_SPEEDS_BYTES // MB} MB.

**adjacency.csv**: an N × N matrix of non-negative edge weights, no header; row and column *i* are the
sensor of speed column *i* ({MAX_ADJACENCY_BYTES // MB} MB at most).

**locations.csv** (optional): columns `sensor_id,latitude,longitude`, one line per sensor
({MAX_LOCATIONS_BYTES // MB} MB at most).""",
    "imdb": f"""
**A CSV file** whose first line names the columns `text` and `label` (other columns are ignored); one review
per line, quoted when it contains commas; label `0` (negative) or `1` (positive). At most {MAX_REVIEWS:,}
reviews of {MAX_REVIEW_CHARS:,} characters each, at least {MIN_REVIEWS_PER_LABEL} of each label,
{MAX_REVIEWS_BYTES // MB} MB. The reviews are split 70/10/20 into training, validation and test, per label.""",
}


def job_key(task: str) -> str:
    return f"own-{task}"  # this page's jobs, apart from the task pages' own


def refused(error: ValueError) -> None:
    st.error("The dataset was not accepted:", icon=":material/error:")
    st.code(str(error), language=None, wrap_lines=True)  # plain text: it quotes the learner's file


def upload_form(task: str) -> None:
    with st.form(f"own-{task}-upload", clear_on_submit=False):
        name = st.text_input("Name for this dataset", max_chars=60, key=f"own-{task}-name")
        if task == "traffic":
            speeds = st.file_uploader("speeds.csv", type=["csv"], max_upload_size=MAX_SPEEDS_BYTES // MB,
                                      key="own-speeds")
            adjacency = st.file_uploader("adjacency.csv", type=["csv"], max_upload_size=MAX_ADJACENCY_BYTES // MB,
                                         key="own-adjacency")
            locations = st.file_uploader("locations.csv (optional)", type=["csv"],
                                         max_upload_size=max(1, MAX_LOCATIONS_BYTES // MB), key="own-locations")
        else:
            reviews = st.file_uploader("reviews CSV", type=["csv"], max_upload_size=MAX_REVIEWS_BYTES // MB,
                                       key="own-reviews")
        submitted = st.form_submit_button("Check and keep", icon=":material/upload_file:")
    if not submitted:
        return
    try:
        if task == "traffic":
            if speeds is None or adjacency is None:
                st.warning("Choose at least speeds.csv and adjacency.csv.", icon=":material/warning:")
                return
            dataset = save_traffic(session_owner(), name, speeds.getvalue(), adjacency.getvalue(),
                                   locations.getvalue() if locations is not None else None)
        else:
            if reviews is None:
                st.warning("Choose a CSV file of reviews.", icon=":material/warning:")
                return
            dataset = save_reviews(session_owner(), name or reviews.name, reviews.getvalue(), reviews.name)
    except ValueError as error:
        refused(error)
        return
    st.session_state[f"own-{task}-chosen"] = dataset.reference
    st.success(f"Accepted and kept: {dataset.describe()}.", icon=":material/check_circle:")


def datasets_table(datasets) -> None:
    st.dataframe(pd.DataFrame([{"Name": dataset.name, "Uploaded": describe_time(dataset.created_at),
                                **{key.capitalize(): value for key, value in dataset.summary.items()},
                                "SHA-256": dataset.checksum[:16]} for dataset in datasets]), hide_index=True)


def train_form(task: str, reference: str, locked: bool) -> None:
    names = list(ARCHITECTURES[task])
    with st.form(f"own-{task}-train"):
        archs = st.multiselect("Architectures to train on it", names, default=list(TASKS[task].default_archs),
                               format_func=lambda name: ARCHITECTURES[task][name].label, key=f"own-{task}-archs",
                               disabled=locked)
        left, middle = st.columns(2)
        epochs = left.number_input("Epochs", 1, 200, value=None, placeholder="recipe", key=f"own-{task}-epochs",
                                   disabled=locked, help="Leave empty to use each architecture's recipe.")
        seed = middle.number_input("Seed", 0, 10_000, value=0, key=f"own-{task}-seed", disabled=locked)
        quick = st.toggle("Quick recipe", value=True, key=f"own-{task}-quick", disabled=locked)
        submitted = st.form_submit_button("Train", type="primary", icon=":material/play_arrow:", disabled=locked)
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
st.title(info.title)
st.caption(info.summary)
task = st.segmented_control("Kind of data", list(KINDS), format_func=KINDS.get, default="traffic",
                            key="own-kind") or "traffic"
st.markdown(FORMATS[task])
datasets = list_datasets(session_owner(), task)
with st.expander("Upload a dataset", expanded=not datasets, icon=":material/upload_file:"):
    upload_form(task)
datasets = list_datasets(session_owner(), task)
if not datasets:
    st.info("Your datasets appear here once they pass the checks. They are kept in the app's data folder for "
            "this browser session's learner until you delete them.", icon=":material/folder_open:")
    st.stop()

st.subheader("Your datasets")
datasets_table(datasets)
by_reference = {dataset.reference: dataset for dataset in datasets}
if st.session_state.get(f"own-{task}-chosen") not in by_reference:
    st.session_state[f"own-{task}-chosen"] = datasets[0].reference
reference = st.selectbox("Dataset", list(by_reference), format_func=lambda chosen: by_reference[chosen].name,
                         key=f"own-{task}-chosen")
job = current_job(job_key(task))
running = job is not None and not job.finished
st.session_state[f"{task}-live-job"] = job.id if running else None
confirm_column, delete_column = st.columns([2, 1])
confirm = confirm_column.checkbox("Yes, delete this dataset (its runs stay in the run history)",
                                  key=f"own-{task}-confirm", disabled=running)
if delete_column.button("Delete dataset", icon=":material/delete:", disabled=not confirm or running,
                        key=f"own-{task}-delete"):
    delete_dataset(reference, session_owner())
    st.session_state.pop(f"own-{task}-confirm", None)
    st.rerun()

train_form(task, reference, locked=running)
if job is not None:
    live_panel(task, job)
if running:
    st.info("The comparison appears here when the training ends.", icon=":material/hourglass_top:")
    st.stop()
results(task, reference)
