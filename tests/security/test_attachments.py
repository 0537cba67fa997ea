"""Attachments from iGate/iDesk are never executed, and their names never leave their folder.

Each attack goes through a sandbox over real HTTP and the real main window."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import DocumentStatus
from app.views.file_opener import may_open
from app.views.qt import QFileDialog, QMessageBox, Qt
from tests.fixtures.gui import build_harness, close_harness
from tests.security.hostile import RLO, rename_component_files, rename_idesk_attachments

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

EXECUTABLE = [".exe", ".bat", ".cmd", ".com", ".scr", ".pif", ".msi", ".js", ".jse", ".vbs", ".vbe", ".wsf",
              ".hta", ".lnk", ".url", ".ps1", ".reg", ".cpl", ".jar", ".iso", ".img", ".appx", ".docm", ".xlsm",
              ".html", ".svg", ".zip", ".csv", ".chm", ".settingcontent-ms", ""]


@pytest.mark.parametrize("ext", EXECUTABLE)
def test_only_document_types_may_be_opened(ext):
    assert not may_open(f"thong-bao{ext}")
    assert not may_open(f"thong-bao.pdf{ext}  ..") or not ext


def test_documents_and_images_may_be_opened():
    for name in ("a.pdf", "b.DOCX", "c.xlsx", "d.odt", "e.png", "f.jpg", "g.txt"):
        assert may_open(name)
    assert not may_open(f"van-ban-{RLO}fdp.exe")


@pytest.fixture
def hostile_box(make_sandbox):
    box = make_sandbox()
    rename_component_files(box, [f"van-ban-{RLO}fdp.exe", "..\\..\\Startup\\run.bat", "bao-cao.pdf:x.js"])
    return box


def _file_items(tree):
    def walk(item):
        yield item
        for i in range(item.childCount()):
            yield from walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        yield from walk(tree.topLevelItem(i))


def test_double_clicked_executable_is_refused_and_offered_for_saving(qtbot, hostile_box, tmp_path, file_keyring,
                                                                    monkeypatch):
    harness = build_harness(qtbot, hostile_box, tmp_path, file_keyring)
    try:
        harness.gui.start(silent=False)
        window = harness.sign_in(qtbot, "hoant")
        rows = window.dossier_model.rows()
        window.dossier_panel.select_source_row(0, quiet=False)
        qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
        detail = window.details.dossier
        assert rows and detail.dossier.components
        item = next(i for i in _file_items(detail.tree) if "fdp.exe" in i.text(0))
        # Shown with the override neutralised: the real extension is visible.
        assert RLO not in item.text(0) and item.text(0).endswith("fdp.exe")
        assert RLO not in item.toolTip(0)

        detail.tree.setCurrentItem(item)
        detail.tree.itemDoubleClicked.emit(item, 0)
        box = window.dialogs.get("refused")
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert ".exe" in box.text() and RLO not in box.text()
        assert harness.external == []
        assert not any(Path(harness.paths.cache_dir).rglob("*fdp*"))

        dest = tmp_path / "saved" / "kiem-tra.bin"
        dest.parent.mkdir()
        offered = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda _parent, _title, suggested: offered.append(suggested) or (str(dest), ""))
        save = next(b for b in box.buttons() if b.text() == "Lưu về máy…")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dest.is_file(), timeout=15000)
        assert Path(offered[0]).parent == Path.home() and Path(offered[0]).name == "van-ban-_fdp.exe"
        assert harness.external == []

        for item in _file_items(detail.tree):
            ref = item.data(0, Qt.ItemDataRole.UserRole + 10)
            if ref is not None and not may_open(ref.name):
                window.file_opener.open(ref, "igate")
                assert harness.external == []
    finally:
        close_harness(harness)


def test_batch_downloads_stay_in_the_batch_folder(qtbot, make_sandbox, tmp_path, file_keyring, softhsm_token):
    from app.config import Settings
    from app.views.signing.install import install

    box = make_sandbox()
    rename_idesk_attachments(box, "../../../../thoat-ra-ngoai.pdf")
    harness = build_harness(qtbot, box, tmp_path, file_keyring,
                            settings=Settings(pkcs11_modules=(softhsm_token.module_path,)),
                            extensions=[install])
    try:
        harness.gui.start(silent=False)
        with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
            window = harness.sign_in(qtbot, "tuanlv")
        actions = window.signing_actions
        waiting = [d for d in window.document_model.rows()
                   if d.status in (DocumentStatus.DRAFT, DocumentStatus.INITIALED)]
        assert len(waiting) >= 2
        actions.batch.trigger()
        qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=30000)
        folder = Path(actions.ctx.work_dir) / "batch"
        paths = actions.dialog.files
        assert len(paths) == len(waiting) and len({p.name.casefold() for p in paths}) == len(paths)
        assert all(p.parent == folder and p.is_file() for p in paths)
        assert not list(tmp_path.rglob("thoat-ra-ngoai.pdf"))
        assert not list(Path(actions.ctx.work_dir).parent.parent.rglob("thoat-ra-ngoai.pdf"))
        actions.dialog.reject()
        actions.ctx.service.close()
    finally:
        close_harness(harness)
