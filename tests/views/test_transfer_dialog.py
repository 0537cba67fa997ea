"""“Chuyển đến phần mềm iGate”: the officer can tell which file is the signed result."""

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
