"""Whether a certificate belongs to the signed-in officer.

A personal step (the leader's signature, initials) wants the officer's own certificate: the name
on it, or its e-mail, is the officer's. An organization step (the seal, appendices, electronic
copies; Decree 30/2020, Appendix I) wants the organization's certificate: it names the
officer's organization as its holder. A token holds several certificates and an office shares
tokens, so a wrong choice is easy; a mismatch is shown and must be confirmed, never ignored.
Names are compared after Unicode normalization (a name typed in decomposed form is the same
name) and case folding; nothing looser, so "Lê Văn Tuấn" and "Le Van Tuan" stay different.
"""

from __future__ import annotations

import unicodedata

from app.domain import UserInfo
from app.signing.certinfo import CertificateInfo
from app.signing.options import Profile
from app.text import Text

ORGANIZATION_PROFILES = frozenset({Profile.SEAL, Profile.APPENDIX, Profile.COPY})


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return bool(a.strip()) and norm(a) == norm(b)


def holder_mismatch(cert: CertificateInfo, user: UserInfo, profile: Profile) -> Text | None:
    """Why `cert` is not the signed-in officer's for this step; None when it is, or when the
    sign-in told nothing to compare with (then there is nothing to warn about)."""
    holder = cert.holder or cert.label
    if profile in ORGANIZATION_PROFILES:
        if not user.organization.strip():
            return None
        if cert.is_organization and _same(cert.holder, user.organization):
            return None
        return Text(
            f"Bước này cần chứng thư số của cơ quan \"{user.organization}\", nhưng chứng thư đang chọn "
            f"mang tên \"{holder}\".",
            f"This step needs the certificate of the organization \"{user.organization}\", but the chosen "
            f"certificate is issued to \"{holder}\".",
        )
    if not user.full_name.strip() and not user.email.strip():
        return None
    if _same(cert.holder, user.full_name) or (cert.email and _same(cert.email, user.email)):
        return None
    return Text(
        f"Chứng thư số đang chọn mang tên \"{holder}\", không phải của người đang đăng nhập "
        f"({user.full_name or user.email}).",
        f"The chosen certificate is issued to \"{holder}\", not to the signed-in officer "
        f"({user.full_name or user.email}).",
    )
