"""Token and certificate picker: auto-detected, refreshed on plug/unplug, last choice remembered.

Listing runs through the TaskRunner (the token layer does the PKCS#11 calls on its own thread);
the token watch calls back on its thread and the picker refreshes on the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import LienThongError
from app.views.i18n import render
from app.views.qt import QLabel, QObject, Qt, QtWidgets, QWidget, Signal
from app.views.signing.controller import SignerSource, SoftSignerSource, TokenSignerSource
from app.views.signing.remote import RemoteSignerSource

if TYPE_CHECKING:
    from app.config import RemoteProvider
    from app.signing.certinfo import CertificateInfo
    from app.signing.remote.csc_client import CredentialInfo
    from app.signing.token import Watch

log = logging.getLogger(__name__)

SETTINGS_KEY = "signing/last_signer"
# + "/<server profile>/<provider>/<signing profile>": the clerk's seal step keeps the
# organisation's credential, their other steps the personal one.
CREDENTIAL_KEY = "signing/remote_credential"


@dataclass(frozen=True)
class SignerChoice:
    key: str  # what is remembered: "module|serial|cert id" or "p12|path"
    text: str
    source: SignerSource
    certificate: CertificateInfo | None = None  # for a token certificate


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


def _by_kind(credentials: list[CredentialInfo], profile: str) -> str:
    """With nothing remembered or configured: the first credential of the kind the step needs,
    the organization's for the seal, appendix and copy, a personal one otherwise."""
    from app.signing.certinfo import CertificateInfo
    from app.signing.holder import ORGANIZATION_PROFILES

    wants_organization = profile in {p.value for p in ORGANIZATION_PROFILES} if profile else False
    for info in credentials:
        if info.certificates:
            cert = CertificateInfo.from_der(info.certificates[0].dump())
            if cert.is_organization == wants_organization:
                return info.credential_id
    return ""


class _WatchRelay(QObject):
    changed = Signal()
    failed = Signal(object)  # the exception, from the watch's thread


