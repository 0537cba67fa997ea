"""The dialog for a bug: a plain sentence, the traceback behind "details", and a copy button.

Nothing is sent anywhere; the officer may copy the details into a support request.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from typing import Callable

from app.redact import redact
from app.views.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    Signal,
)

log = logging.getLogger(__name__)


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class CrashDialog(QDialog):
    def __init__(self, details: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Lỗi không mong muốn"))
        # Copied into support requests: no tokens, passwords or PINs.
        self.details = redact(details)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        self.message = QLabel(
            self.tr(
                "Đã xảy ra lỗi không mong muốn. Công việc đã lưu không bị ảnh hưởng. "
                "Bạn có thể sao chép chi tiết để gửi cho bộ phận hỗ trợ; ứng dụng không tự gửi đi đâu cả."
            )
        )
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)

        self.detail_view = QPlainTextEdit(self.details)
        self.detail_view.setReadOnly(True)
        self.detail_view.setObjectName("crashDetails")
        self.detail_view.setVisible(False)
        self.detail_view.setMinimumHeight(180)

        self.toggle_button = QPushButton(self.tr("Xem chi tiết"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle)
        self.copy_button = QPushButton(self.tr("Sao chép chi tiết"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.detail_view, 1)
        layout.addWidget(buttons)
        self.resize(560, 200)

    def _toggle(self, shown: bool) -> None:
        self.detail_view.setVisible(shown)
        self.toggle_button.setText(self.tr("Ẩn chi tiết") if shown else self.tr("Xem chi tiết"))
        self.adjustSize()

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)


class _CrashRelay(QObject):
    """Carries an exception from any thread to the UI thread."""

    crashed = Signal(object)


class CrashReporter:
    """Installs sys.excepthook and threading.excepthook; shows one dialog per bug, non-blocking."""

    def __init__(self, parent_provider=lambda: None) -> None:
        self._parent_provider = parent_provider
        self._relay = _CrashRelay()
        self._relay.crashed.connect(self.show)
        self.dialogs: list[CrashDialog] = []
        self._previous: tuple[Callable[..., object], Callable[..., object]] | None = None

    def install(self) -> "CrashReporter":
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _sys_hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.report(exc)

    def _thread_hook(self, args) -> None:
        if args.exc_value is not None:
            self.report(args.exc_value)

    def report(self, exc: BaseException) -> None:
        """Thread-safe: log now, show the dialog on the UI thread."""
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        self._relay.crashed.emit(exc)

    def show(self, exc: BaseException) -> CrashDialog:
        dialog = CrashDialog(format_exception(exc), self._parent_provider())
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))
        dialog.open()
        return dialog

    def _forget(self, dialog: CrashDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
