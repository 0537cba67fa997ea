"""Every Vietnamese string of the interface has its English translation, and the .qm matches the .ts."""

from __future__ import annotations

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
    from app.views.i18n import install_translator
    from app.views.login_window import LoginWindow

    translator = install_translator(qapp, "en")
    try:
        window = LoginWindow({"training": sandbox.profile()}, "training", "en")
        qtbot.addWidget(window)
        assert window.sign_in_button.text() == "Sign in through SSO"
        assert window.profile_combo.itemText(0) == "Training server (sample data)"
    finally:
        qapp.removeTranslator(translator)
    plain = LoginWindow({"training": sandbox.profile()}, "training", "vi")
    qtbot.addWidget(plain)
    assert plain.sign_in_button.text() == "Đăng nhập qua SSO"
