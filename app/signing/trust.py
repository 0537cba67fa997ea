"""The trust store: Vietnam's shipped anchors plus certificates an administrator adds.

Shipped roots (self-signed) are trust roots; shipped intermediates only help path building, so
trust still ends at a root. In an administrator's folder a self-signed certificate is a root; a
CA certificate whose issuer is already known helps path building; any other certificate was put
there on purpose and is trusted directly (an organisation may distribute only its issuing CA).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence, Union

from asn1crypto import crl, ocsp, pem
from asn1crypto import x509 as asn1_x509

from app.resources import trust_dir

if TYPE_CHECKING:
    from cryptography import x509 as crypto_x509
    from pyhanko_certvalidator import ValidationContext

# A certificate as the callers hold it: asn1crypto's, DER bytes, or cryptography's.
AnyCertificate = Union[asn1_x509.Certificate, bytes, bytearray, "crypto_x509.Certificate"]

CERT_SUFFIXES = (".pem", ".cer", ".crt", ".der")
SOURCE_SHIPPED = "shipped"


@dataclass(frozen=True)
class AnchorInfo:
    subject: str
    fingerprint_sha256: str
    source: str
    is_root: bool = True
    not_after: datetime | None = None


@dataclass(frozen=True)
class TrustFileProblem:
    """A file in a trust folder that could not be used; reported, never fatal."""

    path: Path
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class _Entry:
    cert: asn1_x509.Certificate
    source: str
    anchor: bool
    # Read once by the thread that builds the store: later threads copy from these bytes.
    der: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "der", self.cert.dump())


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM (one or many blocks) or DER blob; ValueError if none."""
    if pem.detect(data):
        certs = [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    else:
        certs = [asn1_x509.Certificate.load(data)]
    for cert in certs:
        # asn1crypto parses lazily; touching the fields surfaces malformed input here.
        _ = cert.subject.human_friendly, cert.public_key.native
    if not certs:
        raise ValueError("no certificate found")
    return certs


def _is_self_signed(cert: asn1_x509.Certificate) -> bool:
    return cert.self_signed in ("maybe", "yes")


def _fingerprint(cert: asn1_x509.Certificate) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


@dataclass(frozen=True)
class TrustStore:
    entries: tuple[_Entry, ...]
    problems: tuple[TrustFileProblem, ...] = field(default=())

    @classmethod
    def default(cls, extra_dirs: Sequence[Path] = ()) -> "TrustStore":
        return cls.from_dirs(trust_dir(), extra_dirs)

    @classmethod
    def from_dirs(cls, shipped_dir: Path | None, extra_dirs: Sequence[Path] = ()) -> "TrustStore":
        entries: list[_Entry] = []
        problems: list[TrustFileProblem] = []
        if shipped_dir is not None:
            for cert, _path in _read_dir(Path(shipped_dir), problems):
                entries.append(_Entry(cert, SOURCE_SHIPPED, _is_self_signed(cert)))
        for folder in extra_dirs:
            folder = Path(folder)
            if not folder.is_dir():
                problems.append(TrustFileProblem(
                    folder,
                    f"Không tìm thấy thư mục chứng thư tin cậy: {folder}",
                    f"Trusted certificate folder not found: {folder}",
                ))
                continue
            for cert, path in _read_dir(folder, problems):
                entries.append(_Entry(cert, str(path), anchor=False))
        return cls(_classify(entries), tuple(problems))

    @classmethod
    def from_certificates(cls, roots: Iterable[asn1_x509.Certificate],
                          intermediates: Iterable[asn1_x509.Certificate] = ()) -> "TrustStore":
        entries = [_Entry(c, "memory", True) for c in roots]
        entries += [_Entry(c, "memory", False) for c in intermediates]
        return cls(tuple(entries))

    @property
    def roots(self) -> list[asn1_x509.Certificate]:
        return [e.cert for e in self.entries if e.anchor]

    @property
    def intermediates(self) -> list[asn1_x509.Certificate]:
        return [e.cert for e in self.entries if not e.anchor]

    @property
    def anchors(self) -> list[AnchorInfo]:
        return [
            AnchorInfo(
                subject=e.cert.subject.human_friendly,
                fingerprint_sha256=_fingerprint(e.cert),
                source=e.source,
                is_root=e.anchor,
                not_after=e.cert.not_valid_after,
            )
            for e in self.entries
        ]

    def with_extra_dirs(self, extra_dirs: Sequence[Path]) -> "TrustStore":
        other = TrustStore.from_dirs(None, extra_dirs)
        known = {_fingerprint(e.cert) for e in self.entries}
        merged = list(self.entries) + [e for e in other.entries if _fingerprint(e.cert) not in known]
        return TrustStore(_classify(merged), self.problems + other.problems)

    def validation_context(
        self, *, allow_fetching: bool = False, extra_roots: Iterable[AnyCertificate] = (),
        time: datetime | None = None, crls: Iterable[crl.CertificateList] = (),
        ocsps: Iterable[ocsp.OCSPResponse] = (), other_certs: Iterable[asn1_x509.Certificate] = (),
        verify: bool | str = True,
    ) -> ValidationContext:
        """A fresh pyhanko-certvalidator context; contexts keep per-validation state, never share them.
        `verify` is requests' TLS setting for OCSP/CRL fetches (the profile's CA bundle)."""
        from pyhanko_certvalidator import ValidationContext

        backend = None
        if allow_fetching:
            from app.signing.fetchers import VerifyingFetcherBackend  # requests: only to fetch

            backend = VerifyingFetcherBackend(verify)
        # asn1crypto parses lazily and fills its caches without locks, and validation touches
        # every field: each thread gets its own copies so that verifications running at once
        # (the verification panel's job beside another) never parse the same object together.
        roots = [_private(e) for e in self.entries if e.anchor] + [_as_asn1(c) for c in extra_roots]
        return ValidationContext(
            trust_roots=roots,
            other_certs=[_private(e) for e in self.entries if not e.anchor] + list(other_certs),
            moment=time,
            allow_fetching=allow_fetching,
            crls=list(crls),
            ocsps=list(ocsps),
            revocation_mode="soft-fail",
            fetcher_backend=backend,
        )


_per_thread = threading.local()


def _private(entry: _Entry) -> asn1_x509.Certificate:
    """This thread's own copy, parsed once per thread (even dump() of a shared object reads parse
    state another thread may be writing, hence the bytes read when the store was built)."""
    copies: dict[bytes, asn1_x509.Certificate] | None = getattr(_per_thread, "copies", None)
    if copies is None:
        copies = _per_thread.copies = {}
    cert = copies.get(entry.der)
    if cert is None:
        cert = copies[entry.der] = asn1_x509.Certificate.load(entry.der)
    return cert


def _as_asn1(cert: AnyCertificate) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, (bytes, bytearray)):
        return load_certificates(bytes(cert))[0]
    # cryptography.x509.Certificate
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _read_dir(folder: Path, problems: list[TrustFileProblem]) -> Iterator[tuple[asn1_x509.Certificate, Path]]:
    """Yield (certificate, path) for every readable certificate; record unreadable files."""
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in CERT_SUFFIXES:
            continue
        try:
            certs = load_certificates(path.read_bytes())
        except (ValueError, TypeError, OSError):
            problems.append(TrustFileProblem(
                path,
                f"Bỏ qua tệp chứng thư không đọc được: {path.name}",
                f"Skipped an unreadable certificate file: {path.name}",
            ))
            continue
        for cert in certs:
            yield cert, path


def _classify(entries: list[_Entry]) -> tuple[_Entry, ...]:
    """Shipped entries keep their role; admin entries are classified as the module docstring says."""
    seen: set[str] = set()
    unique: list[_Entry] = []
    for e in entries:
        fp = _fingerprint(e.cert)
        if fp not in seen:
            seen.add(fp)
            unique.append(e)
    subjects = {e.cert.subject.dump() for e in unique}
    out = []
    for e in unique:
        if e.source == SOURCE_SHIPPED or e.source == "memory":
            out.append(e)
        elif _is_self_signed(e.cert):
            out.append(_Entry(e.cert, e.source, True))
        else:
            issuer_known = e.cert.issuer.dump() in subjects
            out.append(_Entry(e.cert, e.source, not issuer_known))
    return tuple(out)
