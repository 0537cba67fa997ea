"""The continuous page view: placeholders sized from page sizes, images from the cache, and input.

The canvas knows nothing about PyMuPDF: it paints what the cache holds and says which pages it
needs (`wanted_changed`). Mouse input goes first to an optional overlay (the placements).
"""

from __future__ import annotations

from typing import Protocol

from app.views.pdf import geometry as geo
from app.views.pdf.page_cache import PageCache
from app.views.qt import QColor, QImage, QPainter, QPointF, QRectF, Qt, QtGui, QTimer, QtWidgets, Signal


class CanvasOverlay(Protocol):
    """Drawn over the pages and offered the input first (the signature placements); each handler
    returns whether it took the event."""

    def paint(self, painter: QPainter, canvas: PageCanvas) -> None: ...
    def mouse_press(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool: ...
    def mouse_move(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool: ...
    def mouse_release(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool: ...
    def key_press(self, canvas: PageCanvas, event: QtGui.QKeyEvent) -> bool: ...
    def drop_at(self, canvas: PageCanvas, x: float, y: float) -> bool:
        """A signature image dropped at content coordinates (x, y)."""
        ...

NEIGHBOURS = 2
# A new document's pages are drawn once page 1's image is in (or failed), or after this long: one
# paint with the page rather than a blank page first, on the UI thread while page 1 renders.
FIRST_PAGE_WAIT_MS = 250
SHADOW = QColor(0, 0, 0, 60)


def _covers(cached: tuple[float, QImage], zoom: float, target: QRectF) -> bool:
    """Whether a page's image at this zoom hides its whole rect (then no white goes under it)."""
    image_zoom, image = cached
    size = image.deviceIndependentSize()
    return abs(image_zoom - zoom) < 1e-6 and size.width() >= target.width() and size.height() >= target.height()


class PageCanvas(QtWidgets.QAbstractScrollArea):
    wanted_changed = Signal()
    current_page_changed = Signal(int)
    zoom_changed = Signal(float)
    page_shown = Signal(int)  # a page's image at the current zoom was painted for the first time
    first_frame = Signal()  # a document's first frame is painted: page 1, its failure, or the wait ran out
    zoom_step_requested = Signal(int)  # +1 / -1 from Ctrl+wheel or Ctrl +/-

    def __init__(self, cache: PageCache, parent=None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.doc_id = 0
        self.sizes: list[geo.Size] = []
        self.zoom = geo.percent_to_zoom(100)
        self.zoom_mode = "fit_width"  # "fit_width", "fit_page" or "fixed"
        self._fixed_zoom = self.zoom
        self.page_layout = geo.layout_pages([], self.zoom, 0)
        self.overlay: CanvasOverlay | None = None
        self._current = 0
        self._shown: set[int] = set()
        self.failed_pages: set[int] = set()  # pages the PDF library could not draw
        self._awaiting_first = False
        self._first_frame_due = False
        self._first_wait = QTimer(self)
        self._first_wait.setSingleShot(True)
        self._first_wait.timeout.connect(self._stop_waiting)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Always shown, so fitting the width never toggles it and loops.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.viewport().setAutoFillBackground(True)
        pal = self.viewport().palette()
        pal.setColor(self.viewport().backgroundRole(), QColor(0x52, 0x56, 0x59))
        self.viewport().setPalette(pal)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)

    # ---- document and layout -------------------------------------------------------------

    def set_document(self, doc_id: int, sizes: list[geo.Size]) -> None:
        self.doc_id = doc_id
        self.sizes = list(sizes)
        self._shown.clear()
        self.failed_pages.clear()
        self._current = 0
        self._awaiting_first = self._first_frame_due = bool(sizes)
        if self._awaiting_first:
            self._first_wait.start(FIRST_PAGE_WAIT_MS)
        else:
            self._first_wait.stop()
        self._relayout(keep_anchor=False)
        self.verticalScrollBar().setValue(0)
        self.wanted_changed.emit()

    def clear(self) -> None:
        self.set_document(0, [])

    def update_sizes(self, start: int, sizes: list[geo.Size]) -> None:
        self.sizes[start:start + len(sizes)] = sizes
        self._relayout(keep_anchor=True)

    def set_zoom_mode(self, mode: str, zoom: float | None = None) -> None:
        self.zoom_mode = mode
        if zoom is not None:
            self._fixed_zoom = geo.clamp_zoom(zoom)
        self._relayout(keep_anchor=True)

    def _fitted_zoom(self) -> float:
        if not self.sizes:
            return self.zoom
        page = self.sizes[min(self._current, len(self.sizes) - 1)]
        widest = max(self.sizes, key=lambda size: size[0])
        return geo.zoom_for_mode(self.zoom_mode, self._fixed_zoom, widest, page, self.viewport_size())

    def viewport_size(self) -> geo.Size:
        vp = self.viewport().size()
        return float(vp.width()), float(vp.height())

    def first_page_zoom(self):
        """A pure function giving the zoom page 1 will show at, for the render thread to render
        page 1 right after opening (before the UI has seen the page sizes)."""
        mode, fixed, viewport = self.zoom_mode, self._fixed_zoom, self.viewport_size()
        return lambda size: geo.zoom_for_mode(mode, fixed, size, size, viewport)

    def _relayout(self, keep_anchor: bool) -> None:
        anchor = self._anchor() if keep_anchor else None
        old_zoom = self.zoom
        self.zoom = self._fitted_zoom()
        self.page_layout = geo.layout_pages(self.sizes, self.zoom, self.viewport().width())
        if not self._awaiting_first:
            # While page 1 is on its way the view shows its background only, and stays at the top:
            # the scroll bars take the new ranges (and repaint) in page 1's frame, after the page.
            self._apply_scroll_ranges()
            if anchor is not None:
                page, dy = anchor
                self.verticalScrollBar().setValue(int(self.page_layout.rects[page][1] + dy * self.zoom))
            self.viewport().update()
        if self.zoom != old_zoom:
            self.zoom_changed.emit(self.zoom)
        self.wanted_changed.emit()

    def _apply_scroll_ranges(self) -> None:
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setPageStep(self.viewport().height())
        hbar.setPageStep(self.viewport().width())
        vbar.setSingleStep(40)
        hbar.setSingleStep(40)
        vbar.setRange(0, max(0, int(self.page_layout.height - self.viewport().height())))
        hbar.setRange(0, max(0, int(self.page_layout.width - self.viewport().width())))

    def _anchor(self) -> tuple[int, float] | None:
        """The page at the top of the viewport and how far into it (points), kept across zooms."""
        if not self.page_layout.rects:
            return None
        top = self.verticalScrollBar().value()
        page = self.page_layout.nearest_page(top)
        if page is None or page >= len(self.page_layout.rects):
            return None
        return page, (top - self.page_layout.rects[page][1]) / self.page_layout.zoom

    # ---- what is on screen ---------------------------------------------------------------

    def offset(self) -> tuple[int, int]:
        return self.horizontalScrollBar().value(), self.verticalScrollBar().value()

    def visible_pages(self) -> list[int]:
        top = self.verticalScrollBar().value()
        return self.page_layout.visible_pages(top, top + self.viewport().height())

    def wanted_pages(self) -> list[int]:
        """Visible pages, the one nearest the viewport's centre first, then their neighbours."""
        visible = self.visible_pages()
        if not visible:
            return []
        centre = self.verticalScrollBar().value() + self.viewport().height() / 2
        visible.sort(key=lambda i: abs((self.page_layout.rects[i][1] + self.page_layout.rects[i][3]) / 2 - centre))
        extra = []
        for d in range(1, NEIGHBOURS + 1):
            for i in (max(visible) + d, min(visible) - d):
                if 0 <= i < len(self.sizes) and i not in visible and i not in extra:
                    extra.append(i)
        return visible + extra

    @property
    def current_page(self) -> int:
        return self._current

    def _scrolled(self) -> None:
        self._update_current()
        self.viewport().update()
        self.wanted_changed.emit()

    def _update_current(self) -> None:
        if not self.page_layout.rects:
            return
        top = self.verticalScrollBar().value()
        vh = self.viewport().height()
        best, best_area = self._current, -1.0
        for i in self.page_layout.visible_pages(top, top + vh):
            r = self.page_layout.rects[i]
            area = min(r[3], top + vh) - max(r[1], top)
            if area > best_area + 0.5:
                best, best_area = i, area
        if best != self._current:
            self._current = best
            self.current_page_changed.emit(best)

    def go_to_page(self, page: int) -> None:
        if not self.page_layout.rects:
            return
        self._leave_the_top()
        page = max(0, min(page, len(self.page_layout.rects) - 1))
        self.verticalScrollBar().setValue(int(self.page_layout.rects[page][1] - geo.MARGIN))
        if self._current != page:
            self._current = page
            self.current_page_changed.emit(page)

    def ensure_visible(self, page: int, rect: geo.Rect) -> None:
        """Scroll so a displayed rect on a page is on screen (centred if it was not)."""
        if not 0 <= page < len(self.page_layout.rects):
            return
        self._leave_the_top()
        x0, y0, x1, y1 = geo.displayed_rect_to_content(self.page_layout.rects[page], self.zoom, rect)
        top, height = self.verticalScrollBar().value(), self.viewport().height()
        if y0 < top or y1 > top + height:
            self.verticalScrollBar().setValue(int((y0 + y1) / 2 - height / 2))
        left, width = self.horizontalScrollBar().value(), self.viewport().width()
        if x0 < left or x1 > left + width:
            self.horizontalScrollBar().setValue(int((x0 + x1) / 2 - width / 2))

    def page_rect_in_viewport(self, page: int) -> QRectF:
        x0, y0, x1, y1 = self.page_layout.rects[page]
        ox, oy = self.offset()
        return QRectF(x0 - ox, y0 - oy, x1 - x0, y1 - y0)

    # ---- painting ------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        if self._awaiting_first:  # the background only (the viewport fills it)
            return
        painter = QPainter(self.viewport())
        ox, oy = self.offset()
        painter.translate(-ox, -oy)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for i in self.visible_pages():
            x0, y0, x1, y1 = self.page_layout.rects[i]
            target = QRectF(x0, y0, x1 - x0, y1 - y0)
            # The shadow: two strips along the right and bottom edges (a whole page of blending
            # hidden under the page would cost a millisecond a frame).
            painter.fillRect(QRectF(x1, y0 + 2, 2, y1 - y0), SHADOW)
            painter.fillRect(QRectF(x0 + 2, y1, x1 - x0 - 2, 2), SHADOW)
            cached = self.cache.get((self.doc_id, "page", i))
            if not (cached is not None and i not in self.failed_pages and _covers(cached, self.zoom, target)):
                painter.fillRect(target, Qt.GlobalColor.white)
            if i in self.failed_pages:
                painter.setPen(QColor(0x80, 0x20, 0x20))
                # Centred in the part of the page in view, so it shows at any zoom and scroll.
                shown = target.intersected(QRectF(ox, oy, self.viewport().width(), self.viewport().height()))
                painter.drawText(shown, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                                 self.tr("Không hiển thị được trang này"))
            elif cached is not None:
                zoom, image = cached
                if abs(zoom - self.zoom) < 1e-6:
                    painter.drawImage(QPointF(x0, y0), image)
                    if i not in self._shown:
                        self._shown.add(i)
                        self.page_shown.emit(i)
                else:
                    painter.drawImage(target, image)
        if self.overlay is not None:
            self.overlay.paint(painter, self)
        painter.end()
        if self._first_frame_due:
            self._first_frame_due = False
            self.first_frame.emit()

    @property
    def first_frame_due(self) -> bool:
        """The document's first frame is still to be painted."""
        return self._first_frame_due

    def image_arrived(self, page: int) -> None:
        if page == 0 and self._awaiting_first:
            self._stop_waiting()
        elif page in self.visible_pages():
            self.viewport().update()

    def _leave_the_top(self) -> None:
        if self._awaiting_first:  # the view moves away from page 1: no reason to wait for it
            self._stop_waiting()

    def _stop_waiting(self) -> None:
        self._first_wait.stop()
        if self._awaiting_first:
            self._awaiting_first = False
            self._apply_scroll_ranges()
        self.viewport().update()

    def page_failed(self, page: int) -> None:
        self.failed_pages.add(page)
        self.image_arrived(page)

    # ---- input ---------------------------------------------------------------------------

    def content_pos(self, event) -> tuple[float, float]:
        p = event.position()
        ox, oy = self.offset()
        return p.x() + ox, p.y() + oy

    def mousePressEvent(self, event) -> None:
        if self.overlay is not None and self.overlay.mouse_press(self, event):
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self.overlay is not None and self.overlay.mouse_move(self, event):
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.overlay is not None and self.overlay.mouse_release(self, event):
            return
        super().mouseReleaseEvent(event)

    # ---- drops from the placement palette ------------------------------------------------

    def _accepts(self, event) -> bool:
        from app.views.pdf.placement import SIGNATURE_MIME

        return self.overlay is not None and event.mimeData().hasFormat(SIGNATURE_MIME)

    def dragEnterEvent(self, event) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        ox, oy = self.offset()
        p = event.position()
        if self.overlay is not None and self.overlay.drop_at(self, p.x() + ox, p.y() + oy):
            event.acceptProposedAction()
        else:
            event.ignore()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_step_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_step_requested.emit(1)
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_step_requested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.go_to_page(self._current + 1)
        elif key == Qt.Key.Key_PageUp:
            self.go_to_page(self._current - 1)
        elif key == Qt.Key.Key_Home:
            self.go_to_page(0)
        elif key == Qt.Key.Key_End:
            self.go_to_page(len(self.sizes) - 1)
        elif self.overlay is not None and self.overlay.key_press(self, event):
            event.accept()
            return
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout(keep_anchor=True)
