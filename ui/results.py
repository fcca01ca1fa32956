"""Runs as rows of a comparison: from this session's jobs or from the run store.

Streamlit-free (pandas only), so the tables and their exports are easy to test.
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.registry import DATASETS
from i18n import N_, Message
from models.registry import ARCHITECTURES
from models.tasks import TASKS, MetricSpec
from training.jobs import RunState
from training.recipes import recorded_recipe
from training.seeds import configuration_key, format_mean_std, group_by, mean_std
from training.standalone import OPTIMIZERS
from training.sweep import GRID_KEYS

GRID_TITLES = {"epochs": "Epochs", "batch_size": "Batch size", "learning_rate": "Learning rate"}
PREDICTIONS_FILE = "predictions.npz"


def template_patterns(templates: tuple[str, ...]) -> list[tuple[re.Pattern, str]]:
    """Each `{placeholder}` template as a pattern that matches the English text made from it."""
    found = []
    for template in templates:
        parts = re.split(r"(\{[a-z_]+\})", template)
        found.append((re.compile("".join(f"(?P<{part[1:-1]}>.*?)" if re.fullmatch(r"\{[a-z_]+\}", part)
                                          else re.escape(part) for part in parts), re.DOTALL), template))
    return found


def translated_text(message: str, patterns: list[tuple[re.Pattern, str]], gettext, depth: int = 2) -> str:
    """An English message made from one of the templates of `patterns`, in the language of `gettext`; the
    values it quotes are translated too when they are such messages (an error inside an error). A message no
    template matches goes through `gettext` as it is."""
    if not message:
        return message
    for pattern, template in patterns:
        if (found := pattern.fullmatch(message)) is not None:
            values = {name: translated_text(value, patterns, gettext, depth - 1) if depth else value
                      for name, value in found.groupdict().items()}
            return gettext(template).format(**values)
    return gettext(message)


def translated(message: str, gettext) -> str:
    """`message` in the language of `gettext` when it is a Message or a catalog string, else as it is."""
    return message.translated(gettext) if isinstance(message, Message) else gettext(message) if message else message


def task_metrics(task: str) -> tuple[MetricSpec, ...]:
    """The test metrics of `task` in table order (none for a task this version does not know)."""
    return TASKS[task].metrics if task in TASKS else ()


def dataset_title(task: str) -> str:
    return DATASETS[TASKS[task].dataset].title if task in TASKS else task


def arch_label(task: str, arch: str) -> str:
    info = ARCHITECTURES.get(task, {}).get(arch)
    return info.label if info is not None else arch


@dataclass
class Entry:
    """One run, wherever it comes from, with what the comparison views need."""

    task: str
    arch: str
    run_id: str
    status: str
    source: str  # "this session" or "stored"
    metrics: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)
    params: int = 0
    epochs_run: int = 0
    seconds_per_epoch: float = 0.0
    train_seconds: float = 0.0
    peak_memory_mb: float = 0.0
    wall_seconds: float = 0.0
    message: str = ""
    started_at: float | None = None
    run_folder: Path | None = None
    predictions: Any = None
    label: str = ""
    problems: list[str] = field(default_factory=list)  # what is damaged in the stored record
    predictions_problem: str = ""  # why the test predictions cannot be used, once looked at
    dataset: str = ""  # the own dataset's name when the run trained on a learner's own data
    config: dict[str, Any] = field(default_factory=dict)  # RunConfig as a dict
    extra: dict[str, Any] = field(default_factory=dict)  # what the engine recorded (resolved recipe, ...)

    @property
    def seed(self) -> int | None:
        return self.config.get("seed")

    def load_predictions(self) -> Any:
        """Test-set predictions: kept in memory for this session's runs, read from the run
        folder (`predictions.npz`, plain arrays, no pickles) for stored ones. None when there
        are none or they are damaged; `predictions_problem` then says why."""
        if self.predictions is None and self.run_folder is not None and not self.predictions_problem:
            self.predictions, self.predictions_problem = read_predictions(self.run_folder / PREDICTIONS_FILE)
        elif self.predictions is None and not self.predictions_problem:
            self.predictions_problem = Message(N_("none were kept for this run"))
        return self.predictions

    def predictions_shaped(self, shape: tuple[int, ...]) -> np.ndarray | None:
        """The test predictions if they have exactly `shape`, else None with the reason noted."""
        predictions = self.load_predictions()
        if predictions is not None and np.shape(predictions) != tuple(shape):
            self.predictions_problem = Message(N_("{file} holds an array of shape {shape}, not {needed} as this "
                                                  "test set needs"), file=PREDICTIONS_FILE,
                                               shape=np.shape(predictions), needed=tuple(shape))
            return None
        return predictions

    def predictions_unavailable(self, gettext=None) -> str:
        """Why the views cannot show this run's predictions; in the page's language with its `gettext`."""
        gettext = gettext or (lambda message: message)
        return gettext(N_("The test predictions of this run are not available: {problem}.")).format(
            problem=translated(self.predictions_problem, gettext))


def read_predictions(path: Path) -> tuple[np.ndarray | None, str]:
    """(predictions, '') from a run's `predictions.npz`, or (None, what is wrong with it)."""
    if not path.is_file():
        return None, Message(N_("{file} is missing from its run folder"), file=PREDICTIONS_FILE)
    try:
        with np.load(path, allow_pickle=False) as archive:
            key = "predictions" if "predictions" in archive.files else archive.files[0]
            predictions = archive[key]
    except (OSError, ValueError, KeyError, IndexError, EOFError, zipfile.BadZipFile) as error:
        return None, Message(N_("{file} is damaged ({error})"), file=PREDICTIONS_FILE,
                             error=f"{type(error).__name__}: {error}")
    if not np.issubdtype(predictions.dtype, np.number):
        return None, Message(N_("{file} holds {dtype} values, not numbers"), file=PREDICTIONS_FILE,
                             dtype=predictions.dtype)
    return predictions, ""


