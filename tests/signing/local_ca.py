"""A tiny local CA for the one case the demo PKI cannot express: a certificate that expired after
a timestamped signature (the demo CAs are younger than the demo's expired user).

Root and issuing CA valid for years, an end entity that expired two days ago, a TSA, all with EC
keys except the TSA (pyHanko's in-process TSA signs with RSA only).
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


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: object  # a cryptography private key

    @property
    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class LocalCA:
    root: Issued
    issuing: Issued
    expired: Issued
    tsa: Issued
    directory: Path  # holds only the root, as a trust folder


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Local Test PKI"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(cn: str, issuer: Issued | None, *, ca: bool, not_before, not_after, serial: int,
           eku=None, rsa_key: bool = False) -> Issued:
    key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
    subject = _name(cn)
    builder = (
        x509.CertificateBuilder().subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key()).serial_number(serial)
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
            encipher_only=False, decipher_only=False), critical=True)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return Issued(builder.sign(issuer.key if issuer else key, hashes.SHA256()), key)


@functools.lru_cache(maxsize=None)
def build_local_ca() -> LocalCA:
    now = dt.datetime.now(UTC)
    start, end = now - dt.timedelta(days=365), now + dt.timedelta(days=3650)
    root = _issue("Local Test Root CA", None, ca=True, not_before=start, not_after=end, serial=1)
    issuing = _issue("Local Test Signing CA", root, ca=True, not_before=start, not_after=end, serial=2)
    expired = _issue("Lê Văn Cũ", issuing, ca=False, not_before=start,
                     not_after=now - dt.timedelta(days=2), serial=3)
    tsa = _issue("Local Test TSA", issuing, ca=False, not_before=start, not_after=end, serial=4,
                 eku=[ExtendedKeyUsageOID.TIME_STAMPING], rsa_key=True)
    directory = Path(tempfile.mkdtemp(prefix="lienthong-local-ca-"))
    (directory / "local-root.pem").write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    return LocalCA(root, issuing, expired, tsa, directory)


def sign_expired_with_backdated_timestamp(ca: LocalCA, src: Path, dst: Path, *, days_ago: int) -> Path:
    """Sign with the expired certificate; the TSA token claims `days_ago` days before now."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    chain = [ca.issuing.asn1_cert, ca.root.asn1_cert]
    signer = signers.SimpleSigner(ca.expired.asn1_cert, ca.expired.asn1_key,
                                  SimpleCertificateStore.from_certs(chain))
    stamper = DummyTimeStamper(ca.tsa.asn1_cert, ca.tsa.asn1_key, certs_to_embed=chain,
                               fixed_dt=dt.datetime.now(UTC) - dt.timedelta(days=days_ago))
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    with open(src, "rb") as fh, open(dst, "wb") as out:
        signers.PdfSigner(meta, signer=signer, timestamper=stamper).sign_pdf(
            IncrementalPdfFileWriter(fh), output=out)
    return dst
