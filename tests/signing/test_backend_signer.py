"""One pyHanko Signer over any key backend: the token and the remote signer share it, and a
backend only makes raw signatures (PKCS#1 v1.5, RSASSA-PSS, ECDSA) - checked here with a
software backend over the demo PKI's keys; the outputs validate with pyHanko and pdfsig."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing.backend_signer import BackendPdfSigner, signature_size
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.pades import sign_document
from app.signing.pss import PssParams
from app.signing.trust import TrustStore
from app.signing.verify import verify_pdf
from tests.fixtures.pki import pdfsig
from tests.signing.cli_helpers import trust_dir_with
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class SoftwareBackend:
    """A key in memory as a backend, the way a token or a remote service is one."""

    def __init__(self, key) -> None:
        self.key = key
        self.calls: list[tuple[str, PssParams | None]] = []

    def sign_raw(self, data: bytes, digest_algorithm: str, pss: PssParams | None = None) -> bytes:
        self.calls.append((digest_algorithm, pss))
        digest = hashlib.new(digest_algorithm, data).digest()
        prehashed = utils.Prehashed(_HASHES[digest_algorithm]())
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return self.key.sign(digest, ec.ECDSA(prehashed))
        if pss is not None:
            pad = padding.PSS(mgf=padding.MGF1(_HASHES[pss.digest]()), salt_length=pss.salt_length)
            return self.key.sign(digest, pad, prehashed)
        return self.key.sign(digest, padding.PKCS1v15(), prehashed)


@pytest.fixture(scope="module")
def trust(demo_pki, tmp_path_factory):
    return trust_dir_with(tmp_path_factory.mktemp("backend-trust"), demo_pki.root_cert_path)


def sign_and_check(signer, trust, tmp_path, nssdb) -> str:
    out = tmp_path / "out.pdf"
    sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), out, Profile.LEADER, (BOX,)), signer)
    assert verify_pdf(out, TrustStore.default([trust])).all_valid
    assert "Signature is Valid." in pdfsig(out, nssdb)
    with open(out, "rb") as fh:
        return PdfFileReader(fh).embedded_signatures[-1].signer_info["signature_algorithm"]["algorithm"].native


@pytest.mark.parametrize("pss, expected", [(False, "sha256_rsa"), (True, "rsassa_pss")])
def test_rsa_backend_pkcs1_and_pss(demo_pki, demo_nssdb, trust, tmp_path, pss, expected):
    backend = SoftwareBackend(demo_pki.private_key("leader"))
    chain = [demo_pki.cert("leader"), demo_pki.intermediate_cert, demo_pki.root_cert]
    signer = BackendPdfSigner(backend, chain[0], chain, prefer_pss=pss)
    assert sign_and_check(signer, trust, tmp_path, demo_nssdb) == expected
    [(digest, params)] = backend.calls
    assert digest == "sha256"
    assert (params is not None and params.digest == "sha256") if pss else params is None


def test_ecdsa_backend_reserves_room_for_the_der_signature(demo_pki, demo_nssdb, trust, tmp_path):
    key_pem, cert = demo_pki.issue_ec("leader", "backend_ec")
    leaf = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    assert signature_size(leaf) == 73  # r and s of P-256, DER-encoded at their longest
    backend = SoftwareBackend(serialization.load_pem_private_key(key_pem, None))
    signer = BackendPdfSigner(backend, leaf, [leaf, demo_pki.intermediate_cert, demo_pki.root_cert])
    assert sign_and_check(signer, trust, tmp_path, demo_nssdb) == "sha256_ecdsa"


def test_signing_certificate_attribute_is_made_once_per_key(demo_pki, trust, tmp_path, monkeypatch):
    """The signing-certificate-v2 attribute depends on the certificate alone; built by pyHanko it
    costs more than the rest of the container, so a batch makes it once and every output still
    names the signer's certificate exactly as pyHanko would."""
    from pyhanko.sign import attributes, general

    built = []
    real = general.as_signing_certificate_v2

    def counting(cert, *args, **kwargs):
        built.append(cert)
        return real(cert, *args, **kwargs)

    monkeypatch.setattr(attributes, "as_signing_certificate_v2", counting)
    monkeypatch.setattr(general, "as_signing_certificate_v2", counting)
    from app.signing import backend_signer

    monkeypatch.setattr(backend_signer, "as_signing_certificate_v2", counting, raising=False)
    chain = [demo_pki.cert("leader"), demo_pki.intermediate_cert, demo_pki.root_cert]
    signer = BackendPdfSigner(SoftwareBackend(demo_pki.private_key("leader")), chain[0], chain)
    outs = []
    for n in range(3):
        out = tmp_path / f"out-{n}.pdf"
        sign_document(SigningRequest(admin_pdf(tmp_path / f"in-{n}.pdf"), out, Profile.LEADER, (BOX,)), signer)
        outs.append(out)
    assert len(built) == 1
    expected = real(chain[0]).dump()
    for out in outs:
        assert verify_pdf(out, TrustStore.default([trust])).all_valid
        with open(out, "rb") as fh:
            info = PdfFileReader(fh).embedded_signatures[-1].signer_info
        [value] = [a["values"][0] for a in info["signed_attrs"] if a["type"].native == "signing_certificate_v2"]
        assert value.dump() == expected


