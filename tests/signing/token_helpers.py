"""Helpers shared by the token tests: a PIN dialog stand-in, signing through pyHanko, validation."""

from __future__ import annotations

from io import BytesIO

from app.signing.token import PinRequest
from tests.fixtures.pki import validation_context


class PinDialog:
    """A PIN dialog stand-in: records each request and answers with the given PIN."""

    def __init__(self, pin: str | None = "123456") -> None:
        self.pin = pin
        self.requests: list[PinRequest] = []

    def __call__(self, request: PinRequest) -> str | None:
        self.requests.append(request)
        return self.pin


def sign_pdf(signer, src, dst, timestamper=None, field="Sig1"):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with open(src, "rb") as fh, open(dst, "wb") as out:
        signers.sign_pdf(
            IncrementalPdfFileWriter(fh),
            signers.PdfSignatureMetadata(field_name=field),
            signer=signer,
            timestamper=timestamper,
            output=out,
        )
    return dst


def validate(demo_pki, path, **vc):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    with open(path, "rb") as fh:
        reader = PdfFileReader(BytesIO(fh.read()))
        return validate_pdf_signature(reader.embedded_signatures[-1], validation_context(demo_pki, **vc))
