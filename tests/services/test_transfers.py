"""The three transfers end to end against a fresh sandbox, including dropped connections."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from itertools import pairwise

import pytest

from app.domain import AttachmentRole, DocumentFolder
from app.errors import BadInputError, CancelledError, NotFoundError, ServiceUnavailableError, WrongStepError
from app.fileio import sha256_file
from app.sandbox.seed_data import PROCESSING, RETURNED, WAITING
from app.sandbox.server import Sandbox
from app.services.transfers import Transfers


@pytest.fixture(scope="module")
def shared_box(tmp_path_factory):
    # One sandbox for this module: each test uses its own dossier and measures changes, not totals.
    box = Sandbox(tmp_path_factory.mktemp("transfers-sandbox")).start()
    yield box
    box.stop()


@pytest.fixture
def box(shared_box):
    yield shared_box
    shared_box.faults.clear()


@pytest.fixture
def hoa(box, connect_as):
    return connect_as(box, "hoant")


def _dossier(conn, status: int, index: int = 0):
    """The index-th of hoant's dossiers at `status`; for "processing", among those iDesk had no
    document for when the module's sandbox started, so each test starts from a clean slate."""
    page = conn.igate.search_dossiers(dossier_status=[status], assignee="me", size=50)
    items = list(page.items)
    if status == PROCESSING:
        key = conn.igate.api.base_url
        if key not in _PRISTINE:  # the first call comes before any test has sent anything
            seeded = {d.dossier_code for d in conn.idesk.list_documents(size=200).items}
            _PRISTINE[key] = [s.code for s in items if s.code not in seeded]
        items = [s for code in _PRISTINE[key] for s in items if s.code == code]
    return conn.igate.get_dossier(items[index].id)


_PRISTINE: dict[str, list[str]] = {}


def _files(dossier):
    return [f for c in dossier.components for f in c.files] + [s.file for s in dossier.step_files]


def _drafts_for(conn, code):
    return conn.idesk.list_documents(folder=DocumentFolder.DRAFTS, dossier_code=code).items


def _posts(box, server, suffix):
    return [r for r in box.request_log if r.server == server and r.method == "POST" and r.path.endswith(suffix)]


def test_send_to_idesk_creates_one_draft_with_the_files_and_an_audit_entry(box, hoa, tmp_path):
    dossier = _dossier(hoa, PROCESSING, 5)
    chosen = _files(dossier)[:3]
    local = tmp_path / "Tờ trình bổ sung.pdf"
    local.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    steps = []
    doc = hoa.transfers.send_to_idesk(dossier, "  " + dossier.summary.procedure_name + " ", chosen, [local],
                                      progress=lambda d, t, label: steps.append((d, t, label)))
    assert doc.summary.dossier_code == dossier.code and doc.summary.summary == dossier.summary.procedure_name
    got = {a.name: a.latest.file.sha256 for a in doc.attachments}
    want = {f.name: f.sha256 for f in chosen} | {local.name: sha256_file(local)}
    assert got == want
    # Nothing was marked: no main document is guessed, the iGate files are dossier material.
    assert doc.main_document is None
    assert [a.role for a in doc.attachments if a.kind == "source"] == [AttachmentRole.MATERIAL] * len(chosen)
    assert [d.id for d in _drafts_for(hoa, dossier.code)] == [doc.id]
    assert steps[-1][0] == steps[-1][1] and all(a[0] <= b[0] for a, b in pairwise(steps))
    # Every step speaks both languages: the GUI and `--lang en` show it in English.
    labels = {label for _d, _t, label in steps}
    english = {label.render("en") for label in labels}
    assert english >= {f'Uploading "{local.name}" to iDesk', "Creating the draft on iDesk", "Done"}
    assert all(label.render("en") != label.render("vi") for label in labels)
    log = [e for e in hoa.igate.list_log(dossier.id) if e.action == "send-to-idesk"]
    assert len(log) == 1 and log[0].officer == "Nguyễn Thị Hoa" and log[0].dossier_code == dossier.code
    assert {f["name"] for f in log[0].detail["files"]} == set(want)
    # The same transfer again: the same draft, no new upload, no second audit entry.
    uploads = len(_posts(box, "idesk", "/files"))
    again = hoa.transfers.send_to_idesk(dossier, dossier.summary.procedure_name, list(reversed(chosen)), [local])
    assert again.id == doc.id and len(_posts(box, "idesk", "/files")) == uploads
    assert len([e for e in hoa.igate.list_log(dossier.id) if e.action == "send-to-idesk"]) == 1
    assert hoa.transfers.pending() == []


