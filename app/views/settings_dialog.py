"""Settings: interface language (applied at once) and a tab slot for the signing profile."""

from __future__ import annotations

from typing import Callable

from app.config import Settings
from app.views.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)


class SettingsDialog(QDialog):
    saved = Signal(object)  # Settings

    def __init__(self, settings: Settings, save: Callable[[Settings], None], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Cài đặt"))
        self._settings = settings
        self._save = save

        self.tabs = QTabWidget()
        general = QWidget()
        form = QFormLayout(general)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem("Tiếng Việt", "vi")
        self.language_combo.addItem("English", "en")
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        form.addRow(self.tr("Ngôn ngữ giao diện:"), self.language_combo)
        note = QLabel(self.tr("Ngôn ngữ mới được áp dụng ngay khi lưu."))
        note.setWordWrap(True)
        form.addRow("", note)
        self.tabs.addTab(general, self.tr("Chung"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Slot for other areas' pages (the signing profile: signature and seal images)."""
        return self.tabs.addTab(widget, title)

    def save(self) -> None:
        settings = self._settings.with_language(self.language_combo.currentData())
        self._save(settings)
        self._settings = settings
        self.saved.emit(settings)
        self.accept()
