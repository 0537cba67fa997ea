"""CertificateInfo parsing and the signing-certificate checks, on the demo PKI's certificates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.signing.certinfo import CertificateInfo, check_signing_certificate
from app.signing.token_errors import CertificateRejectedError


def info(demo_pki, name: str) -> CertificateInfo:
    return CertificateInfo.from_der(demo_pki.user(name).cert.dump(), label=name, id_hex="01")


def test_fields_of_the_leader(demo_pki):
    leader = info(demo_pki, "leader")
    cert = demo_pki.user("leader").x509
    assert leader.holder == "Lê Văn Tuấn"
    assert leader.organization == "Sở Thông tin và Truyền thông tỉnh Bình Định"
    assert leader.title == "Giám đốc"
    assert leader.issuer == "LienThong Demo CA"
    assert leader.email == "tuanlv@stttt.binhdinh.gov.vn"
    assert leader.serial == format(cert.serial_number, "x")
    assert leader.not_after == cert.not_valid_after_utc
    assert leader.key_usage == ("digital_signature", "non_repudiation")
    assert leader.der == demo_pki.user("leader").cert.dump()
    assert leader.display_name.startswith("Lê Văn Tuấn – Sở Thông tin")
    assert "LienThong Demo CA" in leader.display_name


def test_seal_display_name_is_the_organization(demo_pki):
    seal = info(demo_pki, "seal")
    assert seal.is_organization
    assert seal.display_name.startswith("Sở Thông tin và Truyền thông tỉnh Bình Định (")


def test_good_certificate_passes(demo_pki):
    check_signing_certificate(info(demo_pki, "leader"))
    check_signing_certificate(info(demo_pki, "seal"))


@pytest.mark.parametrize(
    "name, reason",
    [("expired", "expired"), ("not_yet_valid", "not_yet_valid"), ("no_sign_usage", "no_signing_usage")],
)
def test_bad_certificates_are_rejected_with_reason(demo_pki, name, reason):
    with pytest.raises(CertificateRejectedError) as caught:
        check_signing_certificate(info(demo_pki, name))
    assert caught.value.reason == reason
    assert caught.value.message_vi and caught.value.message_en and caught.value.detail


def test_check_uses_the_given_time(demo_pki):
    leader = info(demo_pki, "leader")
    later = leader.not_after + timedelta(seconds=1)
    with pytest.raises(CertificateRejectedError) as caught:
        check_signing_certificate(leader, now=later)
    expiry_vn = leader.not_after.astimezone(timezone(timedelta(hours=7))).strftime("%d/%m/%Y")
    assert expiry_vn in caught.value.message_vi
    expired = info(demo_pki, "expired")
    check_signing_certificate(expired, now=expired.not_before + timedelta(days=1))
    with pytest.raises(CertificateRejectedError):
        check_signing_certificate(leader, now=datetime(2000, 1, 1, tzinfo=timezone.utc))
