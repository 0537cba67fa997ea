"""Rendering helpers: what a viewer shows, in displayed page space (1 pixel per point).

Masks are PIL "L" images (255 where the colour matches), so counting stays fast.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pymupdf
from PIL import Image, ImageChops

from app.mupdf import MUPDF


def _mupdf_rgb(path: Path, page: int) -> Image.Image:
    with MUPDF, pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(alpha=False)
        return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def page_pixels(path: Path, page: int, dpi: int = 72) -> bytes:
    """The page as MuPDF draws it. Holds the app's MuPDF lock, as every use in a process does:
    threads of the app or of an in-process training sandbox may be drawing or writing PDFs."""
    with MUPDF, pymupdf.open(str(path)) as doc:
        return doc[page].get_pixmap(dpi=dpi).samples


def assert_same_pixels(a: Path, b: Path, page: int) -> None:
    """Both files' page drawn alike, pixel for pixel; otherwise says how they differ and which
    threads were running (one drawing without the lock would be the first suspect)."""
    first, second = page_pixels(a, page), page_pixels(b, page)
    if first == second:
        return
    differ = [i for i, (x, y) in enumerate(zip(first, second, strict=False)) if x != y]
    worst = max((abs(first[i] - second[i]) for i in differ), default=0)
    threads = sorted(t.name for t in threading.enumerate())
    raise AssertionError(f"{a.name} and {b.name} differ on page {page + 1}: {len(differ)} of {len(first)} "
                         f"samples (first at {differ[:1]}, largest difference {worst}, sizes "
                         f"{len(first)}/{len(second)}); threads: {threads}")


def _poppler_rgb(path: Path, page: int, tmp: Path | None) -> Image.Image:
    out = (tmp or Path(path).parent) / f"{Path(path).stem}-p{page}"
    # -cropbox: render the CropBox, the area viewers show.
    subprocess.run(["pdftoppm", "-cropbox", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), "-png",
                    "-singlefile", str(path), str(out)], check=True, timeout=60)
    img = Image.open(f"{out}.png").convert("RGB")
    img.load()
    Path(f"{out}.png").unlink()
    return img


def _threshold(channel: Image.Image, test) -> Image.Image:
    return channel.point(lambda v: 255 if test(v) else 0)


def _and(*masks: Image.Image) -> Image.Image:
    out = masks[0]
    for m in masks[1:]:
        out = ImageChops.multiply(out, m)
    return out


def blue(img: Image.Image) -> Image.Image:
    r, g, b = img.split()
    return _and(_threshold(b, lambda v: v > 120), _threshold(r, lambda v: v < 110),
                _threshold(g, lambda v: v < 130), _threshold(ImageChops.subtract(b, r), lambda v: v > 50))


def red(img: Image.Image) -> Image.Image:
    r, g, b = img.split()
    return _and(_threshold(r, lambda v: v > 150), _threshold(g, lambda v: v < 110), _threshold(b, lambda v: v < 110))


def dark(img: Image.Image) -> Image.Image:
    r, g, b = img.split()
    return _and(*(_threshold(c, lambda v: v < 60) for c in (r, g, b)))


def blue_mask_mupdf(path: Path, page: int = 0) -> Image.Image:
    return blue(_mupdf_rgb(path, page))


def red_mask_mupdf(path: Path, page: int = 0) -> Image.Image:
    return red(_mupdf_rgb(path, page))


def blue_mask_poppler(path: Path, page: int = 0, tmp: Path | None = None) -> Image.Image:
    return blue(_poppler_rgb(path, page, tmp))


def is_blue(r: int, g: int, b: int) -> bool:
    return b > 120 and r < 110 and g < 130 and b - r > 50


def _count(mask: Image.Image) -> int:
    return mask.histogram()[255]


def _box(rect, grow: int = 0):
    x0, y0, x1, y1 = rect
    return (int(x0) - grow, int(y0) - grow, int(round(x1)) + grow, int(round(y1)) + grow)


def count_in(mask: Image.Image, rect, inside: bool = True, margin: int = 2) -> int:
    """Coloured pixels inside `rect`, or outside it grown by `margin` pixels."""
    if inside:
        return _count(mask.crop(_box(rect)))
    return _count(mask) - _count(mask.crop(_box(rect, margin)))


def bbox(mask: Image.Image):
    return mask.getbbox()


def crop(mask: Image.Image, rect) -> Image.Image:
    return mask.crop(_box(rect))


def iou(a: Image.Image, b: Image.Image) -> float:
    inter = _count(ImageChops.multiply(a, b))
    union = _count(ImageChops.lighter(a, b))
    return inter / union if union else 0.0


def displayed_text_lines(path: Path, page: int = 0):
    """(text, direction in displayed space, displayed bbox) of every text line MuPDF extracts."""
    out = []
    with MUPDF, pymupdf.open(str(path)) as doc:
        pg = doc[page]
        rot = pg.rotation_matrix
        for block in pg.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                text = "".join(s["text"] for s in line["spans"])
                dx, dy = line["dir"]
                d = pymupdf.Point(dx, dy) * pymupdf.Matrix(rot.a, rot.b, rot.c, rot.d, 0, 0)
                out.append((text, (round(d.x, 3), round(d.y, 3)), tuple(pymupdf.Rect(line["bbox"]) * rot)))
    return out
