"""Every Vietnamese string of the interface has its English translation, and the .qm matches the .ts."""

from __future__ import annotations

import ast
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.resources import resource
from app.views.qt import QTranslator

ROOT = Path(__file__).resolve().parents[2]
TS = resource("translations", "lienthong_en.ts")
QM = resource("translations", "lienthong_en.qm")


def _messages(path: Path) -> dict[tuple[str, str], str | None]:
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.find("name").text
        for message in ctx.iter("message"):
            translation = message.find("translation")
            done = translation.get("type") not in ("unfinished", "vanished", "obsolete")
            out[(name, message.find("source").text)] = translation.text if done else None
    return out


def _lupdate() -> list[str]:
    # The Qt tools ship inside the installed PySide6 package; PATH may not hold the venv's scripts.
    import PySide6

    package = Path(PySide6.__file__).parent
    for name in ("lupdate", "lupdate.exe"):
        if (package / name).is_file():
            return [str(package / name)]
    pytest.fail(f"lupdate is missing from the installed PySide6 at {package}")


def test_every_interface_string_has_an_english_translation(tmp_path):
    sources = sorted(str(p) for p in (ROOT / "app" / "views").rglob("*.py"))
    extracted = tmp_path / "extracted.ts"
    subprocess.run([*_lupdate(), *sources, "-ts", str(extracted)], check=True, capture_output=True, timeout=120)
    wanted = _messages(extracted)
    assert len(wanted) > 150
    catalog = _messages(TS)
    missing = [key for key in wanted if not catalog.get(key)]
    assert missing == []


def test_compiled_catalog_matches_the_source(qapp):
    translator = QTranslator()
    assert translator.load(str(QM))
    catalog = _messages(TS)
    assert catalog
    wrong = [
        (ctx, src)
        for (ctx, src), text in catalog.items()
        if text and translator.translate(ctx, src) != text
    ]
    assert wrong == []


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_login_window_in_english(qtbot, qapp, sandbox):
    from app.views.i18n import switch_language
    from app.views.login_window import LoginWindow

    switch_language(qapp, "en")
    try:
        window = LoginWindow({"training": sandbox.profile()}, "training", "en")
        qtbot.addWidget(window)
        assert window.sign_in_button.text() == "Sign in through SSO"
        assert window.profile_combo.itemText(0) == "Training server (sample data)"
    finally:
        switch_language(qapp, "vi")
    plain = LoginWindow({"training": sandbox.profile()}, "training", "vi")
    qtbot.addWidget(plain)
    assert plain.sign_in_button.text() == "Đăng nhập qua SSO"


# ---- the core's messages (app.text.Text) ---------------------------------------------------------

CORE = ("app/services", "app/signing", "app/cli", "app/errors.py", "app/domain.py", "app/config.py")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
# "Tiếng Việt / English" in one literal: the reader would get both, or a parser splitting them.
BILINGUAL = re.compile(VIETNAMESE.pattern + r"[^/]*\s/\s+[A-Z]|^\s*/\s+[A-Z]", re.IGNORECASE)
# Argparse's help is built before --lang is read; it is bilingual on purpose.
ARGPARSE = {"add_argument", "add_parser", "add_argument_group", "add_mutually_exclusive_group", "ArgumentParser"}
# Calls whose text reaches the officer as a step of work in progress.
PROGRESS = {"progress", "say", "fixed", "done", "chunk", "report"}


def _core_modules() -> list[Path]:
    files: list[Path] = []
    for part in CORE:
        path = ROOT / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _core_findings() -> tuple[list[str], list[str], list[str]]:
    """(Text(...) calls missing a language, bilingual literals, Vietnamese-only progress texts)."""
    incomplete, bilingual, progress_vi = [], [], []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped: set[int] = set()
        help_names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = node.body[0] if node.body else None
                if isinstance(doc, ast.Expr) and _literal(doc.value) is not None:
                    skipped.add(id(doc.value))
            if isinstance(node, ast.Call) and _name(node.func) in ARGPARSE:
                skipped.update(id(n) for n in ast.walk(node))
                help_names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
        for node in tree.body:  # module constants that only feed argparse (an epilog)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in help_names for t in node.targets):
                skipped.update(id(n) for n in ast.walk(node.value))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) == "Text":
                texts = [_literal(a) for a in node.args]
                given = [t for t in texts if t is not None]
                if len(texts) != 2 or not all(given) or (len(given) == 2 and given[0] == given[1]):
                    incomplete.append(f"{where}:{node.lineno}")
            if isinstance(node, ast.Call) and _name(node.func) in PROGRESS:
                # One language given where a step of work is reported (`ctx.say(vi, en)` gives two).
                texts = [t for t in map(_literal, node.args) if t]
                if len(texts) == 1 and VIETNAMESE.search(texts[0]):
                    progress_vi.append(f"{where}:{node.lineno} {texts[0][:50]!r}")
            text = _literal(node) if id(node) not in skipped else None
            if text and BILINGUAL.search(text):
                bilingual.append(f"{where}:{node.lineno} {text[:60]!r}")
    return incomplete, bilingual, progress_vi


def test_every_core_message_carries_vietnamese_and_english():
    incomplete, bilingual, progress_vi = _core_findings()
    assert len(_core_modules()) > 50
    assert incomplete == []
    assert bilingual == []
    assert progress_vi == []


def test_core_messages_render_in_the_asked_language():
    from app.errors import SessionExpiredError
    from app.signing.pades import NO_TSA_WARNING
    from app.text import Text, render

    assert NO_TSA_WARNING.render("en").startswith("No time-stamping server")
    assert NO_TSA_WARNING.render("vi").startswith("Chưa cấu hình")
    assert SessionExpiredError().text.render("en") == SessionExpiredError().message("en")
    assert render(Text("Hoàn tất", "Done"), "en-GB") == "Done" and render("tệp.pdf", "en") == "tệp.pdf"


def test_views_render_core_messages_in_the_interface_language():
    """A view never fixes the language of a core message (`exc.message("vi")`): it renders it in
    the interface's language, which may change while it is open."""
    fixed = re.compile(r"""\.message\(\s*["'](vi|en)["']\s*\)""")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "app" / "views").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line)
    ]
    assert found == []
