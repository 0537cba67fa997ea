"""The chosen certificate against the signed-in officer, in the signing dialogs: a red line under
the picker while they differ, and a question before signing (the answer "Không ký" is the default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from app.views.plain import plain, shown
from app.views.qt import QLabel, QMessageBox, Qt, QWidget

if TYPE_CHECKING:
    from app.domain import UserInfo
    from app.signing.options import Profile
    from app.views.signing.token_picker import TokenPicker


class HolderWarning(QLabel):
    """Follows the picker: says why the chosen certificate is not the officer's (hidden when it is)."""

    def __init__(self, picker: TokenPicker, user: UserInfo | None, profile: Callable[[], Profile], lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker, self.user, self.profile, self.lang = picker, user, profile, lang
        plain(self)  # the names come from certificates and remote providers
        self.setObjectName("holderWarning")
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.hide()
        picker.choice_changed.connect(lambda _c: self.refresh())

    def mismatch(self) -> str:
        """The reason, in the officer's language; "" when the certificate is theirs or unknown."""
        from app.signing.holder import holder_mismatch

        cert = self.picker.certificate()
        if cert is None or self.user is None:
            return ""
        why = holder_mismatch(cert, self.user, self.profile())
        return shown(why.render(self.lang), multiline=True) if why is not None else ""

    def refresh(self) -> None:
        text = self.mismatch()
        self.setText(text)
        self.setVisible(bool(text))

    def confirmed(self, parent: QWidget) -> bool:
        """True when the certificate is the officer's, or they confirm signing with it anyway."""
        text = self.mismatch()
        if not text:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Chứng thư số không khớp"), "", parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text + "\n\n" + self.tr("Vẫn ký bằng chứng thư số này?"))
        box.setObjectName("holderQuestion")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Vẫn ký"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Không ký"))
        return box.exec() == QMessageBox.StandardButton.Yes
