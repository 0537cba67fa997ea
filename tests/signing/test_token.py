"""TokenService on a real SoftHSM2 token: listing, PIN handling, signing PDFs through pyHanko."""

from __future__ import annotations

import pytest

from app.signing.token import PinRequest, TokenService
from app.signing.token_errors import (
    CertificateNotFoundError,
    CertificateRejectedError,
    ModuleLoadError,
    PinCancelledError,
    PinIncorrectError,
    PinLockedError,
    TokenNotFoundError,
)
from tests.fixtures.pki import make_pdf, pdfsig, validation_context
from tests.fixtures.token import CKF_USER_PIN_FINAL_TRY
from tests.signing.token_helpers import PinDialog, sign_pdf, validate

SHARED = "LienThong Test"


@pytest.fixture
def service(softhsm_token, demo_pki):
    svc = TokenService(
        [softhsm_token.module_path], extra_certs=[demo_pki.intermediate_cert, demo_pki.root_cert]
    )
    yield svc
    svc.close()


def test_lists_the_shared_token(service, softhsm_token):
    tokens = [t for t in service.list_tokens() if t.label == SHARED]
    assert len(tokens) == 1
    token = tokens[0]
    assert token.module_path == softhsm_token.module_path
    assert token.manufacturer == "SoftHSM project" and token.serial
    assert not (token.pin_locked or token.pin_final_try or token.pin_count_low)


def test_lists_certificates_with_labels_and_ids(service, softhsm_token):
    certs = {c.label: c for c in service.list_certificates(SHARED)}
    assert {label: c.id_hex for label, c in certs.items()} == softhsm_token.labels
    leader = certs["leader"]
    assert leader.holder == "Lê Văn Tuấn" and leader.title == "Giám đốc"
    assert leader.email == "tuanlv@stttt.binhdinh.gov.vn"
    assert certs["seal"].is_organization and not leader.is_organization


def test_signs_pdf_with_timestamp_valid_for_pyhanko_and_pdfsig(service, demo_pki, demo_nssdb, tmp_path):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    pins = PinDialog()
    with service.open_signer(SHARED, "leader", pins) as token_signer:
        assert token_signer.certificate.holder == "Lê Văn Tuấn"
        assert [c.subject.native["common_name"] for c in token_signer.cert_chain] == [
            "Lê Văn Tuấn", "LienThong Demo CA", "LienThong Demo Root CA",
        ]
        out = sign_pdf(
            token_signer.signer, make_pdf(tmp_path / "in.pdf"), tmp_path / "signed.pdf",
            timestamper=HTTPTimeStamper(demo_pki.tsa_url, timeout=10),
        )
    assert pins.requests == [PinRequest(SHARED, None, None, "Lê Văn Tuấn")]
    status = validate(demo_pki, out)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.signing_cert.subject.native["common_name"] == "Lê Văn Tuấn"
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    report = pdfsig(out, demo_nssdb)
    assert "Signature is Valid." in report
    if demo_nssdb:
        assert "Certificate is Trusted." in report


def test_signs_by_hex_id_and_tampering_is_detected(service, demo_pki, tmp_path):
    with service.open_signer(SHARED, "04", PinDialog()) as seal:
        assert seal.certificate.label == "seal"
        out = sign_pdf(seal.signer, make_pdf(tmp_path / "in.pdf"), tmp_path / "signed.pdf")
    data = bytearray(out.read_bytes())
    at = data.index(b"\n") + 2  # inside the binary comment on the header's second line
    assert data[at - 1] == ord("%")
    data[at] ^= 0x01
    (tmp_path / "bad.pdf").write_bytes(bytes(data))
    status = validate(demo_pki, tmp_path / "bad.pdf")
    assert not status.intact


