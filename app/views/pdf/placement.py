"""Signature boxes on the preview: the list of placements and the mouse handling that edits it.

Boxes are stored in displayed points (the engine's space) and converted to pixels only to paint
and hit-test, through app.views.pdf.geometry. Dragging a box across pages moves it to the page
under its centre; resizing drags the bottom-right handle and keeps the aspect ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.signing.geometry import Placement
from app.views.pdf import geometry as geo
from app.views.qt import QColor, QImage, QObject, QPointF, QRectF, Qt, QtGui, Signal

if TYPE_CHECKING:
    from app.views.pdf.canvas import PageCanvas

HANDLE = 10  # pixels
SNAP_DISTANCE = 12  # pixels within which a moved box jumps onto a proposed position
EDGE = 24  # pixels from the viewport's top/bottom where a drag scrolls the pages
SIGNATURE_MIME = "application/x-lienthong-signature"


@dataclass
class _Drag:
    index: int
    mode: str  # "move" or "resize"
    grab: tuple[float, float]  # pointer minus box top-left, content pixels (move)
    origin: geo.Rect  # box rect in displayed points when the drag started


class PlacementModel(QObject):
    """The placements being edited, in order; `changed` after every edit."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[Placement] = []
        self.selected: int | None = None

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int) -> Placement:
        return self._items[i]

    def placements(self) -> tuple[Placement, ...]:
        return tuple(p.normalized() for p in self._items)

    def add(self, placement: Placement) -> int:
        self._items.append(placement.normalized())
        self.selected = len(self._items) - 1
        self.changed.emit()
        return self.selected

    def replace(self, index: int, placement: Placement) -> None:
        self._items[index] = placement.normalized()
        self.changed.emit()

    def remove(self, index: int) -> None:
        del self._items[index]
        if self.selected is not None:
            self.selected = None if not self._items else min(self.selected, len(self._items) - 1)
        self.changed.emit()

    def set_all(self, placements) -> None:
        self._items = [p.normalized() for p in placements]
        self.selected = 0 if self._items else None
        self.changed.emit()

    def clear(self) -> None:
        self.set_all([])

    def spread_to_all_pages(self, index: int, page_sizes) -> None:
        """One box per page at the same displayed position, kept inside each page."""
        source = self._items[index]
        w, h = source.width, source.height
        out = []
        for page, size in enumerate(page_sizes):
            x0, y0 = source.rect[0], source.rect[1]
            out.append(Placement(page, geo.clamp_rect_into((x0, y0, x0 + w, y0 + h), size)))
        self.set_all(out)
        self.selected = source.page if source.page < len(out) else 0


