"""The project's own code, read from its files (never imported): a function and the code it calls.

Task pages show a builder's source this way without importing TensorFlow, and
`training.export` copies the real code of a run into one standalone script instead of keeping
a hand-written template that could drift. Everything is found with `ast`: top-level functions,
classes and constants, followed through the project's `from x import y` statements (also those
inside functions), until only third-party imports and builtins are left.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILTINS = set(dir(builtins))

# An external import: ("import", module, None, asname) or ("from", module, name, asname).
External = tuple[str, str, "str | None", "str | None"]


def module_file(module: str) -> Path | None:
    """The file of a module of this project (a top-level folder with an __init__.py), else None."""
    parts = module.split(".")
    if not (ROOT / parts[0] / "__init__.py").is_file():
        return None
    path = ROOT.joinpath(*parts).with_suffix(".py")
    return path if path.is_file() else None


def relative_name(module: str) -> str:
    return module.replace(".", "/") + ".py"


@dataclass
class Module:
    name: str
    lines: list[str]
    tree: ast.Module
    definitions: dict[str, ast.stmt] = field(default_factory=dict)  # top-level name -> statement
    project_imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (module, name)
    external_imports: dict[str, list[External]] = field(default_factory=dict)  # `import a.b, a.c` bind `a` twice
    imported_modules: list[str] = field(default_factory=list)  # project modules imported at the top


@lru_cache(maxsize=64)
def _parse(path: Path, modified: int) -> tuple[str, ast.Module]:
    text = path.read_text(encoding="utf-8")
    return text, ast.parse(text, filename=str(path))


def load_module(module: str) -> Module:
    path = module_file(module)
    if path is None:
        raise ValueError(f"{module} is not a module of this project")
    text, tree = _parse(path, path.stat().st_mtime_ns)
    parsed = Module(module, text.splitlines(), tree)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            parsed.definitions[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        parsed.definitions[name.id] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            project, external = _imports(node)
            parsed.project_imports.update(project)
            for name, item in external.items():
                parsed.external_imports.setdefault(name, []).append(item)
            parsed.imported_modules += [source for source, _ in project.values()]
    return parsed


def _imports(node: ast.Import | ast.ImportFrom) -> tuple[dict[str, tuple[str, str]], dict[str, External]]:
    """(project names, external names) bound by an import statement."""
    project, external = {}, {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            if module_file(alias.name) is not None:
                raise ValueError(f"`import {alias.name}` (a project module): use `from ... import ...`")
            external[alias.asname or alias.name.split(".")[0]] = ("import", alias.name, None, alias.asname)
        return project, external
    if node.level or node.module is None:
        raise ValueError("relative imports are not supported")
    if node.module == "__future__":
        return project, external
    for alias in node.names:
        local = alias.asname or alias.name
        if module_file(node.module) is not None:
            project[local] = (node.module, alias.name)
        else:
            external[local] = ("from", node.module, alias.name, alias.asname)
    return project, external


def bound_name(external: External) -> str:
    kind, module, name, asname = external
    return asname or (name if kind == "from" else module.split(".")[0])


def bound_object(external: External) -> tuple[str, ...]:
    """What the name refers to: `import a.b` and `import a.c` both bind the package `a`."""
    kind, module, name, asname = external
    if kind == "from":
        return ("from", module, name)
    return ("module", module if asname else module.split(".")[0])


def walk_code(node: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk` without annotations: with `from __future__ import annotations` they are never
    evaluated, so they are not dependencies."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for name, value in ast.iter_fields(current):
            if name in ("annotation", "returns"):
                continue
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


@dataclass(frozen=True)
class Unit:
    """A top-level definition, or one method of a top-level class (`name` is "Class.method")."""

    module: str
    name: str

    @property
    def top_name(self) -> str:
        return self.name.split(".")[0]

    @property
    def is_method(self) -> bool:
        return "." in self.name


@dataclass
class Scan:
    """What one unit uses: free names (with where they are looked up), attributes, project imports
    inside its functions (statements to drop from the copy)."""

    names: list[ast.Name]
    attributes: set[str]
    local_imports: dict[str, tuple[str, str]]
    local_import_nodes: list[ast.ImportFrom]


def _parts(node: ast.AST, methods: bool) -> list[ast.AST]:
    """The parts of a statement that belong to its unit: a class without its methods (each
    method is a unit of its own) unless `methods`."""
    if isinstance(node, ast.ClassDef) and not methods:
        return [*node.decorator_list, *node.bases, *node.keywords,
                *[item for item in node.body if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]]
    return [node]


def scan(nodes: Iterable[ast.AST], defined_name: str | None = None) -> Scan:
    bound, global_names, loads, attributes = set(), set(), [], set()
    local_imports, import_nodes = {}, []
    for part in nodes:
        for node in walk_code(part):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    loads.append(node)
                else:
                    bound.add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not part:
                bound.add(node.name)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                global_names.update(node.names)
            elif isinstance(node, ast.Attribute):
                attributes.add(node.attr)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and node is not part:
                project, external = _imports(node)
                if project:
                    if external:
                        raise ValueError("an import mixing project and other names")
                    local_imports.update(project)
                    import_nodes.append(node)
                bound.update(external)
    if defined_name is not None:
        bound.discard(defined_name)  # an assignment's own target is the module-level name
    bound -= global_names
    free = [name for name in loads if name.id not in bound]
    return Scan(free, attributes, local_imports, import_nodes)


@dataclass
class Collected:
    """The units a set of entry points needs, and how to write them out."""

    modules: dict[str, Module]
    units: set[Unit]
    externals: set[External]
    attributes: set[str]
    scans: dict[Unit, Scan]
    resolved: dict[tuple[Unit, int], Unit]  # (unit, id of a Name node) -> the unit it refers to
    renames: dict[tuple[str, str], str] = field(default_factory=dict)  # (module, name) -> new name

    def emitted_name(self, module: str, name: str) -> str:
        return self.renames.get((module, name), name)


class Collector:
    def __init__(self):
        self.modules: dict[str, Module] = {}

    def module(self, name: str) -> Module:
        if name not in self.modules:
            self.modules[name] = load_module(name)
        return self.modules[name]

    def definition(self, module: str, name: str, seen: tuple = ()) -> tuple[str, str] | list[External] | None:
        """Where `name`, as seen from the top level of `module`, is defined: (module, name) of a
        project definition, the external imports that bind it, or None for a builtin."""
        parsed = self.module(module)
        if name in parsed.definitions:
            return module, name
        if name in parsed.project_imports:
            source, original = parsed.project_imports[name]
            if (source, original) in seen:
                raise ValueError(f"import cycle for {original} in {source}")
            return self.definition(source, original, (*seen, (source, original)))
        if name in parsed.external_imports:
            return parsed.external_imports[name]
        if name in BUILTINS or (name.startswith("__") and name.endswith("__")):
            return None
        raise ValueError(f"{relative_name(module)}: cannot find where {name!r} comes from")

    def node(self, unit: Unit) -> ast.AST:
        parsed = self.module(unit.module)
        top = parsed.definitions[unit.top_name]
        if not unit.is_method:
            return top
        method = unit.name.split(".", 1)[1]
        return next(item for item in top.body
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method)

    def collect(self, entries: Iterable[tuple[str, str]], attributes: Iterable[str] = ()) -> Collected:
        """Every unit the `entries` ((module, name) pairs) need, followed to a fixed point.

        A class with a base class (a Keras layer, an exception) is kept whole: its methods are
        called by the framework. A plain class keeps its dunder methods and the methods whose
        name is used as an attribute somewhere in the collected code.
        """
        units, externals, scans, resolved = set(), set(), {}, {}
        seen_attributes = set(attributes)
        waiting: dict[str, list[Unit]] = {}
        queue = [Unit(*self._definition_unit(module, name)) for module, name in entries]
        while queue:
            unit = queue.pop()
            if unit in units:
                continue
            units.add(unit)
            node = self.node(unit)
            defined = unit.name if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            found = scan(_parts(node, methods=False), defined)
            scans[unit] = found
            for name in found.names:
                if name.id in found.local_imports:
                    where = self.definition(*found.local_imports[name.id])
                else:
                    where = self.definition(unit.module, name.id)
                if where is None:
                    continue
                if isinstance(where, list):
                    externals.update(where)
                    continue
                target = Unit(*where)
                resolved[(unit, id(name))] = target
                queue.append(target)
            for module, name in found.local_imports.values():
                queue.append(Unit(*self._definition_unit(module, name)))
            if isinstance(node, ast.ClassDef) and not unit.is_method:
                whole = bool(node.bases)
                for item in node.body:
                    if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        continue
                    method = Unit(unit.module, f"{node.name}.{item.name}")
                    dunder = item.name.startswith("__") and item.name.endswith("__")
                    if whole or dunder or item.name in seen_attributes:
                        queue.append(method)
                    else:
                        waiting.setdefault(item.name, []).append(method)
            for attribute in found.attributes - seen_attributes:
                seen_attributes.add(attribute)
                queue.extend(waiting.pop(attribute, []))
        return Collected(self.modules, units, externals, seen_attributes, scans, resolved)

    def _definition_unit(self, module: str, name: str) -> tuple[str, str]:
        where = self.definition(module, name)
        if not isinstance(where, tuple):
            raise ValueError(f"{name} in {relative_name(module)} is not code of this project")
        return where


def assign_names(collected: Collected, reserved: Iterable[str] = ()) -> None:
    """Rename top-level definitions whose names clash across modules (or with `reserved`):
    `_mnist` of training/datasets.py becomes `datasets_mnist`, constants get an upper-case prefix."""
    owners: dict[str, set[str]] = {}
    for unit in collected.units:
        if not unit.is_method:
            owners.setdefault(unit.name, set()).add(unit.module)
    taken = set(reserved) | {bound_name(external) for external in collected.externals}
    clashing = {name for name, modules in owners.items() if len(modules) > 1 or name in taken}
    for name in sorted(clashing):
        modules = sorted(owners[name])
        short = [module.rsplit(".", 1)[-1] for module in modules]
        prefixes = short if len(set(short)) == len(short) else [module.replace(".", "_") for module in modules]
        for module, prefix in zip(modules, prefixes):
            stem = name.lstrip("_")
            new = f"{prefix.upper()}_{stem}" if stem.isupper() else f"{prefix}_{stem}"
            if new in owners or new in taken or new in collected.renames.values():
                raise ValueError(f"cannot rename {name} of {module}: {new} is taken too")
            collected.renames[(module, name)] = new


def _start_line(module: Module, node: ast.AST, with_comments: bool = True) -> int:
    """First line of a definition: its decorators, and the comment lines right above it."""
    start = min([node.lineno, *[item.lineno for item in getattr(node, "decorator_list", [])]])
    while with_comments and start > 1 and module.lines[start - 2].strip().startswith("#"):
        start -= 1
    return start


def unit_text(collected: Collected, collector: Collector, unit: Unit) -> str:
    """The source of a top-level unit as it goes into a script: project imports inside it
    dropped, clashing names renamed, unused methods of plain classes left out."""
    module = collected.modules[unit.module]
    node = collector.node(unit)
    first, last = _start_line(module, node), node.end_lineno
    drop: set[int] = set()  # line numbers (1-based) to leave out
    edits: list[tuple[int, int, int, str]] = []  # (line, start byte, end byte, new text)
    members = [unit]
    if isinstance(node, ast.ClassDef):
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = Unit(unit.module, f"{node.name}.{item.name}")
                if method in collected.units:
                    members.append(method)
                else:
                    start = _start_line(module, item)
                    drop.update(range(start, item.end_lineno + 1))
                    if module.lines[start - 2].strip() == "":
                        drop.add(start - 1)  # and the blank line before it
    for member in members:
        found = collected.scans[member]
        for statement in found.local_import_nodes:
            drop.update(range(statement.lineno, statement.end_lineno + 1))
            if statement.end_lineno < len(module.lines) and module.lines[statement.end_lineno].strip() == "":
                drop.add(statement.end_lineno + 1)
        for name in found.names:
            target = collected.resolved.get((member, id(name)))
            if target is not None:
                new = collected.emitted_name(target.module, target.top_name)
                if new != name.id:
                    edits.append((name.lineno, name.col_offset, name.end_col_offset, new))
    own = collected.emitted_name(unit.module, unit.name)
    if own != unit.name:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id == unit.name:
                        edits.append((name.lineno, name.col_offset, name.end_col_offset, own))
        else:
            line = module.lines[node.lineno - 1]
            match = re.search(rf"\b(def|class)\s+({re.escape(unit.name)})\b", line)
            start = len(line[:match.start(2)].encode("utf-8"))
            edits.append((node.lineno, start, start + len(unit.name.encode("utf-8")), own))
    lines = [line.encode("utf-8") for line in module.lines[first - 1:last]]
    for line_number, start, end, new in sorted(edits, reverse=True):
        index = line_number - first
        lines[index] = lines[index][:start] + new.encode("utf-8") + lines[index][end:]
    kept = [line.decode("utf-8") for number, line in enumerate(lines, start=first) if number not in drop]
    return "\n".join(kept)


def module_order(collected: Collected, first: Iterable[str] = ()) -> list[str]:
    """Modules with collected units, each after the modules its code uses: first those it imports
    at the top (needed when it is defined), then those used inside functions (for reading order).
    `first` (the entry points' modules, in reading order) come as early as that allows."""
    wanted = {unit.module for unit in collected.units}
    uses: dict[str, list[str]] = {name: [] for name in wanted}
    for (unit, _), target in collected.resolved.items():
        if target.module != unit.module:
            uses[unit.module].append(target.module)
    for unit, found in collected.scans.items():
        uses[unit.module] += [module for module, _ in found.local_imports.values()]
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for used in [*collected.modules[name].imported_modules, *uses.get(name, [])]:
            if used in wanted:
                visit(used)
        visiting.discard(name)
        order.append(name)

    for name in [*first, *sorted(wanted)]:
        if name in wanted:
            visit(name)
    return order


def external_import_lines(externals: Iterable[External]) -> list[str]:
    plain = sorted({(module, asname) for kind, module, _, asname in externals if kind == "import"})
    lines = [f"import {module}" + (f" as {asname}" if asname else "") for module, asname in plain]
    grouped: dict[str, set[str]] = {}
    for kind, module, name, asname in externals:
        if kind == "from":
            grouped.setdefault(module, set()).add(name + (f" as {asname}" if asname else ""))
    lines += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(grouped.items())]
    return lines


