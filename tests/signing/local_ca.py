"""A tiny local CA for the verification tests: root, intermediate, end-entity certificates and a
CRL, built with `cryptography` and used through pyHanko's SimpleSigner and DummyTimeStamper.

Kept independent of the shared demo PKI so verification can be tested on its own, including
revoked and expired signers the shared fixtures do not provide.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.timezone.utc
CRL_URL = "http://127.0.0.1:9/local-test.crl"


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: object  # a cryptography private key

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class LocalCA:
    root: Issued
    intermediate: Issued
    users: dict
    tsa: Issued
    crl_der: bytes
    directory: Path

    @property
    def root_pem_path(self) -> Path:
        return self.directory / "local-root.pem"

    @property
    def intermediate_pem_path(self) -> Path:
        return self.directory / "local-intermediate.pem"

    def signer(self, name: str):
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        user = self.users[name]
        store = SimpleCertificateStore.from_certs(
            [self.intermediate.asn1_cert, self.root.asn1_cert]
        )
        return signers.SimpleSigner(user.asn1_cert, user.asn1_key, store)

    def timestamper(self):
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        return DummyTimeStamper(
            self.tsa.asn1_cert,
            self.tsa.asn1_key,
            certs_to_embed=[self.intermediate.asn1_cert, self.root.asn1_cert],
        )


def _name(cn: str, org: str = "Sở Thông tin và Truyền thông tỉnh Thử nghiệm", email: str = ""):
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _issue(subject, issuer: Issued | None, *, ca: bool, not_before, not_after, serial: int,
           eku=None, key_usage="sign", rsa_key: bool = False) -> Issued:
    # EC keys are fast to make; pyHanko's in-process TSA only signs with RSA.
    key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = dict(digital_signature=False, key_cert_sign=True, crl_sign=True, content_commitment=False)
    elif key_usage == "sign":
        usage = dict(digital_signature=True, key_cert_sign=False, crl_sign=False, content_commitment=True)
    else:
        usage = dict(digital_signature=False, key_cert_sign=False, crl_sign=False, content_commitment=False)
    builder = builder.add_extension(
        x509.KeyUsage(key_encipherment=key_usage == "encrypt", data_encipherment=False,
                      key_agreement=False, encipher_only=False, decipher_only=False, **usage),
        critical=True,
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if issuer is not None and not ca:
        # Declared so validators check revocation; never fetched (nothing listens on port 9).
        dp = x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([dp]), critical=False)
    signing_key = issuer.key if issuer else key
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


REVOKED_SERIAL = 0x5005


@functools.lru_cache(maxsize=None)
def build_local_ca() -> LocalCA:
    """Build once per test process; certificates are cheap EC P-256 keys."""
    now = dt.datetime.now(UTC)
    long_ago, far = now - dt.timedelta(days=365), now + dt.timedelta(days=3650)
    root = _issue(_name("Local Test Root CA", "Local Test PKI"), None, ca=True,
                  not_before=long_ago, not_after=far, serial=1)
    inter = _issue(_name("Local Test Signing CA", "Local Test PKI"), root, ca=True,
                   not_before=long_ago, not_after=far, serial=2)
    users = {
        "leader": _issue(_name("Nguyễn Văn An", email="an.nv@example.gov.vn"), inter, ca=False,
                         not_before=long_ago, not_after=far, serial=0x5001),
        "clerk": _issue(_name("Trần Thị Bình", email="binh.tt@example.gov.vn"), inter, ca=False,
                        not_before=long_ago, not_after=far, serial=0x5002),
        "expired": _issue(_name("Lê Văn Cũ"), inter, ca=False, not_before=long_ago,
                          not_after=now - dt.timedelta(days=2), serial=0x5003),
        "revoked": _issue(_name("Phạm Thu Hồi"), inter, ca=False, not_before=long_ago,
                          not_after=far, serial=REVOKED_SERIAL),
    }
    tsa = _issue(_name("Local Test TSA", "Local Test PKI"), inter, ca=False, not_before=long_ago,
                 not_after=far, serial=0x6001, eku=[ExtendedKeyUsageOID.TIME_STAMPING], rsa_key=True)
    revoked_entry = (
        x509.RevokedCertificateBuilder()
        .serial_number(REVOKED_SERIAL)
        .revocation_date(now - dt.timedelta(days=30))
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(inter.cert.subject)
        .last_update(now - dt.timedelta(hours=1))
        .next_update(now + dt.timedelta(days=7))
        .add_revoked_certificate(revoked_entry)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(inter.key.public_key()),
                       critical=False)
        .sign(inter.key, hashes.SHA256())
    )
    directory = Path(tempfile.mkdtemp(prefix="lienthong-local-ca-"))
    ca = LocalCA(root, inter, users, tsa, crl.public_bytes(serialization.Encoding.DER), directory)
    ca.root_pem_path.write_bytes(root.pem)
    ca.intermediate_pem_path.write_bytes(inter.pem)
    return ca


def make_plain_pdf(path: Path, pages: int = 1, text: str = "Ủy ban nhân dân tỉnh Thử nghiệm") -> Path:
    """A small real PDF made with PyMuPDF."""
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 100), f"{text} - {i + 1}", fontsize=14)
    doc.save(str(path))
    doc.close()
    return path


def sign_with(ca: LocalCA, src: Path, dst: Path, *, user: str = "leader", field: str = "Signature1",
              timestamp: bool = False, certify: bool = False, box=(350, 80, 550, 160), page: int = 0,
              timestamper=None):
    """Sign `src` into `dst` with bare pyHanko; used only to produce inputs for the verifier."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field,
        certify=certify,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Phê duyệt",
    )
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=ca.signer(user),
            timestamper=timestamper or (ca.timestamper() if timestamp else None),
            new_field_spec=fields.SigFieldSpec(field, on_page=page, box=box),
        )
        with open(dst, "wb") as out:
            pdf_signer.sign_pdf(writer, output=out)
    return dst


def embed_crl(ca: LocalCA, path: Path) -> Path:
    """Append a document security store holding the intermediate's CRL (a B-LT style update)."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    with open(path, "rb") as fh:
        sig = PdfFileReader(fh).embedded_signatures[-1]
        contents = sig.pkcs7_content
    with open(path, "r+b") as fh:
        DocumentSecurityStore.add_dss(
            fh, contents,
            certs=[ca.intermediate.asn1_cert, ca.root.asn1_cert],
            crls=[asn1_crl.CertificateList.load(ca.crl_der)],
        )
    return path
