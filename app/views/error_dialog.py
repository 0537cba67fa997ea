"""Expected failures in plain words (the message in the user's language) with the technical detail folded."""

from __future__ import annotations

import logging
from typing import Callable

from app.errors import CancelledError, LienThongError, NotSignedInError, SessionExpiredError
from app.views.qt import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    Qt,
    QVBoxLayout,
)

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    def __init__(self, error: LienThongError, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("Không thực hiện được"))
        self.error = error
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        self.message = QLabel(error.message(lang))
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message, 1)

        self.detail_view = QPlainTextEdit(f"[{error.code}] {error.detail}".strip())
        self.detail_view.setReadOnly(True)
        self.detail_view.setVisible(False)
        self.detail_view.setMaximumHeight(120)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Đóng"))
        self.toggle_button = QPushButton(self.tr("Chi tiết kỹ thuật"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.setEnabled(bool(error.detail))
        self.toggle_button.toggled.connect(self.detail_view.setVisible)
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.detail_view)
        layout.addWidget(buttons)
        self.resize(480, 160)


class ErrorPresenter:
    """The TaskRunner's default failure handler: expected errors get ErrorDialog, bugs the crash dialog."""

    def __init__(
        self,
        lang: str,
        crash: Callable[[BaseException], object],
        parent_provider: Callable[[], object] = lambda: None,
        on_session_expired: Callable[[LienThongError], None] | None = None,
    ) -> None:
        self.lang = lang
        self._crash = crash
        self._parent_provider = parent_provider
        self.on_session_expired = on_session_expired
        self.dialogs: list[ErrorDialog] = []

    def __call__(self, exc: BaseException) -> None:
        self.present(exc)

    def present(self, exc: BaseException) -> ErrorDialog | None:
        if isinstance(exc, CancelledError):
            return None
        # A session closed by an earlier failure (NotSignedInError) asks for the same thing: sign in again.
        if isinstance(exc, (SessionExpiredError, NotSignedInError)) and self.on_session_expired is not None:
            log.info("session expired: %s", exc.detail)
            self.on_session_expired(exc)
            return None
        if not isinstance(exc, LienThongError):
            self._crash(exc)
            return None
        log.info("%s: %s", exc.code, exc.detail)
        for open_dialog in self.dialogs:
            # Both lists failing for the same reason (the network is down) make one dialog, not two.
            if open_dialog.error.code == exc.code and open_dialog.error.message(self.lang) == exc.message(self.lang):
                return open_dialog
        dialog = ErrorDialog(exc, self.lang, self._parent_provider())
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))
        dialog.open()
        return dialog

    def _forget(self, dialog: ErrorDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
