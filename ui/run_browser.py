"""Listing, filtering and describing stored runs, for the Compare and Run history pages."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from models.registry import ARCHITECTURES, TASKS
from training.events import CANCELLED, DIVERGED, FAILED, FINISHED, INTERRUPTED, RUNNING
from training.store import RunStore
from ui.i18n import gettext_for_session
from ui.names import shown_name, task_name
from ui.results import arch_label, dataset_title, describe_time, own_dataset_name
from ui.worker import session_owner

STATUSES = [FINISHED, DIVERGED, CANCELLED, FAILED, INTERRUPTED, RUNNING]
PROTECT_VARIABLE = "DLLAB_PROTECT_SHARED_RUNS"  # set to 1 on a shared server


def run_filters(key: str) -> dict:
    """Task, architecture, status and owner filters; returns keyword arguments for `filter_runs`."""
    _ = gettext_for_session()
    task_column, arch_column, status_column, mine_column = st.columns([1, 2, 2, 1])
    task = task_column.selectbox(_("Task"), [None, *TASKS], format_func=lambda name: _("All tasks") if name is None
                                 else task_name(name), key=f"{key}-task")
    arch_options = [(name, arch) for name in ([task] if task else TASKS) for arch in ARCHITECTURES[name]]
    archs = arch_column.multiselect(_("Architectures"), arch_options, key=f"{key}-archs",
                                    format_func=lambda pair: _("{task}: {model}").format(
                                        task=task_name(pair[0]), model=shown_name(arch_label(*pair))),
                                    placeholder=_("All architectures"))
    statuses = status_column.multiselect(_("Status"), STATUSES, key=f"{key}-status", placeholder=_("Any status"),
                                         format_func=_)
    mine = mine_column.toggle(_("Only mine"), key=f"{key}-mine", help=_("Runs started from this browser session."))
    return {"task": task, "archs": archs, "statuses": statuses, "owner": session_owner() if mine else None}


def filter_runs(store: RunStore, task=None, archs=(), statuses=(), owner=None) -> list[dict]:
    records = store.list_runs(task=task, owner=owner)
    if archs:
        records = [record for record in records if (record["task"], record["arch"]) in set(map(tuple, archs))]
    if statuses:
        records = [record for record in records if record["status"] in statuses]
    return records


def main_metric_text(record: dict) -> str:
    if record["task"] not in TASKS:
        return ""
    spec = TASKS[record["task"]].headline_metric
    value = (record.get("metrics") or {}).get(spec.key)
    return f"{spec.title} {spec.format(value)}" if isinstance(value, (int, float)) else ""


def shown_owner(record: dict) -> str:
    """"me" for this session's runs; on a shared server "shared" for everyone else's (their ids
    stay private), else the owner text stored with the run."""
    if record.get("owner") == session_owner():
        return "me"
    return "shared" if protected() else (record.get("owner") or "local")


def runs_frame(records: list[dict]) -> pd.DataFrame:
    rows = [{"Started": describe_time(record["started_at"]), "Task": record["task"],
             "Model": arch_label(record["task"], record["arch"]), "Data": data_label(record),
             "Status": record["status"],
             "Result": main_metric_text(record), "Parameters": record["params"], "Epochs": record["epochs_run"],
             "Total seconds": round(record["train_seconds"], 1), "Owner": shown_owner(record),
             "Run": record["run_id"]} for record in records]
    return pd.DataFrame(rows, columns=["Started", "Task", "Model", "Data", "Status", "Result", "Parameters",
                                       "Epochs", "Total seconds", "Owner", "Run"])


def data_label(record: dict) -> str:
    """The task's dataset, or "own: <name>" for a run on a learner's own data."""
    own = own_dataset_name(record.get("config"), record.get("extra"))
    return f"own: {own}" if own else dataset_title(record["task"])


def run_label(record: dict) -> str:
    """One line naming a run, in this session's language (the names; ids, times and numbers as they are)."""
    _ = gettext_for_session()
    result = shown_name(main_metric_text(record))
    own = own_dataset_name(record.get("config"), record.get("extra"))
    return (f"{task_name(record['task'])} · {shown_name(arch_label(record['task'], record['arch']))} · "
            + (_("own data: {name}").format(name=own) + " · " if own else "")
            + f"{describe_time(record['started_at'])} · {_(record['status'])}" + (f" · {result}" if result else ""))


def protected() -> bool:
    """True on a shared server (DLLAB_PROTECT_SHARED_RUNS=1): learners' runs are kept apart."""
    return os.environ.get(PROTECT_VARIABLE, "").strip().lower() in ("1", "true", "yes")


def may_delete(record: dict) -> bool:
    """On a shared server a learner deletes only their own runs."""
    return not protected() or record.get("owner") == session_owner()


def public_record(record: dict) -> dict:
    """A run record as it may be downloaded: never the process id or host name of the machine
    that trained it; on a shared server the owner (also inside the config) only as mine/shared."""
    public = {key: value for key, value in record.items() if key not in ("pid", "host")}
    if protected():
        owner = "mine" if record.get("owner") == session_owner() else "shared"
        public["owner"] = owner
        if isinstance(record.get("config"), dict) and "owner" in record["config"]:
            public["config"] = {**record["config"], "owner": owner}
    return public