class TokenPicker(QWidget):
    choice_changed = Signal(object)  # SignerChoice | None
    watch_failed = Signal(str)  # the officer's message: tokens are not followed any more
    scanned = Signal(int)  # how many choices
    credentials_listed = Signal(int)  # how many credentials the chosen remote provider offers

    def __init__(self, runner, service=None, *, settings=None, p12_path=None,
                 watch_interval: float = 2.0, remote_sources=(), profile: str = "", server_profile: str = "",
                 parent=None) -> None:
        super().__init__(parent)
        self.remote_sources = tuple(remote_sources)
        self.server_profile = server_profile
        self.profile = profile  # the signing profile's value: which remote credential is remembered
        self.runner = runner
        self.service = service
        self.settings = settings
        # A path, or a function giving it (it may create the file): resolved off the UI thread.
        self.p12_path = p12_path
        self.watch_interval = watch_interval
        self.choices: list[SignerChoice] = []
        self._watch: Watch | None = None
        self._scanning = False
        self._rescan = False
        self.combo = QtWidgets.QComboBox(self)
        self.combo.setAccessibleName(self.tr("Chứng thư số để ký"))
        self.refresh_button = QtWidgets.QToolButton(self)
        self.refresh_button.setText(self.tr("Làm mới"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        # Shown when the chosen remote provider offers several credentials (the seal, personal).
        self.credential_label = QLabel(self.tr("Chứng thư ký số từ xa"), self)
        self.credential_combo = QtWidgets.QComboBox(self)
        self.credential_combo.setAccessibleName(self.tr("Chứng thư ký số từ xa"))
        self.credential_label.setBuddy(self.credential_combo)
        self.credential_label.hide()
        self.credential_combo.hide()
        self._listing: RemoteSignerSource | None = None  # the remote source whose credentials are being listed
        self._listed_key = ""  # the remote choice whose credentials the combo holds
        self._credential_infos: dict[str, CredentialInfo] = {}  # of the listed provider, by id
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.refresh_button)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        credential_row = QtWidgets.QHBoxLayout()
        credential_row.setContentsMargins(0, 0, 0, 0)
        credential_row.addWidget(self.credential_label)
        credential_row.addWidget(self.credential_combo, 1)
        box.addLayout(credential_row)
        box.addWidget(self.status)
        self.refresh_button.clicked.connect(lambda: self.refresh(rescan=True))
        self.combo.currentIndexChanged.connect(self._chosen)
        self.credential_combo.currentIndexChanged.connect(lambda _i: self.choice_changed.emit(self.current()))
        self.credential_combo.activated.connect(lambda _i: self.remember())
        self._relay = _WatchRelay(self)
        self._relay.changed.connect(lambda: self.refresh(), Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._watch_error, Qt.ConnectionType.QueuedConnection)
        self._want_watch = False

    # ---- API -----------------------------------------------------------------------------

    def current(self) -> SignerChoice | None:
        i = self.combo.currentIndex()
        return self.choices[i] if 0 <= i < len(self.choices) else None

    def source(self):
        choice = self.current()
        if choice is None:
            return None
        credential = self.credential()
        remote = self._remote_of(choice)
        return remote.using(credential) if remote is not None and credential else choice.source

    def credential(self) -> str:
        """The remote credential chosen for the current provider ("" when there is no choice)."""
        if self._remote_of(self.current()) is None or self.credential_combo.count() == 0:
            return ""
        return str(self.credential_combo.currentData() or "")

    def certificate(self) -> CertificateInfo | None:
        """The certificate that will sign: the token's, or the chosen remote credential's."""
        from app.signing.certinfo import CertificateInfo

        choice = self.current()
        if self._remote_of(choice) is None:
            return choice.certificate if choice is not None else None
        info = self._credential_infos.get(self.credential())
        if info is None or not info.certificates:
            return None
        return CertificateInfo.from_der(info.certificates[0].dump(), label=info.description)

    def ready(self) -> bool:
        """A signer is chosen and, for a remote provider, its credential list is not still loading."""
        return self.current() is not None and self._listing is None

    @staticmethod
    def _remote_of(choice: SignerChoice | None) -> RemoteSignerSource | None:
        """The remote provider of a "Ký số từ xa" choice."""
        return choice.source if choice is not None and isinstance(choice.source, RemoteSignerSource) else None

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

            def failed(exc: BaseException) -> None:
                first[0] = False  # after an outage the next list is news, even the watch's first
                relay.failed.emit(exc)

            watch = self._watch = self.service.watch(changed, self.watch_interval, on_error=failed)
            # A picker closed without stop() (its dialog deleted) must not leave the watch polling
            # into a deleted relay; joining would block the UI thread, so it is only told to stop.
            self.destroyed.connect(lambda *_: watch.stop(wait=False))

    def stop(self) -> None:
        if self._listing is not None:
            self._listing.cancel.set()  # a browser sign-in for the list must not outlive the dialog
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
        current = self.current()
        previous = current.key if current is not None else self._remembered()
        self.choices = choices
        self.combo.blockSignals(True)
        self.combo.clear()
        for c in choices:
            self.combo.addItem(c.text)
        index = next((i for i, c in enumerate(choices) if c.key == previous), 0 if choices else -1)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self.status.setText("" if choices else self.tr("Không tìm thấy token. Hãy cắm USB token vào máy."))
        self._list_credentials()
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
        message = render(exc.text) if isinstance(exc, LienThongError) else str(exc)
        self.status.setText(message)
        log.warning("token scan failed: %s", exc)
        self._scanned(([], None))
        self.status.setText(message)

    def _watch_error(self, exc: BaseException) -> None:
        # The list on screen may be stale until the watch recovers (then it is listed again).
        reason = render(exc.text) if isinstance(exc, LienThongError) else str(exc)
        message = self.tr("Không theo dõi được USB token: %1").replace("%1", reason)
        self.status.setText(message)
        self.watch_failed.emit(message)

    def _chosen(self, index: int) -> None:
        self.remember()
        self._list_credentials()
        self.choice_changed.emit(self.current())

    # ---- remote credentials ----------------------------------------------------------------

    def set_profile(self, profile: str) -> None:
        """Another signing profile (the batch's): its remembered credential becomes current."""
        self.profile = profile
        remote = self._remote_of(self.current())
        if remote is not None and self.settings is not None:
            remembered = self.settings.value(self._credential_key(remote.provider), "")
            index = self.credential_combo.findData(remembered)
            if index >= 0:
                self.credential_combo.setCurrentIndex(index)

    def _credential_key(self, provider: RemoteProvider) -> str:
        return f"{CREDENTIAL_KEY}/{self.server_profile or '-'}/{provider.name}/{self.profile or 'default'}"

    def _list_credentials(self) -> None:
        """For a remote choice, ask the provider which credentials the account has (this signs
        in to the provider when no session is kept). A token plugged in or pulled out lists the
        signers again, not the provider's credentials."""
        choice = self.current()
        remote = self._remote_of(choice)
        if remote is not None and choice is not None and (choice.key == self._listed_key or self._listing is remote):
            return
        self._listed_key = ""
        self._credential_infos = {}
        self.credential_combo.clear()
        self.credential_combo.hide()
        self.credential_label.hide()
        source = remote
        self._listing = source
        if source is None:
            return
        self.status.setText(self.tr("Đang lấy danh sách chứng thư ký số từ xa…"))
        self.runner.run(lambda op: source.credentials(), receiver=self,
                        on_success=lambda creds: self._listed(source, creds),
                        on_failure=lambda exc: self._list_failed(source, exc), label="list remote credentials")

    def _listed(self, source: RemoteSignerSource, credentials: list[CredentialInfo]) -> None:
        if self._listing is not source:
            return  # another choice was made meanwhile
        self._listing = None
        self._listed_key = f"remote|{source.provider.name}"
        self.status.setText("")
        remembered = str(self.settings.value(self._credential_key(source.provider), "") or "") \
            if self.settings is not None else ""
        wanted = remembered or source.credential or source.provider.credential or _by_kind(credentials, self.profile)
        self._credential_infos = {info.credential_id: info for info in credentials}
        self.credential_combo.blockSignals(True)
        for info in credentials:
            self.credential_combo.addItem(info.description or info.credential_id, info.credential_id)
            self.credential_combo.setItemData(self.credential_combo.count() - 1, info.credential_id,
                                              Qt.ItemDataRole.ToolTipRole)
        index = self.credential_combo.findData(wanted)
        self.credential_combo.setCurrentIndex(index if index >= 0 else 0)
        self.credential_combo.blockSignals(False)
        several = len(credentials) > 1
        self.credential_combo.setVisible(several)
        self.credential_label.setVisible(several)
        self.credentials_listed.emit(len(credentials))
        self.choice_changed.emit(self.current())

    def _list_failed(self, source: RemoteSignerSource, exc: BaseException) -> None:
        if self._listing is not source:
            return
        self._listing = None
        # Signing will sign in again and say what is wrong; the list is only a convenience.
        self.status.setText(render(exc.text) if isinstance(exc, LienThongError) else str(exc))
        log.info("remote credential list failed: %s", exc)
        self.credentials_listed.emit(0)
        self.choice_changed.emit(self.current())

    def remember(self) -> None:
        """Keep the current choice for the next signing (also called when it is used)."""
        choice = self.current()
        if choice is not None and self.settings is not None:
            self.settings.setValue(SETTINGS_KEY, choice.key)
            credential = self.credential()
            remote = self._remote_of(choice)
            if remote is not None and credential:
                self.settings.setValue(self._credential_key(remote.provider), credential)

    def _remembered(self) -> str:
        if self.settings is None:
            return ""
        return str(self.settings.value(SETTINGS_KEY, "") or "")
