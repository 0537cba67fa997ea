"""The PIN dialog and the broker that lets a background thread ask the UI for the PIN.

The token layer calls `broker.request_pin(PinRequest)` on its worker thread. The broker signals
the UI thread, which shows `PinDialog`; the worker waits on a threading.Event until the officer
answers, cancels, or the operation is cancelled. The PIN passes through and is never stored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.views.qt import QDialog, QLabel, QObject, Qt, QtWidgets, Signal

if TYPE_CHECKING:
    from app.signing.token import PinRequest

WAIT_SLICE_S = 0.2


@dataclass
class _Pending:
    request: PinRequest
    error: str
    done: threading.Event = field(default_factory=threading.Event)
    answer: str | None = None


class PinDialog(QDialog):
    """Asks for the token PIN; warns when few tries are left (the token locks after 3)."""

    def __init__(self, request: PinRequest, error: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nhập mã PIN"))
        self.setModal(True)
        label, holder = request.token_label, request.holder
        self.token_label = QLabel(self.tr("Token: %1").replace("%1", label), self)
        self.holder_label = QLabel(self.tr("Chứng thư số: %1").replace("%1", holder), self)
        self.holder_label.setVisible(bool(holder))
        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.warning_label.setObjectName("pinWarning")
        lines = [error] if error else []
        warning = request.warning
        if warning == "final_try":
            lines.append(self.tr("Lần thử cuối cùng: nhập sai một lần nữa token sẽ bị khóa."))
        elif warning == "count_low":
            lines.append(self.tr("Còn ít lần thử: token sẽ bị khóa nếu nhập sai thêm."))
        tries = request.tries_left
        if tries is not None and warning != "final_try":
            lines.append(self.tr("Còn %1 lần thử.").replace("%1", str(tries)))
        self.warning_label.setText("\n".join(lines))
        self.warning_label.setVisible(bool(lines))
        self.pin_edit = QtWidgets.QLineEdit(self)
        self.pin_edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.pin_edit.setAccessibleName(self.tr("Mã PIN"))
        buttons = QtWidgets.QDialogButtonBox(self)
        self.ok_button = buttons.addButton(self.tr("Đồng ý"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("Hủy"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setEnabled(False)
        self.pin_edit.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Mã PIN:"), self.pin_edit)
        box = QtWidgets.QVBoxLayout(self)
        for w in (self.token_label, self.holder_label, self.warning_label):
            box.addWidget(w)
        box.addLayout(form)
        box.addWidget(buttons)

    def pin(self) -> str:
        return self.pin_edit.text()


class PinBroker(QObject):
    """Bridges a worker thread's PIN request to the UI thread and back.

    `request_pin` blocks its (non-UI) caller; `answer(pin)` / `answer(None)` unblock it. By
    default a `PinDialog` is shown for each request (`dialog` while open); set `show_dialog=False`
    to answer programmatically from `pin_requested`.
    """

    pin_requested = Signal(object, str)  # PinRequest, error text of the previous attempt
    pin_answered = Signal(bool)  # True: a PIN was given; False: cancelled
    _finished = Signal()

    def __init__(self, parent_widget=None, *, show_dialog: bool = True, lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self.parent_widget = parent_widget
        self.lang = lang  # of the error text shown with the next request
        self.show_dialog = show_dialog
        self.dialog: PinDialog | None = None
        self.next_error = ""
        self._lock = threading.Lock()
        self._pending: _Pending | None = None
        self.pin_requested.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._close_dialog, Qt.ConnectionType.QueuedConnection)

    # ---- worker side ---------------------------------------------------------------------

    def request_pin(self, request: PinRequest, cancel: threading.Event | None = None) -> str | None:
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("request_pin blocks; call it from a worker thread")
        pending = _Pending(request, self.next_error)
        self.next_error = ""
        with self._lock:
            self._pending = pending
        self.pin_requested.emit(request, pending.error)
        while not pending.done.wait(WAIT_SLICE_S):
            if cancel is not None and cancel.is_set():
                self._finish(pending, None)
        return pending.answer

    def callback(self, cancel: threading.Event | None = None):
        """A `pin_callback` for TokenService.open_signer bound to a cancel flag."""
        return lambda request: self.request_pin(request, cancel)

    # ---- UI side -------------------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        with self._lock:
            return self._pending is not None

    def answer(self, pin: str | None) -> None:
        with self._lock:
            pending = self._pending
        if pending is not None:
            self._finish(pending, pin)

    def cancel(self) -> None:
        self.answer(None)

    def _finish(self, pending: _Pending, pin: str | None) -> None:
        with self._lock:
            if self._pending is not pending:
                return
            self._pending = None
        pending.answer = pin
        pending.done.set()
        self._finished.emit()
        self.pin_answered.emit(pin is not None)

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.blockSignals(True)
            dialog.close()
            dialog.deleteLater()

    def _show(self, request, error: str) -> None:
        if not self.show_dialog:
            return
        with self._lock:
            pending = self._pending
        if pending is None or pending.request is not request:
            return
        dialog = PinDialog(request, error, self.parent_widget)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._finish(pending, dialog.pin()))
        dialog.rejected.connect(lambda: self._finish(pending, None))
        dialog.open()
        dialog.pin_edit.setFocus()
