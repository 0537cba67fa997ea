"""What the officer needs to know about a certificate on a token, and whether it may sign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from asn1crypto import x509 as asn1_x509

from app.signing.token_errors import CertificateRejectedError
from app.vntime import VN_TZ

SIGNING_USAGES = ("digital_signature", "non_repudiation")


@dataclass(frozen=True)
class CertificateInfo:
    label: str
    id_hex: str
    holder: str
    organization: str
    issuer: str
    email: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    der: bytes
    title: str = ""

    @classmethod
    def from_der(cls, der: bytes, label: str = "", id_hex: str = "") -> "CertificateInfo":
        cert = asn1_x509.Certificate.load(der)
        subject = cert.subject.native
        usage = cert.key_usage_value
        return cls(
            label=label,
            id_hex=id_hex,
            holder=_first(subject.get("common_name")),
            organization=_first(subject.get("organization_name")),
            issuer=_first(cert.issuer.native.get("common_name")) or cert.issuer.human_friendly,
            email=_email(cert),
            serial=format(cert.serial_number, "x"),
            not_before=cert.not_valid_before,
            not_after=cert.not_valid_after,
            key_usage=tuple(sorted(usage.native)) if usage is not None else (),
            der=bytes(der),
            title=_first(subject.get("title")),
        )

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)

    @property
    def is_organization(self) -> bool:
        """An organization (seal) certificate names the organization as its holder."""
        return bool(self.organization) and self.holder == self.organization

    @property
    def display_name(self) -> str:
        until = self.not_after.astimezone(VN_TZ).strftime("%d/%m/%Y")
        who = self.holder
        if self.organization and self.organization != self.holder:
            who = f"{who} – {self.organization}"
        return f"{who} ({self.issuer}, {until})"


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def _email(cert: asn1_x509.Certificate) -> str:
    san = cert.subject_alt_name_value
    if san is not None:
        for name in san:
            if name.name == "rfc822_name":
                return str(name.native)
    return _first(cert.subject.native.get("email_address"))


def _date(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y")


def check_signing_certificate(info: CertificateInfo, now: datetime | None = None) -> None:
    """Raise CertificateRejectedError when the certificate is out of its validity period or its
    key usage allows neither digitalSignature nor nonRepudiation (no key usage: any use)."""
    now = now or datetime.now(timezone.utc)
    if now > info.not_after:
        raise CertificateRejectedError(
            "expired", info.holder, _date(info.not_after), detail=f"notAfter={info.not_after.isoformat()}"
        )
    if now < info.not_before:
        raise CertificateRejectedError(
            "not_yet_valid", info.holder, _date(info.not_before), detail=f"notBefore={info.not_before.isoformat()}"
        )
    if info.key_usage and not any(u in info.key_usage for u in SIGNING_USAGES):
        raise CertificateRejectedError(
            "no_signing_usage", info.holder, detail=f"keyUsage={','.join(info.key_usage)}"
        )
