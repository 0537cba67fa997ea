"""Administrative-looking PDFs (Decree 30/2020 layout) with real Vietnamese text, for seed data
and test documents.

Text is drawn with Liberation Serif reduced (fontTools) to Latin + Vietnamese and without the
no-break space and soft hyphen: those share glyphs with the space and the hyphen, and a PDF
reader mapping glyphs back to text would otherwise extract "\\xa0" for every space.
A layout change reaches existing training data only with a new `seed.SEED_VERSION`.
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from pathlib import Path

import pymupdf

from app.mupdf import MUPDF
from app.resources import font_path

A4 = (595.0, 842.0)
LEFT, RIGHT, TOP, BOTTOM = 85.0, 56.0, 56.0, 56.0
TEXT_WIDTH = A4[0] - LEFT - RIGHT
LEFT_COL_X = 170.0   # centre of the organization column
RIGHT_COL_X = 410.0  # centre of the motto column and of the signature block
SIGNATURE_BLOCK_H = 170.0
BODY_SIZE, LINE_H = 13.0, 17.5
DEFAULT_ORGANIZATION = ("UBND TỈNH BÌNH ĐỊNH", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")

_UNICODES = (
    list(range(0x20, 0x7F)) + list(range(0xC0, 0x1B1)) + list(range(0x1EA0, 0x1EFA))
    + [0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026]
)


@lru_cache(maxsize=None)
def _font(style: str) -> pymupdf.Font:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    ttf = TTFont(str(font_path(style)))
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_UNICODES)
    subsetter.subset(ttf)
    buffer = io.BytesIO()
    ttf.save(buffer)
    return pymupdf.Font(fontbuffer=buffer.getvalue())


@lru_cache(maxsize=65536)
def _width(text: str, style: str = "Regular", size: float = BODY_SIZE) -> float:
    return _font(style).text_length(text, fontsize=size)


def _centered(tw: pymupdf.TextWriter, cx: float, y: float, text: str, style: str, size: float) -> None:
    tw.append((cx - _width(text, style, size) / 2, y), text, font=_font(style), fontsize=size)


def wrap(text: str, width: float, style: str = "Regular", size: float = BODY_SIZE, indent: float = 0.0) -> list[str]:
    """Greedy word wrap measured with the real font."""
    space = _width(" ", style, size)
    lines: list[str] = []
    line: list[str] = []
    used = indent
    for word in text.split():
        w = _width(word, style, size)
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used += (space if line else 0) + w
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def _header(page, tw, organization, number_symbol: str, place_date: str) -> float:
    y = TOP + 14
    if organization is not None:
        _centered(tw, LEFT_COL_X, y, organization[0], "Regular", 12)
        _centered(tw, LEFT_COL_X, y + 16, organization[1], "Bold", 12)
        page.draw_line((LEFT_COL_X - 40, y + 21), (LEFT_COL_X + 40, y + 21), width=0.6)
    _centered(tw, RIGHT_COL_X, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Bold", 12)
    _centered(tw, RIGHT_COL_X, y + 16, "Độc lập - Tự do - Hạnh phúc", "Bold", 13)
    page.draw_line((RIGHT_COL_X - 78, y + 21), (RIGHT_COL_X + 78, y + 21), width=0.6)
    _centered(tw, LEFT_COL_X, y + 42, f"Số:      /{number_symbol}", "Regular", 13)
    _centered(tw, RIGHT_COL_X, y + 42, place_date, "Italic", 13)
    return y + 82


def _title(tw, y: float, title: str, summary: str) -> float:
    _centered(tw, A4[0] / 2, y, title.upper(), "Bold", 14)
    y += 18
    for line in wrap(summary, 400, "Bold", 13):
        _centered(tw, A4[0] / 2, y, line, "Bold", 13)
        y += 17
    return y + 16


def _body_lines(paragraphs: list[str]) -> list[tuple[str, float]]:
    """(text, x) per line; the first line of each paragraph is indented."""
    indent = 28.0
    out: list[tuple[str, float]] = []
    for paragraph in paragraphs:
        for i, line in enumerate(wrap(paragraph, TEXT_WIDTH, indent=indent)):
            out.append((line, LEFT + (indent if i == 0 else 0.0)))
        out.append(("", LEFT))  # paragraph spacing
    return out


def _signature_block(tw, y: float, signer_title: str, signer_name: str) -> None:
    tw.append((LEFT, y), "Nơi nhận:", font=_font("Bold"), fontsize=12)
    for i, line in enumerate(("- Như trên;", "- Lãnh đạo Sở;", "- Lưu: VT, BCVT.")):
        tw.append((LEFT, y + 16 + i * 14), line, font=_font("Regular"), fontsize=11)
    lines = [part.strip() for part in signer_title.split("\n") if part.strip()]
    for i, line in enumerate(lines):
        _centered(tw, RIGHT_COL_X, y + i * 17, line, "Bold", 13)
    # The blank band between the title and the name is where the signature image goes.
    _centered(tw, RIGHT_COL_X, y + (len(lines) - 1) * 17 + 105, signer_name, "Bold", 13)


def make_admin_pdf(
    path_or_none: Path | str | None,
    *,
    title: str,
    summary: str,
    body_paragraphs: list[str] | tuple[str, ...],
    number_symbol: str,
    signer_title: str,
    signer_name: str,
    pages: int = 1,
    organization: tuple[str, str] | None = DEFAULT_ORGANIZATION,
    place_date: str | None = None,
) -> bytes:
    """Build the PDF, write it to `path_or_none` when given, and return its bytes.

    `signer_title` may hold several lines separated by "\\n" (e.g. "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC").
    `organization` is the issuing agency (left header column, Decree 30/2020 Appendix I); None for a
    citizen's form, which carries only the national motto.
    The document has exactly `pages` pages: the paragraphs are repeated when they are too short
    to fill them, and cut when too long; the signature block ends the last page.
    """
    with MUPDF:  # the cached fonts are MuPDF objects too
        data = _build(title, summary, body_paragraphs, number_symbol, signer_title, signer_name,
                      max(1, int(pages)), organization, place_date)
    if path_or_none is not None:
        Path(path_or_none).write_bytes(data)
    return data


def _build(title, summary, body_paragraphs, number_symbol, signer_title, signer_name, pages,
           organization, place_date) -> bytes:
    if place_date is None:
        # Gaps wide enough for "ngày 01 tháng 12" in the line's size once the clerk fills them.
        place_date = f"Bình Định, ngày      tháng      năm {date.today().year}"
    source = _body_lines(list(body_paragraphs) or [summary])
    queue: list[tuple[str, float]] = []
    cycles = 0
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        tw = pymupdf.TextWriter(page.rect)
        if index == 0:
            y = _title(tw, _header(page, tw, organization, number_symbol, place_date), title, summary)
        else:
            _centered(tw, A4[0] / 2, TOP, str(index + 1), "Regular", 12)
            y = TOP + 30
        last = index == pages - 1
        bottom = A4[1] - BOTTOM - (SIGNATURE_BLOCK_H if last else 0)
        written = 0
        while y + LINE_H <= bottom:
            if not queue:
                if last and cycles and written:
                    break
                queue = list(source)
                cycles += 1
            text, x = queue.pop(0)
            if text:
                tw.append((x, y), text, font=_font("Regular"), fontsize=BODY_SIZE)
                written += 1
            y += LINE_H if text else 5
        if last:
            _signature_block(tw, y + 14, signer_title, signer_name)
        tw.write_text(page)
    doc.subset_fonts()
    doc.set_metadata({"title": f"{title} {summary}"[:200], "creator": "Liên Thông Desk (sandbox)"})
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data
