"""The thumbnails sidebar: one row per page, images rendered only for the rows in view."""

from __future__ import annotations

from app.views.qt import QColor, QIcon, QImage, QPixmap, QSize, Qt, Signal, QtCore, QtWidgets

QPoint = QtCore.QPoint

THUMB_WIDTH = 96


class ThumbnailList(QtWidgets.QListWidget):
    page_clicked = Signal(int)
    wanted_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.setFlow(QtWidgets.QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QtWidgets.QListView.Movement.Static)
        self.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setSpacing(4)
        self.setFixedWidth(THUMB_WIDTH + 40)
        self.sizes: list[tuple[float, float]] = []
        self._placeholder = self._blank_icon()
        self.itemClicked.connect(lambda item: self.page_clicked.emit(self.row(item)))
        self.verticalScrollBar().valueChanged.connect(lambda _: self.wanted_changed.emit())

    def _blank_icon(self) -> QIcon:
        pix = QPixmap(self.iconSize())
        pix.fill(QColor("white"))
        return QIcon(pix)

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        self.clear()
        self.sizes = list(sizes)
        for i in range(len(sizes)):
            item = QtWidgets.QListWidgetItem(self._placeholder, str(i + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.wanted_changed.emit()

    def zoom_for(self, page: int) -> float:
        w, h = self.sizes[page]
        box = self.iconSize()
        return min(box.width() / max(w, 1.0), box.height() / max(h, 1.0))

    def visible_rows(self) -> list[int]:
        if self.count() == 0:
            return []
        x, h = self.viewport().width() // 2, self.viewport().height()
        top = self.indexAt(QPoint(x, 2))
        bottom = self.indexAt(QPoint(x, h - 2))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else min(self.count() - 1, first + 12)
        return list(range(first, last + 1))

    def set_image(self, page: int, image: QImage) -> None:
        item = self.item(page)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def select_page(self, page: int) -> None:
        if 0 <= page < self.count():
            self.blockSignals(True)
            self.setCurrentRow(page)
            self.blockSignals(False)
            self.scrollToItem(self.item(page))