class PlacementOverlay(QObject):
    """Installed as the preview canvas' overlay: paints the boxes and edits them with the mouse."""

    armed_changed = Signal(bool)

    def __init__(self, preview, model: PlacementModel, box_size: geo.Size = (150.0, 75.0),
                 image: QImage | None = None, parent=None) -> None:
        super().__init__(parent or preview)
        self.preview = preview
        self.canvas = preview.canvas
        self.model = model
        self.box_size = box_size
        self.image = image
        self.snap_targets: list[Placement] = []
        self.armed = False
        self._drag: _Drag | None = None
        self.canvas.overlay = self
        model.changed.connect(self.canvas.viewport().update)

    @property
    def aspect(self) -> float:
        return self.box_size[0] / self.box_size[1]

    def set_image(self, image: QImage | None, box_size: geo.Size | None = None) -> None:
        self.image = image
        if box_size is not None:
            self.box_size = box_size
        self.canvas.viewport().update()

    def arm(self, on: bool = True) -> None:
        """The next press on a page drops a new box there (the drag then carries it)."""
        self.armed = on
        self.canvas.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.armed_changed.emit(on)

    # ---- conversions ---------------------------------------------------------------------

    def content_rect(self, placement: Placement) -> geo.Rect:
        page_rect = self.canvas.page_layout.rects[placement.page]
        return geo.displayed_rect_to_content(page_rect, self.canvas.zoom, placement.rect)

    def _placement_for_content(self, rect: geo.Rect) -> Placement | None:
        """The page under the box centre (or nearest) and the box in its displayed points."""
        layout = self.canvas.page_layout
        cy = (rect[1] + rect[3]) / 2
        page = layout.nearest_page(cy)
        if page is None:
            return None
        shown = geo.content_rect_to_displayed(layout.rects[page], self.canvas.zoom, rect)
        return Placement(page, geo.clamp_rect_into(shown, self.canvas.sizes[page]))

    def _snap(self, placement: Placement) -> Placement:
        limit = SNAP_DISTANCE / self.canvas.zoom
        for target in self.snap_targets:
            if target.page == placement.page and abs(target.rect[0] - placement.rect[0]) <= limit \
                    and abs(target.rect[1] - placement.rect[1]) <= limit:
                x0, y0 = target.rect[0], target.rect[1]
                return Placement(placement.page, (x0, y0, x0 + placement.width, y0 + placement.height))
        return placement

    def _hit(self, x: float, y: float) -> tuple[int, str] | None:
        for i in reversed(range(len(self.model))):
            p = self.model[i]
            if p.page >= len(self.canvas.page_layout.rects):
                continue
            x0, y0, x1, y1 = self.content_rect(p)
            if x1 - HANDLE <= x <= x1 + 2 and y1 - HANDLE <= y <= y1 + 2:
                return i, "resize"
            if x0 <= x <= x1 and y0 <= y <= y1:
                return i, "move"
        return None

    # ---- mouse ---------------------------------------------------------------------------

    def mouse_press(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not canvas.page_layout.rects:
            return False
        x, y = canvas.content_pos(event)
        hit: tuple[int, str] | None
        if self.armed:
            page = canvas.page_layout.page_at(x, y)
            if page is None:
                return True
            px, py = geo.content_to_displayed(canvas.page_layout.rects[page], canvas.zoom, x, y)
            rect = geo.clamp_rect_into(geo.centered_rect(px, py, self.box_size), canvas.sizes[page])
            index = self.model.add(Placement(page, rect))
            self.arm(False)
            hit = (index, "move")
        else:
            hit = self._hit(x, y)
            if hit is None:
                return False
        index, mode = hit
        self.model.selected = index
        box = self.content_rect(self.model[index])
        self._drag = _Drag(index, mode, (x - box[0], y - box[1]), self.model[index].rect)
        canvas.viewport().update()
        return True

    def mouse_move(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool:
        x, y = canvas.content_pos(event)
        if self._drag is None:
            hit = self._hit(x, y) if not self.armed else None
            shape = Qt.CursorShape.SizeFDiagCursor if hit and hit[1] == "resize" else (
                Qt.CursorShape.SizeAllCursor if hit else (
                    Qt.CursorShape.CrossCursor if self.armed else Qt.CursorShape.ArrowCursor))
            canvas.viewport().setCursor(shape)
            return False
        d = self._drag
        current = self.model[d.index]
        if d.mode == "move":
            x, y = self._autoscroll(canvas, event, x, y)
            w, h = current.width * canvas.zoom, current.height * canvas.zoom
            x0, y0 = x - d.grab[0], y - d.grab[1]
            moved = self._placement_for_content((x0, y0, x0 + w, y0 + h))
            if moved is not None:
                self.model.replace(d.index, self._snap(moved))
        else:
            page_rect = canvas.page_layout.rects[current.page]
            px, py = geo.content_to_displayed(page_rect, canvas.zoom, x, y)
            rect = geo.resize_keep_aspect(current.rect, px, py, current.width / current.height)
            pw, ph = canvas.sizes[current.page]
            # Stop at the page edge without breaking the aspect ratio.
            scale = min(1.0, (pw - rect[0]) / (rect[2] - rect[0]), (ph - rect[1]) / (rect[3] - rect[1]))
            rect = (rect[0], rect[1], rect[0] + (rect[2] - rect[0]) * scale, rect[1] + (rect[3] - rect[1]) * scale)
            self.model.replace(d.index, Placement(current.page, rect))
        return True

    @staticmethod
    def _autoscroll(canvas, event, x: float, y: float) -> tuple[float, float]:
        """Near the top or bottom edge, scroll so a box can be carried to a page out of view."""
        vy, height = event.position().y(), canvas.viewport().height()
        step = -int(EDGE - vy) if vy < EDGE else (int(vy - (height - EDGE)) if vy > height - EDGE else 0)
        if step:
            bar = canvas.verticalScrollBar()
            before = bar.value()
            bar.setValue(before + step)
            y += bar.value() - before
        return x, y

    def drop_at(self, canvas: PageCanvas, x: float, y: float) -> bool:
        """A signature dropped from the palette at content (x, y): a new box centred there."""
        page = canvas.page_layout.page_at(x, y)
        if page is None:
            return False
        px, py = geo.content_to_displayed(canvas.page_layout.rects[page], canvas.zoom, x, y)
        rect = geo.clamp_rect_into(geo.centered_rect(px, py, self.box_size), canvas.sizes[page])
        self.model.add(self._snap(Placement(page, rect)))
        if self.armed:
            self.arm(False)
        return True

    def mouse_release(self, canvas: PageCanvas, event: QtGui.QMouseEvent) -> bool:
        if self._drag is None:
            return False
        self.mouse_move(canvas, event)
        self._drag = None
        return True

    def key_press(self, canvas: PageCanvas, event: QtGui.QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Delete and self.model.selected is not None and len(self.model):
            self.model.remove(self.model.selected)
            return True
        arrows: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)
        }
        key = event.key()
        if key in arrows and self.model.selected is not None and len(self.model):
            # Nudge the selected box: 1 point, 10 with Shift, kept on its page.
            step = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
            dx, dy = arrows[key]
            p = self.model[self.model.selected]
            moved = (p.rect[0] + dx * step, p.rect[1] + dy * step, p.rect[2] + dx * step, p.rect[3] + dy * step)
            self.model.replace(self.model.selected, Placement(p.page, geo.clamp_rect_into(moved, canvas.sizes[p.page])))
            return True
        if event.key() == Qt.Key.Key_Escape and self.armed:
            self.arm(False)
            return True
        return False

    # ---- painting ------------------------------------------------------------------------

    def paint(self, painter: QtGui.QPainter, canvas: PageCanvas) -> None:
        painter.save()
        for target in self.snap_targets:
            if target.page < len(canvas.page_layout.rects):
                x0, y0, x1, y1 = self.content_rect(target)
                pen = QtGui.QPen(QColor(0, 150, 0), 1, Qt.PenStyle.DotLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for i in range(len(self.model)):
            p = self.model[i]
            if p.page >= len(canvas.page_layout.rects):
                continue
            x0, y0, x1, y1 = self.content_rect(p)
            box = QRectF(x0, y0, x1 - x0, y1 - y0)
            if self.image is not None and not self.image.isNull():
                painter.setOpacity(0.85)
                painter.drawImage(box, self.image)
                painter.setOpacity(1.0)
            else:
                painter.fillRect(box, QColor(30, 90, 200, 40))
                painter.setPen(QColor(30, 90, 200))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.tr("Chữ ký"))
            selected = i == self.model.selected
            pen = QtGui.QPen(QColor(30, 90, 200) if selected else QColor(120, 120, 120), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            if selected:
                painter.fillRect(QRectF(QPointF(x1 - HANDLE, y1 - HANDLE), QPointF(x1, y1)), QColor(30, 90, 200))
        painter.restore()
