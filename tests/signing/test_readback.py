"""The new signature is checked by reading back only the update appended to the original, and the
second reader (qpdf) reads the output file in place while pyHanko finishes the signature."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from io import BytesIO
from pathlib import Path

import pymupdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing import selfcheck
from app.signing.errors import CorruptPdfError
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_bytes, sign_document
from app.signing.readback import ReadBackError, read_appended_signature
from tests.fixtures.pki import validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import encrypted_pdf, hybrid_xref_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


def _large_pdf(path: Path) -> Path:
    """Over a MiB (its digest is computed on another thread), with an xref stream."""
    doc = pymupdf.open()
    page = doc.new_page()
    side = 700
    pix = pymupdf.Pixmap(pymupdf.csRGB, side, side, os.urandom(side * side * 3), False)
    page.insert_image(pymupdf.Rect(50, 50, 545, 545), pixmap=pix)
    doc.save(str(path), use_objstms=1)
    doc.close()
    assert path.stat().st_size > 1 << 20
    return path


def _xref_stream_pdf(src: Path, path: Path) -> Path:
    with pymupdf.open(str(src)) as doc:
        doc.save(str(path), use_objstms=1, garbage=3)
    assert b"/XRef" in path.read_bytes()
    return path


@pytest.fixture
def no_whole_reread(monkeypatch):
    def whole(*_args, **_kwargs):
        pytest.fail("the whole output was read again")

    monkeypatch.setattr("app.signing.pades.verify_new_signature", whole)


@pytest.mark.parametrize("kind", ["table", "xref-stream", "hybrid", "encrypted", "large", "second-signature"])
def test_signing_reads_back_only_the_update(kind, draft, tmp_path, leader, demo_pki, no_whole_reread):
    password = None
    src = draft
    if kind == "xref-stream":
        src = _xref_stream_pdf(draft, tmp_path / "objstm.pdf")
    elif kind == "hybrid":
        src = hybrid_xref_pdf(tmp_path / "hybrid.pdf")
    elif kind == "encrypted":
        src, password = encrypted_pdf(draft, tmp_path / "locked.pdf"), "matkhau"
    elif kind == "large":
        src = _large_pdf(tmp_path / "large.pdf")
    elif kind == "second-signature":
        src = tmp_path / "first.pdf"
        sign_document(SigningRequest(draft, src, Profile.LEADER, (BOX,)), leader)
    out = tmp_path / "out.pdf"
    profile = Profile.SEAL if kind == "second-signature" else Profile.LEADER
    placements = () if kind == "second-signature" else (BOX,)
    res = sign_document(SigningRequest(src, out, profile, placements, pdf_password=password), leader)
    assert res.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert_all_valid(out, 2 if kind == "second-signature" else 1, vc=validation_context(demo_pki), password=password)


def test_b_lt_reads_back_both_appended_revisions(draft, tmp_path, leader, demo_pki, no_whole_reread):
    out = tmp_path / "signed-lt.pdf"
    tsa = TsaConfig(demo_pki.tsa_url, timeout_s=10)
    res = sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,), tsa=tsa), leader,
                        validation_context=validation_context(demo_pki))
    assert res.level == "B-LT", res.warnings
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def _appended(original: bytes, signed: bytes) -> dict:
    """What read_appended_signature needs to know of the original and of the new field."""
    before = PdfFileReader(BytesIO(original), strict=False)
    after = PdfFileReader(BytesIO(signed), strict=False)
    field = next(ref for ref in after.root["/AcroForm"]["/Fields"] if ref.get_object().get("/FT") == "/Sig")
    return {"prev_startxref": before.last_startxref, "prev_size": int(before.trailer["/Size"]),
            "field_number": field.idnum, "field_name": str(field.get_object()["/T"]), "encrypted": False}


def _same_length(pattern: bytes, replace, data: bytes) -> bytes:
    """`data` with the last match of `pattern` replaced by `replace(match)`, padded to its length."""
    match = list(re.finditer(pattern, data))[-1]
    new = replace(match)
    assert len(new) <= len(match.group())
    return data[:match.start()] + new.ljust(len(match.group())) + data[match.end():]


def _shift_last_entry(m: re.Match) -> bytes:
    return b"%010d 00000 n " % (int(m.group(1)) + 1)


DAMAGES = {
    "object-moved": lambda d: _same_length(rb"(\d{10}) 00000 n ", _shift_last_entry, d),
    "prev-elsewhere": lambda d: _same_length(rb"/Prev (\d+)", lambda m: b"/Prev %d" % (int(m.group(1)) - 1), d),
    "range-short": lambda d: _same_length(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]",
                                          lambda m: b"/ByteRange [%s %s %s %d]" % (*m.groups()[:3],
                                                                                   int(m.group(4)) - 10), d),
    "junk-after-eof": lambda d: d + b"% not a revision\n",
    "size-below": lambda d: _same_length(rb"/Size (\d+)", lambda m: b"/Size 1", d),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_read_back_refuses_an_update_not_as_written(damage, draft, tmp_path, leader):
    out = tmp_path / "signed.pdf"
    sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,)), leader)
    original, signed = draft.read_bytes(), out.read_bytes()
    known = _appended(original, signed)
    base = len(original)
    good = read_appended_signature(signed[base:], base, **known)
    assert signed[good.byte_range[1]:good.byte_range[2]].startswith(b"<3082")
    with pytest.raises(ReadBackError):
        read_appended_signature(DAMAGES[damage](signed)[base:], base, **known)


def test_read_back_refuses_another_field(draft, tmp_path, leader):
    out = tmp_path / "signed.pdf"
    sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,)), leader)
    original, signed = draft.read_bytes(), out.read_bytes()
    known = _appended(original, signed)
    with pytest.raises(ReadBackError):
        read_appended_signature(signed[len(original):], len(original), **{**known, "field_name": "leader_2"})
    with pytest.raises(ReadBackError):
        read_appended_signature(signed[len(original):], len(original),
                                **{**known, "field_number": known["field_number"] + 1})


def test_an_update_the_reader_does_not_expect_is_read_whole_by_pyhanko(draft, tmp_path, leader, monkeypatch,
                                                                       demo_pki):
    calls = []
    whole = selfcheck.verify_new_signature

    def unexpected(*_args, **_kwargs):
        raise ReadBackError("not expected")

    def counted(*args, **kwargs):
        calls.append(args[1])
        return whole(*args, **kwargs)

    monkeypatch.setattr("app.signing.selfcheck.read_appended_signature", unexpected)
    monkeypatch.setattr("app.signing.pades.verify_new_signature", counted)
    out = tmp_path / "signed.pdf"
    res = sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,)), leader)
    assert calls == ["leader_1"]
    assert res.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def _fake_qpdf(folder: Path, log: Path) -> None:
    """A qpdf that records what it reads and cannot read anything but the original's copy."""
    exe = folder / "qpdf"
    exe.write_text(f'#!/bin/sh\nfor a; do last="$a"; done\necho "$last" >> "{log}"\n'
                   'case "$last" in */in.pdf) exit 0;; esac\necho "qpdf: damaged file" >&2\nexit 2\n')
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for qpdf")
def test_second_reader_reads_the_output_in_place_and_refuses_what_it_cannot_open(draft, tmp_path, leader,
                                                                                   monkeypatch):
    bin_dir, log = tmp_path / "bin", tmp_path / "qpdf.log"
    bin_dir.mkdir()
    _fake_qpdf(bin_dir, log)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    out_dir = tmp_path / "out"
    out = out_dir / "signed.pdf"
    with pytest.raises(CorruptPdfError) as info:
        sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,)), leader)
    assert "damaged file" in info.value.detail
    read = log.read_text().split()
    # The output is read where it is written (the temp file beside the target), not copied.
    assert Path(read[0]).parent == out_dir and read[0].endswith(".part")
    assert read[1].endswith("in.pdf")
    assert list(out_dir.iterdir()) == []
    # In memory, qpdf reads a copy; the verdict is the same.
    with pytest.raises(CorruptPdfError):
        sign_bytes(draft.read_bytes(), SigningRequest(draft, tmp_path / "unused.pdf", Profile.LEADER, (BOX,)),
                   leader)
