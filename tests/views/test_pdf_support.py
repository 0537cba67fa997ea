"""Sample PDFs for the preview, placement and signing tests (helpers; no tests here)."""

from __future__ import annotations

from pathlib import Path

import pytest

A4 = (595.0, 842.0)
# The offset CropBox of page 4, in PDF user space (bottom-left origin).
CROP = (100.0, 150.0, 500.0, 700.0)


def make_sample_pdf(path: Path, pages: int = 4) -> Path:
    """Page 1 and 2 plain A4, page 3 /Rotate 90, page 4 with an offset CropBox; more pages plain."""
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_text((72, 72), f"Trang {i + 1}", fontsize=24)
        page.draw_rect(pymupdf.Rect(72, 100, 300, 160), color=(0, 0, 1), fill=(0.8, 0.8, 1))
    if pages > 2:
        doc[2].set_rotation(90)
    if pages > 3:
        # PyMuPDF's set_cropbox takes top-left-origin coordinates of the unrotated page.
        x0, y0, x1, y1 = CROP
        doc[3].set_cropbox(pymupdf.Rect(x0, A4[1] - y1, x1, A4[1] - y0))
    doc.save(path)
    doc.close()
    return path


def make_big_pdf(path: Path, pages: int = 500) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_text((72, 72), f"Trang {i + 1}", fontsize=24)
        for k in range(30):
            page.insert_text((72, 110 + k * 20), f"Dòng {k + 1} của văn bản thử nghiệm, trang {i + 1}.", fontsize=10)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def sample_pdf(tmp_path) -> Path:
    return make_sample_pdf(tmp_path / "sample.pdf")
