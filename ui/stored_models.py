"""Stored runs as models for scoring new inputs (a drawn digit, a typed review).

Models are rebuilt from code and their saved weights by `training.scoring` and kept in the
learner's session only (never in a process-wide cache), a few at a time.
"""

from __future__ import annotations

from collections import OrderedDict

import streamlit as st

from i18n import N_
from training.events import FINISHED
from training.store import RunStore
from ui.i18n import choices_placeholder, gettext_for_session
from ui.names import shown_name
from ui.results import arch_label, describe_time
from ui.run_store import run_store
from ui.worker import session_owner

MAX_SESSION_MODELS = 4  # rebuilt models kept per session; IMDB's bag of embeddings is ~20 MB
MAX_CHOICES = 50  # the latest scorable runs offered
DEFAULT_CHOSEN = 3


def scorable_runs(task: str, store: RunStore | None = None) -> list[dict]:
    """Finished learned runs of `task` that still have their weights, newest first."""
    store = store if store is not None else run_store()
    records = [record for record in store.list_runs(task=task, status=FINISHED)
               if record["learned"] and store.weights_path(record["run_id"]) is not None]
    return records[:MAX_CHOICES]


def own_data_name(record: dict) -> str:
    """The own dataset a run trained on ("" for the task's canonical dataset; "own data" when unnamed)."""
    if not (record.get("config") or {}).get("data"):
        return ""
    return ((record.get("extra") or {}).get("dataset") or {}).get("name") or N_("own data")


def shown_own(name: str, gettext) -> str:
    """A learner's dataset name as it is; only the stand-in for an unnamed one is translated."""
    return gettext(name) if name == "own data" else name


def run_choice_label(record: dict, gettext=None) -> str:
    _ = gettext or gettext_for_session()
    owner = _("mine") if record.get("owner") == session_owner() else _("shared")
    own = own_data_name(record)
    data = " · " + _("own data: {name}").format(name=shown_own(own, _)) if own else ""
    return (f"{shown_name(arch_label(record['task'], record['arch']), _)} · {describe_time(record['started_at'])} · "
            f"{owner}{data} · {record['run_id'][-6:]}")


def choose_runs(task: str, key: str, preferred: list[str] = (), label: str = N_("Stored models")) -> list[dict]:
    """A multiselect of scorable runs; by default `preferred` run ids (this page's runs), else
    the learner's latest, else the latest shared ones."""
    records = scorable_runs(task)
    by_id = {record["run_id"]: record for record in records}
    default = [run_id for run_id in preferred if run_id in by_id][:DEFAULT_CHOSEN]
    if not default:
        mine = [run_id for run_id, record in by_id.items() if record.get("owner") == session_owner()]
        default = (mine or list(by_id))[:DEFAULT_CHOSEN]
    # Keyed by the default too: a widget keeps its old value when its options change, so without
    # this a run trained a moment ago would not be selected.
    signature = "-".join(run_id[-6:] for run_id in default)
    _ = gettext_for_session()
    labels = {run_id: run_choice_label(record, _) for run_id, record in by_id.items()}
    chosen = st.multiselect(_(label), list(by_id), default=default, key=f"{key}-{signature}", format_func=labels.get,
                            placeholder=choices_placeholder(by_id),
                            help=_("Any finished run of this task stored on this server, yours or shared: its model "
                                   "is rebuilt from the code and its saved weights."))
    return [by_id[run_id] for run_id in chosen]


def stored_model(run_id: str):
    """The run's Keras model, rebuilt once per session (ValueError if it cannot be)."""
    from training.scoring import load_run_model

    models: OrderedDict = st.session_state.setdefault("dllab-stored-models", OrderedDict())
    if run_id in models:
        models.move_to_end(run_id)
        return models[run_id]
    model = load_run_model(run_id, store=run_store())
    models[run_id] = model
    while len(models) > MAX_SESSION_MODELS:
        models.popitem(last=False)
    return model


def stored_models(records: list[dict]) -> dict[str, object]:
    """{label: model} for the chosen runs; a run whose files are broken is reported, not fatal. The
    labels are in this session's language: they are the names the charts and tables show."""
    _ = gettext_for_session()
    models = {}
    names = [shown_name(arch_label(record["task"], record["arch"]), _) for record in records]
    for record, name in zip(records, names):
        label = f"{name} ({record['run_id'][-6:]})" if names.count(name) > 1 else name
        if own_data_name(record):
            label += " · " + _("own data: {name}").format(name=shown_own(own_data_name(record), _))
        try:
            with st.spinner(_("Rebuilding {model} from its weights…").format(model=label)):
                models[label] = stored_model(record["run_id"])
        except ValueError as error:
            st.warning(_("{model} cannot be used:").format(model=label), icon=":material/warning:")
            st.code(str(error), language=None, wrap_lines=True)
    return models
