"""The layering rules, checked on the source: pages never pay for TensorFlow at start-up, and
library code never depends on Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"tensorflow", "keras"}
LIBRARY_FOLDERS = ("data", "models", "training", "lessons")


def module_level_imports(path: Path) -> set[str]:
    """Top-level module names imported when `path` is imported (not inside functions)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def all_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def repo_file(module: str) -> Path | None:
    parts = module.split(".")
    for candidate in (ROOT.joinpath(*parts).with_suffix(".py"), ROOT.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def heavy_chain(path: Path, seen: set[Path] | None = None) -> list[str] | None:
    """The import chain by which importing `path` loads TensorFlow/Keras, or None."""
    seen = seen if seen is not None else set()
    seen.add(path)
    for module in sorted(module_level_imports(path)):
        if module.split(".")[0] in HEAVY:
            return [module]
        target = repo_file(module)
        if target is not None and target not in seen:
            chain = heavy_chain(target, seen)
            if chain:
                return [module, *chain]
    return None


PAGES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "views").rglob("*.py"))
LESSON_MODULES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "lessons").glob("*.py"))


@pytest.mark.parametrize("script", PAGES + LESSON_MODULES + ["dashboard.py"])
def test_no_tensorflow_at_start_up(script):
    chain = heavy_chain(ROOT / script)
    assert chain is None, f"importing {script} loads TensorFlow via {' -> '.join(chain)}"


@pytest.mark.parametrize("script", PAGES)
def test_pages_never_use_keras_directly(script):
    assert not {name.split(".")[0] for name in all_imports(ROOT / script)} & HEAVY, \
        f"{script} uses Keras/TensorFlow: move that code into lessons/, models/ or training/"


@pytest.mark.parametrize("folder", LIBRARY_FOLDERS)
def test_library_code_is_free_of_streamlit(folder):
    offenders = [path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*.py")
                 if "streamlit" in {name.split(".")[0] for name in all_imports(path)}]
    assert not offenders, f"Streamlit imported in library code: {offenders}"
