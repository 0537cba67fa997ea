"""A demo Authenticode certificate for the smoke run: a root CA and a code-signing certificate.

  .venv/bin/python installer/demo_codesign.py OUT_DIR
writes OUT_DIR/codesign.p12 (passphrase in OUT_DIR/codesign.pass) and OUT_DIR/codesign-root.pem,
the root `osslsigncode verify -CAfile` checks the signatures against. Never for a release.
"""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Liên Thông Desk (demo)"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Liên Thông Desk demo code-signing root"))
        .issuer_name(_name("Liên Thông Desk demo code-signing root"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Liên Thông Desk demo publisher"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(12)
    p12 = pkcs12.serialize_key_and_certificates(
        b"codesign", key, cert, [root], serialization.BestAvailableEncryption(passphrase.encode())
    )
    (out / "codesign.p12").write_bytes(p12)
    (out / "codesign.pass").write_text(passphrase, encoding="ascii")
    (out / "codesign-root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    print(out / "codesign.p12")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
