"""Propose where the leader's signature goes: centred between the signer's title and name.

Decree 30/2020, Appendix I: the handwritten-signature image sits between the title line
("GIÁM ĐỐC", "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN" …) and the signer's full name.
We read the PDF's text layer (PyMuPDF) in displayed coordinates, the space of a Placement.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from app.mupdf import MUPDF
from app.signing.damage import reading
from app.signing.geometry import Placement
from app.signing.options import Profile

TITLES = (
    "GIÁM ĐỐC", "CHỦ TỊCH", "TRƯỞNG PHÒNG", "TRƯỞNG BAN", "CHÁNH VĂN PHÒNG", "VIỆN TRƯỞNG",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "HIỆU TRƯỞNG", "TỔNG GIÁM ĐỐC", "BÍ THƯ", "CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG", "TRƯỞNG ĐOÀN", "THỦ TRƯỞNG", "CHÁNH THANH TRA", "TỔNG CỤC TRƯỞNG",
)
# Authority prefixes that stack above the title (thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền).
PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
DEFAULT_BOX = (150.0, 70.0)


@dataclass(frozen=True)
class TextLineBox:
    text: str
    rect: tuple[float, float, float, float]

    @property
    def cx(self) -> float:
        return (self.rect[0] + self.rect[2]) / 2


TEXT_ONLY = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_lines(page: pymupdf.Page) -> list[TextLineBox]:
    rot = page.rotation_matrix
    out = []
    # Text only: with images, "dict" decodes every picture on the page whole (a small file can
    # hold an image that inflates to gigabytes).
    for block in page.get_text("dict", flags=TEXT_ONLY)["blocks"]:
        for line in block.get("lines", ()):
            text = _norm("".join(s["text"] for s in line["spans"]))
            if text:
                r = pymupdf.Rect(line["bbox"]) * rot
                out.append(TextLineBox(text, (r.x0, r.y0, r.x1, r.y1)))
    return sorted(out, key=lambda b: (b.rect[1], b.rect[0]))


def is_title_line(text: str) -> bool:
    t = _norm(text)
    if t != t.upper() or len(t) > 60:
        return False
    if t.startswith(PREFIXES):
        return True
    return any(t == title or t.startswith("PHÓ " + title) or t == "PHÓ " + title or t.endswith(" " + title)
               or t.startswith(title + " ") for title in TITLES)


def _is_name_line(text: str) -> bool:
    t = _norm(text)
    words = t.split()
    # A Vietnamese full name: 2 to 6 capitalised words, not all in capitals, no punctuation.
    return (2 <= len(words) <= 6 and t != t.upper()
            and all(w[0].isupper() and w.replace("-", "").isalpha() for w in words))


def find_signer_block(lines: list[TextLineBox]) -> tuple[TextLineBox, TextLineBox] | None:
    """(lowest title line, name line) of the last signer block on the page, or None."""
    best = None
    for i, line in enumerate(lines):
        if not is_title_line(line.text):
            continue
        # Skip to the last title line of a stacked block ("KT. GIÁM ĐỐC" then "PHÓ GIÁM ĐỐC").
        j = i
        while j + 1 < len(lines) and is_title_line(lines[j + 1].text) \
                and lines[j + 1].rect[1] - lines[j].rect[3] < 12 and abs(lines[j + 1].cx - line.cx) < 80:
            j += 1
        title = lines[j]
        below = [b for b in lines[j + 1:]
                 if b.rect[1] > title.rect[3] and b.rect[1] - title.rect[3] < 220 and abs(b.cx - title.cx) < 90]
        name = next((b for b in below if _is_name_line(b.text)), None)
        if name is not None:
            best = (title, name)
    return best


def propose_placement(pdf_path: Path, profile: Profile = Profile.LEADER,
                      box_size: tuple[float, float] = DEFAULT_BOX, *, password: str | None = None) -> Placement | None:
    """The box centred between the title and the name, on the last page that has both."""
    if profile is not Profile.LEADER:
        # The seal follows the leader's widget and appendix/copy signatures go top right:
        # the engine places those itself.
        return None
    with MUPDF:
        return _proposed(pdf_path, box_size, password)


def _proposed(pdf_path: Path, box_size: tuple[float, float], password: str | None) -> Placement | None:
    try:
        doc = pymupdf.open(str(pdf_path))
    except (RuntimeError, ValueError, OSError):
        return None
    with doc, reading(Path(pdf_path).name):
        if doc.is_encrypted and not (password and doc.authenticate(password)):
            return None
        for index in range(doc.page_count - 1, -1, -1):
            page = doc[index]
            block = find_signer_block(page_lines(page))
            if block is None:
                continue
            title, name = block
            w, h = box_size
            top, bottom = title.rect[3], name.rect[1]
            gap = bottom - top
            if gap < 10:
                continue
            if h > gap - 2:
                # Shrink to the gap, keeping the box's proportions.
                scale = (gap - 2) / h
                w, h = w * scale, h * scale
            cx = (title.cx + name.cx) / 2
            cy = (top + bottom) / 2
            dw, _ = page.rect.width, page.rect.height
            x0 = min(max(cx - w / 2, 0.0), dw - w)
            return Placement(index, (x0, cy - h / 2, x0 + w, cy + h / 2))
    return None


def initials_placements(pdf_path: Path, pages: tuple[int, ...] | None = None) -> tuple[Placement, ...]:
    """Initials (ký nháy) in the right margin of the chosen pages (every page when None)."""
    with MUPDF:
        return _initials(pdf_path, pages)


def _initials(pdf_path: Path, pages: tuple[int, ...] | None) -> tuple[Placement, ...]:
    from app.signing.geometry import PageGeometry
    from app.signing.profiles import initials_placement

    with reading(Path(pdf_path).name), pymupdf.open(str(pdf_path)) as doc:
        wanted = range(doc.page_count) if pages is None else [p for p in pages if 0 <= p < doc.page_count]
        out = []
        for index in wanted:
            page = doc[index]
            w, h = page.rect.width, page.rect.height
            # Only the displayed size matters for a margin position.
            out.append(initials_placement(PageGeometry.of((0, 0, w, h)), index))
    return tuple(out)
