"""One signer, several documents: each succeeds or fails on its own."""

from __future__ import annotations

import hashlib
import itertools
import threading

import pytest

from app.errors import CancelledError
from app.signing.batch import sign_many
from app.signing.errors import CorruptPdfError, NotAPdfError
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from tests.fixtures.pki import simple_signer, validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


def _requests(tmp_path):
    good1 = admin_pdf(tmp_path / "a.pdf")
    bad = tmp_path / "b.pdf"
    bad.write_bytes(b"not a pdf at all")
    truncated = tmp_path / "c.pdf"
    truncated.write_bytes(good1.read_bytes()[:2000])
    good2 = admin_pdf(tmp_path / "d.pdf", signer_name="Nguyễn Văn An")
    out = tmp_path / "out"
    return [SigningRequest(src, out / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,))
            for src in (good1, bad, truncated, good2)]


def test_one_bad_file_does_not_stop_the_rest(tmp_path, leader, demo_pki):
    seen = []
    results = sign_many(_requests(tmp_path), leader, progress=lambda i, n, name: seen.append((i, n, name)))
    assert [r.ok for r in results] == [True, False, False, True]
    assert isinstance(results[1].error, NotAPdfError)
    assert isinstance(results[2].error, CorruptPdfError)
    for r in (results[0], results[3]):
        assert r.result.level == "B-B"
        assert_all_valid(r.result.output_path, 1, vc=validation_context(demo_pki))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-signed.pdf", "d-signed.pdf"]
    assert seen[0] == (0, 4, "a.pdf") and seen[-1] == (4, 4, "")


def test_cancel_stops_the_remaining_documents(tmp_path, leader):
    cancel = threading.Event()

    def progress(i, n, name):
        if i == 1:
            cancel.set()

    results = sign_many(_requests(tmp_path), leader, cancel=cancel, progress=progress)
    assert all(isinstance(r.error, CancelledError) for r in results[1:])
    # The document in hand when the cancel came (two are, with a key file) is either finished or
    # stopped at its next stage: never half written.
    assert results[0].ok or isinstance(results[0].error, CancelledError)
    out = tmp_path / "out"
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written == (["a-signed.pdf"] if results[0].ok else [])


def test_the_next_document_is_prepared_while_the_key_signs(tmp_path, demo_pki):
    """With a token login or a key file, two documents are in hand after the first one: the
    second one's signature is made while the third is already being prepared."""
    signer = simple_signer(demo_pki, "leader")
    third_started = threading.Event()
    real_sign_raw = signer.async_sign_raw
    # The lanes ask for signatures from two threads: each call takes its number atomically (a
    # shared list's length, read after appending, could skip 2 when both append at once).
    calls = itertools.count(1)
    waited = []

    async def sign_raw(data, digest_algorithm, dry_run=False):
        if not dry_run and next(calls) == 2:
            waited.append(third_started.wait(30))
        return await real_sign_raw(data, digest_algorithm, dry_run)

    signer.async_sign_raw = sign_raw
    sources = [admin_pdf(tmp_path / f"{n}.pdf") for n in "abc"]
    requests = [SigningRequest(src, tmp_path / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,)) for src in sources]
    seen = []

    def progress(i, n, name):
        seen.append(i)
        if i == 2:
            third_started.set()

    results = sign_many(requests, signer, progress=progress)
    assert waited == [True]
    assert all(r.ok for r in results), [r.error for r in results]
    assert seen == [0, 1, 2, 3]
    assert [r.result.output_path.name for r in results] == ["a-signed.pdf", "b-signed.pdf", "c-signed.pdf"]


def test_an_unknown_backend_signs_one_document_at_a_time(tmp_path, demo_pki):
    """A backend neither a token nor an ordered remote credential (test_remote_batch.py) may ask
    someone for each signature: one document at a time."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    from app.signing.backend_signer import BackendPdfSigner

    events = []

    class Remote:
        def sign_raw(self, data, digest_algorithm, pss=None):
            events.append("sign")
            digest = hashlib.new(digest_algorithm, data).digest()
            return demo_pki.private_key("leader").sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))

    chain = [demo_pki.cert("leader"), demo_pki.intermediate_cert, demo_pki.root_cert]
    signer = BackendPdfSigner(Remote(), chain[0], chain)
    sources = [admin_pdf(tmp_path / f"{n}.pdf") for n in "abc"]
    requests = [SigningRequest(src, tmp_path / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,)) for src in sources]
    results = sign_many(requests, signer, progress=lambda i, n, name: events.append(i))
    assert all(r.ok for r in results), [r.error for r in results]
    assert events == [0, "sign", 1, "sign", 2, "sign", 3]


def test_batch_on_a_token_uses_one_login(tmp_path, softhsm_token, demo_pki):
    """The engine takes the token's pyHanko signer as is: one PIN for the whole batch, two
    documents in hand at once, and every call into the module on the module's own thread."""
    from app.signing.token import TokenService

    requests = _requests(tmp_path)
    requests.append(SigningRequest(admin_pdf(tmp_path / "e.pdf"), tmp_path / "out" / "e-signed.pdf",
                                   Profile.LEADER, (BOX,)))
    asked = []
    service = TokenService([softhsm_token.module_path],
                           extra_certs=[demo_pki.intermediate_cert, demo_pki.root_cert])
    try:
        with service.open_signer(softhsm_token.token_label, "leader",
                                 lambda req: asked.append(req) or softhsm_token.user_pin) as token_signer:
            worker = token_signer._worker
            results = sign_many(requests, token_signer.signer)
            assert token_signer.signatures == 3
    finally:
        service.close()
    assert len(asked) == 1
    assert [r.ok for r in results] == [True, False, False, True, True], [r.error for r in results]
    assert worker.job_threads == {worker.thread_ident}
    for r in results:
        if r.ok:
            assert_all_valid(r.result.output_path, 1, vc=validation_context(demo_pki))


