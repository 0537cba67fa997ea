"""Hex strings (a signature's /Contents) read in one pass: the same string, stream position and
errors as pyHanko's own reader, without tokenizing ten thousand digits one call at a time."""

from __future__ import annotations

import random
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from app.signing import hexstrings
from tests.signing.pdfs import admin_pdf

BOX = (330.0, 560.0, 500.0, 640.0)


def _outcome(reader, data: bytes):
    stream = BytesIO(data)
    try:
        value = reader(stream)
    except PdfStreamError as exc:
        return ("error", str(exc), stream.tell())
    return (type(value).__name__, bytes(value.original_bytes), stream.tell())


def _cases():
    rng = random.Random(13)
    yield b"<>"
    yield b"<0>rest"
    yield b"<4c69c3aa6e>"
    yield b"<FEFF0054 0069 00EA\n0075>"  # a UTF-16 text string, with whitespace
    yield b"<41 % a comment > inside\n42>after"
    yield b"<41 4x>"
    yield b"<414243"  # no end
    yield b"<" + b"ab" * 20000 + b">tail"
    for size in (hexstrings._CHUNK - 2, hexstrings._CHUNK - 1, hexstrings._CHUNK, hexstrings._CHUNK + 1):
        yield b"<" + b"0" * size + b">x"
    for _ in range(300):
        alphabet = b"0123456789abcdefABCDEF" * 4 + b" \n\r\t\f\x00" + bytes([rng.choice(b"%g>(")])
        body = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        yield b"<" + body + rng.choice([b">", b">> ", b""]) + b"end"


def test_same_as_pyhankos_reader():
    for data in _cases():
        assert _outcome(hexstrings.read_hex_string, data) == _outcome(hexstrings._original, data), data


def test_a_signature_is_read_without_tokenizing_its_contents(tmp_path, demo_pki, monkeypatch):
    """Opening a signed file through the app's reader reads the signature's container in a few
    large reads, not one tokenizer call per digit (about 20 ms per check of every signature)."""
    from pyhanko.sign.signers import SimpleSigner

    from app.signing.geometry import Placement
    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_document
    from app.signing.pdfopen import open_reader
    from tests.fixtures.pki import P12_PASSPHRASE

    signer = SimpleSigner.load_pkcs12(str(demo_pki.user("leader").p12_path), passphrase=P12_PASSPHRASE.encode())
    out = tmp_path / "out.pdf"
    sign_document(SigningRequest(admin_pdf(tmp_path / "in.pdf"), out, Profile.LEADER, (Placement(0, BOX),)), signer)
    calls = []
    real = generic.read_non_whitespace
    monkeypatch.setattr(generic, "read_non_whitespace", lambda *a, **k: calls.append(1) or real(*a, **k))
    reader = open_reader(out.read_bytes(), None)
    [sig] = reader.embedded_signatures
    contents = sig.sig_object["/Contents"]
    assert len(contents) > 4000 and sig.signer_info is not None
    assert len(calls) < 1000
