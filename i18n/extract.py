"""The Babel extraction method of this app (named in babel.cfg), used by `pybabel extract` and the tests.

Besides the usual `_("…")` and `N_("…")` calls it collects strings that are data, not calls: the
title and summary of every `PageInfo(...)` and the keys of `SECTIONS` (the navigation), and every string of the
`Question(...)` and `Correction(...)` objects in the quiz lists named by babel.cfg's `quizzes`
option (the quizzes of the translated lessons), each by module and name: every lesson module
calls its lists QUESTIONS and CORRECTIONS, so `lessons.neuron.QUESTIONS` picks one lesson's quiz.
Strings without letters ("0.82", "1/4") are left out: they read the same in every language.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from babel.messages.extract import extract_python

PAGE_FIELDS = {1: "title", 3: "summary"}  # positions of PageInfo(script, title, icon, summary, …)
QUIZ_FIELDS = {"Question": ("prompt", "options", "explanation", "notes_said"),
               "Correction": ("note", "claim", "correction")}
ROOT = Path(__file__).resolve().parent.parent


def has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def _called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else (
        node.func.attr if isinstance(node.func, ast.Attribute) else None)


def page_messages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "PageInfo":
            fields = {PAGE_FIELDS[index]: arg for index, arg in enumerate(node.args) if index in PAGE_FIELDS}
            fields |= {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg in PAGE_FIELDS.values()}
            for name in ("title", "summary"):
                value = fields.get(name)
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, [f"page {name}"]
        if (isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "SECTIONS"
                                                 for target in node.targets) and isinstance(node.value, ast.Dict)):
            for key in node.value.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and has_letters(key.value):
                    yield key.lineno, None, key.value, ["navigation section"]


def quiz_messages(tree: ast.Module, module_name: str, names: set[str]):
    """The quizzes as the page shows them: read from the imported module, so f-strings hold their numbers.
    `names` holds qualified names (`lessons.neuron.QUESTIONS`); only this module's lists are read."""
    lines = {}
    for statement in tree.body:
        targets = (statement.targets if isinstance(statement, ast.Assign)
                   else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
        lines |= {target.id: statement.lineno for target in targets
                  if isinstance(target, ast.Name) and f"{module_name}.{target.id}" in names}
    if not lines:
        return
    module = importlib.import_module(module_name)
    for name, line in lines.items():
        for item in getattr(module, name):
            for field in QUIZ_FIELDS[type(item).__name__]:
                value = getattr(item, field)
                for text in (value if isinstance(value, tuple) else (value,)):
                    if text and has_letters(text):
                        yield line, None, text, [f"quiz {name}"]


def module_name(fileobj) -> str:
    path = Path(getattr(fileobj, "name", "")).resolve()
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def extract_app(fileobj, keywords, comment_tags, options):
    """Babel extraction method: `_`/`N_` calls, page titles and summaries, and the listed quizzes."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    tree = ast.parse(source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source)
    yield from page_messages(tree)
    names = set(options.get("quizzes", "").split())
    if names:
        yield from quiz_messages(tree, module_name(fileobj), names)
