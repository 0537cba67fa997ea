"""The placement palette beside the preview: insert, add, snap, all pages, list and remove.

`PlacementPanel(preview, runner=..., proposer=...)` installs a `PlacementOverlay` on the preview.
`placements()` is the result (a tuple of app.signing.geometry.Placement). The proposer (the
engine's auto-placement, `fn(pdf_path) -> Placement | None`) runs through the TaskRunner, never on
the UI thread; its answer becomes a snap target and, when nothing is placed yet, the first box.
"""

from __future__ import annotations

import logging

from app.signing.geometry import Placement
from app.views.pdf import geometry as geo
from app.views.pdf.placement import PlacementModel, PlacementOverlay
from app.views.qt import QImage, QPointF, Qt, QtWidgets, QWidget, Signal

log = logging.getLogger(__name__)


class SignatureButton(QtWidgets.QPushButton):
    """"Chèn chữ ký": click, then click a page; or drag it straight onto a page."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(text, parent)
        self.image: QImage | None = None
        self._press: QPointF | None = None

    def mousePressEvent(self, event) -> None:
        self._press = event.position() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and (event.position() - self._press).manhattanLength() \
                >= QtWidgets.QApplication.startDragDistance():
            self._press = None
            self.setDown(False)
            self.start_drag()
            return
        super().mouseMoveEvent(event)

    def start_drag(self) -> None:
        from app.views.pdf.placement import SIGNATURE_MIME
        from app.views.qt import QPixmap, QtCore, QtGui

        mime = QtCore.QMimeData()
        mime.setData(SIGNATURE_MIME, QtCore.QByteArray(b"signature"))
        drag = QtGui.QDrag(self)
        drag.setMimeData(mime)
        if self.image is not None and not self.image.isNull():
            drag.setPixmap(QPixmap.fromImage(self.image).scaledToWidth(120, Qt.TransformationMode.SmoothTransformation))
        drag.exec(Qt.DropAction.CopyAction)


class PlacementPanel(QWidget):
    placements_changed = Signal()
    proposal_ready = Signal(object)  # Placement | None

    def __init__(self, preview, *, runner=None, proposer=None, box_size: geo.Size = (150.0, 75.0),
                 image: QImage | None = None, parent=None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.runner = runner
        self.proposer = proposer
        self.model = PlacementModel(self)
        self.overlay = PlacementOverlay(preview, self.model, box_size, image, parent=self)
        self.proposal: Placement | None = None
        self.active = True
        self._pending: tuple[Placement, ...] | None = None  # a remembered position waiting for the document
        self._build()
        self.model.changed.connect(self._refresh)
        self.model.changed.connect(self.placements_changed)
        self.overlay.armed_changed.connect(self.insert_button.setChecked)
        preview.document_opened.connect(self._document_opened)
        preview.document_closed.connect(self._document_closed)
        preview.page_sizes_changed.connect(self._refit)

    def _build(self) -> None:
        self.insert_button = SignatureButton(self.tr("Chèn chữ ký"), self)
        self.insert_button.image = self.overlay.image
        self.insert_button.setCheckable(True)
        self.insert_button.setToolTip(self.tr("Kéo vào trang, hoặc bấm rồi bấm vào trang để đặt chữ ký; kéo để di "
                                              "chuyển, kéo góc dưới phải để đổi kích thước"))
        self.add_button = QtWidgets.QPushButton(self.tr("Thêm chữ ký"), self)
        self.snap_button = QtWidgets.QPushButton(self.tr("Về vị trí đề xuất"), self)
        self.snap_button.setEnabled(False)
        self.all_pages_box = QtWidgets.QCheckBox(self.tr("Hiển thị trên tất cả trang"), self)
        self.list = QtWidgets.QListWidget(self)
        self.list.setAccessibleName(self.tr("Danh sách chữ ký"))
        self.remove_button = QtWidgets.QPushButton(self.tr("Xóa"), self)
        self.remove_button.setEnabled(False)
        box = QtWidgets.QVBoxLayout(self)
        for w in (self.insert_button, self.add_button, self.snap_button, self.all_pages_box):
            box.addWidget(w)
        box.addWidget(QtWidgets.QLabel(self.tr("Danh sách chữ ký"), self))
        box.addWidget(self.list, 1)
        box.addWidget(self.remove_button)
        self.insert_button.clicked.connect(lambda on: self.overlay.arm(on))
        self.add_button.clicked.connect(self.add_on_current_page)
        self.snap_button.clicked.connect(self.snap_to_proposal)
        self.all_pages_box.toggled.connect(self._all_pages_toggled)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(self._row_chosen)

    # ---- API -----------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """Off: no boxes drawn or edited on the preview (e.g. it now shows the signed file)."""
        self.active = active
        self.preview.canvas.overlay = self.overlay if active else None
        self.preview.canvas.viewport().update()

    def placements(self) -> tuple[Placement, ...]:
        return self.model.placements()

    def set_appearance(self, image: QImage | None, box_size: geo.Size) -> None:
        self.overlay.set_image(image, box_size)
        self.insert_button.image = image

    def set_placements(self, placements) -> None:
        """Use these positions (a remembered layout); applied when the document is open."""
        placements = tuple(placements)
        if self.preview.page_count:
            self.model.set_all(self._fit(p) for p in placements)
            if len(self.model):
                self.preview.show_rect(self.model[0].page, self.model[0].rect)
        else:
            self._pending = placements

    def add_on_current_page(self) -> None:
        page = self.preview.current_page
        if self.proposal is not None and self.proposal.page == page:
            rect = self.proposal.rect
        else:
            w, h = self.preview.page_sizes[page]
            bw, bh = self.overlay.box_size
            # Lower right quarter: where a signature block usually sits.
            rect = geo.clamp_rect_into((w * 0.55, h * 0.65, w * 0.55 + bw, h * 0.65 + bh), (w, h))
        self.model.add(Placement(page, rect))

    def snap_to_proposal(self) -> None:
        if self.proposal is None:
            return
        if self.model.selected is None or not len(self.model):
            self.model.add(self.proposal)
        else:
            self.model.replace(self.model.selected, self.proposal)
        self.preview.show_rect(self.proposal.page, self.proposal.rect)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.model):
            self.model.remove(row)

    # ---- internals -----------------------------------------------------------------------

    def _fit(self, p: Placement) -> Placement:
        page = min(max(p.page, 0), self.preview.page_count - 1)
        return Placement(page, geo.clamp_rect_into(p.normalized().rect, self.preview.page_sizes[page]))

    def _refit(self) -> None:
        fitted = [self._fit(self.model[i]) for i in range(len(self.model))]
        if fitted != [self.model[i] for i in range(len(self.model))]:
            selected = self.model.selected
            self.model.set_all(fitted)
            self.model.selected = selected
        if self.proposal is not None:
            self.proposal = self._fit(self.proposal)
            self.overlay.snap_targets = [self.proposal]

    def _document_opened(self, path: str) -> None:
        if not self.active:
            return
        self.all_pages_box.blockSignals(True)
        self.all_pages_box.setChecked(False)
        self.all_pages_box.blockSignals(False)
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.model.set_all(self._fit(p) for p in pending)
            if len(self.model):
                self.preview.show_rect(self.model[0].page, self.model[0].rect)
        if self.runner is not None and self.proposer is not None:
            proposer = self.proposer
            self.runner.run(
                lambda op: proposer(path),
                receiver=self,
                on_success=lambda p: self._proposal_arrived(path, p),
                on_failure=lambda exc: log.warning("auto-placement failed: %s", exc),
                label="auto-placement",
            )

    def _document_closed(self) -> None:
        self.proposal = None
        self.overlay.snap_targets = []
        self.snap_button.setEnabled(False)
        self.model.clear()

    def _proposal_arrived(self, path: str, proposal: Placement | None) -> None:
        if path != self.preview.path or not self.active:
            return
        self.proposal = self._fit(proposal) if proposal is not None and self.preview.page_count else None
        self.overlay.snap_targets = [self.proposal] if self.proposal else []
        self.snap_button.setEnabled(self.proposal is not None)
        if self.proposal is not None and not len(self.model):
            self.model.add(self.proposal)
            self.preview.show_rect(self.proposal.page, self.proposal.rect)
        self.preview.canvas.viewport().update()
        self.proposal_ready.emit(self.proposal)

    def _all_pages_toggled(self, on: bool) -> None:
        if not len(self.model):
            return
        if on:
            self.model.spread_to_all_pages(self.model.selected or 0, self.preview.page_sizes)
        else:
            keep = self.model[self.model.selected or 0]
            self.model.set_all([keep])

    def _refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i in range(len(self.model)):
            p = self.model[i]
            self.list.addItem(self.tr("Chữ ký trên trang %1").replace("%1", str(p.page + 1)))
        if self.model.selected is not None:
            self.list.setCurrentRow(self.model.selected)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(len(self.model) > 0)
        self.preview.canvas.viewport().update()

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.model):
            self.model.selected = row
            self.preview.go_to_page(self.model[row].page)
            self.preview.canvas.viewport().update()
