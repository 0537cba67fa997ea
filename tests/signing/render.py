"""Rendering helpers: what a viewer shows, in displayed page space (1 pixel per point)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pymupdf


def blue_mask_mupdf(path: Path, page: int = 0, zoom: float = 1.0) -> list[list[bool]]:
    with pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return _mask(pix.width, pix.height, pix.samples, pix.n, is_blue)


def red_mask_mupdf(path: Path, page: int = 0) -> list[list[bool]]:
    with pymupdf.open(str(path)) as doc:
        pix = doc[page].get_pixmap(alpha=False)
        return _mask(pix.width, pix.height, pix.samples, pix.n, is_red)


def blue_mask_poppler(path: Path, page: int = 0, tmp: Path | None = None) -> list[list[bool]]:
    from PIL import Image

    out = (tmp or Path(path).parent) / f"{Path(path).stem}-p{page}"
    subprocess.run(["pdftoppm", "-cropbox", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), "-png",
                    "-singlefile", str(path), str(out)], check=True, timeout=60)
    img = Image.open(f"{out}.png").convert("RGB")
    data = img.tobytes()
    Path(f"{out}.png").unlink()
    return _mask(img.width, img.height, data, 3, is_blue)


def is_blue(r: int, g: int, b: int) -> bool:
    return b > 120 and r < 110 and g < 130 and b - r > 50


def is_red(r: int, g: int, b: int) -> bool:
    return r > 150 and g < 110 and b < 110


def _mask(w, h, samples, n, pred):
    rows = []
    for y in range(h):
        base = y * w * n
        rows.append([pred(samples[base + x * n], samples[base + x * n + 1], samples[base + x * n + 2])
                     for x in range(w)])
    return rows


def count_in(mask, rect, inside: bool = True, margin: int = 2) -> int:
    """Coloured pixels inside `rect`, or outside it grown by `margin` pixels."""
    x0, y0, x1, y1 = rect
    total = 0
    for y, row in enumerate(mask):
        for x, on in enumerate(row):
            if not on:
                continue
            within = x0 - margin <= x < x1 + margin and y0 - margin <= y < y1 + margin
            strict = x0 <= x < x1 and y0 <= y < y1
            if inside and strict:
                total += 1
            elif not inside and not within:
                total += 1
    return total


def bbox(mask):
    xs = [x for row in mask for x, on in enumerate(row) if on]
    ys = [y for y, row in enumerate(mask) if any(row)]
    if not xs:
        return None
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def crop(mask, rect):
    x0, y0, x1, y1 = (int(round(v)) for v in rect)
    return [row[x0:x1] for row in mask[y0:y1]]


def iou(a, b) -> float:
    inter = union = 0
    for ra, rb in zip(a, b):
        for pa, pb in zip(ra, rb):
            inter += pa and pb
            union += pa or pb
    return inter / union if union else 0.0


def displayed_text_lines(path: Path, page: int = 0):
    """(text, direction in displayed space, displayed bbox) of every text line MuPDF extracts."""
    out = []
    with pymupdf.open(str(path)) as doc:
        pg = doc[page]
        rot = pg.rotation_matrix
        for block in pg.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                text = "".join(s["text"] for s in line["spans"])
                dx, dy = line["dir"]
                d = pymupdf.Point(dx, dy) * pymupdf.Matrix(rot.a, rot.b, rot.c, rot.d, 0, 0)
                out.append((text, (round(d.x, 3), round(d.y, 3)), tuple(pymupdf.Rect(line["bbox"]) * rot)))
    return out
