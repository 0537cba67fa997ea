"""Every use of PyMuPDF in the app's process holds the one MuPDF lock (MuPDF's context is shared
by the whole process and PyMuPDF does not lock it; a batch's two lanes and the training sandbox
would otherwise use it from two threads at once)."""

from __future__ import annotations

import pymupdf
import pytest

from app.mupdf import MUPDF


@pytest.fixture
def opens(monkeypatch):
    """pymupdf.open, recording whether the calling thread held the lock each time."""
    held: list[bool] = []
    real = pymupdf.open

    def checked(*args, **kwargs):
        held.append(MUPDF.held())
        return real(*args, **kwargs)

    monkeypatch.setattr(pymupdf, "open", checked)
    return held


def _draft(tmp_path):
    from app.sandbox.documents import make_admin_pdf

    path = tmp_path / "du-thao.pdf"
    make_admin_pdf(path, title="KẾ HOẠCH", summary="Chuyển đổi số", body_paragraphs=["Nội dung."] * 3,
                   number_symbol="KH-STTTT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=2)
    return path


def test_the_signing_engine_reads_and_draws_with_mupdf_under_the_lock(tmp_path, opens):
    from app.signing.autoplace import initials_placements, propose_placement
    from app.signing.doctext import pdf_text
    from app.signing.fields import find_gaps
    from app.signing.repair import repaired_copy
    from app.signing.seal_image import seal_png

    draft = _draft(tmp_path)
    assert opens == [True]  # the training documents too
    assert find_gaps(draft) and find_gaps(draft.read_bytes())
    assert propose_placement(draft) is not None and initials_placements(draft)
    assert "KẾ HOẠCH" in pdf_text(draft)[0]
    assert repaired_copy(draft.read_bytes(), draft.name).startswith(b"%PDF")
    assert seal_png("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "TỈNH BÌNH ĐỊNH").startswith(b"\x89PNG")
    assert len(opens) == 8 and all(opens)
    assert not MUPDF.held()


def test_the_lock_is_reentrant_and_tells_its_holder():
    import threading

    seen = []
    with MUPDF:
        with MUPDF:
            assert MUPDF.held()
        assert MUPDF.held()
        other = threading.Thread(target=lambda: seen.append(MUPDF.held()))
        other.start()
        other.join()
    assert seen == [False] and not MUPDF.held()
