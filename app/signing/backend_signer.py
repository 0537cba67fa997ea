"""One pyHanko Signer for every key backend: a USB token (PKCS#11) or a remote-signing service
(CSC API). Like DigiDoc4-Client's one signer interface over several backends, the PDF side
(algorithm choice, RSASSA-PSS parameters, the dry-run size of the signature) is written once;
a backend only makes the raw signature.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.signing.pss import PssParams


class RawSigner(Protocol):
    """A backend: the raw signature over `data` (PKCS#1 v1.5, RSASSA-PSS with `pss`, or ECDSA
    by the key's type), hashing `data` with `digest_algorithm` itself or on the device."""

    def sign_raw(self, data: bytes, digest_algorithm: str, pss: PssParams | None = None) -> bytes: ...


def signature_size(cert: asn1_x509.Certificate) -> int:
    """Bytes the signature can take (the dry run reserves them): the RSA modulus, or the largest
    DER-encoded ECDSA (r, s) pair."""
    key = cert.public_key
    octets = (int(key.bit_size) + 7) // 8
    return octets if key.algorithm == "rsa" else 2 * octets + 9


class BackendPdfSigner(Signer):
    """The pyHanko Signer of a token login or a remote credential; `backend` makes the raw signatures."""

    def __init__(self, backend: RawSigner, signing_cert: asn1_x509.Certificate,
                 chain: Iterable[asn1_x509.Certificate], *, prefer_pss: bool = False) -> None:
        super().__init__(
            signing_cert=signing_cert,
            cert_registry=SimpleCertificateStore.from_certs(list(chain)),
            prefer_pss=prefer_pss,
        )
        self.backend = backend
        # asn1crypto fills its parsed-name caches lazily and not thread-safely: fill them here,
        # before the threads of a batch share this signer.
        _ = (signing_cert.subject.native, signing_cert.issuer.native)
        self._size = signature_size(signing_cert)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._size)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        pss = None
        if mechanism["algorithm"].native == "rsassa_pss":
            params = mechanism["parameters"]
            pss = PssParams(params["hash_algorithm"]["algorithm"].native, int(params["salt_length"].native))
        return self.backend.sign_raw(data, digest_algorithm, pss)