def test_the_container_size_is_worked_out_once_per_signer(tmp_path, demo_pki):
    signer = simple_signer(demo_pki, "leader")  # a signer of its own: nothing remembered for it yet
    real_sign = signer.async_sign
    dry_runs = []

    async def counting(*args, dry_run=False, **kwargs):
        dry_runs.append(dry_run)
        return await real_sign(*args, dry_run=dry_run, **kwargs)

    signer.async_sign = counting
    sources = [admin_pdf(tmp_path / f"{n}.pdf", signer_name=name) for n, name in (("a", "Lê Văn Tuấn"), ("b", "Đỗ An"))]
    requests = [SigningRequest(src, tmp_path / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,)) for src in sources]
    results = sign_many(requests, signer)
    assert all(r.ok for r in results), [r.error for r in results]
    # pyHanko's dummy signature, built to size the container, only for the first document.
    assert dry_runs == [True, False, False]
    for r in results:
        assert_all_valid(r.result.output_path, 1, vc=validation_context(demo_pki))


def test_a_document_signing_another_ones_output_waits_for_it(tmp_path, leader, demo_pki):
    """Documents are in hand two at a time only when none reads another's output: the leader's
    signed draft, then signed again in the same batch, carries both signatures."""
    a, b = admin_pdf(tmp_path / "a.pdf"), admin_pdf(tmp_path / "b.pdf")
    out = tmp_path / "out"
    requests = [SigningRequest(a, out / "a-1.pdf", Profile.LEADER, (BOX,)),
                SigningRequest(b, out / "b-1.pdf", Profile.LEADER, (BOX,)),
                SigningRequest(out / "b-1.pdf", out / "b-2.pdf", Profile.INITIALS,
                               (Placement(0, (330.0, 660.0, 500.0, 700.0)),))]
    results = sign_many(requests, leader)
    assert all(r.ok for r in results), [r.error for r in results]
    assert_all_valid(out / "b-2.pdf", 2, vc=validation_context(demo_pki))


def test_an_error_outside_the_documents_stops_both_lanes(tmp_path, leader):
    """Something failing beside the documents (here the progress report) ends the batch: no
    document starts after it, on either thread."""
    sources = [admin_pdf(tmp_path / f"{n}.pdf") for n in "abcdef"]
    out = tmp_path / "out"
    requests = [SigningRequest(src, out / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,)) for src in sources]

    def progress(i, n, name):
        if i == 2:
            raise RuntimeError("the window is gone")

    with pytest.raises(RuntimeError):
        sign_many(requests, leader, progress=progress)
    written = {p.name for p in out.iterdir()} if out.exists() else set()
    assert written <= {"a-signed.pdf", "b-signed.pdf"}


def test_revocation_data_is_gathered_one_document_at_a_time(tmp_path, demo_pki, monkeypatch):
    """B-LT documents (a validation context and a TSA) share the context's fetchers, whose
    asyncio events belong to one event loop: they are signed one at a time."""
    from app.signing import batch
    from app.signing.options import TsaConfig

    signer = simple_signer(demo_pki, "leader")
    lanes = []
    real_lane = batch._Lane
    monkeypatch.setattr(batch, "_Lane", lambda *a: lanes.append(1) or real_lane(*a))
    sources = [admin_pdf(tmp_path / f"{n}.pdf") for n in "abc"]
    tsa = TsaConfig("http://127.0.0.1:9/tsa", timeout_s=5.0)  # nothing answers: each document fails alone
    requests = [SigningRequest(src, tmp_path / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,), tsa=tsa)
                for src in sources]
    results = sign_many(requests, signer, validation_context=validation_context(demo_pki))
    assert lanes == [] and len(results) == 3
    plain = [SigningRequest(src, tmp_path / f"{src.stem}-b.pdf", Profile.LEADER, (BOX,)) for src in sources]
    assert all(r.ok for r in sign_many(plain, signer, validation_context=validation_context(demo_pki)))
    assert lanes == [1]
