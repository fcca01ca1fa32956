"""The layering rules, checked on the source (ARCHITECTURE.md explains them): pages never pay for
TensorFlow at start-up, library code never depends on Streamlit, no import cycles, and imports
point one way: the app (dashboard, ui/, views/) never imports the benchmarks, ui/ never imports a
page, and the benchmarks never import the tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"tensorflow", "keras"}
LIBRARY_FOLDERS = ("data", "models", "training", "lessons", "reference", "i18n")


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


def heavy_chain(path: Path, seen: set[Path] | None = None, is_heavy=lambda module: module.split(".")[0] in HEAVY
                ) -> list[str] | None:
    """The import chain by which importing `path` loads TensorFlow/Keras (or what `is_heavy`
    names), or None."""
    seen = seen if seen is not None else set()
    seen.add(path)
    for module in sorted(module_level_imports(path)):
        if is_heavy(module):
            return [module]
        target = repo_file(module)
        if target is not None and target not in seen:
            chain = heavy_chain(target, seen, is_heavy)
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


PROJECT_PACKAGES = ("data", "models", "training", "lessons", "reference", "i18n", "ui", "views", "bench", "tests")
PROJECT_SCRIPTS = ("dashboard.py",)


def project_module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each project module -> the project modules it imports anywhere (in functions too)."""
    files = [path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("*.py")]
    files += [ROOT / script for script in PROJECT_SCRIPTS]
    modules = {project_module(path): path for path in files}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in all_imports(path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.endswith("__main__"):
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_among_the_projects_modules():
    assert cycles(import_graph()) == [], "modules that import each other (directly or round a loop)"


def test_the_cycle_finder_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# (importing packages, imported package, why it is forbidden)
FORBIDDEN = [
    (("ui",), "views", "pages are leaves: what ui/ needs of the app (the page catalog) lives in ui/"),
    (("ui", "views", "dashboard"), "bench", "the app reads benchmark results through reference/, never the scripts"),
    (("bench",), "tests", "benchmarks build tiny data with data.tiny, like the tests"),
    (LIBRARY_FOLDERS, "ui", "library code knows nothing of the app"),
    (LIBRARY_FOLDERS, "views", "library code knows nothing of the pages"),
]


def wrong_way(graph: dict[str, set[str]], importers: tuple[str, ...], imported: str) -> list[str]:
    return sorted(f"{module} -> {target}" for module, targets in graph.items()
                  if module.split(".")[0] in importers for target in targets if target.split(".")[0] == imported)


@pytest.mark.parametrize(("importers", "imported", "why"), FORBIDDEN, ids=[f"{a[0]}-{b}" for a, b, _ in FORBIDDEN])
def test_imports_point_one_way(importers, imported, why):
    assert wrong_way(import_graph(), importers, imported) == [], why


def test_the_direction_check_finds_a_wrong_import():
    assert wrong_way({"ui.lesson": {"views.catalog", "ui.charts"}, "views.home": {"ui.lesson"}}, ("ui",), "views") \
        == ["ui.lesson -> views.catalog"]
