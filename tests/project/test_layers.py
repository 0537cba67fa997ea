"""The layer rules, read from the source: Qt only in app/views, and the core never reaches up.

app/services and app/signing are used by the CLI, the GUI and the tests alike; they must not import
the GUI, the command line or the training servers. Imports are read with `ast`, so lazy imports
inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
CORE = ("app.services", "app.signing", "app.domain", "app.errors", "app.config", "app.fileio", "app.paths",
        "app.safe_names", "app.motw", "app.redact")
UPPER = ("app.views", "app.cli", "app.sandbox")
QT = ("PySide6", "shiboken6")


def _module(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


SOURCES = {_module(p): _imports(p) for p in sorted(APP.rglob("*.py"))}


def _offending(modules: tuple[str, ...], forbidden: tuple[str, ...], exempt: str = "") -> dict[str, list[str]]:
    found = {m: [n for n in names if _within(n, forbidden)]
             for m, names in SOURCES.items() if _within(m, modules) and m != exempt}
    return {m: names for m, names in found.items() if names}


def test_qt_is_imported_only_in_app_views():
    outside = {
        m: [n for n in names if _within(n, QT)] for m, names in SOURCES.items() if not _within(m, ("app.views",))
    }
    assert {m: names for m, names in outside.items() if names} == {}


def test_views_import_qt_only_through_the_qt_module():
    assert _offending(("app.views",), QT, exempt="app.views.qt") == {}


def test_the_core_never_imports_the_gui_the_cli_or_the_sandbox():
    assert _offending(CORE, UPPER) == {}


def test_the_sandbox_never_imports_the_gui_or_the_cli():
    assert _offending(("app.sandbox",), ("app.views", "app.cli")) == {}


def _module_level_imports(path: Path) -> set[str]:
    """App modules imported when `path` is imported: statements outside functions, including the
    ones under `if TYPE_CHECKING:` (a cycle there is still a cycle between the two designs)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                # `from package import submodule` imports the submodule.
                found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in SOURCES else base for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit([n for n in getattr(node, field, []) if isinstance(n, ast.stmt | ast.ExceptHandler)])

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)).body)
    return {name for name in found if name in SOURCES and name != module}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_no_import_cycles_among_app_modules():
    graph = {_module(p): _module_level_imports(p) for p in sorted(APP.rglob("*.py"))}
    assert _cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
