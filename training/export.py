"""One standalone Python script per stored run: `python -m training export RUN_ID [-o FILE]`.

The script is assembled from the project's real code (training.source_code reads it with
`ast`): the data loaders and preparation of the run's task, its builder with the helpers and
layers it calls, the engine's optimizer and the run's recorded recipe and seed. It needs only
keras, tensorflow, numpy (and what they bring) and never imports this project; it reads the
same canonical dataset files (app folder, then DLLAB_DATA_MIRROR or --mirror, then the URL).
"""

from __future__ import annotations

import ast
import pprint
import re
import sys
import textwrap
from typing import Any

from models.registry import ArchInfo, architecture
from models.tasks import TASKS
from training.events import FINISHED
from training.recipes import recorded_recipe, run_config
from training.source_code import collected_source, module_file
from training.store import RunStore

STANDALONE = "training.standalone"
# What the generated tail of the script imports and defines (kept free in the copied code).
TAIL_IMPORTS = (("import", "sys", None, None), ("from", "types", "SimpleNamespace", None))
TAIL_NAMES = ("RUN_ID", "RUN", "ARCHITECTURE", "STORED_METRICS", "reproduce")
# The packages a learner installs to run a script; everything else it imports is the standard library.
SCRIPT_PACKAGES = {"keras", "tensorflow", "numpy", "pandas"}


def code_entry(info: ArchInfo) -> tuple[str, str]:
    """(module, function) of the code that makes an architecture's predictions: its builder, or
    for a baseline the NumPy function of models/baselines.py named like it."""
    if info.learned:
        return info.builder.module, info.builder.function
    return "models.baselines", info.name


class ExportError(ValueError):
    """This run cannot be written as a script; the message says why."""


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=100, sort_dicts=False)


def why_not_exportable(record: dict) -> str | None:
    """Why `record` cannot be written as a script (cheap checks, for a page), or None."""
    if record.get("problems"):
        return f"its stored record is damaged: {'; '.join(record['problems'])}"
    config = record.get("config") or {}
    if config.get("data"):
        return ("this run trained on an uploaded dataset; the script can only load the canonical "
                "dataset files")
    try:
        architecture(record.get("task"), record.get("arch"))
        run_config(config)
    except (TypeError, ValueError) as error:
        return f"cannot export run {record.get('run_id')}: {error}"
    return None


