"""Each kind of damage the fuzz run found, as one named case: a clean refusal, never a traceback,
a hang or a misleading exit code."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from app.cli import exit_codes
from app.fileio import atomic_write_bytes, sha256_file
from app.signing import errors as se
from app.signing.errors import CorruptPdfError
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.pades import sign_document
from tests.fuzz import gen
from tests.signing.cli_helpers import lienthong

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


def _file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(tmp_path, leader, src):
    before = sha256_file(src)
    with pytest.raises(CorruptPdfError) as info:
        sign_document(SigningRequest(src, tmp_path / "out.pdf", Profile.LEADER, (BOX,)), leader)
    assert sha256_file(src) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]
    assert "xin người gửi một bản mới" in info.value.message_vi
    assert "Ask the sender for a new copy" in info.value.message_en
    return info.value


@pytest.mark.timeout(60)
def test_page_whose_parent_is_itself_is_refused_not_a_hang(tmp_path, leader):
    doc = gen.base_doc(pages=1)
    doc.objects[2] = doc.objects[2].replace(b" /MediaBox [0 0 595 842]", b"")
    doc.objects[4] = doc.objects[4].replace(b"/Parent 2 0 R", b"/Parent 4 0 R")
    _refused(tmp_path, leader, _file(tmp_path, "loop.pdf", doc.serialize()))


@pytest.mark.parametrize("rotate", [b"45", b"/Ninety"])
def test_rotate_that_is_not_a_right_angle_is_refused(tmp_path, leader, rotate):
    doc = gen.base_doc(pages=1)
    doc.objects[4] = doc.objects[4][:-2] + b"/Rotate " + rotate + b" >>"
    _refused(tmp_path, leader, _file(tmp_path, "rotate.pdf", doc.serialize()))


def test_huge_trailer_size_is_refused_before_signing(tmp_path, leader):
    # New objects would be numbered above 2**31, which poppler cannot read.
    data = gen.base_doc(pages=1).serialize(size=b"2147483648")
    error = _refused(tmp_path, leader, _file(tmp_path, "size.pdf", data))
    assert "/Size" in error.detail


def test_empty_encrypt_dictionary_is_refused(tmp_path, leader):
    doc = gen.base_doc(pages=1)
    doc.trailer[b"/Encrypt"] = b"<< >>"
    doc.trailer[b"/ID"] = b"[<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]"
    src = _file(tmp_path, "encrypt.pdf", doc.serialize())
    with pytest.raises(se.BadInputError):
        sign_document(SigningRequest(src, tmp_path / "out.pdf", Profile.LEADER, (BOX,)), leader)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("kind", ["deep_nesting", "count_wrong", "root_string", "startxref_bad"])
def test_cli_damaged_input_exits_two_and_verify_json_says_why(tmp_path, demo_pki, kind):
    rng = random.Random(f"named:{kind}")
    if kind == "deep_nesting":
        doc = gen.base_doc(pages=1)
        doc.objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 1000 + b"1" + b"]" * 1000 + b" >>"
        data = doc.serialize()
    elif kind == "startxref_bad":
        data = gen.startxref_bad(gen.base_doc(pages=1).serialize(), rng)
    else:
        data = getattr(gen, kind)(gen.base_doc(pages=1), rng)
    src = _file(tmp_path, f"{kind}.pdf", data)
    signed = lienthong("sign", src, "-o", tmp_path / "out.pdf", "--rect", "330,560,500,640",
                       "--p12", demo_pki.user("leader").p12_path, "--p12-pass-env", "LT_P12_PASS",
                       env={"LT_P12_PASS": "123456"})
    assert "Traceback" not in signed.err
    assert signed.code in (0, 2), signed.err
    checked = lienthong("verify", "--json", src)
    assert "Traceback" not in checked.err
    answer = json.loads(checked.out)
    if checked.code == 2:
        assert answer["error"] == "corrupt_pdf" and answer["message_vi"] and answer["message_en"]
    else:
        assert checked.code == 4


def test_refusing_to_invalidate_a_signature_is_bad_input_not_a_bug():
    assert exit_codes.exit_code_for(se.WouldInvalidateSignatureError("leader_1")) == exit_codes.BAD_INPUT
    assert exit_codes.exit_code_for(se.CorruptPdfError("x.pdf")) == exit_codes.BAD_INPUT


def test_temp_files_of_a_killed_writer_are_cleaned_by_the_next_write(tmp_path):
    out = tmp_path / "da-ky.pdf"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".da-ky.pdf.{dead.stdout.strip()}.abc123.part"
    stale.write_bytes(b"")
    mine = tmp_path / f".da-ky.pdf.{os.getpid()}.def456.part"  # a live writer's: left alone
    mine.write_bytes(b"")
    other = tmp_path / ".khac.pdf.1.x.part"  # another output's: not ours to judge
    other.write_bytes(b"")
    atomic_write_bytes(out, b"%PDF-1.7\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, mine.name, other.name])


def test_damaged_unsigned_file_signs_as_a_repaired_copy_when_chosen(tmp_path, leader, demo_pki):
    from tests.fixtures.pki import validation_context
    from tests.signing.checks import assert_all_valid

    data = gen.base_doc(pages=2).serialize()
    start = data.rindex(b"\nxref\n") + 1
    src = _file(tmp_path, "mat-xref.pdf", data[:start] + data[data.index(b"trailer", start):])
    before = sha256_file(src)
    request = SigningRequest(src, tmp_path / "out.pdf", Profile.LEADER, (BOX,))
    with pytest.raises(CorruptPdfError):
        sign_document(request, leader)
    from dataclasses import replace

    from app.signing.repair import REPAIRED_NOTE

    result = sign_document(replace(request, repair_damaged=True), leader)
    assert REPAIRED_NOTE in result.warnings
    assert sha256_file(src) == before
    assert_all_valid(tmp_path / "out.pdf", 1, vc=validation_context(demo_pki))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mat-xref.pdf", "out.pdf"]


def test_damaged_file_that_carries_a_signature_is_never_repaired(tmp_path, leader):
    from dataclasses import replace

    good = _file(tmp_path, "goc.pdf", gen.base_doc(pages=1).serialize())
    signed = tmp_path / "da-ky.pdf"
    sign_document(SigningRequest(good, signed, Profile.LEADER, (BOX,)), leader)
    data = signed.read_bytes()
    src = _file(tmp_path, "hong.pdf", data[:-200])  # the last revision lost its xref and trailer
    before = sha256_file(src)
    with pytest.raises(CorruptPdfError) as info:
        sign_document(replace(SigningRequest(src, tmp_path / "out.pdf", Profile.LEADER, (BOX,)),
                              repair_damaged=True), leader)
    assert "signatures" in info.value.detail
    assert sha256_file(src) == before
    assert not (tmp_path / "out.pdf").exists()


def _stacked_bomb(where: float) -> bytes:
    rng = random.Random()
    rng.random = lambda: where  # type: ignore[method-assign]
    return gen.flate_bomb_stacked(gen.base_doc(pages=2), rng)


@pytest.mark.timeout(60)
def test_flate_bomb_in_the_security_store_is_refused_by_its_size(tmp_path):
    """A few kilobytes of stacked Flate that would inflate to 192 MiB: verification reads the
    /DSS, pyHanko stops at the decode limits, and never holds the inflated data."""
    import tracemalloc

    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf

    src = _file(tmp_path, "bom.pdf", _stacked_bomb(0.1))
    tracemalloc.start()
    try:
        with pytest.raises(CorruptPdfError) as info:
            verify_pdf(src, TrustStore(()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "DecodeLimit" in info.value.detail
    assert peak < 32 << 20


@pytest.mark.timeout(60)
def test_text_extraction_never_decodes_an_image_bomb(tmp_path):
    """Auto-placement reads the page's text; an 8192 x 8192 image that inflates to 192 MiB must not
    be decoded for that (PyMuPDF's "dict" text decodes every picture unless told not to)."""
    src = _file(tmp_path, "anh-bom.pdf", _stacked_bomb(0.9))
    code = ("import resource, sys, pymupdf\n"
            "from app.signing.autoplace import page_lines\n"
            "doc = pymupdf.open(sys.argv[1])\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "page_lines(doc[0])\n"
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n")
    done = subprocess.run([sys.executable, "-c", code, str(src)], capture_output=True, text=True, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) < 64, f"text extraction grew the process by {done.stdout.strip()} MiB"
