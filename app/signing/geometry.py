"""Displayed page coordinates (what the officer sees) versus PDF user space.

Displayed space: points, top-left origin, the CropBox as shown, /Rotate applied. This is exactly
the space of a PyMuPDF pixmap divided by its zoom, so a drag in the view converts to a Placement
by dividing by the zoom. PDF user space: bottom-left origin, unrotated, MediaBox coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from pyhanko.pdf_utils import generic

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Placement:
    """Where a visible signature goes: a 0-based page index and a displayed rectangle."""

    page: int
    rect: Rect

    @property
    def width(self) -> float:
        return abs(self.rect[2] - self.rect[0])

    @property
    def height(self) -> float:
        return abs(self.rect[3] - self.rect[1])

    def normalized(self) -> "Placement":
        x0, y0, x1, y1 = self.rect
        return Placement(self.page, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "rect": list(self.rect)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Placement:
        x0, y0, x1, y1 = (float(v) for v in data["rect"])
        return cls(int(data["page"]), (x0, y0, x1, y1))


def _norm(r: Iterable[Any]) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in r)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass(frozen=True)
class PageGeometry:
    mediabox: Rect
    cropbox: Rect
    rotate: int  # 0, 90, 180 or 270, clockwise as the viewer turns the page

    @classmethod
    def of(cls, mediabox: Iterable[Any], cropbox: Iterable[Any] | None = None, rotate: int = 0) -> PageGeometry:
        media = _norm(mediabox)
        crop = _norm(cropbox) if cropbox is not None else media
        # The visible area is the CropBox clipped to the MediaBox (ISO 32000-1, 14.11.2).
        crop = (max(crop[0], media[0]), max(crop[1], media[1]),
                min(crop[2], media[2]), min(crop[3], media[3]))
        turn = int(rotate or 0)
        if turn % 90:
            # Viewers disagree on what 45 degrees means, and the signature must land where it was seen.
            raise ValueError(f"/Rotate {rotate} is not a multiple of 90")
        return cls(media, crop, turn % 360)

    @classmethod
    def from_pyhanko_page(cls, page_dict: generic.DictionaryObject) -> PageGeometry:
        """Read the boxes from a pyHanko page dictionary (inherited attributes resolved)."""
        media = _inherited(page_dict, "/MediaBox")
        crop = _inherited(page_dict, "/CropBox")
        rotate = _inherited(page_dict, "/Rotate")
        return cls.of(media, crop, int(rotate) if rotate is not None else 0)

    @property
    def crop_size(self) -> tuple[float, float]:
        return self.cropbox[2] - self.cropbox[0], self.cropbox[3] - self.cropbox[1]

    @property
    def displayed_size(self) -> tuple[float, float]:
        w, h = self.crop_size
        return (h, w) if self.rotate in (90, 270) else (w, h)

    def displayed_to_user_point(self, x: float, y: float) -> tuple[float, float]:
        w, h = self.crop_size
        r = self.rotate
        # First undo the rotation to get unrotated top-left coordinates (u, v) in the CropBox.
        if r == 0:
            u, v = x, y
        elif r == 90:
            u, v = y, h - x
        elif r == 180:
            u, v = w - x, h - y
        elif r == 270:
            u, v = w - y, x
        else:
            raise ValueError(f"unsupported /Rotate {r}")
        return self.cropbox[0] + u, self.cropbox[3] - v

    def user_to_displayed_point(self, ux: float, uy: float) -> tuple[float, float]:
        w, h = self.crop_size
        u, v = ux - self.cropbox[0], self.cropbox[3] - uy
        r = self.rotate
        if r == 0:
            return u, v
        if r == 90:
            return h - v, u
        if r == 180:
            return w - u, h - v
        if r == 270:
            return v, w - u
        raise ValueError(f"unsupported /Rotate {r}")

    def contains_displayed(self, rect: Rect, tolerance: float = 0.5) -> bool:
        x0, y0, x1, y1 = _norm(rect)
        dw, dh = self.displayed_size
        return (x0 >= -tolerance and y0 >= -tolerance
                and x1 <= dw + tolerance and y1 <= dh + tolerance and x1 > x0 and y1 > y0)


# Page trees in real files are a few levels deep; a longer /Parent chain is a loop or an attack.
MAX_TREE_DEPTH = 64


def _inherited(page_dict: generic.DictionaryObject, key: str) -> Any:
    node: generic.DictionaryObject | None = page_dict
    seen: set[int] = set()
    while node is not None:
        if id(node) in seen or len(seen) > MAX_TREE_DEPTH:
            raise ValueError(f"/Parent chain loops or is deeper than {MAX_TREE_DEPTH} looking for {key}")
        seen.add(id(node))
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def displayed_to_user_space(geom: PageGeometry, rect: Rect) -> Rect:
    x0, y0, x1, y1 = _norm(rect)
    a = geom.displayed_to_user_point(x0, y0)
    b = geom.displayed_to_user_point(x1, y1)
    return _norm((a[0], a[1], b[0], b[1]))


def user_to_displayed_space(geom: PageGeometry, rect: Rect) -> Rect:
    x0, y0, x1, y1 = _norm(rect)
    a = geom.user_to_displayed_point(x0, y0)
    b = geom.user_to_displayed_point(x1, y1)
    return _norm((a[0], a[1], b[0], b[1]))


def appearance_matrix(rotate: int) -> tuple[float, float, float, float, float, float]:
    """Form XObject /Matrix that keeps an appearance upright on a page with this /Rotate.

    The viewer turns the page clockwise by /Rotate, so the appearance is turned the other way;
    the annotation algorithm then fits the turned BBox into /Rect (ISO 32000-1, 12.5.5).
    """
    return {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, 1, -1, 0, 0, 0),
        180: (-1, 0, 0, -1, 0, 0),
        270: (0, -1, 1, 0, 0, 0),
    }[rotate % 360]
