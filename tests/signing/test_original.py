"""The bytes a signing reads: copied once into the output's temp file, mapped, and signed there."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pymupdf
import pytest

from app.fileio import atomic_output, sha256_file
from app.signing.errors import ChangedSincePreviewError, CorruptPdfError, NotAPdfError
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.original import Original, open_input, original_in
from app.signing.pades import SIGNING, sign_document
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))
LARGE = 12 << 20


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A one-page draft carrying 12 MB that does not compress, as a scan's images do."""
    folder = tmp_path_factory.mktemp("large")
    src = admin_pdf(folder / "draft.pdf")
    with pymupdf.open(src) as doc:
        doc.embfile_add("scan.bin", os.urandom(LARGE))
        doc.save(folder / "large.pdf")
    return folder / "large.pdf"


def test_a_large_file_is_signed_without_reading_it_into_memory(large, draft, tmp_path, leader):
    """Read into the process, the file took its whole size in fresh memory at every signature."""
    sign_document(SigningRequest(draft, tmp_path / "first.pdf", Profile.LEADER, (BOX,)), leader)  # imports
    out = tmp_path / "signed.pdf"
    tracemalloc.start()
    try:
        sign_document(SigningRequest(large, out, Profile.LEADER, (BOX,)), leader)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < LARGE / 4, f"peak {peak / 1e6:.1f} MB for a {LARGE / 1e6:.0f} MB file"
    assert out.read_bytes().startswith(large.read_bytes())
    assert_all_valid(out, 1)


def test_the_officers_file_changing_during_signing_changes_nothing(large, tmp_path, leader):
    """The signing reads its own copy: the file emptied and rewritten while the token signs (an
    editor saving over it, a sync client) neither reaches the output nor stops the signing."""
    src = tmp_path / "draft.pdf"
    src.write_bytes(large.read_bytes())
    previewed = sha256_file(src)
    original = src.read_bytes()
    out = tmp_path / "signed.pdf"

    held = []

    def progress(message):
        if message == SIGNING and os.path.isdir("/proc/self/fd"):
            # Not held open while the token signs (on Windows, that would stop the file being
            # moved or deleted meanwhile).
            held.extend(fd for fd in os.listdir("/proc/self/fd")
                        if os.path.realpath(f"/proc/self/fd/{fd}") == str(src.resolve()))
            src.write_bytes(b"%PDF-1.7 something else entirely")

    request = SigningRequest(src, out, Profile.LEADER, (BOX,), expected_sha256=previewed)
    sign_document(request, leader, progress=progress)
    assert held == []
    assert out.read_bytes().startswith(original)
    assert_all_valid(out, 1)


@pytest.mark.parametrize("case", ["changed since the preview", "not a PDF", "damaged", "empty"])
def test_nothing_is_left_beside_the_output_when_signing_fails(case, draft, tmp_path, leader):
    src = tmp_path / "in" / "draft.pdf"
    src.parent.mkdir()
    data = draft.read_bytes()
    expected, error = None, CorruptPdfError
    if case == "changed since the preview":
        expected, error = hashlib.sha256(b"another file").hexdigest(), ChangedSincePreviewError
    elif case == "not a PDF":
        data, error = b"MZ\x90\x00" + bytes(4096), NotAPdfError
    elif case == "damaged":
        data = data[: len(data) // 2]
    else:
        data, error = b"", NotAPdfError
    src.write_bytes(data)
    out = tmp_path / "out" / "signed.pdf"
    with pytest.raises(error):
        sign_document(SigningRequest(src, out, Profile.LEADER, (BOX,), expected_sha256=expected), leader)
    assert list(out.parent.iterdir()) == []
    assert src.read_bytes() == data


def test_a_missing_file_is_refused_before_anything_is_made_for_its_output(tmp_path, leader):
    out = tmp_path / "out" / "signed.pdf"
    with pytest.raises(CorruptPdfError):
        sign_document(SigningRequest(tmp_path / "gone.pdf", out, Profile.LEADER, (BOX,)), leader)
    assert not out.parent.exists()


def test_a_mapped_original_reads_like_the_bytes_it_holds(tmp_path):
    data = bytes(range(256)) * 4000 + b"%%EOF"
    src = tmp_path / "in.bin"
    src.write_bytes(data)
    with open_input(src) as fh, atomic_output(tmp_path / "out.bin") as out, original_in(out, fh, "in.bin") as original:
        assert original.host is out and len(original) == len(data)
        assert original.head(1024) == data[:1024]
        assert original.to_bytes() == data
        mapped, plain = original.stream(), io.BytesIO(data)
        for stream in (mapped, plain):
            stream.seek(-5, os.SEEK_END)
        assert mapped.read() == plain.read() == b"%%EOF"
        for where in (0, 100_000, len(data) - 3, len(data) + 10):
            mapped.seek(where)
            plain.seek(where)
            assert mapped.read(70_000) == plain.read(70_000)
        mapped.seek(10)
        assert mapped.seek(20, os.SEEK_CUR) == 30
        buffer = bytearray(300_000)
        assert mapped.readinto(buffer) == 300_000 and bytes(buffer) == data[30:300_030]
        with pytest.raises(ValueError):
            mapped.seek(-1)


def test_a_second_attempt_starts_again_from_the_copy_alone(tmp_path):
    """Signing without revocation data after a failed B-LT attempt: whatever the first attempt
    appended is cut off, with the mapping closed around the cut (Windows and wine refuse to
    shorten a mapped file), and the copy still reads the same."""
    data = b"%PDF-1.7\n" + bytes(100_000)
    src = tmp_path / "in.pdf"
    src.write_bytes(data)
    with open_input(src) as fh, atomic_output(tmp_path / "out.pdf") as out, original_in(out, fh, "in.pdf") as original:
        original.reset_host()  # nothing appended: nothing to cut
        out.seek(0, os.SEEK_END)
        out.write(b"half of an update")  # still in the file object's buffer
        original.reset_host()
        assert os.fstat(out.fileno()).st_size == len(data)
        assert original.to_bytes() == data
    # The new mapping is closed with the block, before the rename (which Windows refuses for a
    # mapped file).
    assert original.buffer().closed
    assert (tmp_path / "out.pdf").read_bytes() == data


def test_bytes_in_memory_have_no_host():
    original = Original(b"%PDF-1.7 in memory", "a.pdf")
    original.reset_host()
    assert original.host is None and original.source() == b"%PDF-1.7 in memory"
    assert original.stream().read() == b"%PDF-1.7 in memory"
