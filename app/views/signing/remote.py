""""Ký số từ xa": a remote signing provider as a signer source of the certificate picker, and
the wait for the phone ("Đang chờ xác nhận trên điện thoại… còn 4:32", with the request's code,
cancellable).

The source opens the signer on the signing worker thread: the stored provider session (else the
browser sign-in), then the credential. The confirmation callbacks come from that thread and reach
the wait dialog through queued signals; "Hủy" sets the source's cancel event, which the remote
signer checks between polls.
"""

from __future__ import annotations

import threading
import webbrowser
from dataclasses import dataclass
from typing import Callable

from app.views.qt import QDialog, QObject, Qt, QtWidgets, Signal


class _Relay(QObject):
    waiting = Signal(object)  # app.signing.remote.signer.WaitState
    finished = Signal()


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
        self._session = None  # the provider session, kept between the credential list and open()
        self._session_lock = threading.Lock()
        self.relay = _Relay()
        # Created on the UI thread with the source; shown while a request waits.
        self.dialog = RemoteWaitDialog(self)
        self.relay.waiting.connect(self.dialog.show_state, Qt.ConnectionType.QueuedConnection)
        self.relay.finished.connect(self.dialog.done_waiting, Qt.ConnectionType.QueuedConnection)

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

    def credentials(self) -> list:
        """The account's credentials at the provider (CredentialInfo), for the picker (worker thread)."""
        from app.signing.remote.provider import csc_client, list_credentials

        self.cancel.clear()
        return list_credentials(csc_client(self.provider, self.session()))

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


class _Confirmation:
    """Runs on the worker thread: forwards the wait to the UI; the OTP is asked like a PIN."""

    def __init__(self, source: RemoteSignerSource, pin_callback) -> None:
        self.source = source
        self.pin_callback = pin_callback

    def waiting(self, state) -> None:
        self.source.relay.waiting.emit(state)

    def finished(self) -> None:
        self.source.relay.finished.emit()

    def ask_otp(self, credential) -> str | None:
        from app.signing.token import PinRequest

        return self.pin_callback(PinRequest(f"OTP — {self.source.provider.label}", None, None,
                                            credential.description))


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
