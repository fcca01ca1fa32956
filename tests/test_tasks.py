"""The task registry (models.tasks): every entry is complete, every page and ranking reads it,
and no module keeps its own per-task table."""

from __future__ import annotations

import ast
import inspect
from dataclasses import replace
from pathlib import Path

import pytest

import lessons.comparison as cmp
from data.registry import DATASETS
from models.registry import ARCHITECTURES
from models.tasks import TASKS, MetricSpec, task
from ui.results import Entry, label_entries, results_frame
from ui.run_browser import main_metric_text

ROOT = Path(__file__).resolve().parent.parent
# The two registries that may list the tasks by name: tasks and their datasets. Content keyed by
# task is allowed where it is text of one page, not metadata other modules would need.
REGISTRIES = {"models/tasks.py", "data/registry.py"}
CONTENT = {"lessons/comparison.py": "PROBLEMS, the lesson's worked examples",
           "views/tasks/own_data.py": "what each upload looks like, in words",
           "bench/quick_vs_full.py": "the benchmark's own function per task it measures"}


@pytest.mark.parametrize("name", list(TASKS))
def test_every_task_entry_is_complete(name):
    info = TASKS[name]
    assert info.name == name and info.dataset in DATASETS and (ROOT / info.page).is_file()
    keys = info.metric_keys
    assert len(set(keys)) == len(keys) and info.headline in info.summary and set(info.summary) <= set(keys)
    assert set(info.default_archs) <= set(ARCHITECTURES[name]) and info.default_archs
    for hook in (info.prepare, info.fit, info.prepare_own):
        if hook is not None:  # the functions the hooks name exist (importing them loads no Keras)
            assert callable(getattr(__import__(hook.module, fromlist=[hook.function]), hook.function))


def test_architectures_that_need_the_graph_say_so():
    graph = {(info.task, info.name) for archs in ARCHITECTURES.values() for info in archs.values() if info.needs_graph}
    assert {("traffic", "gcn"), ("traffic", "gcn_gru")} <= graph
    for info in (info for archs in ARCHITECTURES.values() for info in archs.values() if info.learned):
        module = __import__(info.builder.module, fromlist=[info.builder.function])
        parameters = inspect.signature(getattr(module, info.builder.function)).parameters
        assert ("adjacency" in parameters) == info.needs_graph, info.name
        # Data-derived sizes have no default in the builder: the registry holds them once.
        for size in ("sensors", "vocabulary_size", "sequence_length"):
            if size in parameters:
                assert parameters[size].default is inspect.Parameter.empty, f"{info.name}: {size}"


def test_unknown_task_names_the_valid_ones():
    with pytest.raises(ValueError, match="mnist, imdb, traffic"):
        task("cifar")


def test_metric_spec_formats_and_compares():
    accuracy, mae = TASKS["mnist"].headline_metric, TASKS["traffic"].metric("mae_60")
    assert accuracy.format(0.98271) == "98.27 %" and mae.format(3.1839) == "3.18 mph"
    assert accuracy.better(0.99, 0.98) and mae.better(3.0, 3.1) and not mae.better(3.2, 3.1)
    assert TASKS["traffic"].headline_text({"mae_15": 3.0, "mae_60": 5.25}) == "MAE 15 min 3.00 mph, MAE 60 min 5.25 mph"


def traffic_runs():
    """Two traffic runs that disagree: gcn_gru is best at 15 minutes, dnn at 60."""
    return [{"run_id": "a", "task": "traffic", "arch": "gcn_gru", "status": "finished",
             "metrics": {"mae_15": 3.0, "mae_60": 6.0}},
            {"run_id": "b", "task": "traffic", "arch": "dnn", "status": "finished",
             "metrics": {"mae_15": 3.5, "mae_60": 5.0}}]


def test_every_ranking_uses_the_headline_metric():
    headline = TASKS["traffic"].headline_metric
    runs = traffic_runs()
    best_key = min(runs, key=lambda run: run["metrics"][headline.key])["arch"]
    # the lesson's comparison
    assert cmp.headline_metric("traffic") == (headline.key, headline.higher_is_better)
    best = cmp.best_runs(runs)
    lesson_best = min(best, key=lambda key: best[key]["value"])[1]
    assert lesson_best == best_key
    # the run history's one-number result
    assert main_metric_text(runs[0]) == f"{headline.title} {headline.format(3.0)}"


def test_the_reference_panel_ranks_own_runs_by_the_headline(tmp_path, monkeypatch):
    from training.events import FINISHED
    from training.store import RunStore
    from ui.reference import own_best_runs

    monkeypatch.setenv("DLLAB_HOME", str(tmp_path))
    store = RunStore()
    for run in traffic_runs():
        from training.events import RunConfig

        run_id = store.start_run(RunConfig("traffic", run["arch"]))
        store.finish_run(run_id, FINISHED, "", run["metrics"], 1.0, 1.0, 1)
    frame = own_best_runs("traffic")
    headline = TASKS["traffic"].headline_metric
    assert frame["Model"].iloc[0] == "GCN + GRU (T-GCN)" and headline.title in frame.columns


def test_adding_a_task_is_one_entry(monkeypatch):
    """A new task entry is picked up by the tables and the lesson's ranking without other edits."""
    sizes = MetricSpec("size", "Size", "cm", higher_is_better=False)
    new = replace(TASKS["mnist"], name="shoes", title="Shoe sizes", metrics=(sizes,), headline="size",
                  summary=("size",))
    monkeypatch.setitem(TASKS, "shoes", new)
    monkeypatch.setitem(ARCHITECTURES, "shoes", {"dnn": replace(ARCHITECTURES["mnist"]["dnn"], task="shoes")})
    entries = label_entries([Entry("shoes", "dnn", "r1", "finished", "stored", metrics={"size": 41.0}),
                             Entry("shoes", "dnn", "r2", "finished", "stored", metrics={"size": 39.0})])
    assert results_frame(entries)["Size"].tolist() == [41.0, 39.0]
    assert cmp.headline_metric("shoes") == ("size", False)
    runs = [{"run_id": entry.run_id, "task": "shoes", "arch": "dnn", "status": "finished", "metrics": entry.metrics}
            for entry in entries]
    assert cmp.best_runs(runs)[("shoes", "dnn")]["run_id"] == "r2"


def per_task_tables(path: Path) -> list[int]:
    """Lines of dict literals keyed by two or more task names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            if len(keys & set(TASKS)) >= 2:
                found.append(node.lineno)
    return found


def test_no_module_keeps_its_own_per_task_table():
    folders = ("data", "models", "training", "lessons", "ui", "views", "bench")
    allowed = REGISTRIES | set(CONTENT)
    offenders = {name: lines for folder in folders for path in (ROOT / folder).rglob("*.py")
                 if (name := path.relative_to(ROOT).as_posix()) not in allowed and (lines := per_task_tables(path))}
    assert offenders == {}, "per-task tables outside the registry: look the task up in models.tasks instead"
