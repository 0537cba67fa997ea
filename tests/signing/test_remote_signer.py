"""The remote signer against the sandbox's CSC service in-process: countdown with the request's
code, cancel while waiting, per-document confirmations when the batch is too large, PSS only
where the provider offers it."""

from __future__ import annotations

import threading

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.errors import CancelledError
from app.signing.backend_signer import BackendPdfSigner
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.pades import sign_document
from app.signing.remote.provider import open_remote_signer, training_provider
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.signing.cli_helpers import trust_dir_with
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


@pytest.fixture(scope="module")
def trust(box, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("remote-signer-trust"), box.pki_services.pki.root_cert_path)


class Confirm:
    def __init__(self, on_wait=None) -> None:
        self.states, self.done, self.on_wait = [], 0, on_wait

    def waiting(self, state) -> None:
        self.states.append(state)
        if self.on_wait is not None:
            self.on_wait(self, state)

    def finished(self) -> None:
        self.done += 1

    def ask_otp(self, credential, error=None):
        return None


def signed_algorithm(path) -> str:
    with open(path, "rb") as fh:
        return PdfFileReader(fh).embedded_signatures[-1].signer_info["signature_algorithm"]["algorithm"].native


def test_countdown_shows_the_request_code_until_the_phone_approves(box, policy, session, trust, tmp_path):
    def approve_on_second_tick(confirm, state):
        if len(confirm.states) == 2:
            [pending] = box.csc.pending()
            assert pending.fingerprint == state.fingerprint
            box.csc.decide(pending.request_id, approve=True)

    confirm = Confirm(approve_on_second_tick)
    provider = training_provider(box.csc_url, box.issuer)
    with open_remote_signer(provider, session, confirm) as remote:
        assert isinstance(remote.signer, BackendPdfSigner)  # the same pyHanko Signer as a token login
        result = sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf",
                                              Profile.LEADER, (BOX,)), remote.signer)
    assert len(confirm.states) >= 2 and confirm.done == 1
    first, later = confirm.states[0], confirm.states[-1]
    assert first.remaining_text == "5:00" and later.remaining_s <= first.remaining_s
    assert first.signatures == 1 and first.fingerprint == later.fingerprint
    assert verify_pdf(result.output_path, TrustStore.default([trust])).all_valid
    assert signed_algorithm(result.output_path) == "sha256_rsa"


def test_cancel_while_waiting(box, policy, session, tmp_path):
    cancel = threading.Event()
    confirm = Confirm(lambda c, s: cancel.set())
    provider = training_provider(box.csc_url, box.issuer)
    with open_remote_signer(provider, session, confirm, cancel=cancel) as remote:
        with pytest.raises(CancelledError):
            sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf", Profile.LEADER,
                                         (BOX,)), remote.signer)
    assert not (tmp_path / "out.pdf").exists() and confirm.done == 1
    # Withdrawn at the provider: the phone no longer offers it.
    last = box.csc.all_requests()[-1]
    assert remote.withdrawn == 1 and last.status == "withdrawn"
    assert last.request_id not in [r.request_id for r in box.csc.pending()]


def test_batch_larger_than_multisign_confirms_each_document(box, policy, session):
    policy.mode, policy.multisign = "auto", 2
    provider = training_provider(box.csc_url, box.issuer)
    with open_remote_signer(provider, session, Confirm()) as remote:
        assert remote.authorize_batch(3) is False
        assert remote.authorize_batch(2) is True and remote.authorizations == 1


@pytest.mark.parametrize("offered, expected", [(True, "rsassa_pss"), (False, "sha256_rsa")])
def test_pss_only_where_offered(box, policy, session, trust, tmp_path, offered, expected):
    policy.mode, policy.pss = "auto", offered
    provider = training_provider(box.csc_url, box.issuer)
    with open_remote_signer(provider, session, Confirm(), pss=True) as remote:
        assert remote.uses_pss is offered
        result = sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf",
                                              Profile.LEADER, (BOX,)), remote.signer)
    assert signed_algorithm(result.output_path) == expected
    assert verify_pdf(result.output_path, TrustStore.default([trust])).all_valid
