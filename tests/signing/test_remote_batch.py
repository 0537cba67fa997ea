"""A batch on a remote credential with a confirmation per document, against the sandbox's CSC
service in-process: the next document is prepared while the officer confirms the current one,
yet the phone offers one request at a time, in the documents' order."""

from __future__ import annotations

import hashlib
import threading

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.errors import CancelledError
from app.signing.batch import sign_many
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.remote.errors import RemoteRejectedError
from app.signing.remote.provider import open_remote_signer, training_provider
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))
# Generous: the next document's preparation on a busy machine; reached at once when it works.
PREPARED_WITHIN_S = 30


class Phone:
    """The officer: answers each request (None: leaves it) when the app starts waiting for it,
    after `before`."""

    def __init__(self, box, answer=lambda number: True, before=lambda number: None) -> None:
        self.box, self.answer, self.before = box, answer, before
        self.pending_seen: list[int] = []
        self.fingerprints: list[str] = []

    def waiting(self, state) -> None:
        if self.fingerprints and self.fingerprints[-1] == state.fingerprint:
            return  # a later tick of the countdown
        number = len(self.fingerprints)
        self.fingerprints.append(state.fingerprint)
        pending = self.box.csc.pending()
        self.pending_seen.append(len(pending))
        if self.box.csc.policy.mode == "auto":
            return
        [request] = pending
        assert request.fingerprint == state.fingerprint
        self.before(number)
        answer = self.answer(number)
        if answer is not None:
            self.box.csc.decide(request.request_id, answer)

    def finished(self) -> None:
        pass

    def ask_otp(self, credential, error=None):
        return None


def _requests(tmp_path, count):
    sources = [admin_pdf(tmp_path / f"{n}.pdf") for n in "abcdef"[:count]]
    return [SigningRequest(src, tmp_path / "out" / f"{src.stem}-signed.pdf", Profile.LEADER, (BOX,))
            for src in sources]


def _signed_digest(path) -> bytes:
    """What the provider signed for this output: the digest of its signed attributes."""
    with open(path, "rb") as fh:
        attrs = PdfFileReader(fh).embedded_signatures[-1].signer_info["signed_attrs"].dump()
    return hashlib.sha256(b"\x31" + attrs[1:]).digest()


def _watch_sign_raw(remote):
    """An event set each time a document reaches the remote step (its digest is computed)."""
    entered: list[threading.Event] = [threading.Event() for _ in range(10)]
    count = [0]
    lock = threading.Lock()
    real = remote.sign_raw

    def sign_raw(data, digest_algorithm, pss=None):
        with lock:
            entered[count[0]].set()
            count[0] += 1
        return real(data, digest_algorithm, pss)

    remote.sign_raw = sign_raw
    return entered


def test_confirmations_one_at_a_time_in_order_while_the_next_document_is_ready(box, policy, session, tmp_path):
    requests = _requests(tmp_path, 4)
    prepared = []

    def next_is_ready(number):
        # While the officer looks at request `number`, the next document has been parsed, its
        # appearance built and its digest computed: it waits for its turn, sending nothing.
        # (The first document is signed alone.)
        if 1 <= number < len(requests) - 1:
            prepared.append(entered[number + 1].wait(PREPARED_WITHIN_S))
            assert len(box.csc.pending()) == 1

    phone = Phone(box, before=next_is_ready)
    seen = []
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, phone) as remote:
        entered = _watch_sign_raw(remote)
        results = sign_many(requests, remote.signer, progress=lambda i, n, name: seen.append(i))
    assert all(r.ok for r in results), [r.error for r in results]
    assert prepared == [True, True]
    assert phone.pending_seen == [1, 1, 1, 1] and remote.authorizations == 4
    assert seen == [0, 1, 2, 3, 4]
    asked = [r.hashes[0] for r in box.csc.all_requests()[-4:]]
    assert asked == [_signed_digest(r.result.output_path) for r in results]
    assert not box.csc.pending()


