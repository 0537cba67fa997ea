"""The transfer dialogs on their own: in “Chuyển đến phần mềm iGate” the officer can tell which file is the
signed result; “Lấy từ iDesk” downloads no file the officer did not choose but the first PDF it previews."""

from __future__ import annotations

import pytest

from app.domain import (
    Attachment,
    AttachmentRole,
    AttachmentVersion,
    DocumentFolder,
    DocumentStatus,
    FileRef,
    IDeskDocument,
    IDeskDocumentSummary,
)
from app.views.transfer_dialog import TransferDialog

pytestmark = pytest.mark.gui


def _attachment(id_: str, kind: str, role: AttachmentRole, version: int) -> Attachment:
    file = FileRef(id=f"f-{id_}", name="quyet-dinh.pdf", size=268_000, sha256="0" * 64)
    return Attachment(id=id_, name="quyet-dinh.pdf", kind=kind, role=role,
                      versions=(AttachmentVersion(version=version, file=file),))


def test_the_draft_and_its_result_of_the_same_name_are_told_apart(qtbot):
    summary = IDeskDocumentSummary(
        id="d1", summary="Cấp phép hoạt động in", form="Quyết định", dossier_code="000.00.20.H09-261123-0001",
        status=next(iter(DocumentStatus)), folder=next(iter(DocumentFolder)),
    )
    document = IDeskDocument(summary=summary, attachments=(
        _attachment("a-main", "draft", AttachmentRole.MAIN, 4),
        _attachment("a-result", "result", AttachmentRole.REFERENCE, 1),
    ))
    dialog = TransferDialog(document, backend=None, runner=None)
    qtbot.addWidget(dialog)
    rows = [dialog.files.topLevelItem(i) for i in range(dialog.files.topLevelItemCount())]
    kinds = {row.text(1) for row in rows}
    assert kinds == {"Văn bản dự thảo", "Tệp kết quả"}
    assert dialog.chosen() == ["a-result"]  # the result is the one proposed


class _Runner:
    """The task runner, answering at once on the UI thread."""

    def run(self, work, *, receiver, on_success, on_failure, **_kwargs):
        on_success(work(None))


class _Opener:
    def __init__(self) -> None:
        self.fetched: list[str] = []

    def fetch(self, ref, _source, _on_ready) -> None:
        self.fetched.append(ref.name)


@pytest.mark.parametrize(("names", "previewed"), [
    (("bien-ban.docx", "ket-qua.pdf"), ["ket-qua.pdf"]),
    (("bien-ban.docx", "bang-ke.xlsx"), []),
    (("ket-qua.pdf.exe", "bang-ke.xlsx"), []),  # a name ending in .exe is not a PDF
])
def test_fetch_shows_the_first_pdf_and_downloads_no_other_file_unasked(qtbot, names, previewed):
    from types import SimpleNamespace

    from app.domain import ResultFile
    from app.views.fetch_dialog import FetchDialog
    from app.views.qt import QWidget

    files = [ResultFile(document_id="d1", document_summary="Cấp phép hoạt động in", attachment_id=f"a{i}",
                        version=1, file=FileRef(id=f"f{i}", name=name, size=1000, sha256=f"{i}" * 64))
             for i, name in enumerate(names)]
    dossier = SimpleNamespace(code="000.00.20.H09-261123-0001", result_files=(),
                              summary=SimpleNamespace(procedure_name="Cấp phép hoạt động in"))
    backend = SimpleNamespace(idesk=SimpleNamespace(result_files=lambda _code: files))
    opener = _Opener()
    dialog = FetchDialog(dossier, backend, _Runner(), opener, preview_factory=QWidget)
    qtbot.addWidget(dialog)
    assert dialog.files.topLevelItemCount() == len(names)
    assert opener.fetched == previewed
    assert (dialog.files.currentItem() is None) == (not previewed)
