"""Token and certificate picker: auto-detected, refreshed on plug/unplug, last choice remembered.

Listing runs through the TaskRunner (the token layer does the PKCS#11 calls on its own thread);
the token watch calls back on its thread and the picker refreshes on the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.views.qt import QLabel, QObject, Qt, QtWidgets, QWidget, Signal
from app.views.signing.controller import SoftSignerSource, TokenSignerSource

log = logging.getLogger(__name__)

SETTINGS_KEY = "signing/last_signer"


@dataclass(frozen=True)
class SignerChoice:
    key: str  # what is remembered: "module|serial|cert id" or "p12|path"
    text: str
    source: object
    certificate: object = None  # CertificateInfo for a token certificate


def _scan(service, rescan: bool) -> list[SignerChoice]:
    """Runs on a pool thread: every certificate of every token present."""
    choices = []
    for token in service.list_tokens(rescan=rescan):
        for cert in service.list_certificates(token):
            who = cert.holder or cert.label
            org = f" — {cert.organization}" if cert.organization and cert.organization != who else ""
            text = f"{who}{org} ({token.label})"
            key = f"{token.module_path}|{token.serial}|{cert.id_hex or cert.label}"
            choices.append(SignerChoice(key, text, TokenSignerSource(service, token, cert.id_hex or cert.label), cert))
    return choices


class _WatchRelay(QObject):
    changed = Signal()


class TokenPicker(QWidget):
    choice_changed = Signal(object)  # SignerChoice | None
    scanned = Signal(int)  # how many choices

    def __init__(self, runner, service=None, *, settings=None, p12_path=None,
                 watch_interval: float = 2.0, remote_sources=(), parent=None) -> None:
        super().__init__(parent)
        self.remote_sources = tuple(remote_sources)
        self.runner = runner
        self.service = service
        self.settings = settings
        # A path, or a function giving it (it may create the file): resolved off the UI thread.
        self.p12_path = p12_path
        self.watch_interval = watch_interval
        self.choices: list[SignerChoice] = []
        self._watch = None
        self._scanning = False
        self._rescan = False
        self.combo = QtWidgets.QComboBox(self)
        self.combo.setAccessibleName(self.tr("Chứng thư số để ký"))
        self.refresh_button = QtWidgets.QToolButton(self)
        self.refresh_button.setText(self.tr("Làm mới"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.refresh_button)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.status)
        self.refresh_button.clicked.connect(lambda: self.refresh(rescan=True))
        self.combo.currentIndexChanged.connect(self._chosen)
        self._relay = _WatchRelay(self)
        self._relay.changed.connect(lambda: self.refresh(), Qt.ConnectionType.QueuedConnection)
        self._want_watch = False

    # ---- API -----------------------------------------------------------------------------

    def current(self) -> SignerChoice | None:
        i = self.combo.currentIndex()
        return self.choices[i] if 0 <= i < len(self.choices) else None

    def source(self):
        choice = self.current()
        return choice.source if choice else None

    def start(self, watch: bool = True) -> None:
        """Scan now and, with `watch`, follow tokens being plugged in or pulled out.

        The watch starts after the first scan: two rescans at once would re-initialize the
        PKCS#11 module under each other.
        """
        self._want_watch = watch
        self.refresh(rescan=True)

    def _start_watch(self) -> None:
        if self._want_watch and self.service is not None and self._watch is None:
            relay = self._relay
            first = [True]

            def changed(_tokens) -> None:
                # The watch reports the list at start too; the first scan already covers it.
                if first[0]:
                    first[0] = False
                    return
                relay.changed.emit()

            self._watch = self.service.watch(changed, self.watch_interval)

    def stop(self) -> None:
        if self._watch is not None:
            watch, self._watch = self._watch, None
            self.runner.run(lambda op: watch.stop(), receiver=self, label="stop token watch")

    def refresh(self, rescan: bool = False) -> None:
        """List again; `rescan` re-initializes the modules (the button), the watch does not need to."""
        if self._scanning:
            self._rescan = True
            return
        self._scanning = True
        self.status.setText(self.tr("Đang tìm token…"))
        service, p12 = self.service, self.p12_path

        def scan(op):
            choices = _scan(service, rescan) if service is not None else []
            path = p12() if callable(p12) else p12
            return choices, Path(path) if path else None

        self.runner.run(scan, receiver=self,
                        on_success=self._scanned, on_failure=self._scan_failed, label="list tokens")

    # ---- results -------------------------------------------------------------------------

    def _scanned(self, found) -> None:
        self._scanning = False
        choices, p12 = found
        if p12 is not None:
            choices = choices + [
                SignerChoice(
                    f"p12|{p12}", self.tr("Tệp chứng thư %1 (tập huấn)").replace("%1", p12.name), SoftSignerSource(p12)
                )
            ]
        for remote in self.remote_sources:
            choices = choices + [
                SignerChoice(
                    f"remote|{remote.provider.name}",
                    self.tr("Ký số từ xa — %1").replace("%1", remote.provider.label),
                    remote,
                )
            ]
        previous = self.current().key if self.current() else self._remembered()
        self.choices = choices
        self.combo.blockSignals(True)
        self.combo.clear()
        for c in choices:
            self.combo.addItem(c.text)
        index = next((i for i, c in enumerate(choices) if c.key == previous), 0 if choices else -1)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self.status.setText("" if choices else self.tr("Không tìm thấy token. Hãy cắm USB token vào máy."))
        self.choice_changed.emit(self.current())
        self.scanned.emit(len(choices))
        self._start_watch()
        if self._rescan:
            self._rescan = False
            self.refresh()

    def _scan_failed(self, exc: BaseException) -> None:
        self._scanning = False
        self.choices = []
        self.combo.clear()
        message = exc.message("vi") if hasattr(exc, "message") else str(exc)
        self.status.setText(message)
        log.warning("token scan failed: %s", exc)
        self._scanned(([], None))
        self.status.setText(message)

    def _chosen(self, index: int) -> None:
        self.remember()
        self.choice_changed.emit(self.current())

    def remember(self) -> None:
        """Keep the current choice for the next signing (also called when it is used)."""
        choice = self.current()
        if choice is not None and self.settings is not None:
            self.settings.setValue(SETTINGS_KEY, choice.key)

    def _remembered(self) -> str:
        if self.settings is None:
            return ""
        return str(self.settings.value(SETTINGS_KEY, "") or "")