def own_dataset_name(config: dict, extra: dict | None = None) -> str:
    """The own dataset a run trained on, by name ("" when it trained on the task's dataset)."""
    reference = (config or {}).get("data") or ""
    if not reference:
        return ""
    recorded = ((extra or {}).get("dataset") or {}).get("name")
    if recorded:
        return recorded
    from data.own_store import get_dataset

    try:
        return get_dataset(reference).name
    except ValueError:
        return N_("own data (deleted)")


def entry_from_run(task: str, run: RunState) -> Entry:
    result = run.result
    return Entry(task=task, arch=run.config.arch, run_id=run.run_id or "", status=run.status,
                 source="this session", metrics=dict(result.metrics) if result else {},
                 history=run.history, params=run.params, epochs_run=result.epochs_run if result else run.epoch,
                 seconds_per_epoch=result.seconds_per_epoch if result else 0.0,
                 train_seconds=result.train_seconds if result else 0.0, message=run.message,
                 peak_memory_mb=result.peak_memory_mb if result else 0.0,
                 wall_seconds=result.wall_seconds if result else 0.0,
                 predictions=result.predictions if result else None,
                 run_folder=Path(result.run_dir) if result is not None and result.run_dir else None,
                 dataset=own_dataset_name(run.config.to_dict()), config=run.config.to_dict())


def history_from_epochs(epochs: list[dict]) -> dict[str, list[float]]:
    history: dict[str, list[float]] = {}
    for logs in epochs:
        for name, value in logs.items():
            if name != "epoch":
                history.setdefault(name, []).append(_number(value) if _number(value) is not None else float("nan"))
    return history


def entry_from_stored(record: dict, store=None, with_history: bool = True) -> Entry:
    run_id = record["run_id"]
    folder = store.runs_root / run_id if store is not None else None
    return Entry(task=record["task"], arch=record["arch"], run_id=run_id, status=record["status"],
                 source="stored", metrics=record.get("metrics") or {},
                 history=history_from_epochs(store.epochs(run_id)) if store is not None and with_history else {},
                 params=record.get("params", 0), epochs_run=record.get("epochs_run", 0),
                 seconds_per_epoch=record.get("seconds_per_epoch", 0.0),
                 train_seconds=record.get("train_seconds", 0.0), message=record.get("message", ""),
                 peak_memory_mb=record.get("peak_memory_mb") or 0.0, wall_seconds=record.get("wall_seconds") or 0.0,
                 started_at=record.get("started_at"), run_folder=folder,
                 problems=list(record.get("problems", [])),
                 dataset=own_dataset_name(record.get("config"), record.get("extra")),
                 config=record.get("config") or {}, extra=record.get("extra") or {})


