"""The shared JSON client against the real sandbox: retries, timeouts, error mapping, files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain import FileRef
from app.errors import (
    FileTooLargeError,
    IntegrityError,
    NotFoundError,
    ServiceUnavailableError,
    SessionExpiredError,
)
from app.fileio import sha256_file
from app.sandbox.seed_data import PROCESSING, WAITING
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient
from app.services.http import RetryPolicy
from app.services.multipart import MultipartBody, Part
from app.services.sso import OidcClient

FAST = RetryPolicy(attempts=3, backoff_s=0.05, max_backoff_s=0.1)


@pytest.fixture(scope="module")
def session(sandbox, tmp_path_factory):
    from keyrings.alt.file import PlaintextKeyring

    from tests.services.browser import FormBrowser

    keyring = PlaintextKeyring()
    keyring.file_path = str(tmp_path_factory.mktemp("kr") / "keyring.cfg")
    return OidcClient(sandbox.profile(), keyring_backend=keyring, browser=FormBrowser("hoant")).login(timeout=30)


@pytest.fixture
def igate(sandbox, session):
    yield IGateClient(sandbox.igate_url, session, retry=FAST)
    sandbox.faults.clear()


def _count(sandbox, method, suffix):
    return sum(1 for r in sandbox.request_log if r.method == method and r.path.endswith(suffix))


def test_search_page_and_503_retried_for_get(sandbox, igate):
    sandbox.faults.add("igate", "GET", r"/pa/dossier/search$", "error-503", count=2)
    before = _count(sandbox, "GET", "/pa/dossier/search")
    igate.me()  # the officer's scope is looked up once, before the faults
    page = igate.search_dossiers(dossier_status=[PROCESSING, WAITING], size=7)
    assert _count(sandbox, "GET", "/pa/dossier/search") == before + 3
    assert len(page.items) == 7 and page.total > 7 and page.page == 0
    assert {s.status.status_id for s in page.items} <= {PROCESSING, WAITING}
    assert all(s.status.can_attach_results and not s.status.finished for s in page.items)


def test_503_on_upload_is_not_retried(sandbox, igate, tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    sandbox.faults.add("igate", "POST", r"/fi/file/--multiple$", "error-503")
    before = _count(sandbox, "POST", "/fi/file/--multiple")
    with pytest.raises(ServiceUnavailableError) as info:
        igate.upload_files([f])
    assert _count(sandbox, "POST", "/fi/file/--multiple") == before + 1
    assert "iGate" in info.value.message_vi


def test_slow_server_times_out_as_unavailable(sandbox, session):
    client = IGateClient(sandbox.igate_url, session, timeout=0.3, retry=RetryPolicy(attempts=2, backoff_s=0.01))
    sandbox.faults.add("igate", "GET", r"/hu/user/", "delay:5", count=2)
    mark = sandbox.request_log.mark()
    with pytest.raises(ServiceUnavailableError) as info:
        client.me()
    # The client gave up on its own timeout: the server has answered neither attempt yet.
    assert [r for r in sandbox.request_log.after(mark) if "/hu/user/" in r.path] == []
    assert "timeout" in info.value.detail.lower() or "timed out" in info.value.detail.lower(), info.value.detail


def test_invalid_token_refreshes_once_then_expires(sandbox, session):
    class Flaky:
        """Hands out a dead token until asked to refresh (how an access token revoked server-side looks)."""

        def __init__(self):
            self.refreshes = 0

        def access_token(self):
            return session.access_token() if self.refreshes else "not-a-token"

        def force_refresh(self, stale=None):
            self.refreshes += 1

    flaky = Flaky()
    assert IGateClient(sandbox.igate_url, flaky).history("any") == ()
    assert flaky.refreshes == 1
    with pytest.raises(SessionExpiredError):
        IGateClient(sandbox.igate_url, lambda: "not-a-token").history("any")


def test_not_found_mapping(igate):
    with pytest.raises(NotFoundError):
        igate.get_dossier("does-not-exist")
    with pytest.raises(NotFoundError) as info:
        igate.get_dossier_by_code("000.00.20.H09-000000-0000")
    assert "Không tìm thấy hồ sơ có mã 000.00.20.H09-000000-0000" in info.value.message_vi


def test_upload_download_round_trip_with_vietnamese_name(igate, tmp_path):
    src = tmp_path / "Tờ trình số 01.pdf"
    src.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 3000)
    seen = []
    [ref] = igate.upload_files([src], progress=lambda d, t: seen.append((d, t)))
    assert ref.name == src.name and ref.sha256 == sha256_file(src) and ref.size == src.stat().st_size
    assert seen[-1][0] == seen[-1][1]
    out = igate.download_file(ref, tmp_path / "out" / "copy.pdf")
    assert out.read_bytes() == src.read_bytes()


def test_checksum_mismatch_leaves_nothing_behind(igate, tmp_path):
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4 hello")
    [ref] = igate.upload_files([src])
    dest = tmp_path / "dl" / "a.pdf"
    dest.parent.mkdir()
    dest.write_bytes(b"older good copy")
    with pytest.raises(IntegrityError):
        igate.download_file(replace(ref, sha256="0" * 64), dest)
    assert dest.read_bytes() == b"older good copy"
    assert [p.name for p in dest.parent.iterdir()] == ["a.pdf"]


def test_size_limit_checked_before_sending(sandbox, session, tmp_path):
    client = IDeskClient(sandbox.idesk_url, session, max_upload_bytes=1000)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * 1001)
    before = _count(sandbox, "POST", "/api/v1/files")
    with pytest.raises(FileTooLargeError) as info:
        client.upload_file(big)
    assert "big.pdf" in info.value.message_vi
    assert _count(sandbox, "POST", "/api/v1/files") == before


def test_multipart_body_streams_in_pieces(tmp_path):
    f = tmp_path / "f.bin"
    f.write_bytes(b"a" * 600_000)
    body = MultipartBody([Part("files", f, "f.bin")])
    pieces = list(body)
    assert sum(map(len, pieces)) == len(body) and max(map(len, pieces)) <= 1 << 18
    body.close()


def test_sso_session_works_for_both_systems(sandbox, session):
    me = IDeskClient(sandbox.idesk_url, session).me()
    assert me.username == "hoant"
    assert isinstance(IGateClient(sandbox.igate_url, session).search_dossiers(size=1).items[0].code, str)


@pytest.mark.log_warnings
def test_fileref_parsing_tolerates_missing_optional_fields():
    from app.services.digo import parse

    ref = parse.igate_file({"id": "f1"})
    assert ref == FileRef("f1", "", 0, "", "application/octet-stream")
    doc = parse.document({"id": "d1", "attachments": [{"id": "a1", "versions": [{"fileId": "x"}]}]})
    assert doc.attachments[0].latest.file.id == "x" and doc.summary.status.value == "draft"
    summary = parse.dossier_summary({"id": "1", "code": "C", "dossierStatus": {"id": 9}})
    assert summary.status.status_id == 9 and summary.status.label == "" and summary.appointment_date is None
    assert not summary.status.can_send_to_idesk and not summary.status.finished
    page = parse.dossier_page({"content": [{"id": "1", "code": "C"}]}, 0, 50)
    assert page.items == ()  # neither status axis nor a current task: left out


def test_cancel_mid_download_leaves_nothing(igate, tmp_path):
    import threading

    from app.errors import CancelledError

    src = tmp_path / "big.pdf"
    src.write_bytes(b"%PDF-1.4\n" + b"z" * (3 * 1024 * 1024))
    [ref] = igate.upload_files([src])
    cancel = threading.Event()
    dest = tmp_path / "dl" / "big.pdf"
    with pytest.raises(CancelledError):
        igate.download_file(ref, dest, lambda done, total: cancel.set(), cancel=cancel)
    assert not dest.parent.exists() or list(dest.parent.iterdir()) == []


def test_too_many_requests_is_retried_then_reported_as_busy(sandbox, igate):
    sandbox.faults.add("igate", "GET", r"/pa/dossier/nowhere/", "error-429")
    before = _count(sandbox, "GET", "/pa/dossier/nowhere/--online")
    with pytest.raises(NotFoundError):
        igate.get_dossier("nowhere")
    assert _count(sandbox, "GET", "/pa/dossier/nowhere/--online") == before + 2  # the 429, then the answer
    sandbox.faults.add("igate", "GET", r"/pa/dossier/nowhere/", "error-429", count=3)
    with pytest.raises(ServiceUnavailableError):
        igate.get_dossier("nowhere")