def test_send_marks_the_main_document_and_appendices(hoa, tmp_path):
    dossier = _dossier(hoa, PROCESSING, 4)
    form = _files(dossier)[0]
    own, annex = tmp_path / "to-trinh.pdf", tmp_path / "phu-luc.pdf"
    own.write_bytes(b"%PDF-1.4 own " + os.urandom(16))
    annex.write_bytes(b"%PDF-1.4 annex " + os.urandom(16))
    doc = hoa.transfers.send_to_idesk(dossier, "Tờ trình", [form], [own, annex], main=own, appendices=[annex])
    assert [(a.name, a.kind, a.role) for a in doc.attachments] == [
        (form.name, "source", AttachmentRole.MATERIAL), ("to-trinh.pdf", "draft", AttachmentRole.MAIN),
        ("phu-luc.pdf", "draft", AttachmentRole.APPENDIX)]
    # The same files with another main document is another transfer, not the first one again.
    other = hoa.transfers.send_to_idesk(dossier, "Tờ trình", [form], [own, annex], main=form)
    assert other.id != doc.id and other.main_document.name == form.name
    with pytest.raises(BadInputError):
        hoa.transfers.send_to_idesk(dossier, "Tờ trình", [form], [], main=own)


def test_send_refuses_no_file(hoa):
    processing = _dossier(hoa, PROCESSING)
    with pytest.raises(BadInputError) as info:
        hoa.transfers.send_to_idesk(processing, "Trích yếu", [], [])
    assert info.value.message_vi == "Hãy chọn ít nhất một tệp để gửi sang iDesk."
    assert _drafts_for(hoa, processing.code) == ()


def test_send_refuses_wrong_step_and_empty_summary(hoa):
    waiting = _dossier(hoa, WAITING)
    with pytest.raises(WrongStepError) as info:
        hoa.transfers.send_to_idesk(waiting, "Trích yếu", _files(waiting)[:1])
    assert "Một cửa trả kết quả" in info.value.message_vi and "không cho phép gửi sang iDesk" in info.value.message_vi
    processing = _dossier(hoa, PROCESSING)
    with pytest.raises(BadInputError):
        hoa.transfers.send_to_idesk(processing, "   ", _files(processing)[:1])
    assert _drafts_for(hoa, processing.code) == ()


def test_dropped_response_on_create_draft_gives_no_second_draft(box, hoa):
    dossier = _dossier(hoa, PROCESSING, 6)
    box.faults.add("idesk", "POST", r"/documents$", "drop-response")
    creates = len(_posts(box, "idesk", "/documents"))
    doc = hoa.transfers.send_to_idesk(dossier, "Trích yếu thử", _files(dossier)[:2])
    assert len(_posts(box, "idesk", "/documents")) == creates + 2  # the retry with the same Idempotency-Key
    assert [d.id for d in _drafts_for(hoa, dossier.code)] == [doc.id]
    assert len(hoa.igate.get_dossier(dossier.id).components) >= 1


