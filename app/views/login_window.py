"""The start screen: pick the server profile, sign in through the provincial SSO."""

from __future__ import annotations

from pathlib import Path

from app import __version__
from app.config import ServerProfile, chosen_profile, load_profile_file
from app.errors import CancelledError, LienThongError
from app.views.plain import tooltip
from app.views.qt import (
    QComboBox,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

FILE_ENTRY = "__file__"


class LoginWindow(QWidget):
    """Pure presentation; `sign_in_requested(profile)` and `cancel_requested()` go to the controller."""

    sign_in_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(self, profiles: dict[str, ServerProfile], default: str | None, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self.setWindowTitle(self.tr("Đăng nhập"))  # Qt appends the application display name
        self._lang = lang
        self._profiles: dict[str, ServerProfile] = dict(profiles)

        title = QLabel(self.tr("Liên Thông Desk"))
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            self.tr("Liên thông hồ sơ Một cửa điện tử iGate và Văn phòng điện tử iDesk, ký số bằng USB token hoặc ký số từ xa")  # noqa: E501  (one literal for lupdate)
        )
        subtitle.setWordWrap(True)

        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        for name, profile in self._profiles.items():
            self.profile_combo.addItem(self._profile_label(profile), name)
        self.profile_combo.addItem(self.tr("Tệp cấu hình máy chủ (TOML)…"), FILE_ENTRY)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(chosen_profile(self._profiles, default))))
        self._last_index = self.profile_combo.currentIndex()
        self.profile_combo.activated.connect(self._on_profile_activated)
        self.server_label = QLabel()
        self.server_label.setObjectName("serverLabel")
        self.server_label.setWordWrap(True)
        self.profile_combo.currentIndexChanged.connect(self._show_server)

        self.sign_in_button = QPushButton(self.tr("Đăng nhập qua SSO"))
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setMinimumHeight(36)
        self.sign_in_button.clicked.connect(self._request)

        self.wait_label = QLabel()
        self.wait_label.setObjectName("waitLabel")
        self.wait_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.reopen_button = QPushButton(self.tr("Mở lại trang đăng nhập"))
        self.reopen_button.setObjectName("reopenButton")
        self.reopen_button.setToolTip(self.tr("Mở lại trang đăng nhập SSO trong trình duyệt"))
        self.reopen_button.setVisible(False)
        self.reopen_button.clicked.connect(self._reopen)
        self._login_url = ""

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setVisible(False)

        form = QFormLayout()
        form.addRow(self.tr("Máy chủ:"), self.profile_combo)
        form.addRow("", self.server_label)

        ready = QWidget()
        ready_layout = QVBoxLayout(ready)
        ready_layout.setContentsMargins(0, 0, 0, 0)
        ready_layout.addWidget(self.sign_in_button)
        waiting = QWidget()
        waiting_layout = QHBoxLayout(waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(self.wait_label, 1)
        waiting_layout.addWidget(self.reopen_button)
        waiting_layout.addWidget(self.cancel_button)
        self.state_stack = QStackedWidget()
        self.state_stack.addWidget(ready)
        self.state_stack.addWidget(waiting)

        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 24, 24, 24)
        card_layout.setSpacing(12)
        card_layout.addWidget(title)
        card_layout.addWidget(subtitle)
        card_layout.addLayout(form)
        card_layout.addWidget(self.state_stack)
        card_layout.addWidget(self.error_label)
        version = QLabel(self.tr("Phiên bản {version}").format(version=__version__))
        version.setAlignment(Qt.AlignmentFlag.AlignRight)
        card_layout.addWidget(version)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.resize(720, 480)
        self._show_server()

    # -- profiles --------------------------------------------------------------------------

    def _profile_label(self, profile: ServerProfile) -> str:
        if profile.is_training:
            return self.tr("Máy chủ tập huấn (dữ liệu mẫu)")
        return profile.name

    def current_profile(self) -> ServerProfile | None:
        return self._profiles.get(self.profile_combo.currentData())

    def _show_server(self, *_args) -> None:
        profile = self.current_profile()
        self.server_label.setText(self.tr("SSO: {issuer}").format(issuer=profile.issuer) if profile else "")

    def _on_profile_activated(self, index: int) -> None:
        if self.profile_combo.itemData(index) != FILE_ENTRY:
            self._last_index = index
            return
        from app.views.qt import QFileDialog  # its types load with the first dialog, not the window

        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp cấu hình máy chủ"), "", self.tr("Tệp cấu hình (*.toml)")
        )
        if path:
            self.add_profile_file(Path(path))
        else:
            self.profile_combo.setCurrentIndex(self._last_index)

    def add_profile_file(self, path: Path) -> ServerProfile | None:
        try:
            profile = load_profile_file(path)
        except LienThongError as exc:
            self.show_error(exc)
            self.profile_combo.setCurrentIndex(self._last_index)
            return None
        self._profiles[profile.name] = profile
        index = self.profile_combo.findData(profile.name)
        if index < 0:
            index = self.profile_combo.count() - 1
            self.profile_combo.insertItem(index, self._profile_label(profile), profile.name)
        self.profile_combo.setCurrentIndex(index)
        self._last_index = index
        self.clear_error()
        return profile

    # -- states ----------------------------------------------------------------------------

    def _request(self) -> None:
        profile = self.current_profile()
        if profile is not None:
            self.clear_error()
            self.sign_in_requested.emit(profile)

    def _reopen(self) -> None:
        if self._login_url:
            from app.views.qt import QDesktopServices, QUrl

            QDesktopServices.openUrl(QUrl(self._login_url))

    def set_checking(self) -> None:
        """Silent sign-in at start."""
        self.reopen_button.setVisible(False)
        self.wait_label.setText(self.tr("Đang kiểm tra phiên đăng nhập đã lưu…"))
        self.state_stack.setCurrentIndex(1)
        self.profile_combo.setEnabled(False)

    def set_waiting(self, url: str = "") -> None:
        self.wait_label.setText(
            self.tr("Đang chờ bạn đăng nhập trong trình duyệt. Đăng nhập xong, hãy quay lại cửa sổ này.")
        )
        if url:
            self.wait_label.setToolTip(tooltip(url))
            self._login_url = url
        self.reopen_button.setVisible(bool(self._login_url))
        self.state_stack.setCurrentIndex(1)
        self.profile_combo.setEnabled(False)

    def set_ready(self) -> None:
        self._login_url = ""
        self.state_stack.setCurrentIndex(0)
        self.profile_combo.setEnabled(True)
        self.sign_in_button.setFocus()

    @property
    def waiting(self) -> bool:
        return self.state_stack.currentIndex() == 1

    def show_error(self, exc: BaseException) -> None:
        self.set_ready()
        if isinstance(exc, CancelledError):
            self.error_label.setText(self.tr("Đã hủy đăng nhập."))
        elif isinstance(exc, LienThongError):
            self.error_label.setText(exc.message(self._lang))
            self.error_label.setToolTip(tooltip(exc.detail))
        else:
            self.error_label.setText(str(exc))
        self.error_label.setVisible(True)

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.setVisible(False)