def label_entries(entries: list[Entry]) -> list[Entry]:
    """Give every entry a unique display label: the architecture, plus the run id's tail when
    the same architecture appears more than once."""
    names = [arch_label(entry.task, entry.arch) for entry in entries]
    for entry, name in zip(entries, names):
        entry.label = f"{name} ({entry.run_id[-6:]})" if names.count(name) > 1 and entry.run_id else name
    return entries


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def describe_time(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def results_frame(entries: list[Entry], with_task: bool = False) -> pd.DataFrame:
    """One row per model: test metrics, parameters, epochs, seconds per epoch, total time."""
    rows = []
    tasks = list(dict.fromkeys(entry.task for entry in entries))
    for entry in entries:
        row = {"Model": entry.label or arch_label(entry.task, entry.arch)}
        if with_task:
            row["Task"] = entry.task
        row.update({"Source": entry.source, "Status": entry.status})
        if any(other.dataset for other in entries):  # own-data runs are tested on other data: say so
            row["Data"] = f"own: {entry.dataset}" if entry.dataset else dataset_title(entry.task)
        for task in tasks:
            for spec in task_metrics(task):
                row[spec.title if len(tasks) == 1 else f"{task} {spec.title}"] = (
                    _number(entry.metrics.get(spec.key)) if entry.task == task else None)
        row.update({"Parameters": entry.params,
                    "Peak memory (MB)": round(entry.peak_memory_mb) if entry.peak_memory_mb else None,
                    "Epochs": entry.epochs_run, "Seconds/epoch": round(entry.seconds_per_epoch, 2),
                    "Total seconds": round(entry.train_seconds, 1),
                    "Wall seconds": round(entry.wall_seconds, 1) if entry.wall_seconds else None,
                    "Run": entry.run_id})
        rows.append(row)
    return pd.DataFrame(rows)


def format_cell(value: Any, digits: int = 4) -> str:
    """A table cell as text: empty for missing numbers, `digits` significant digits below 1,
    thousands separators above."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1 else f"{value:,.{digits - 2}f}".rstrip("0").rstrip(".")
    return str(value)


def to_markdown(frame: pd.DataFrame, digits: int = 4) -> str:
    """A GitHub-flavoured Markdown table; pipes in cells are escaped."""

    def cell(value: Any) -> str:
        return format_cell(value, digits).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(column) for column in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
NUMBER_CELL = re.compile(r"^-?[\d,]*\.?\d+(e[+-]?\d+)?( ± [\d,]*\.?\d+(e[+-]?\d+)?)?$")


def latex_text(text: str) -> str:
    escaped = "".join(LATEX_SPECIAL.get(character, character) for character in text)
    return escaped.replace("±", r"$\pm$").replace("\n", " ")


def to_latex(frame: pd.DataFrame, digits: int = 4) -> str:
    """A booktabs table (\\usepackage{booktabs}): text escaped, number columns right-aligned,
    "±" as $\\pm$. Written here because pandas' `to_latex` needs jinja2, which the app does not."""
    cells = [[format_cell(value, digits) for value in row] for row in frame.itertuples(index=False)]
    numeric = [all(NUMBER_CELL.match(row[index]) for row in cells if row[index]) and any(row[index] for row in cells)
               for index in range(len(frame.columns))]
    lines = ["% needs \\usepackage{booktabs}",
             "\\begin{tabular}{" + "".join("r" if flag else "l" for flag in numeric) + "}", r"\toprule",
             " & ".join(latex_text(str(column)) for column in frame.columns) + r" \\", r"\midrule"]
    lines += [" & ".join(latex_text(cell) for cell in row) + r" \\" for row in cells]
    lines += [r"\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def describe_setup(entry: Entry) -> str:
    """What the runs of a group share, in a few words: recipe, quick, hyperparameters."""
    info = ARCHITECTURES.get(entry.task, {}).get(entry.arch)
    if info is not None and not info.learned:
        return "baseline (not trained)"
    recipe = recorded_recipe({**entry.config, "task": entry.task, "arch": entry.arch}, entry.extra)
    shown = {"epochs": "{} epochs", "batch_size": "batch {}", "learning_rate": "lr {:g}", "limit": "{:,} samples"}
    parts = [text.format(recipe[name]) for name, text in shown.items() if isinstance(recipe.get(name), (int, float))]
    parts = ["1 epoch" if part == "1 epochs" else part for part in parts]
    if recipe.get("cosine_decay"):
        parts.append("cosine")
    if recipe.get("optimizer") not in (None, "adam"):
        parts.append(OPTIMIZERS.get(recipe["optimizer"], str(recipe["optimizer"])))  # SGD
    if isinstance(recipe.get("ema_momentum"), (int, float)):
        parts.append(f"weight average {recipe['ema_momentum']:g}")
    if entry.config.get("quick"):
        parts.append("quick")
    if isinstance(entry.config.get("clip_norm"), (int, float)):
        parts.append(f"clip {entry.config['clip_norm']:g}")
    if entry.config.get("early_stopping"):
        parts.append("early stopping")
    hyperparameters = entry.config.get("hyperparameters")
    if isinstance(hyperparameters, dict):
        parts += [f"{key}={value}" for key, value in sorted(hyperparameters.items())]
    return " · ".join(parts)


def seed_groups(entries: list[Entry]) -> list[list[Entry]]:
    """Entries that differ only in their seed, together (and only with the same outcome: a
    diverged seed is its own row, not a hole in the finished ones' mean)."""
    return group_by(entries, lambda entry: (entry.task, entry.status, configuration_key(
        {**entry.config, "task": entry.task, "arch": entry.arch}, entry.extra)))


def grouped_frame(entries: list[Entry]) -> pd.DataFrame:
    """One row per configuration: how many runs and which seeds, then the mean of every test
    metric with its standard deviation (ddof=1) in a "<metric> std" column, then the mean cost."""
    groups = [sorted(group, key=lambda entry: (entry.seed is None, entry.seed or 0)) for group in seed_groups(entries)]
    tasks = list(dict.fromkeys(entry.task for entry in entries))
    names = [arch_label(group[0].task, group[0].arch) for group in groups]
    rows = []
    for index, group in enumerate(groups):
        first, name = group[0], names[index]
        if names.count(name) > 1:
            name = f"{name} #{names[:index + 1].count(name)}"
        row = {"Model": name}
        if len(tasks) > 1:
            row["Task"] = first.task
        row.update({"Setup": describe_setup(first), "Status": first.status, "Runs": len(group),
                    "Seeds": ", ".join(str(entry.seed) for entry in group if entry.seed is not None)})
        for task in tasks:
            for spec in task_metrics(task):
                column = spec.title if len(tasks) == 1 else f"{task} {spec.title}"
                summary = mean_std(entry.metrics.get(spec.key) for entry in group if entry.task == task)
                row[column], row[f"{column} std"] = (summary.mean if summary.count else None,
                                                     summary.std if summary.count > 1 else None)
        row.update({"Parameters": first.params,
                    "Epochs": round(float(np.mean([entry.epochs_run for entry in group])), 1),
                    "Seconds/epoch": round(float(np.mean([entry.seconds_per_epoch for entry in group])), 2),
                    "Total seconds": round(float(np.mean([entry.train_seconds for entry in group])), 1)})
        rows.append(row)
    return pd.DataFrame(rows)


def mean_std_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if f"{column} std" in frame.columns]


def grouped_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The grouped table as shown and exported to Markdown and LaTeX: "mean ± std" text."""
    shown = frame.copy()
    for column in mean_std_columns(frame):
        shown[column] = [format_mean_std(float("nan") if mean is None or pd.isna(mean) else mean,
                                         float("nan") if std is None or pd.isna(std) else std)
                         for mean, std in zip(frame[column], frame[f"{column} std"])]
        shown = shown.drop(columns=f"{column} std")
    return shown


def has_repeated_seeds(entries: list[Entry]) -> bool:
    return any(len(group) > 1 for group in seed_groups(entries))


def sweep_frame(rows: list[dict]) -> pd.DataFrame:
    """A sweep's configurations (`training.sweep.summarize` rows): the settings it varied, how
    many seeds finished, then the mean and std over seeds of each test metric."""
    if not rows:
        return pd.DataFrame()
    task = rows[0]["task"]
    varied = [key for key in GRID_KEYS if any(row[key] is not None for row in rows)]
    table = []
    for row in rows:
        item: dict[str, Any] = {"Model": arch_label(task, row["arch"])}
        item.update({GRID_TITLES[key]: row[key] for key in varied})  # None: the recipe's value
        item["Finished"] = f"{row['finished']}/{row['trials']}"
        for spec in task_metrics(task):
            item[f"{spec.title} mean"] = row["metrics"][spec.key]["mean"]
            item[f"{spec.title} std"] = row["metrics"][spec.key]["std"]
        item.update({"Parameters": row["params"], "Seconds/trial": row["seconds_per_trial"]["mean"]})
        table.append(item)
    return pd.DataFrame(table)
