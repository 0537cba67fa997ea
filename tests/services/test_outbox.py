"""The outbox keeps a signed file until iDesk confirms a version with the same SHA-256."""

from __future__ import annotations

import pytest

from app.domain import DocumentFolder, DocumentStatus
from app.errors import ServiceUnavailableError
from app.fileio import sha256_file
from app.services.outbox import Outbox


@pytest.fixture
def hoa(make_sandbox, connect_as):
    box = make_sandbox()
    yield box, connect_as(box, "hoant")
    box.faults.clear()


def _draft_attachment(conn):
    summary = next(d for d in conn.idesk.list_documents(folder=DocumentFolder.DRAFTS).items
                   if d.status is DocumentStatus.DRAFT)
    doc = conn.idesk.get_document(summary.id)
    att = next(a for a in doc.attachments if a.kind == "draft")
    return doc, att


def _signed(tmp_path, name="du-thao-da-ky.pdf", payload=b"signed"):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n" + payload * 2000)
    return path


def test_put_upload_confirms_then_deletes(hoa, tmp_path):
    box, conn = hoa
    doc, att = _draft_attachment(conn)
    signed = _signed(tmp_path)
    item = conn.outbox.put(doc.id, att.id, signed, "initialed")
    assert item.path != signed and item.sha256 == sha256_file(signed)
    assert [i.id for i in conn.outbox.pending()] == [item.id]
    version = conn.outbox.upload(item)
    assert version.file.sha256 == item.sha256 and version.note == "initialed"
    assert version.version == att.latest.version + 1
    assert conn.outbox.pending() == [] and not item.path.exists()
    latest = next(a for a in conn.idesk.get_document(doc.id).attachments if a.id == att.id).latest
    assert latest.file.sha256 == item.sha256
    assert conn.idesk.get_document(doc.id).summary.status is DocumentStatus.INITIALED


def test_failed_upload_keeps_the_file_and_upload_all_finishes(hoa, tmp_path):
    box, conn = hoa
    doc, att = _draft_attachment(conn)
    item = conn.outbox.put(doc.id, att.id, _signed(tmp_path), "")
    box.faults.add("idesk", "POST", r"/api/v1/files$", "drop-request")
    with pytest.raises(ServiceUnavailableError):
        conn.outbox.upload(item)
    assert item.path.is_file() and [i.id for i in conn.outbox.pending()] == [item.id]
    # A new Outbox over the same folder (the app restarted) finds and sends it.
    again = Outbox(conn.outbox.directory, conn.idesk)
    report = again.upload_all()
    assert len(report.uploaded) == 1 and report.failed == ()
    assert again.pending() == []


def test_dropped_response_on_version_gives_one_version(hoa, tmp_path):
    box, conn = hoa
    doc, att = _draft_attachment(conn)
    before = len(att.versions)
    item = conn.outbox.put(doc.id, att.id, _signed(tmp_path, payload=b"other"), "")
    box.faults.add("idesk", "POST", r"/versions$", "drop-response")
    conn.outbox.upload(item)
    after = next(a for a in conn.idesk.get_document(doc.id).attachments if a.id == att.id)
    assert len(after.versions) == before + 1
