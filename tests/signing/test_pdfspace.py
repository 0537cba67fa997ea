"""Whitespace skipped in one read (app/signing/pdfspace.py): the same byte, stream position and errors
as pyHanko's own reader; and verifying a file no longer tests its whitespace a byte at a time."""

from __future__ import annotations

import random
from io import BytesIO

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.misc import PdfError

from app.signing import pdfspace


def _outcome(reader, data: bytes, start: int, **kwargs):  # type: ignore[no-untyped-def]
    stream = BytesIO(data)
    stream.seek(start)
    try:
        value = reader(stream, **kwargs)
    except PdfError as exc:
        return ("error", type(exc).__name__, str(exc), stream.tell())
    return (value, stream.tell())


def _cases():
    rng = random.Random(15)
    yield from (b"", b" ", b"x", b"  x", b"\r\n\t\f\x00 /Name", b"%comment\n 1", b"  %a\r%b\n\n<<", b"%only",
                b" %only\n", b"\n\n% c\n   ", b"%\n%\n%\nx")
    for size in (pdfspace._CHUNK - 1, pdfspace._CHUNK, pdfspace._CHUNK + 1, 3 * pdfspace._CHUNK):
        yield b" " * size + b"1 0 R"
        yield b" " * size
        yield b"\n" * size + b"%c\n" + b" " * size + b"]"
    alphabet = b" \n\r\t\f\x00" * 6 + b"%%/<>[]()1aR\x80\xff"
    for _ in range(3000):
        yield bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))


def test_same_as_pyhankos_reader():
    for data in _cases():
        for start in {0, min(1, len(data)), len(data) // 2}:
            for kwargs in ({}, {"seek_back": True}, {"allow_eof": True}, {"seek_back": True, "allow_eof": True}):
                assert _outcome(pdfspace.read_non_whitespace, data, start, **kwargs) == \
                    _outcome(pdfspace._original, data, start, **kwargs), (data, start, kwargs)


def test_same_objects_read_from_a_whole_file(tmp_path, monkeypatch):
    """Dictionaries, arrays, streams and cross-references of a signed file read the same with either."""
    from tests.signing.verify_helpers import first_revision_objects, make_pdf

    data = make_pdf(tmp_path / "in.pdf", pages=3).read_bytes()

    def every_object(read_non_whitespace) -> list[object]:  # type: ignore[no-untyped-def]
        monkeypatch.setattr(misc, "read_non_whitespace", read_non_whitespace)
        monkeypatch.setattr(generic, "read_non_whitespace", read_non_whitespace)
        return first_revision_objects(data)

    assert every_object(pdfspace.read_non_whitespace) == every_object(pdfspace._original)


def test_verifying_tests_no_whitespace_a_byte_at_a_time(demo_pki, tmp_path, monkeypatch):
    from app.signing.verify import verify_pdf
    from tests.signing.verify_helpers import make_pdf, sign_with, trust_store

    make_pdf(tmp_path / "in.pdf", pages=2)
    sign_with(demo_pki, tmp_path / "in.pdf", tmp_path / "one.pdf")
    calls: list[int] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return pdfspace._original(*args, **kwargs)

    monkeypatch.setattr(misc, "read_non_whitespace", counting)
    monkeypatch.setattr(generic, "read_non_whitespace", counting)
    report = verify_pdf(tmp_path / "one.pdf", trust_store(demo_pki, tmp_path / "trust"))
    assert report.all_valid
    assert calls == []
