"""Pure geometry of the preview: page layout in the scroll area and pixels <-> displayed points.

No Qt here, so it is tested on its own: a mistake in this module puts a signature in the wrong
place. Displayed space is the signing engine's (app.signing.geometry): points, top-left origin,
CropBox shown, /Rotate applied; a displayed point is a widget pixel offset in the page divided by
the zoom (logical pixels per point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Size = tuple[float, float]  # width, height in displayed points

# Windows' logical resolution: at 100 % a point is 96/72 logical pixels, the page's real size.
PIXELS_PER_POINT_AT_100 = 96.0 / 72.0
MIN_ZOOM = 0.1
MAX_ZOOM = 8.0
PAGE_SPACING = 12
MARGIN = 12


def clamp_zoom(zoom: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def percent_to_zoom(percent: float) -> float:
    return clamp_zoom(percent / 100.0 * PIXELS_PER_POINT_AT_100)


def zoom_to_percent(zoom: float) -> float:
    return zoom / PIXELS_PER_POINT_AT_100 * 100.0


def fit_width_zoom(page: Size, viewport_width: float, margin: float = MARGIN) -> float:
    return clamp_zoom((viewport_width - 2 * margin) / max(page[0], 1.0))


def fit_page_zoom(page: Size, viewport: Size, margin: float = MARGIN) -> float:
    return clamp_zoom(min((viewport[0] - 2 * margin) / max(page[0], 1.0),
                          (viewport[1] - 2 * margin) / max(page[1], 1.0)))


def zoom_for_mode(mode: str, fixed_zoom: float, widest: Size, current: Size, viewport: Size) -> float:
    """The zoom a mode gives: fit the widest page's width, fit the current page, or fixed."""
    if mode == "fit_width":
        return fit_width_zoom(widest, viewport[0])
    if mode == "fit_page":
        return fit_page_zoom(current, viewport)
    return clamp_zoom(fixed_zoom)


@dataclass(frozen=True)
class PageLayout:
    """Where each page sits in the scroll area's content, in logical pixels."""

    rects: tuple[Rect, ...]
    width: float
    height: float
    zoom: float

    def page_at(self, x: float, y: float) -> int | None:
        """The page under a content point, or None between pages."""
        i = self.nearest_page(y)
        if i is None:
            return None
        x0, y0, x1, y1 = self.rects[i]
        return i if x0 <= x <= x1 and y0 <= y <= y1 else None

    def nearest_page(self, y: float) -> int | None:
        """The page whose vertical span is closest to content y (binary search)."""
        if not self.rects:
            return None
        lo, hi = 0, len(self.rects) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.rects[mid][3] + PAGE_SPACING / 2 < y:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def visible_pages(self, top: float, bottom: float) -> list[int]:
        first = self.nearest_page(top)
        if first is None:
            return []
        out = []
        for i in range(first, len(self.rects)):
            r = self.rects[i]
            if r[1] > bottom:
                break
            if r[3] >= top:
                out.append(i)
        return out


def page_pixels(points: float, zoom: float) -> int:
    """Pixels of a rendered page edge, rounded outward as MuPDF does (fz_round_rect)."""
    return max(1, math.ceil(points * zoom - 0.001))


def layout_pages(sizes: list[Size] | tuple[Size, ...], zoom: float, viewport_width: float,
                 spacing: float = PAGE_SPACING, margin: float = MARGIN) -> PageLayout:
    """Stack pages vertically, each centred horizontally; pixel edges are whole numbers."""
    widest = max((w for w, _ in sizes), default=0.0) * zoom
    width = max(viewport_width, widest + 2 * margin)
    rects = []
    y = float(margin)
    # Most documents have one or two page sizes: each is measured once, not once per page.
    placed: dict[Size, tuple[float, int, int]] = {}
    for size in sizes:
        found = placed.get(size)
        if found is None:
            pw, ph = page_pixels(size[0], zoom), page_pixels(size[1], zoom)
            found = placed[size] = (float(int((width - pw) / 2)), pw, ph)
        x, pw, ph = found
        rects.append((x, y, x + pw, y + ph))
        y += ph + spacing
    height = y - spacing + margin if sizes else 2 * margin
    return PageLayout(tuple(rects), float(width), float(height), zoom)


def content_to_displayed(page_rect: Rect, zoom: float, x: float, y: float) -> tuple[float, float]:
    """A content pixel (scroll area coordinates) to displayed points on that page."""
    return (x - page_rect[0]) / zoom, (y - page_rect[1]) / zoom


def displayed_to_content(page_rect: Rect, zoom: float, x: float, y: float) -> tuple[float, float]:
    return page_rect[0] + x * zoom, page_rect[1] + y * zoom


def content_rect_to_displayed(page_rect: Rect, zoom: float, rect: Rect) -> Rect:
    a = content_to_displayed(page_rect, zoom, rect[0], rect[1])
    b = content_to_displayed(page_rect, zoom, rect[2], rect[3])
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def displayed_rect_to_content(page_rect: Rect, zoom: float, rect: Rect) -> Rect:
    a = displayed_to_content(page_rect, zoom, rect[0], rect[1])
    b = displayed_to_content(page_rect, zoom, rect[2], rect[3])
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def clamp_rect_into(rect: Rect, bounds: Size) -> Rect:
    """Move (never resize, unless larger than the page) a displayed rect inside the page."""
    x0, y0, x1, y1 = rect
    w, h = min(x1 - x0, bounds[0]), min(y1 - y0, bounds[1])
    x0 = max(0.0, min(x0, bounds[0] - w))
    y0 = max(0.0, min(y0, bounds[1] - h))
    return (x0, y0, x0 + w, y0 + h)


def resize_keep_aspect(rect: Rect, corner_x: float, corner_y: float, aspect: float,
                       min_width: float = 10.0) -> Rect:
    """Resize from the bottom-right corner dragged to (corner_x, corner_y); top-left stays.

    `aspect` is width / height. The width follows whichever drag axis asks for the larger box,
    so the corner stays under the pointer along one edge.
    """
    x0, y0 = rect[0], rect[1]
    w = max(corner_x - x0, (corner_y - y0) * aspect, min_width)
    return (x0, y0, x0 + w, y0 + w / aspect)


def centered_rect(cx: float, cy: float, size: Size) -> Rect:
    return (cx - size[0] / 2, cy - size[1] / 2, cx + size[0] / 2, cy + size[1] / 2)