def test_cancel_while_a_confirmation_is_pending_sends_no_further_request(box, policy, session, tmp_path):
    requests = _requests(tmp_path, 4)
    cancel = threading.Event()
    ready = []

    def cancel_on_the_second(number):
        if number == 1:
            ready.append(entered[2].wait(PREPARED_WITHIN_S))
            cancel.set()

    phone = Phone(box, answer=lambda number: True if number == 0 else None, before=cancel_on_the_second)
    before = len(box.csc.all_requests())
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, phone, cancel=cancel) as remote:
        entered = _watch_sign_raw(remote)
        results = sign_many(requests, remote.signer, cancel=cancel)
    assert ready == [True]
    assert results[0].ok
    assert all(isinstance(r.error, CancelledError) for r in results[1:]), [r.error for r in results]
    made = box.csc.all_requests()[before:]
    # The pending request is withdrawn from the phone; the prepared document sends none.
    assert [r.status for r in made] == ["approved", "withdrawn"] and not box.csc.pending()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-signed.pdf"]


def test_a_refused_document_does_not_stop_the_others(box, policy, session, tmp_path):
    requests = _requests(tmp_path, 4)
    phone = Phone(box, answer=lambda number: number != 1)
    seen = []
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, phone) as remote:
        results = sign_many(requests, remote.signer, progress=lambda i, n, name: seen.append(i))
    assert [r.ok for r in results] == [True, False, True, True]
    assert isinstance(results[1].error, RemoteRejectedError)
    assert phone.pending_seen == [1, 1, 1, 1] and seen == [0, 1, 2, 3, 4]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-signed.pdf", "c-signed.pdf", "d-signed.pdf"]


def test_one_confirmation_for_the_batch_with_two_documents_in_hand(box, policy, session, tmp_path):
    requests = _requests(tmp_path, 5)
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, Phone(box)) as remote:
        assert remote.authorize_batch(len(requests))
        results = sign_many(requests, remote.signer)
    assert all(r.ok for r in results), [r.error for r in results]
    assert remote.authorizations == 1 and remote.signatures == 5


def test_an_approval_at_once_costs_two_round_trips_per_document(box, policy, session, tmp_path):
    """The confirmation request is its own first long poll: a provider approving by itself (the
    sandbox's "auto") answers it with the approval; then the signature. No status poll."""
    policy.mode = "auto"
    requests = _requests(tmp_path, 3)
    unattended = Phone(box, answer=lambda number: None)
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, unattended) as remote:
        mark = box.request_log.mark()
        results = sign_many(requests, remote.signer)
    assert all(r.ok for r in results), [r.error for r in results]
    calls = [(r.path.rsplit("/v1/", 1)[-1], r.status) for r in box.request_log.after(mark)]
    assert calls == [("credentials/authorize", 200), ("signatures/signHash", 200)] * 3


def test_an_interrupt_during_a_confirmation_sends_no_further_request(box, policy, session, tmp_path):
    """Ctrl+C (a KeyboardInterrupt, not a document's failure) while the phone shows a request:
    it is withdrawn, and the document prepared meanwhile does not send its own."""
    requests = _requests(tmp_path, 4)

    def interrupt_on_the_second(number):
        if number == 1:
            assert entered[2].wait(PREPARED_WITHIN_S)
            raise KeyboardInterrupt

    phone = Phone(box, answer=lambda number: True if number == 0 else None, before=interrupt_on_the_second)
    before = len(box.csc.all_requests())
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, phone) as remote:
        entered = _watch_sign_raw(remote)
        with pytest.raises(KeyboardInterrupt):
            sign_many(requests, remote.signer)
    made = box.csc.all_requests()[before:]
    assert [r.status for r in made] == ["approved", "withdrawn"] and not box.csc.pending()


def test_the_batch_cancel_alone_withdraws_the_pending_request(box, policy, session, tmp_path):
    """A caller cancelling only the batch (not the signer's own flag): the request on the phone is
    withdrawn at the next poll, and nothing more is sent."""
    policy.expires_in = 20  # else left to expire
    requests = _requests(tmp_path, 4)
    cancel = threading.Event()
    phone = Phone(box, answer=lambda number: True if number == 0 else None,
                  before=lambda number: cancel.set() if number == 1 else None)
    before = len(box.csc.all_requests())
    with open_remote_signer(training_provider(box.csc_url, box.issuer), session, phone) as remote:
        results = sign_many(requests, remote.signer, cancel=cancel)
    assert results[0].ok
    assert all(isinstance(r.error, CancelledError) for r in results[1:]), [r.error for r in results]
    made = box.csc.all_requests()[before:]
    assert [r.status for r in made] == ["approved", "withdrawn"] and not box.csc.pending()