@pytest.mark.parametrize("pss", [False, True])
def test_the_signed_data_is_what_pyhanko_would_write(demo_pki, pss, monkeypatch):
    """The container is written from parts made once per key (pyHanko rebuilds and copies it all
    for every signature): the same signer info, byte for byte, and the same certificates."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.signers import Signer
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    chain = [demo_pki.cert("leader"), demo_pki.intermediate_cert, demo_pki.root_cert]
    signer = BackendPdfSigner(SoftwareBackend(demo_pki.private_key("leader")), chain[0], chain, prefer_pss=pss)
    digest = hashlib.sha256(b"the document").digest()
    real_package = Signer._package_signature
    assembled = []
    monkeypatch.setattr(Signer, "_package_signature",
                        lambda self, **kw: assembled.append(1) or real_package(self, **kw))
    for _ in range(2):  # the second time from the remembered parts
        ours = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True,
                                             signed_attr_settings=PdfCMSSignedAttributes()))
    assert assembled == []
    attrs = ours["content"]["signer_infos"][0]["signed_attrs"].untag()
    value = bytes(ours["content"]["signer_infos"][0]["signature"].native)
    theirs = real_package(signer, digest_algorithm="sha256", cms_version="v1",
                          signed_attrs=cms.CMSAttributes.load(attrs.dump()), signature=value,
                          unsigned_attrs=None, encap_content_info=None)
    # The certificates' order may differ (pyHanko collects them in a set): compared as sets.
    mine, pyhankos = ours["content"], cms.ContentInfo.load(theirs.dump())["content"]
    assert mine["signer_infos"].dump() == pyhankos["signer_infos"].dump()
    for field in ("version", "digest_algorithms", "encap_content_info"):
        assert mine[field].dump() == pyhankos[field].dump(), field
    assert {c.dump() for c in mine["certificates"]} == {c.dump() for c in pyhankos["certificates"]}


def test_a_backend_bug_surfaces_as_itself_not_as_a_damaged_document(demo_pki, tmp_path):
    """A key backend's unexpected error is a bug to report (the crash dialog, the log with its
    traceback), not "the PDF is damaged", which would offer the officer a repaired copy."""
    class Broken(SoftwareBackend):
        def sign_raw(self, data, digest_algorithm, pss=None):
            raise TypeError("a bug in the backend")

    chain = [demo_pki.cert("leader"), demo_pki.intermediate_cert, demo_pki.root_cert]
    signer = BackendPdfSigner(Broken(demo_pki.private_key("leader")), chain[0], chain)
    out = tmp_path / "out.pdf"
    with pytest.raises(TypeError, match="a bug in the backend"):
        sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), out, Profile.LEADER, (BOX,)), signer)
    assert not out.exists()
