"""A signer from a PKCS#12 file with the same interface as `TokenSigner`, for the training mode:
officers practise the whole signing flow with the demo PKI and no USB token."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.errors import BadInputError
from app.signing.certinfo import CertificateInfo, check_signing_certificate
from app.signing.token_errors import PinIncorrectError

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner


class SoftSigner:
    """`.signer` (pyHanko SimpleSigner), `.certificate`, `.cert_chain`, `close()`, context manager."""

    def __init__(
        self, signer: SimpleSigner, certificate: CertificateInfo, chain: tuple[asn1_x509.Certificate, ...]
    ) -> None:
        self.signer = signer
        self.certificate = certificate
        self.cert_chain = chain
        self.token_label = "PKCS#12"
        self.closed = False

    def close(self) -> None:
        self.closed = True

    def authorize_batch(self, count: int) -> bool:
        return False  # a key file asks no confirmation

    def __enter__(self) -> "SoftSigner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_soft_signer(p12_path: Path | str, passphrase: str) -> SoftSigner:
    """Open a PKCS#12 file; a wrong passphrase raises PinIncorrectError like a wrong token PIN."""
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(p12_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(
            f"Không đọc được tệp chứng thư số \"{path.name}\".",
            f"Cannot read the certificate file \"{path.name}\".",
            detail=str(exc),
        ) from exc
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError as exc:
        raise PinIncorrectError(None, detail=f"PKCS#12: {exc}") from exc
    if key is None or cert is None:
        raise BadInputError(
            f"Tệp \"{path.name}\" không chứa khóa bí mật và chứng thư số.",
            f"File \"{path.name}\" holds no private key and certificate.",
        )
    der = cert.public_bytes(serialization.Encoding.DER)
    info = CertificateInfo.from_der(der, label=path.stem, id_hex="")
    check_signing_certificate(info)
    leaf = asn1_x509.Certificate.load(der)
    others = tuple(asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra)
    from asn1crypto import keys as asn1_keys

    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    signer = SimpleSigner(
        signing_cert=leaf,
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([leaf, *others]),
    )
    return SoftSigner(signer, info, (leaf, *others))