def test_batch_of_twenty_uses_one_login(service, demo_pki, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    pins = PinDialog()
    src = make_pdf(tmp_path / "in.pdf")
    with service.open_signer(SHARED, "specialist", pins) as token_signer:
        worker = token_signer._worker
        logins_before = worker.logins
        outs = [sign_pdf(token_signer.signer, src, tmp_path / f"out{i}.pdf") for i in range(20)]
        assert token_signer.signatures == 20
        assert worker.logins == logins_before
    assert len(pins.requests) == 1
    vc = validation_context(demo_pki, allow_fetching=False)
    for out in outs:
        with open(out, "rb") as fh:
            status = validate_pdf_signature(PdfFileReader(fh).embedded_signatures[0], vc)
            assert status.intact and status.valid


def test_cancelled_pin_entry(service):
    with pytest.raises(PinCancelledError) as info:
        service.open_signer(SHARED, "leader", PinDialog(None))
    assert "hủy" in info.value.message_vi


@pytest.mark.parametrize(
    "name, reason, words",
    [
        ("expired", "expired", "hết hạn"),
        ("not_yet_valid", "not_yet_valid", "chưa có hiệu lực"),
        ("no_sign_usage", "no_signing_usage", "không dùng để ký số"),
    ],
)
def test_unusable_certificates_are_refused_before_the_pin(service, name, reason, words):
    pins = PinDialog()
    with pytest.raises(CertificateRejectedError) as info:
        service.open_signer(SHARED, name, pins)
    assert info.value.reason == reason and words in info.value.message_vi
    assert pins.requests == []


def test_unknown_token_and_certificate(service):
    with pytest.raises(TokenNotFoundError):
        service.open_signer("Không có token này", "leader", PinDialog())
    with pytest.raises(CertificateNotFoundError):
        service.open_signer(SHARED, "nobody", PinDialog())


def test_wrong_pin_then_low_count_warning(service, softhsm_token_factory):
    token = softhsm_token_factory()
    with pytest.raises(PinIncorrectError) as info:
        service.open_signer(token.token_label, "leader", PinDialog("000000"))
    assert info.value.message_vi.startswith("Mã PIN không đúng.")
    # SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failed login; the next dialog warns.
    pins = PinDialog()
    with service.open_signer(token.token_label, "leader", pins):
        pass
    assert pins.requests[0].warning == "count_low"


def test_final_try_is_announced_and_reported(service, softhsm_token_factory):
    token = softhsm_token_factory()
    token.set_flags(CKF_USER_PIN_FINAL_TRY)
    pins = PinDialog("999999")
    with pytest.raises(PinIncorrectError) as info:
        service.open_signer(token.token_label, "leader", pins)
    assert pins.requests[0] == PinRequest(token.token_label, "final_try", 1, "Lê Văn Tuấn")
    assert info.value.tries_left == 1
    assert "Còn 1 lần thử" in info.value.message_vi


def test_locked_pin_is_refused_without_asking(service, softhsm_token_factory):
    token = softhsm_token_factory()
    token.lock_user_pin()
    assert [t.pin_locked for t in service.list_tokens() if t.label == token.token_label] == [True]
    pins = PinDialog()
    with pytest.raises(PinLockedError) as info:
        service.open_signer(token.token_label, "leader", pins)
    assert pins.requests == [] and "khóa" in info.value.message_vi


def test_module_that_cannot_load(tmp_path):
    bogus = tmp_path / "vnpt-ca_v34.dll"
    bogus.write_bytes(b"not a library")
    for path in (str(bogus), str(tmp_path / "missing.so")):
        svc = TokenService([path])
        with pytest.raises(ModuleLoadError) as info:
            svc.list_tokens()
        assert info.value.module_path == path
        svc.close()


def test_bad_module_does_not_hide_good_one(softhsm_token, tmp_path):
    with TokenService([str(tmp_path / "missing.dll"), softhsm_token.module_path]) as svc:
        assert SHARED in [t.label for t in svc.list_tokens()]
        assert list(svc.module_errors) == [str(tmp_path / "missing.dll")]


def test_wrong_pin_is_not_kept_in_the_error(service, softhsm_token_factory):
    from app.signing.token import PinBox

    token = softhsm_token_factory()
    secret = "".join(["97", "53", "10"])
    with pytest.raises(PinIncorrectError) as info:
        service.open_signer(token.token_label, "leader", lambda request: "".join(["97", "53", "10"]))
    exc, frames = info.value, 0
    while exc is not None:
        tb = exc.__traceback__
        while tb is not None:
            frames += 1
            here = tb.tb_frame.f_code is test_wrong_pin_is_not_kept_in_the_error.__code__
            for value in () if here else tb.tb_frame.f_locals.values():
                assert not (isinstance(value, str) and value == secret), tb.tb_frame.f_code.co_name
                assert not (isinstance(value, PinBox) and not value.empty)
                if isinstance(value, tuple):
                    assert secret not in value
            tb = tb.tb_next
        exc = exc.__cause__ or exc.__context__
    assert frames >= 3
    assert secret not in repr(info.value) and secret not in str(info.value.detail)
