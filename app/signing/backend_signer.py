"""One pyHanko Signer for every key backend: a USB token (PKCS#11) or a remote-signing service
(CSC API). Like DigiDoc4-Client's one signer interface over several backends, the PDF side
(algorithm choice, RSASSA-PSS parameters, the dry-run size of the signature) is written once;
a backend only makes the raw signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol

from asn1crypto import algos, cms, tsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.parser import emit
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec, SigningCertificateV2Provider
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.errors import LienThongError
from app.signing.errors import BackendFailure
from app.signing.pss import PssParams

if TYPE_CHECKING:
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
    from pyhanko.sign.timestamps import TimeStamper


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


class _ParsedAttribute(CMSAttributeProvider):
    """An attribute value made once, handed out freshly parsed: a parsed value is written back
    from its own bytes, and each signature gets an object of its own."""

    def __init__(self, attribute_type: str, der: bytes) -> None:
        self.attribute_type = attribute_type
        self._der = der

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


class _RememberedSigningCertificate(SignedAttributeProviderSpec):
    """pyHanko's signed attributes, with the signing-certificate-v2 value taken from `signer`."""

    def __init__(self, inner: SignedAttributeProviderSpec, signer: "BackendPdfSigner") -> None:
        self._inner = inner
        self._signer = signer

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterable[CMSAttributeProvider]:
        for provider in self._inner.signed_attr_providers(data_digest, digest_algorithm):
            if isinstance(provider, SigningCertificateV2Provider) \
                    and provider.signing_cert is self._signer.signing_cert:
                yield _ParsedAttribute(provider.attribute_type, self._signer.signing_certificate_attribute())
            else:
                yield provider


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
        self._leaf = signing_cert
        self._signing_certificate_der: bytes | None = None
        self._cms_parts: dict[tuple[str, str], tuple[bytes, bytes, bytes]] = {}

    def signing_certificate_attribute(self) -> bytes:
        """The DER of the signing-certificate-v2 value (RFC 5035), made once per key.

        asn1crypto writes a value built from Python objects in time exponential in its nesting
        depth, and this one is deep: built by pyHanko, it costs several times the rest of the CMS
        container, for every signature of a batch. It depends on the certificate alone."""
        der = self._signing_certificate_der
        if der is None:
            der = self._signing_certificate_der = as_signing_certificate_v2(self.signing_cert).dump()
        return der

    def _signed_attr_provider_spec(self, attr_settings: PdfCMSSignedAttributes,
                                   timestamper: TimeStamper | None = None, use_cades: bool = False,
                                   is_pdf_sig: bool = True) -> SignedAttributeProviderSpec:
        # pyHanko's only place to choose the signed attributes per signature.
        spec = super()._signed_attr_provider_spec(attr_settings, timestamper=timestamper, use_cades=use_cades,
                                                  is_pdf_sig=is_pdf_sig)
        return _RememberedSigningCertificate(spec, self)

    def _package_signature(self, *, digest_algorithm: str, cms_version: str, signed_attrs: cms.CMSAttributes,
                           signature: bytes, unsigned_attrs: cms.CMSAttributes | None,
                           encap_content_info: object) -> cms.ContentInfo:
        """The SignedData of a plain detached signature, written from parts made once per key.

        asn1crypto assembles pyHanko's structure from Python objects, copying the certificates and
        writing it all again, for every signature (several ms); only the signed attributes and the
        signature value change between the documents of a batch. Anything else (a time stamp,
        encapsulated content, attribute certificates) is assembled by pyHanko."""
        detached = encap_content_info is None or encap_content_info == {"content_type": "data"}
        if unsigned_attrs is not None or not detached or tuple(self.attribute_certs) or digest_algorithm == "shake256":
            return super()._package_signature(
                digest_algorithm=digest_algorithm, cms_version=cms_version, signed_attrs=signed_attrs,
                signature=signature, unsigned_attrs=unsigned_attrs, encap_content_info=encap_content_info)
        head, signer_head, signer_algorithm = self._parts(digest_algorithm, cms_version)
        attrs = signed_attrs.dump()
        # SignerInfo: version, sid, digest algorithm, [0] IMPLICIT signed attributes (their SET
        # tag becomes the context tag), signature algorithm, signature value.
        signer_info = emit(0, 1, 16, signer_head + b"\xa0" + attrs[1:] + signer_algorithm + emit(0, 0, 4, signature))
        signed_data = emit(0, 1, 16, head + emit(0, 1, 17, signer_info))
        der = emit(0, 1, 16, cms.ContentType("signed_data").dump() + emit(2, 1, 0, signed_data))
        return cms.ContentInfo.load(der)

    def _parts(self, digest_algorithm: str, cms_version: str) -> tuple[bytes, bytes, bytes]:
        """(SignedData up to its signer infos, SignerInfo up to its signed attributes, its
        signature algorithm), as pyHanko writes them."""
        key = (digest_algorithm, cms_version)
        parts = self._cms_parts.get(key)
        if parts is None:
            digest = algos.DigestAlgorithm({"algorithm": digest_algorithm})
            leaf = self._leaf
            registry = list(self.cert_registry)
            chosen = registry if self.embed_roots else [c for c in registry if c.self_signed == "no"]
            certs = list(dict.fromkeys(c.dump() for c in [*chosen, leaf]))
            head = (cms.CMSVersion(cms_version).dump() + cms.DigestAlgorithms([digest]).dump()
                    + cms.EncapsulatedContentInfo({"content_type": "data"}).dump()
                    + emit(2, 1, 0, b"".join(certs)))
            sid = cms.IssuerAndSerialNumber({"issuer": leaf.issuer, "serial_number": leaf.serial_number})
            signer_head = cms.CMSVersion("v1").dump() + sid.dump() + digest.dump()
            algorithm = self.get_signature_mechanism_for_digest(digest_algorithm).dump()
            parts = self._cms_parts[key] = (head, signer_head, algorithm)
        return parts

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._size)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        pss = None
        if mechanism["algorithm"].native == "rsassa_pss":
            params = mechanism["parameters"]
            pss = PssParams(params["hash_algorithm"]["algorithm"].native, int(params["salt_length"].native))
        try:
            return self.backend.sign_raw(data, digest_algorithm, pss)
        except LienThongError:
            raise
        except Exception as exc:  # noqa: BLE001 - a backend's bug, not the document's damage
            raise BackendFailure(exc) from exc