def test_dropped_request_mid_upload_resumes_without_duplicates(box, hoa):
    dossier = _dossier(hoa, PROCESSING, 7)
    chosen = _files(dossier)[:3]
    armed = []

    def progress(done, total, label):
        # Cut the connection while the second file goes up to iDesk.
        if label.vi.startswith("Đang gửi tệp") and chosen[1].name in label.vi and not armed:
            armed.append(1)
            box.faults.add("idesk", "POST", r"/files$", "drop-request")

    with pytest.raises(ServiceUnavailableError):
        hoa.transfers.send_to_idesk(dossier, "Trích yếu", chosen, progress=progress)
    pending = hoa.transfers.pending()
    assert len(pending) == 1 and pending[0].files_done == 1 and pending[0].files_total == 3
    assert pending[0].label_vi == "Gửi sang iDesk"
    doc = hoa.transfers.resume(pending[0].key)
    assert sorted(a.name for a in doc.attachments if a.kind == "source") == sorted(f.name for f in chosen)
    assert [d.id for d in _drafts_for(hoa, dossier.code)] == [doc.id]
    assert hoa.transfers.pending() == []


def test_cancel_keeps_the_journal_and_resume_finishes(box, hoa):
    dossier = _dossier(hoa, PROCESSING, 8)
    cancel = threading.Event()

    def progress(done, total, label):
        if label.vi.startswith("Đang gửi tệp"):
            cancel.set()

    with pytest.raises(CancelledError):
        hoa.transfers.send_to_idesk(dossier, "Trích yếu", _files(dossier)[:2], progress=progress, cancel=cancel)
    assert _drafts_for(hoa, dossier.code) == ()
    [pending] = hoa.transfers.pending()
    doc = hoa.transfers.resume(pending.key)
    assert len([a for a in doc.attachments if a.kind == "source"]) == 2


def _with_results(conn):
    """A waiting dossier of hoant's whose iDesk document has result files."""
    page = conn.igate.search_dossiers(dossier_status=[WAITING], assignee="me", size=50)
    for summary in page.items:
        results = conn.idesk.result_files(summary.code)
        if results:
            return conn.igate.get_dossier(summary.id), results
    raise AssertionError("the seed has no waiting dossier with iDesk result files")


def test_fetch_from_idesk_attaches_result_files_once(box, hoa):
    dossier, results = _with_results(hoa)
    latest = max(results, key=lambda r: r.version)
    box.faults.add("igate", "PUT", r"^/pa/dossier/[^/]+$", "drop-response")
    updated = hoa.transfers.fetch_from_idesk(dossier, [latest])
    added = [f for f in updated.result_files if f.sha256 == latest.file.sha256]
    assert len(added) == 1 and len(updated.result_files) == len(dossier.result_files) + 1
    again = hoa.transfers.fetch_from_idesk(dossier, [latest])
    assert len(again.result_files) == len(updated.result_files)
    log = [e for e in hoa.igate.list_log(dossier.id) if e.action == "fetch-from-idesk"]
    assert len(log) == 1 and log[0].detail["files"][0]["sha256"] == latest.file.sha256


def test_fetch_refused_unless_processing_or_waiting(hoa):
    returned = _dossier(hoa, RETURNED)
    _, results = _with_results(hoa)
    with pytest.raises(WrongStepError):
        hoa.transfers.fetch_from_idesk(returned, results[:1])
    # The adapter reads the current task's flags again before saving the dossier.
    with pytest.raises(WrongStepError) as info:
        hoa.igate.attach_result_files(returned.id, [returned.result_files[0]])
    assert "không cho phép đính kèm kết quả" in info.value.message_vi


