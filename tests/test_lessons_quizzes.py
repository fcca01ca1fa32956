"""Every quiz question and every checked note in the app, structurally: one correct option in
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
    assert len(QUESTION_LISTS) >= 19 and len(CORRECTION_LISTS) >= 19
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
    from lessons import part2_quiz_models, part2_quiz_networks

    def kind_of(items, start):
        return next(item.kind for item in items if item.claim.startswith(start))

    assert kind_of(part2_quiz_networks.LSTM_CORRECTIONS, "The forget gate, when open") == NOTE_RIGHT
    assert kind_of(part2_quiz_networks.LSTM_CORRECTIONS, "GRU: when the input gate opens") == NOTE_RIGHT
    gan = [item for item in part2_quiz_models.GAN_CORRECTIONS if "evaluation" in item.claim]
    assert gan[0].kind == NOTE_RIGHT and "alternation" in gan[0].correction
    assert NOTE_PARTLY in {item.kind for item in part2_quiz_networks.VANISHING_CORRECTIONS}


def calls_in(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names]


@pytest.mark.parametrize("page", sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "views").rglob("*.py")))
def test_pages_take_questions_and_notes_from_lessons(page):
    """A question written inside a page would escape the checks above: pages import them instead."""
    assert not calls_in(ROOT / page, {"Question", "Correction"}), \
        f"{page} builds quiz questions or corrections itself: move them to a lessons/ module"


def test_every_quiz_and_checked_note_is_shown_on_some_page():
    pages = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "views").rglob("*.py"))
    for name in list(QUESTION_LISTS) + list(CORRECTION_LISTS):
        constant = name.rsplit(".", 1)[1]
        if constant.startswith("_"):
            continue
        assert re.search(rf"\b{constant}\b", pages), f"{name} is not used by any page"
