"""Names read in one pass (app/signing/pdfnames.py): the same name, stream position and errors as
pyHanko's own reader; and verifying a file no longer decodes its names a character at a time."""

from __future__ import annotations

import random
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError

from app.signing import pdfnames


def _outcome(reader, data: bytes):
    stream = BytesIO(data)
    try:
        value = reader(stream)
    except PdfError as exc:
        return ("error", type(exc).__name__, str(exc), stream.tell())
    return (type(value).__name__, str(value), stream.tell())


def _cases():
    rng = random.Random(14)
    yield from (b"/Type /Page", b"/Type", b"/", b"/ ", b"//Other", b"/A#20B ", b"/A#2", b"/A#zz ", b"Type",
                b"", b"/Caf\xc3\xa9 ", b"/Lat\xe9 ", b"/Ctrl\x01 ", b"/K[1 2]", b"/Sz<<", b"/P%comment\n",
                b"/Name)", b"/F1\x00", b"/F1\r\n")
    for size in (pdfnames._CHUNK - 3, pdfnames._CHUNK - 2, pdfnames._CHUNK - 1, pdfnames._CHUNK,
                 pdfnames._CHUNK + 1, 4 * pdfnames._CHUNK):
        yield b"/" + b"N" * size + b" tail"
        yield b"/" + b"N" * size
    alphabet = bytes(range(0x21, 0x7F)) * 3 + b" \n\r\t\f\x00#" + bytes([0x80, 0xC3, 0xA9, 0xFF])
    for _ in range(1500):
        body = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        yield rng.choice([b"/", b"/", b"/", b"x"]) + body + rng.choice([b"", b" ", b"/Next", b">>", b"#4", b"#"])


def test_same_as_pyhankos_reader():
    for data in _cases():
        assert _outcome(pdfnames.read_name, data) == _outcome(pdfnames._original, data), data


def test_same_objects_read_from_a_whole_file(tmp_path, monkeypatch):
    """Dictionaries, arrays and streams of a real file read the same with either name reader."""
    from tests.signing.verify_helpers import first_revision_objects, make_pdf

    data = make_pdf(tmp_path / "in.pdf", pages=3).read_bytes()

    def every_object(read_name) -> list[object]:  # type: ignore[no-untyped-def]
        monkeypatch.setattr(generic.NameObject, "read_from_stream", staticmethod(read_name))
        return first_revision_objects(data)

    assert every_object(pdfnames.read_name) == every_object(pdfnames._original)


def test_verifying_decodes_no_name_a_character_at_a_time(demo_pki, tmp_path, monkeypatch):
    from app.signing.verify import verify_pdf
    from tests.signing.verify_helpers import make_pdf, sign_with, trust_store

    make_pdf(tmp_path / "in.pdf", pages=2)
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "one.pdf")
    sign_with(demo_pki, tmp_path / "one.pdf", tmp_path / "two.pdf", user="clerk", field="Seal", page=1)
    decoded: list[bytes] = []
    real = generic._decode_name
    monkeypatch.setattr(generic, "_decode_name", lambda raw: decoded.append(raw) or real(raw))
    monkeypatch.setattr(generic.NameObject, "read_from_stream", staticmethod(pdfnames._original))
    report = verify_pdf(tmp_path / "two.pdf", trust_store(demo_pki, tmp_path / "trust"))
    assert report.all_valid
    assert len(decoded) < 10
