"""A round red seal image (PNG, transparent background) with the organization's name around it.

Used for the training seal sample: the name is set in Liberation Serif Bold, which covers every
Vietnamese letter (a seal drawn with a font lacking Ỉ, Ị or Ở shows boxes). `missing_glyphs`
is the check: the characters of a text that a font cannot draw.
"""

from __future__ import annotations

import math
from pathlib import Path

import pymupdf

from app.mupdf import MUPDF
from app.resources import font_path

RED = (0.86, 0.08, 0.1)


def missing_glyphs(text: str, font_file: Path) -> list[str]:
    """The characters of `text` (spaces aside) the font has no glyph for."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(font_file)).getBestCmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


def seal_png(upper: str, lower: str, *, size_px: int = 400, color: tuple[float, float, float] = RED) -> bytes:
    """The seal: two rings, `upper` around the top and `lower` around the bottom, a star inside."""
    font_file = font_path("Bold")
    missing = missing_glyphs(upper + lower, font_file)
    if missing:
        raise ValueError(f"the seal font cannot draw {''.join(missing)!r}")
    with MUPDF:
        return _drawn(upper, lower, size_px, color, font_file)


def _drawn(upper: str, lower: str, size_px: int, color: tuple[float, float, float], font_file: Path) -> bytes:
    side = 200.0
    centre = pymupdf.Point(side / 2, side / 2)
    doc = pymupdf.open()
    try:
        page = doc.new_page(width=side, height=side)
        shape = page.new_shape()
        for radius, width in ((96.0, 4.0), (90.0, 1.5), (58.0, 2.0)):
            shape.draw_circle(centre, radius)
            shape.finish(color=color, width=width)
        star = [pymupdf.Point(centre.x + r * math.sin(a), centre.y - r * math.cos(a))
                for i in range(10) for r, a in [((34.0 if i % 2 == 0 else 14.0), i * math.pi / 5)]]
        shape.draw_polyline(star + [star[0]])
        shape.finish(color=color, fill=color, width=0.5, closePath=True)
        shape.commit()
        font = pymupdf.Font(fontfile=str(font_file))
        page.insert_font(fontname="seal", fontfile=str(font_file))
        _arc_text(page, font, upper, centre, 74.0, top=True, color=color)
        _arc_text(page, font, lower, centre, 74.0, top=False, color=color)
        zoom = size_px / side
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True)
        return bytes(pix.tobytes("png"))
    finally:
        doc.close()


def _arc_text(page: pymupdf.Page, font: pymupdf.Font, text: str, centre: pymupdf.Point, radius: float, *,
              top: bool, color: tuple[float, float, float]) -> None:
    """Characters upright towards the rim, centred on the top (clockwise) or the bottom (readable left
    to right, counter-clockwise)."""
    size = 13.0
    widths = [font.text_length(ch, fontsize=size) for ch in text]
    spacing = 1.6
    total = sum(widths) + spacing * (len(text) - 1)
    span = total / radius  # radians
    angle = -span / 2
    for ch, w in zip(text, widths, strict=True):
        step = w / radius
        middle = angle + step / 2
        # Left to right: clockwise from the top for the upper text, counter-clockwise along the bottom.
        if top:
            rotation = math.degrees(middle)
            baseline_r = radius - size * 0.35
            bx, by = centre.x + baseline_r * math.sin(middle), centre.y - baseline_r * math.cos(middle)
        else:
            rotation = -math.degrees(middle)
            baseline_r = radius + size * 0.35
            bx, by = centre.x + baseline_r * math.sin(middle), centre.y + baseline_r * math.cos(middle)
        origin = pymupdf.Point(bx, by)
        # Start the glyph half its width before the baseline point, along the tangent.
        rad = math.radians(-rotation)
        start = pymupdf.Point(origin.x - (w / 2) * math.cos(rad), origin.y + (w / 2) * math.sin(rad))
        page.insert_text(start, ch, fontsize=size, fontname="seal", color=color,
                         morph=(start, pymupdf.Matrix(-rotation)))
        angle += step + spacing / radius


def write_seal(path: Path, upper: str, lower: str, size_px: int = 400) -> Path:
    from app.fileio import atomic_write_bytes

    atomic_write_bytes(Path(path), seal_png(upper, lower, size_px=size_px))
    return Path(path)