def test_transfer_to_igate_attaches_the_latest_versions_and_records_it(box, hoa):
    docs = hoa.idesk.list_documents(folder=DocumentFolder.OUTGOING_PROCESSING).items
    summary = next(d for d in docs if d.dossier_code)
    doc = hoa.idesk.get_document(summary.id)
    result = next(a for a in doc.attachments if a.kind == "result")
    before = hoa.igate.get_dossier_by_code(doc.summary.dossier_code)
    after = hoa.transfers.transfer_to_igate(doc, [result.id])
    assert after.id == before.id
    assert [f.sha256 for f in after.result_files].count(result.latest.file.sha256) >= 1
    assert len(after.result_files) == len(before.result_files) + 1
    assert len([r for r in box.request_log if r.path.endswith(f"{doc.id}/igate-transfers")]) == 1
    log = [e for e in hoa.igate.list_log(after.id) if e.action == "transfer-to-igate"]
    assert len(log) == 1 and log[0].detail["documentId"] == doc.id
    hoa.transfers.transfer_to_igate(doc, [result.id])
    assert len(hoa.igate.get_dossier(after.id).result_files) == len(after.result_files)


def test_transfer_to_igate_without_matching_dossier(hoa):
    docs = hoa.idesk.list_documents(folder=DocumentFolder.OUTGOING_PROCESSING).items
    doc = hoa.idesk.get_document(next(d for d in docs if d.dossier_code).id)
    orphan = replace(doc, summary=replace(doc.summary, dossier_code="000.00.20.H09-000000-9999"))
    with pytest.raises(NotFoundError) as info:
        hoa.transfers.transfer_to_igate(orphan, [doc.attachments[0].id])
    assert "Không tìm thấy hồ sơ có mã 000.00.20.H09-000000-9999" in info.value.message_vi


def test_lost_audit_call_resumes_in_a_new_process_without_a_second_draft(box, hoa, tmp_path):
    dossier = _dossier(hoa, PROCESSING, 9)
    chosen = _files(dossier)[:2]
    box.faults.add("igate", "POST", r"/me/comment$", "drop-response")  # the audit comment's answer is lost
    with pytest.raises(ServiceUnavailableError):
        hoa.transfers.send_to_idesk(dossier, "Trích yếu", chosen)
    [draft] = _drafts_for(hoa, dossier.code)
    # As after a restart: a new Transfers over the same journal folder, the same request again.
    restarted = Transfers(hoa.igate, hoa.idesk, hoa.transfers.journal.directory, hoa.user)
    uploads = len(_posts(box, "idesk", "/files"))
    doc = restarted.send_to_idesk(dossier, "Trích yếu", list(reversed(chosen)))
    assert doc.id == draft.id and len(_posts(box, "idesk", "/files")) == uploads
    assert [d.id for d in _drafts_for(hoa, dossier.code)] == [draft.id]
    # The server stored the comment on the first (lost) answer; the adapter finds it by its key.
    assert len([e for e in hoa.igate.list_log(dossier.id) if e.action == "send-to-idesk"]) == 1
    assert restarted.pending() == []


def test_finished_journals_are_pruned(box, hoa):
    from datetime import timedelta

    dossier = _dossier(hoa, PROCESSING, 10)
    hoa.transfers.send_to_idesk(dossier, "Trích yếu", _files(dossier)[:1])
    assert hoa.transfers.prune_finished(timedelta(days=1)) == 0
    assert hoa.transfers.prune_finished(timedelta(seconds=-1)) == 1
    assert list(hoa.transfers.journal.directory.iterdir()) == []


def test_send_can_add_the_files_to_the_dossiers_existing_draft(hoa, tmp_path):
    dossier = _dossier(hoa, PROCESSING, 3)
    first = hoa.transfers.send_to_idesk(dossier, "Tờ trình", _files(dossier)[:1])
    own = tmp_path / "to-trinh-moi.pdf"
    own.write_bytes(b"%PDF-1.4 new " + os.urandom(16))
    added = hoa.transfers.send_to_idesk(dossier, "Tờ trình", [], [own], main=own, into=first.id)
    assert added.id == first.id and [d.id for d in _drafts_for(hoa, dossier.code)] == [first.id]
    assert added.main_document.name == "to-trinh-moi.pdf" and len(added.attachments) == len(first.attachments) + 1
    again = hoa.transfers.send_to_idesk(dossier, "Tờ trình", [], [own], main=own, into=first.id)
    assert len(again.attachments) == len(added.attachments)
