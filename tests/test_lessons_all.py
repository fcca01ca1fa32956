"""Checks across all lessons: the layout (page -> lesson module -> test file), the lessons index, and
every quiz question and every checked note in the app, structurally: one correct option in
range, distinct options, an explanation, a known verdict; and every page takes them from lessons/
(so this file sees them all)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import lessons
from lessons.quiz import KINDS, NOTE_PARTLY, NOTE_RIGHT, NOTE_WRONG, Correction, Question
from tests.pages import markdown_text, metrics, open_page
from views.catalog import LESSONS

ROOT = Path(__file__).resolve().parent.parent


def lesson_modules():
    return [importlib.import_module(f"lessons.{info.name}") for info in pkgutil.iter_modules(lessons.__path__)]


def collected(kind: type) -> dict[str, list]:
    """Every module-level list of `kind` in lessons/, by 'module.NAME'."""
    found = {}
    for module in lesson_modules():
        for name, value in vars(module).items():
            if isinstance(value, list | tuple) and value and all(isinstance(item, kind) for item in value):
                found[f"{module.__name__}.{name}"] = list(value)
    return found


QUESTION_LISTS = collected(Question)
CORRECTION_LISTS = collected(Correction)
QUESTIONS = [(f"{name}[{index}]", question) for name, items in QUESTION_LISTS.items()
             for index, question in enumerate(items)]


def normalised(text: str) -> str:
    return re.sub(r"[\s.,;:!?*'\"()]+", " ", text).strip().casefold()


def test_the_collection_finds_the_quizzes_of_every_lesson():
    assert len(QUESTION_LISTS) >= 21 and len(CORRECTION_LISTS) >= 20
    assert len(QUESTIONS) >= 80


@pytest.mark.parametrize(("where", "question"), QUESTIONS, ids=[where for where, _ in QUESTIONS])
def test_each_question_has_one_correct_option_and_an_explanation(where, question):
    assert len(question.options) >= 2 and 0 <= question.answer < len(question.options)
    assert question.prompt.strip() and question.explanation.strip()
    assert all(option.strip() for option in question.options)
    options = [normalised(option) for option in question.options]
    assert len(set(options)) == len(options), f"{where}: two options say the same: {question.options}"
    assert question.is_correct(question.answer) and not any(
        question.is_correct(index) for index in range(len(question.options)) if index != question.answer)
    if set(options) == {"true", "false"}:
        assert len(question.options) == 2


def test_a_question_with_a_bad_answer_or_repeated_options_is_refused():
    with pytest.raises(ValueError, match="index"):
        Question("Which?", ("a", "b"), 2, "because")
    with pytest.raises(ValueError, match="read the same"):
        Question("Which?", ("Yes", " yes"), 0, "because")
    with pytest.raises(ValueError, match="explanation"):
        Question("Which?", ("a", "b"), 0, "  ")
    with pytest.raises(ValueError, match="two options"):
        Question("Which?", ("a",), 0, "because")


def test_every_checked_note_has_a_known_verdict_and_both_texts():
    items = [item for items in CORRECTION_LISTS.values() for item in items]
    assert {item.kind for item in items} == set(KINDS)  # corrections and confirmations both occur
    for item in items:
        assert item.kind in KINDS and item.note.strip() and item.claim.strip() and item.correction.strip()
        assert not item.correction.startswith(("Correct", "Right")) or item.kind != NOTE_WRONG, \
            f"{item.claim!r} reads as a confirmation but is marked 'wrong'"
    with pytest.raises(ValueError, match="kind"):
        Correction("note 000", "a claim", "a correction", kind="maybe")


def test_confirmations_named_in_the_issue_are_shown_as_confirmations():
    from lessons import gans, gradients, lstm_gru

    def kind_of(items, start):
        return next(item.kind for item in items if item.claim.startswith(start))

    assert kind_of(lstm_gru.CORRECTIONS, "The forget gate, when open") == NOTE_RIGHT
    assert kind_of(lstm_gru.CORRECTIONS, "GRU: when the input gate opens") == NOTE_RIGHT
    gan = [item for item in gans.CORRECTIONS if "evaluation" in item.claim]
    assert gan[0].kind == NOTE_RIGHT and "alternation" in gan[0].correction
    assert NOTE_PARTLY in {item.kind for item in gradients.CORRECTIONS}


def calls_in(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names]


@pytest.mark.parametrize("page", sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "views").rglob("*.py")))
def test_pages_take_questions_and_notes_from_lessons(page):
    """A question written inside a page would escape the checks above: pages import them instead."""
    assert not calls_in(ROOT / page, {"Question", "Correction"}), \
        f"{page} builds quiz questions or corrections itself: move them to a lessons/ module"


LESSON_PAGES = [page for page in LESSONS if page.minutes]  # the index has no lesson of its own


def lesson_alias(page: Path, module: str) -> str | None:
    """The name under which `page` imports lessons.<module> (`from lessons import X [as alias]`)."""
    for node in ast.parse(page.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module == "lessons":
            for alias in node.names:
                if alias.name == module:
                    return alias.asname or alias.name
    return None


@pytest.mark.parametrize("page", LESSON_PAGES, ids=[Path(page.script).stem for page in LESSON_PAGES])
def test_a_lesson_page_shows_its_own_module_and_is_tested_in_a_file_named_after_it(page):
    """Page -> module -> test in two hops: views/lessons/X.py shows the quiz and checked notes of
    lessons/X.py, and tests/test_lesson_X.py tests both."""
    name = Path(page.script).stem
    assert page.exists, f"{page.script} is listed in the catalog but has no script"
    module = importlib.import_module(f"lessons.{name}")
    assert module.QUESTIONS and all(isinstance(item, Question) for item in module.QUESTIONS)
    assert all(isinstance(item, Correction) for item in module.CORRECTIONS)
    alias = lesson_alias(ROOT / page.script, name)
    source = (ROOT / page.script).read_text(encoding="utf-8")
    assert alias and f"quiz({alias}.QUESTIONS" in source and f"corrections({alias}.CORRECTIONS)" in source
    assert (ROOT / "tests" / f"test_lesson_{name}.py").is_file()


def test_every_lesson_module_belongs_to_a_page_or_is_shared():
    pages = {Path(page.script).stem for page in LESSON_PAGES}
    shared = {"quiz", "toy_data", "keras_demo", "projection", "pretrained", "end_to_end"}  # lessons/__init__.py
    modules = {info.name for info in pkgutil.iter_modules(lessons.__path__)}
    assert modules == pages | shared, "a lesson module is named after its page; list a shared helper here"


def test_index_lists_every_lesson_in_catalog_order_with_minutes():
    app = open_page("views/lessons/index.py")
    assert metrics(app)["Lessons"] == str(len(LESSON_PAGES))
    assert metrics(app)["Reading and playing time"] == f"{sum(page.minutes for page in LESSON_PAGES)} min"
    linked = [link.proto.label for link in app.get("page_link")]
    titles = {page.title for page in LESSON_PAGES}
    assert [title for title in linked if title in titles] == [page.title for page in LESSON_PAGES]
    for page in LESSON_PAGES:
        assert f"**{page.minutes} min**" in markdown_text(app)
