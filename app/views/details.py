"""The detail area beside the lists: a hint until a row is chosen, then that dossier's or that
document's detail (`app.views.detail_panes`).

Each detail pane is built the first time it is needed, not with the main window: the window's
first paint shows only the hint, and the panes' trees, forms and their Qt classes can wait for the
officer's first choice (a few milliseconds then, instead of on the way to the window)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from app.domain import Dossier, IDeskDocument
from app.views.qt import QLabel, QStackedWidget, Qt, Signal

if TYPE_CHECKING:
    from app.views.detail_panes import DocumentDetail, DossierDetail

Pane = TypeVar("Pane", "DossierDetail", "DocumentDetail")


class DetailStack(QStackedWidget):
    """Shows a hint, the dossier detail or the document detail. A file chosen in either pane comes
    out of `file_activated` and `file_save_requested` (FileRef, "igate" or "idesk")."""

    file_activated = Signal(object, str)
    file_save_requested = Signal(object, str)

    def __init__(self, lang: str, parent=None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._dossier: DossierDetail | None = None
        self._document: DocumentDetail | None = None
        self.hint = QLabel(self.tr("Chọn một hồ sơ hoặc văn bản để xem chi tiết."))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.hint)

    @property
    def dossier(self) -> DossierDetail:
        if self._dossier is None:
            from app.views.detail_panes import DossierDetail

            self._dossier = self._add(DossierDetail(self._lang))
        return self._dossier

    @property
    def document(self) -> DocumentDetail:
        if self._document is None:
            from app.views.detail_panes import DocumentDetail

            self._document = self._add(DocumentDetail(self._lang))
        return self._document

    def _add(self, pane: Pane) -> Pane:
        pane.file_activated.connect(self.file_activated)
        pane.file_save_requested.connect(self.file_save_requested)
        self.addWidget(pane)
        return pane

    def show_dossier(self, dossier: Dossier) -> None:
        self.dossier.show_dossier(dossier)
        self.setCurrentWidget(self.dossier)

    def show_document(self, document: IDeskDocument) -> None:
        self.document.show_document(document)
        self.setCurrentWidget(self.document)
