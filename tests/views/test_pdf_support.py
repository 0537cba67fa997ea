"""Sample PDFs for the preview, placement and signing tests (helpers; no tests here)."""

from __future__ import annotations

from pathlib import Path

import pytest

A4 = (595.0, 842.0)
# The offset CropBox of page 4, in PDF user space (bottom-left origin).
CROP = (100.0, 150.0, 500.0, 700.0)
# A filled marker on every page, in PDF user space; its colour is found in screenshots.
MARKER = (200.0, 602.0, 380.0, 682.0)
MARKER_RGB = (204, 204, 255)


def marker_displayed(page_index: int):
    """The marker's displayed rect on a sample page, computed by the signing engine's geometry."""
    from app.signing.geometry import PageGeometry, user_to_displayed_space

    media = (0.0, 0.0) + A4
    geom = {2: PageGeometry.of(media, None, 90), 3: PageGeometry.of(media, CROP, 0)}.get(
        page_index, PageGeometry.of(media))
    return user_to_displayed_space(geom, MARKER)


def find_colour(image, rgb, region):
    """Bounding box (x0, y0, x1, y1), in image pixels, of the pixels of exactly this colour."""
    from app.views.qt import QImage

    img = image.convertToFormat(QImage.Format.Format_RGB888)
    stride, data = img.bytesPerLine(), bytes(img.constBits())
    needle = bytes(rgb)
    x0r, y0r, x1r, y1r = (int(v) for v in region)
    xs, ys = [], []
    for y in range(max(0, y0r), min(img.height(), y1r)):
        row = data[y * stride + 3 * max(0, x0r): y * stride + 3 * min(img.width(), x1r)]
        i = row.find(needle)
        while i != -1 and i % 3:
            i = row.find(needle, i + 1)
        if i == -1:
            continue
        j = row.rfind(needle)
        while j % 3:
            j = row.rfind(needle, 0, j + 2)
        xs += [max(0, x0r) + i // 3, max(0, x0r) + j // 3 + 1]
        ys += [y, y + 1]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def make_sample_pdf(path: Path, pages: int = 4) -> Path:
    """Page 1 and 2 plain A4, page 3 /Rotate 90, page 4 with an offset CropBox; more pages plain."""
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_text((72, 72), f"Trang {i + 1}", fontsize=24)
        x0, y0, x1, y1 = MARKER
        page.draw_rect(pymupdf.Rect(x0, A4[1] - y1, x1, A4[1] - y0), color=None, fill=tuple(c / 255 for c in MARKER_RGB))
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
