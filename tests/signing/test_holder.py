"""The chosen certificate is checked against the signed-in officer (personal steps) or their
organization (seal, appendix, electronic copy)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest

from app.domain import UserInfo
from app.signing.certinfo import CertificateInfo
from app.signing.holder import holder_mismatch
from app.signing.options import Profile

ORG = "Sở Thông tin và Truyền thông tỉnh Bình Định"
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def cert(holder: str, organization: str = ORG, email: str = "") -> CertificateInfo:
    return CertificateInfo(label="k", id_hex="01", holder=holder, organization=organization, issuer="CA",
                           email=email, serial="1", not_before=WHEN, not_after=WHEN, key_usage=(), der=b"")


LEADER = UserInfo("s1", "tuanlv", "Lê Văn Tuấn", "tuanlv@binhdinh.gov.vn", organization=ORG)


@pytest.mark.parametrize("profile", [Profile.LEADER, Profile.INITIALS])
def test_a_personal_step_accepts_the_officers_own_certificate(profile):
    assert holder_mismatch(cert("Lê Văn Tuấn"), LEADER, profile) is None
    # The same name typed in decomposed Unicode and another case is the same name.
    decomposed = unicodedata.normalize("NFD", "LÊ VĂN TUẤN")
    assert holder_mismatch(cert(decomposed), LEADER, profile) is None
    # A certificate whose name differs but whose e-mail is the officer's is theirs too.
    assert holder_mismatch(cert("Lê V. Tuấn", email="TuanLV@binhdinh.gov.vn"), LEADER, profile) is None


def test_a_personal_step_refuses_someone_elses_certificate():
    why = holder_mismatch(cert("Nguyễn Thị Hoa"), LEADER, Profile.LEADER)
    assert why is not None and "Nguyễn Thị Hoa" in why.vi and "Lê Văn Tuấn" in why.vi and why.en
    # No diacritics folding: "Le Van Tuan" is another name on a signing certificate.
    assert holder_mismatch(cert("Le Van Tuan"), LEADER, Profile.LEADER) is not None
    # The organization's own certificate is not the leader's.
    assert holder_mismatch(cert(ORG), LEADER, Profile.LEADER) is not None


@pytest.mark.parametrize("profile", [Profile.SEAL, Profile.APPENDIX, Profile.COPY])
def test_an_organization_step_wants_the_organizations_certificate(profile):
    clerk = UserInfo("s2", "maipt", "Phạm Thị Mai", "maipt@binhdinh.gov.vn", organization=ORG)
    assert holder_mismatch(cert(ORG), clerk, profile) is None
    personal = holder_mismatch(cert("Phạm Thị Mai"), clerk, profile)
    assert personal is not None and ORG in personal.vi
    other = holder_mismatch(cert("Sở Tư pháp tỉnh Bình Định", organization="Sở Tư pháp tỉnh Bình Định"), clerk, profile)
    assert other is not None


def test_nothing_to_compare_with_means_nothing_to_warn_about():
    unknown = UserInfo("s3", "x", "", "")
    assert holder_mismatch(cert("Anyone"), unknown, Profile.LEADER) is None
    assert holder_mismatch(cert("Anyone"), unknown, Profile.SEAL) is None