def module_sections(collected: Collected, collector: Collector, modules: list[str], text, skip=()) -> list[str]:
    """One section per module: a header comment and its units in file order, consecutive
    constants together as in their file; `text(unit)` gives each unit's source."""
    sections = []
    for name in modules:
        chosen = sorted((unit for unit in collected.units if unit.module == name and not unit.is_method
                         and unit not in skip), key=lambda unit: collector.node(unit).lineno)
        parts: list[str] = []
        previous = False
        for unit in chosen:
            source = text(unit)
            if source in parts:
                continue  # one statement that defines several names
            constant = isinstance(collector.node(unit), (ast.Assign, ast.AnnAssign))
            if parts:
                parts.append("\n" if constant and previous else "\n\n\n")
            parts.append(source)
            previous = constant
        if parts:
            sections.append(f"# ---- from {relative_name(name)} " + "-" * max(0, 60 - len(name)) + "\n\n"
                            + "".join(parts))
    return sections


def collected_source(entries: list[tuple[str, str]], attributes: Iterable[str] = (),
                     extra_imports: Iterable[External] = ()) -> tuple[str, Collected]:
    """Imports and every needed unit, module by module, ready to run on its own; `extra_imports`
    are what the caller's own code appended to it needs."""
    collector = Collector()
    collected = collector.collect(entries, attributes)
    collected.externals.update(extra_imports)
    bound: dict[str, tuple[str, ...]] = {}
    for external in sorted(collected.externals, key=str):
        name = bound_name(external)
        if bound.setdefault(name, bound_object(external)) != bound_object(external):
            raise ValueError(f"{name} means two things in the copied code: {bound[name]} and {external}")
    assign_names(collected)
    modules = module_order(collected, first=[module for module, _ in entries])
    sections = module_sections(collected, collector, modules, lambda unit: unit_text(collected, collector, unit))
    imports = ["from __future__ import annotations", "", *external_import_lines(collected.externals)]
    return "\n".join(imports) + "\n\n\n" + "\n\n\n".join(sections) + "\n", collected


@dataclass(frozen=True)
class BuilderCode:
    """A builder's own source, and the project code it calls (helpers, layers), for a page."""

    imports: str  # the third-party imports the builder and its helpers use
    builder: str
    helpers: str
    files: tuple[str, ...]


def builder_code(module: str, function: str) -> BuilderCode:
    """The builder `module.function` exactly as written in its file, and the project code it
    calls (its own module's first), read with `ast`: nothing is imported, so no TensorFlow."""
    collector = Collector()
    collected = collector.collect([(module, function)])
    builder = Unit(module, function)

    def original(unit: Unit, with_comments: bool = True) -> str:
        source, node = collected.modules[unit.module], collector.node(unit)
        return "\n".join(source.lines[_start_line(source, node, with_comments) - 1:node.end_lineno])

    order = module_order(collected)
    modules = [module, *[name for name in order if name != module]]
    helpers = module_sections(collected, collector, modules, original, skip={builder})
    return BuilderCode("\n".join(external_import_lines(collected.externals)),
                       original(builder, with_comments=False), "\n\n\n".join(helpers),
                       tuple(relative_name(name) for name in order))
