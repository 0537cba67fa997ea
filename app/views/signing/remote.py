""""Ký số từ xa": a remote signing provider as a signer source of the certificate picker, and
the wait for the phone ("Đang chờ xác nhận trên điện thoại… còn 4:32", with the request's code,
cancellable), or the OTP step (its own masked dialog, asked again after a wrong code until the
provider locks the credential).

The source opens the signer on the signing worker thread: the stored provider session (else the
browser sign-in), then the credential. The confirmation callbacks come from that thread and reach
the wait dialog through queued signals; "Hủy" sets the source's cancel event, which the remote
signer checks between polls.
"""

from __future__ import annotations

import threading
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from app.views.qt import QDialog, QObject, Qt, QtWidgets, Signal

if TYPE_CHECKING:
    from app.services.sso import SsoSession
    from app.signing.remote.csc_client import CredentialInfo

WAIT_SLICE_S = 0.2
OTP_WRONG, OTP_EXPIRED = "wrong", "expired"


class _Relay(QObject):
    waiting = Signal(object)  # app.signing.remote.signer.WaitState
    finished = Signal()
    otp_requested = Signal(object, str)  # CredentialInfo, "" | OTP_WRONG | OTP_EXPIRED
    otp_answered = Signal()


class _OtpAsk:
    """One OTP question from the worker thread, answered on the UI thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.code: str | None = None

    def answer(self, code: str | None) -> None:
        if not self.done.is_set():
            self.code = code
            self.done.set()


class RemoteSignerSource:
    """Opens a remote credential (same role as TokenSignerSource). `relay.waiting` /
    `relay.finished` arrive on the UI thread; `cancel` stops a wait."""

    def __init__(self, provider, *, keyring_backend=None, browser: Callable[[str], object] = webbrowser.open,
                 credential: str = "") -> None:
        self.provider = provider
        self.keyring_backend = keyring_backend
        self.browser = browser
        self.credential = credential
        self.cancel = threading.Event()
        self._session: SsoSession | None = None  # kept between the credential list and open()
        self._session_lock = threading.Lock()
        self.relay = _Relay()
        # Created on the UI thread with the source; shown while a request waits.
        self.dialog = RemoteWaitDialog(self)
        self.relay.waiting.connect(self.dialog.show_state, Qt.ConnectionType.QueuedConnection)
        self.relay.finished.connect(self.dialog.done_waiting, Qt.ConnectionType.QueuedConnection)
        self.relay.otp_requested.connect(self._show_otp, Qt.ConnectionType.QueuedConnection)
        self.relay.otp_answered.connect(self._close_otp, Qt.ConnectionType.QueuedConnection)
        self.otp_dialog: RemoteOtpDialog | None = None  # while a code is asked
        self._otp_ask: _OtpAsk | None = None

    @property
    def description(self) -> str:
        return self.provider.label

    def session(self):
        """The stored provider session, else the browser sign-in (worker thread)."""
        from app.signing.remote.errors import RemoteSignInError
        from app.signing.remote.provider import restore_session, sign_in

        with self._session_lock:
            if self._session is None:
                try:
                    self._session = restore_session(self.provider, keyring_backend=self.keyring_backend)
                except RemoteSignInError:
                    self._session = sign_in(self.provider, keyring_backend=self.keyring_backend,
                                            browser=self.browser, cancel=self.cancel)
            return self._session

    def credentials(self) -> list[CredentialInfo]:
        """The account's credentials at the provider (CredentialInfo), for the picker (worker thread)."""
        from app.signing.remote.provider import csc_client, list_credentials

        self.cancel.clear()
        return list_credentials(csc_client(self.provider, self.session()))

    def ask_otp(self, credential, error: str = "") -> str | None:
        """Worker thread: show the OTP step and wait for its answer (None: cancelled)."""
        ask = _OtpAsk()
        self._otp_ask = ask
        self.relay.otp_requested.emit(credential, error)
        while not ask.done.wait(WAIT_SLICE_S):
            if self.cancel.is_set():
                ask.answer(None)
        self.relay.otp_answered.emit()  # a cancel from elsewhere leaves no OTP dialog behind
        return ask.code

    def _show_otp(self, credential, error: str) -> None:
        ask = self._otp_ask
        if ask is None or ask.done.is_set():
            return
        dialog = RemoteOtpDialog(self.provider.label, credential.description or credential.credential_id, error)
        self.otp_dialog = dialog
        dialog.accepted.connect(lambda: ask.answer(dialog.code()))
        dialog.rejected.connect(lambda: ask.answer(None))
        dialog.finished.connect(lambda _r: self._otp_closed(dialog))
        dialog.open()
        dialog.code_edit.setFocus()

    def _close_otp(self) -> None:
        if self.otp_dialog is not None and self.otp_dialog.isVisible():
            self.otp_dialog.reject()

    def _otp_closed(self, dialog) -> None:
        if self.otp_dialog is dialog:
            self.otp_dialog = None
        dialog.deleteLater()

    def interrupt(self) -> None:
        """The signing was cancelled elsewhere (the sign dialog's "Hủy"): stop waiting."""
        self.cancel.set()

    def using(self, credential: str) -> "RemoteCredentialSource":
        return RemoteCredentialSource(self, credential)

    def open(self, pin_callback, credential: str = ""):
        from app.signing.remote.errors import RemoteSignInError
        from app.signing.remote.provider import open_remote_signer

        self.cancel.clear()
        confirmation = _Confirmation(self, pin_callback)
        chosen = credential or self.credential
        try:
            return open_remote_signer(self.provider, self.session(), confirmation, credential=chosen,
                                      cancel=self.cancel)
        except RemoteSignInError:
            # The kept session was signed out elsewhere: sign in again once.
            with self._session_lock:
                self._session = None
            return open_remote_signer(self.provider, self.session(), confirmation, credential=chosen,
                                      cancel=self.cancel)


