"""Half-done transfers found at start, offered for resumption."""

from __future__ import annotations

from app.views.formatting import datetime_text
from app.views.i18n import enum_label
from app.views.qt import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    Signal,
)

KeyRole = Qt.ItemDataRole.UserRole + 30


class PendingDialog(QDialog):
    resume_requested = Signal(str)
    discard_requested = Signal(str)

    def __init__(self, pending, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingDialog")
        self.setWindowTitle(self.tr("Lượt chuyển chưa hoàn tất"))
        intro = QLabel(
            self.tr(
                "Lần trước có lượt chuyển dữ liệu chưa xong. Bạn có thể làm tiếp; phần đã chuyển sẽ không bị gửi lại."
            )
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("pendingList")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(
            [self.tr("Thao tác"), self.tr("Mã hồ sơ"), self.tr("Tệp đã xong"), self.tr("Bắt đầu")]
        )
        for entry in pending:
            item = QTreeWidgetItem(
                self.list,
                [
                    enum_label(entry, lang),
                    entry.dossier_code,
                    f"{entry.files_done}/{entry.files_total}",
                    datetime_text(entry.started_at),
                ],
            )
            item.setData(0, KeyRole, entry.key)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self.resume_button = QPushButton(self.tr("Làm tiếp"))
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.clicked.connect(lambda: self._emit(self.resume_requested))
        self.discard_button = QPushButton(self.tr("Bỏ lượt này"))
        self.discard_button.clicked.connect(lambda: self._emit(self.discard_requested))
        later = QPushButton(self.tr("Để sau"))
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(later)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(560, 300)

    def _emit(self, signal) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        signal.emit(item.data(0, KeyRole))
        self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))
        if not self.list.topLevelItemCount():
            self.accept()
