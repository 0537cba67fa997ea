"""The thumbnails sidebar: one row per page, images rendered only for the rows in view.

A list model answers for every page without creating 500 items up front, so opening a long
document costs the UI thread nothing here.
"""

from __future__ import annotations

from app.views.qt import QColor, QIcon, QImage, QPainter, QPixmap, QSize, Qt, QtCore, QtWidgets, Signal

QPoint = QtCore.QPoint
THUMB_WIDTH = 96
FRAME = "#a0a0a0"  # a thumbnail's edge


class ThumbnailModel(QtCore.QStringListModel):
    """Rows are the page numbers, held on the C++ side: the list's layout asks for every row's
    index, and a Python row count answering each of those costs milliseconds on a long document."""

    def __init__(self, placeholder: QIcon, parent=None) -> None:
        super().__init__(parent)
        self.count = 0
        self.icons: dict[int, QIcon] = {}
        self.placeholder = placeholder

    def reset(self, count: int) -> None:
        self.count = count
        self.icons = {}
        self.setStringList([str(i + 1) for i in range(count)])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icons.get(index.row(), self.placeholder)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignHCenter)
        if role == Qt.ItemDataRole.DisplayRole:
            return super().data(index, role)
        return None

    def flags(self, index):
        # A list model's: the page numbers are labels, not editable or draggable as a string list's are.
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def set_icon(self, row: int, icon: QIcon) -> None:
        if 0 <= row < self.count:
            self.icons[row] = icon
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailList(QtWidgets.QListView):
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
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sizes: list[tuple[float, float]] = []
        pix = QPixmap(self.iconSize())
        pix.fill(QColor("white"))
        self.model_ = ThumbnailModel(QIcon(pix), self)
        self.setModel(self.model_)
        self.clicked.connect(lambda index: self.page_clicked.emit(index.row()))
        self.verticalScrollBar().valueChanged.connect(lambda _: self.wanted_changed.emit())

    def count(self) -> int:
        return self.model_.count

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        self.sizes = list(sizes)
        self.model_.reset(len(sizes))
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

    def row_rect(self, page: int):
        return self.visualRect(self.model_.index(page))

    def set_image(self, page: int, image: QImage) -> None:
        """The page centred in a slot of the icon's size, with a thin frame: a landscape page's
        number then sits right under its slot as a portrait page's does (an icon smaller than
        the slot leaves the rest to its label, which a selection fills with colour), and a white
        page shows its edges on the white list."""
        ratio = image.devicePixelRatio()
        box = self.iconSize()
        slot = QPixmap(box * ratio)
        slot.setDevicePixelRatio(ratio)
        slot.fill(Qt.GlobalColor.transparent)
        w, h = image.width() / ratio, image.height() / ratio
        at = QtCore.QRectF((box.width() - w) / 2, (box.height() - h) / 2, w, h)
        painter = QPainter(slot)
        painter.drawImage(at.topLeft(), image)
        painter.setPen(QColor(FRAME))
        painter.drawRect(at.adjusted(0, 0, -1 / ratio, -1 / ratio))
        painter.end()
        self.model_.set_icon(page, QIcon(slot))

    def select_page(self, page: int) -> None:
        if 0 <= page < self.count():
            index = self.model_.index(page)
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)
            self.scrollTo(index)