@dataclass(frozen=True)
class RemoteCredentialSource:
    """One credential of a provider, as the picker's choice opens it."""

    remote: RemoteSignerSource
    credential: str

    @property
    def provider(self):
        return self.remote.provider

    @property
    def description(self) -> str:
        return f"{self.remote.description} / {self.credential}"

    def open(self, pin_callback):
        return self.remote.open(pin_callback, credential=self.credential)

    def interrupt(self) -> None:
        self.remote.interrupt()


class _Confirmation:
    """Runs on the worker thread: forwards the wait and the OTP step to the UI."""

    def __init__(self, source: RemoteSignerSource, pin_callback) -> None:
        self.source = source
        self.pin_callback = pin_callback

    def waiting(self, state) -> None:
        self.source.relay.waiting.emit(state)

    def finished(self) -> None:
        self.source.relay.finished.emit()

    def ask_otp(self, credential, error=None) -> str | None:
        kind = "" if error is None else (OTP_EXPIRED if error.expired else OTP_WRONG)
        return self.source.ask_otp(credential, kind)


class RemoteOtpDialog(QDialog):
    """The OTP step of a remote signing: the code sent to the signer's phone, typed masked."""

    def __init__(self, provider: str, credential: str, error: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nhập mã OTP"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.info_label = QtWidgets.QLabel(
            self.tr("Mã OTP đã được gửi tới điện thoại của bạn. Nhập mã để ký bằng chứng thư %1 (%2).")
            .replace("%1", credential).replace("%2", provider), self)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info_label.setWordWrap(True)
        self.error_label = QtWidgets.QLabel(self)
        self.error_label.setObjectName("otpError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        if error == OTP_EXPIRED:
            self.error_label.setText(self.tr("Mã OTP đã hết hạn; một mã mới đã được gửi. Hãy nhập mã mới."))
        elif error:
            self.error_label.setText(self.tr("Mã OTP không đúng. Hãy nhập lại; nhập sai quá số lần cho phép "
                                             "chứng thư sẽ bị khóa."))
        self.error_label.setVisible(bool(error))
        self.code_edit = QtWidgets.QLineEdit(self)
        self.code_edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.code_edit.setAccessibleName(self.tr("Mã OTP"))
        buttons = QtWidgets.QDialogButtonBox(self)
        self.ok_button = buttons.addButton(self.tr("Xác nhận"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("Hủy"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setEnabled(False)
        self.code_edit.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Mã OTP:"), self.code_edit)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(self.info_label)
        box.addWidget(self.error_label)
        box.addLayout(form)
        box.addWidget(buttons)

    def code(self) -> str:
        return self.code_edit.text().strip()


class RemoteWaitDialog(QDialog):
    """The countdown while the signer confirms on the phone; "Hủy" cancels the request."""

    def __init__(self, source: RemoteSignerSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.setWindowTitle(self.tr("Ký số từ xa"))
        self.setModal(False)
        self.wait_label = QtWidgets.QLabel(self)
        self.wait_label.setObjectName("remoteWait")
        self.code_label = QtWidgets.QLabel(self)
        self.code_label.setObjectName("remoteCode")
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label.setStyleSheet("font-size: 20px; font-weight: bold; letter-spacing: 2px;")
        self.hint_label = QtWidgets.QLabel(
            self.tr("Mở ứng dụng ký số trên điện thoại, kiểm tra mã yêu cầu trùng với mã trên rồi bấm Đồng ý."), self)
        self.hint_label.setWordWrap(True)
        self.cancel_button = QtWidgets.QPushButton(self.tr("Hủy"), self)
        self.cancel_button.clicked.connect(self.cancel)
        box = QtWidgets.QVBoxLayout(self)
        for w in (self.wait_label, self.code_label, self.hint_label):
            box.addWidget(w)
        box.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_state(self, state) -> None:
        self.wait_label.setText(
            self.tr("Đang chờ xác nhận trên điện thoại… còn %1").replace("%1", state.remaining_text)
        )
        self.code_label.setText(self.tr("Mã yêu cầu: %1").replace("%1", state.fingerprint))
        if not self.isVisible():
            self.show()

    def cancel(self) -> None:
        self.source.cancel.set()
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        # Closing the window is "Hủy" too: the request must not go on waiting unseen.
        self.cancel()
        super().reject()

    def done_waiting(self) -> None:
        self.cancel_button.setEnabled(True)
        self.hide()
