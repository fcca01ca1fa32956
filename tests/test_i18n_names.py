"""Names the code keys in English (tasks, metrics, architectures, datasets, statuses) are in the
catalog, and tables shown in Chinese translate their columns and name cells but keep the data."""

from __future__ import annotations

from babel.messages.pofile import read_po

from data.registry import DATASETS
from i18n import CHINESE, catalog_path, translations
from models.tasks import TASKS
from training.events import CANCELLED, CANCELLED_HELP, DIVERGED, DIVERGED_HELP, FAILED, FINISHED, INTERRUPTED, RUNNING
from ui import names


def test_every_registry_name_is_marked_for_the_catalog():
    marked = set(names.TASK_TITLES + names.DATASET_TITLES + names.METRIC_TITLES + names.STATUSES)
    registry = {info.title for info in TASKS.values()} | {info.title for info in DATASETS.values()}
    registry |= {spec.title for info in TASKS.values() for spec in info.metrics}
    registry |= {CANCELLED, DIVERGED, FAILED, FINISHED, INTERRUPTED, RUNNING}
    assert not registry - marked, f"mark these in ui/names.py: {sorted(registry - marked)}"
    assert set(names.EVENT_MESSAGES) == {DIVERGED_HELP, CANCELLED_HELP}, "copy the engine's messages to ui/names.py"
    with catalog_path(CHINESE).open("rb") as source:
        catalog = {message.id for message in read_po(source)}
    assert not marked - catalog


def test_column_titles_and_names_in_chinese():
    gettext = translations(CHINESE).gettext
    assert names.column_title("Test accuracy std", gettext) == "测试准确率 标准差"
    assert names.column_title("imdb Accuracy", gettext) == "imdb 准确率"
    assert names.column_title("run_id", gettext) == "run_id"
    assert names.shown_name("CNN (a1b2c3)", gettext) == "CNN (a1b2c3)"
    assert names.shown_name("Modern CNN #2", gettext) == "现代 CNN #2"
    assert names.shown_name("own: Tiny city", gettext) == "自有数据：Tiny city"
    assert names.shown_name(FINISHED, gettext) == "已完成"
    assert names.shown_name("Test accuracy 97.50 %", gettext) == "测试准确率 97.50 %"


def test_a_setup_is_translated_part_by_part():
    gettext = translations(CHINESE).gettext
    setup = "8 epochs · batch 128 · lr 0.002 · cosine · 10,000 samples · units=3"
    assert names.shown_setup(setup, gettext) == "8 轮 · 批大小 128 · 学习率 0.002 · 余弦衰减 · 10,000 个样本 · units=3"
    assert names.shown_setup(setup, translations("en").gettext) == setup


def test_every_published_row_and_benchmark_table_reads_in_chinese(monkeypatch):
    """The texts of bench/published.json and of reference.tables are data: ui/reference_text.py marks them."""
    import ui.reference
    from i18n.check import english_words
    from reference import results as bench_results
    from reference import tables

    monkeypatch.setattr(ui.reference, "language", lambda: CHINESE)
    monkeypatch.setattr(ui.reference, "gettext_for_session", lambda: translations(CHINESE).gettext)
    monkeypatch.setattr(names, "language", lambda: CHINESE)  # task names in the Task columns
    monkeypatch.setattr(names, "gettext_for_session", lambda: translations(CHINESE).gettext)
    frames = []
    for task in TASKS:
        frames += [tables.published_table(task), tables.accuracy_table(task, bench_results.load(f"accuracy_{task}"))]
        frames += [tables.reference_table(bench_results.load(f"references_{task}"), 0.992)]
    protocol, startup = bench_results.load("traffic_protocol"), bench_results.load("startup")
    frames += [tables.protocol_table(protocol), tables.startup_table(startup),
               tables.peak_memory_frame(bench_results.load("peak_memory"))]
    left = []
    for frame in map(ui.reference.shown_frame, frames):
        left += [column for column in frame.columns if english_words(str(column))]
        left += [cell for column in frame.columns for cell in frame[column]
                 if isinstance(cell, str) and english_words(cell)]
    notes = [note for task in TASKS for _, note in tables.published_notes(task)]
    left += [note for note in notes if english_words(ui.reference.shown_text(note))]
    assert not left, left
