"""Inputs for the verifier: PDFs signed with bare pyHanko by the demo PKI's users, so the
verification tests never depend on the engine they are meant to check."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.pki import make_pdf, simple_signer


def trust_store(demo_pki, folder: Path):
    """The shipped anchors plus the demo root (the issuing CA comes embedded in each signature)."""
    import shutil

    from app.signing.trust import TrustStore

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_pki.root_cert_path, folder / "demo-root.pem")
    return TrustStore.default([folder])


def http_timestamper(demo_pki):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(demo_pki.tsa_url, timeout=20)


def sign_with(demo_pki, src: Path, dst: Path, *, user: str = "leader", field: str = "Signature1",
              timestamper=None, certify: bool = False, box=(350, 80, 550, 160), page: int = 0,
              md_algorithm: str | None = None) -> Path:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field, certify=certify, subfilter=fields.SigSeedSubFilter.PADES,
        reason="Phê duyệt", md_algorithm=md_algorithm,
    )
    with open(src, "rb") as fh, open(dst, "wb") as out:
        pdf_signer = signers.PdfSigner(
            meta, signer=simple_signer(demo_pki, user), timestamper=timestamper,
            new_field_spec=fields.SigFieldSpec(field, on_page=page, box=box),
        )
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(fh, strict=False), output=out)
    return dst


def embed_crl(demo_pki, path: Path) -> Path:
    """Append a document security store with the issuing CA's current CRL (a B-LT style update)."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    with open(path, "rb") as fh:
        contents = PdfFileReader(fh).embedded_signatures[-1].pkcs7_content
    with open(path, "r+b") as fh:
        DocumentSecurityStore.add_dss(
            fh, contents, certs=[demo_pki.intermediate_cert, demo_pki.root_cert],
            crls=[asn1_crl.CertificateList.load(demo_pki.crl("intermediate"))],
        )
    return path


def flip_byte_in_signed_range(src: Path, dst: Path) -> Path:
    """Flip one byte of the binary comment on line 2: parsing is unaffected, the digest is not."""
    data = bytearray(Path(src).read_bytes())
    at = data.index(b"\n") + 2
    assert at < 40
    data[at] ^= 0x01
    Path(dst).write_bytes(bytes(data))
    return Path(dst)


__all__ = ["make_pdf", "trust_store", "http_timestamper", "sign_with", "embed_crl",
           "flip_byte_in_signed_range"]


def first_revision_objects(data: bytes) -> list[object]:
    """Every object of a file's first revision as pyHanko's reader reads it now (tests swap one of
    its token readers and compare)."""
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(data), strict=False)
    refs = sorted({(r.idnum, r.generation) for r in reader.xrefs.explicit_refs_in_revision(0)})
    return [reader.get_object(generic.Reference(i, g, reader)) for i, g in refs]
