"""Opening files: PDFs go to the preview, other files to LibreOffice (when installed) or the system."""

from __future__ import annotations

import shutil

import pytest

from app.views.file_opener import FileOpener
from app.views.tasks import TaskRunner


def _opener(tmp_path, previewed, external, soffice=""):
    runner = TaskRunner(on_error=pytest.fail)
    return FileOpener(
        runner, tmp_path, {}, lambda p: previewed.append(p) or True,
        open_external=lambda p: external.append(p) or True, soffice=soffice,
    )


def test_pdf_goes_to_the_preview_and_a_document_to_the_system(qtbot, tmp_path):
    previewed, external = [], []
    opener = _opener(tmp_path, previewed, external)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    docx = tmp_path / "to-trinh.docx"
    docx.write_bytes(b"PK\x03\x04")
    with qtbot.waitSignal(opener.opened) as first:
        opener.show(pdf)
    with qtbot.waitSignal(opener.opened) as second:
        opener.show(docx)
    assert first.args == [pdf, "preview"] and previewed == [pdf]
    assert second.args == [docx, "system"] and external == [docx]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_document_is_converted_with_libreoffice(qtbot, tmp_path):
    previewed, external = [], []
    opener = _opener(tmp_path, previewed, external, soffice=shutil.which("soffice"))
    doc = tmp_path / "ghi-chu.rtf"
    doc.write_text(r"{\rtf1 Ghi chu}", encoding="utf-8")
    with qtbot.waitSignal(opener.opened, timeout=120000) as blocker:
        opener.show(doc)
    assert blocker.args[1] == "converted" and previewed[0].suffix == ".pdf"
