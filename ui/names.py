"""Names that the code keys in English (tasks, metrics, architectures, datasets, statuses, table
columns), marked here for the catalog and translated only where a page shows them.

Tables keep their English column names and cells as data (other code, the exports and the tests
read them); `shown_table` renames the columns and translates the name cells of the copy a page
displays. tests/test_i18n_names.py checks that every task, metric, architecture and dataset title
of the registries is marked here.
"""

from __future__ import annotations

import re

import pandas as pd

from i18n import DEFAULT_LANGUAGE, N_
from ui.i18n import gettext_for_session, language

TASK_TITLES = (N_("MNIST digits"), N_("IMDB sentiment"), N_("METR-LA traffic"))
DATASET_TITLES = (N_("MNIST"), N_("IMDB reviews"), N_("METR-LA week"))
METRIC_TITLES = (
    N_("Test accuracy"), N_("Accuracy"), N_("Precision"), N_("Recall"), N_("F1"), N_("ROC AUC"),
    N_("MAE 15 min"), N_("RMSE 15 min"), N_("MAPE 15 min"), N_("MAE 30 min"), N_("RMSE 30 min"),
    N_("MAPE 30 min"), N_("MAE 60 min"), N_("RMSE 60 min"), N_("MAPE 60 min"))
# training.events.DIVERGED_HELP and CANCELLED_HELP: the messages stored with such runs
EVENT_MESSAGES = (
    N_("The loss became NaN or infinite, so training was stopped. This usually means the learning rate is too "
       "high: try a learning rate 10x smaller, or turn on gradient clipping."),
    N_("Training was cancelled; the model keeps the weights it had reached."))
STATUSES = (N_("finished"), N_("diverged"), N_("cancelled"), N_("failed"), N_("interrupted"), N_("running"))
SOURCES = (N_("this session"), N_("stored"), N_("shared"))
OWNERS = (N_("me"), N_("local"))
COLUMNS = (
    N_("Started"), N_("Task"), N_("Model"), N_("Data"), N_("Status"), N_("Result"), N_("Parameters"),
    N_("Epochs"), N_("Total seconds"), N_("Owner"), N_("Run"), N_("Source"), N_("Peak memory (MB)"),
    N_("Seconds/epoch"), N_("Wall seconds"), N_("Setup"), N_("Runs"), N_("Seeds"), N_("Batch size"),
    N_("Learning rate"), N_("Finished"), N_("Seconds/trial"))
# Cells that are names: translated in the shown copy of a table (other cells are numbers or ids).
NAME_COLUMNS = ("Task", "Model", "Status", "Source", "Owner", "Data", "Result")

# The parts of ui.results.describe_setup ("8 epochs · batch 128 · lr 0.002 · cosine"), as patterns
SETUP_PARTS = (
    (re.compile(r"^1 epoch$"), N_("1 epoch")), (re.compile(r"^(?P<count>[\d,]+) epochs$"), N_("{count} epochs")),
    (re.compile(r"^batch (?P<size>\d+)$"), N_("batch {size}")), (re.compile(r"^lr (?P<rate>\S+)$"), N_("lr {rate}")),
    (re.compile(r"^(?P<count>[\d,]+) samples$"), N_("{count} samples")), (re.compile(r"^cosine$"), N_("cosine")),
    (re.compile(r"^quick$"), N_("quick")), (re.compile(r"^clip (?P<norm>\S+)$"), N_("clip {norm}")),
    (re.compile(r"^early stopping$"), N_("early stopping")),
    (re.compile(r"^weight average (?P<momentum>\S+)$"), N_("weight average {momentum}")),
    (re.compile(r"^baseline \(not trained\)$"), N_("baseline (not trained)")))
OWN_DATA = re.compile(r"^own: (?P<name>.*)$", re.DOTALL)
RUN_TAIL = re.compile(r"^(?P<name>.+?)(?P<tail> \(\w{6}\)| #\d+)$")
SUFFIXES = {" mean": N_("{column} mean"), " std": N_("{column} std")}


def task_name(task: str) -> str:
    """A task as option lists and run labels name it: its key in English ("mnist"), its title in
    other languages (the keys are English words)."""
    from models.tasks import TASKS

    if language() == DEFAULT_LANGUAGE or task not in TASKS:
        return task
    return gettext_for_session()(TASKS[task].title)


def shown_name(name: str, gettext=None) -> str:
    """A task, model, status or dataset name in this session's language; unknown names as they are
    (a learner's own dataset, a run id). A model label keeps its run-id tail: "CNN (a1b2c3)"."""
    gettext = gettext or gettext_for_session()
    if not isinstance(name, str) or not name:
        return name
    if (own := OWN_DATA.match(name)) is not None:
        return gettext("own: {name}").format(name=own["name"])
    if (translated := gettext(name)) != name:
        return translated
    if (tail := RUN_TAIL.match(name)) is not None and gettext(tail["name"]) != tail["name"]:
        return gettext(tail["name"]) + tail["tail"]
    for metric in sorted(METRIC_TITLES, key=len, reverse=True):  # "Test accuracy 97.50 %": a run's result
        if name.startswith(metric + " ") and gettext(metric) != metric:
            return gettext(metric) + name[len(metric):]
    return name


def shown_setup(setup: str, gettext=None) -> str:
    """A configuration as ui.results.describe_setup writes it, part by part in this session's language."""
    gettext = gettext or gettext_for_session()
    parts = []
    for part in setup.split(" · "):
        found = next(((pattern.match(part), message) for pattern, message in SETUP_PARTS if pattern.match(part)),
                     None)
        parts.append(gettext(found[1]).format(**found[0].groupdict()) if found else part)
    return " · ".join(parts)


def column_title(column: str, gettext=None) -> str:
    """A table column in this session's language: "Test accuracy std" → "测试准确率 标准差"."""
    gettext = gettext or gettext_for_session()
    if (translated := gettext(column)) != column:
        return translated
    for suffix, template in SUFFIXES.items():
        if column.endswith(suffix):
            return gettext(template).format(column=column_title(column[:-len(suffix)], gettext))
    task, _, metric = column.partition(" ")  # "imdb Accuracy": two tasks in one table
    if metric and gettext(metric) != metric:
        return f"{task} {gettext(metric)}"
    return column


def shown_table(frame: pd.DataFrame, names: tuple[str, ...] = NAME_COLUMNS) -> pd.DataFrame:
    """The copy of `frame` a page displays: columns and the name cells of `names` translated."""
    if language() == DEFAULT_LANGUAGE:  # the data as it is
        return frame
    gettext = gettext_for_session()
    shown = frame.copy()
    for column in names:
        if column in shown.columns:
            shown[column] = [task_name(cell) if column == "Task" else shown_name(cell, gettext)
                             for cell in shown[column]]
    if "Setup" in shown.columns:
        shown["Setup"] = [shown_setup(cell, gettext) if isinstance(cell, str) else cell for cell in shown["Setup"]]
    return shown.rename(columns={column: column_title(column, gettext) for column in shown.columns})


def shown_config(config: dict) -> dict:
    """A `column_config` keyed by the shown column titles."""
    return {column_title(column): value for column, value in config.items()}