def script_for(record: dict) -> str:
    """The script that retrains `record` (a run store record) and prints its test metrics."""
    reason = why_not_exportable(record)
    if reason:
        raise ExportError(reason)
    config, extra = record.get("config") or {}, record.get("extra") or {}
    task, arch = record["task"], record["arch"]
    info, run = architecture(task, arch), run_config(config)
    recipe = recorded_recipe(config, extra)
    settings = {"seed": run.seed, **recipe, "clip_norm": run.clip_norm, "early_stopping": run.early_stopping,
                "hyperparameters": dict(run.hyperparameters)}
    prepare, fit = TASKS[task].prepare, TASKS[task].fit  # the run's data preparation and fitting arrays
    if info.learned:
        entries = [(prepare.module, prepare.function), (fit.module, fit.function), code_entry(info),
                   (STANDALONE, "reproduce_learned"), (STANDALONE, "run_script")]
    else:
        entries = [(prepare.module, prepare.function), ("training.tasks", "baseline_predictions"),
                   ("training.tasks", "score_baseline"), (STANDALONE, "reproduce_baseline"), (STANDALONE, "run_script")]
    # Attributes the engine's caller uses on what these return (so plain classes keep those methods).
    code, collected = collected_source(entries, attributes=("limited", "fit_arguments", "test_arguments"),
                                       extra_imports=TAIL_IMPORTS)
    clashes = set(TAIL_NAMES) & {collected.emitted_name(unit.module, unit.name) for unit in collected.units}
    if clashes:
        raise ExportError(f"the copied code defines {sorted(clashes)}, which the script's tail uses too")
    names = [collected.emitted_name(*entry) for entry in entries]
    call = f"{names[3]}({names[0]}, {names[1]}, {names[2]}, ARCHITECTURE, RUN)"
    title = f"{task}/{arch}, run {_safe(record['run_id'])}"
    header = f'''#!/usr/bin/env python3
"""Retrain {title} of the Deep Learning Lab, standalone.

Written by `python -m training export {_safe(record['run_id'])}` from the app's own code: data loading and
preparation, the model builder, the optimizer and this run's recipe and seed. Needs only keras,
tensorflow and numpy. Run it with

    python {_safe(record['run_id'])}.py [--mirror FOLDER] [--home FOLDER]

The dataset files are looked for in $DLLAB_HOME/datasets (default ~/.dllab/datasets), then in the
mirror folder (--mirror or $DLLAB_DATA_MIRROR, the layout of the app's data folder), then
downloaded from their canonical URLs. The last line printed is the test metrics as JSON; they match
the stored ones up to floating-point noise on the same machine and library versions
({_versions(record)}).
"""
{_caveat(record)}
'''
    tail = f'''

# ---- this run ------------------------------------------------------------------

RUN_ID = {record['run_id']!r}
# The recipe the run trained with (recorded by the app), its seed and builder hyperparameters.
RUN = {_literal(settings)}
# What the data preparation reads of the architecture's registry entry (models/registry.py).
ARCHITECTURE = SimpleNamespace(task={task!r}, name={arch!r}, needs_graph={info.needs_graph!r},
                               needs_word_vectors={info.needs_word_vectors!r},
                               data_settings={_literal(dict(info.data_settings))})
# The test metrics the app stored for this run, printed beside the new ones.
STORED_METRICS = {_literal({key: value for key, value in (record.get('metrics') or {}).items()
                            if isinstance(value, (int, float))})}


def reproduce():
    return {call}


if __name__ == "__main__":
    sys.exit({names[4]}(reproduce, STORED_METRICS, {f"Retrain {title}"!r}))
'''
    script = header + code + tail
    check_standalone(script)
    return script


def _safe(text: str) -> str:
    """Text from the run store as it may appear in the script's docstring: no quotes, no escapes."""
    return re.sub(r"[^\w.,:;/()+\- ]", "?", str(text))


def _caveat(record: dict) -> str:
    """Comment lines on what makes this run's stored metrics differ from a full retraining."""
    message = " ".join("".join(character if character.isprintable() else " "
                               for character in str(record.get("message") or "")).split())
    if record.get("status") != FINISHED:
        note = (f"The stored run ended {record.get('status')}: {message} This script trains the whole "
                "recipe, so its metrics are not the stored ones.")
    elif message:
        note = f"The app noted for this run: {message} This script trains the whole recipe."
    else:
        return ""
    return "".join(f"# {line}\n" for line in textwrap.wrap(note, 96)) + "\n"  # one line each: a comment


def _versions(record: dict) -> str:
    versions = record.get("versions") or {}
    return _safe(", ".join(f"{name} {version}" for name, version in versions.items()) or "not recorded")


def check_standalone(script: str) -> None:
    """The script must compile and import nothing but the standard library and SCRIPT_PACKAGES:
    nothing of this project, nothing a learner would have to guess to install."""
    tree = ast.parse(script)
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        for module in modules:
            if module_file(module) is not None or module.split(".")[0] in ("data", "models", "training"):
                raise ExportError(f"the script would import the project module {module}")
            top = module.split(".")[0]
            if top not in SCRIPT_PACKAGES and top not in sys.stdlib_module_names:
                raise ExportError(f"the script would import {module}, which is neither the standard library "
                                  f"nor one of {', '.join(sorted(SCRIPT_PACKAGES))}")
    compile(script, "<exported script>", "exec")


def export_run(run_id: str, store: RunStore | None = None) -> str:
    store = store or RunStore()
    record = store.get_run(run_id)
    if record is None:
        raise ExportError(f"no stored run {run_id!r} in {store.path} (the Run history page lists the ids; "
                          f"set DLLAB_HOME if the runs are stored elsewhere)")
    return script_for(record)
