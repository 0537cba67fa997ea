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
