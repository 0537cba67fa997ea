"""“Chuyển đến phần mềm iGate”: an iDesk document's chosen files go to the dossier with its code.

Two steps, as in iDesk: choose the files, then confirm; a done message ends it.
"""

from __future__ import annotations

from app.domain import Dossier, IDeskDocument
from app.views.checklist import (
    button_row,
    checkable,
    checked_payloads,
    hidden_progress,
    show_failure,
    show_progress,
    status_line,
    stretch_first_column,
)
from app.views.formatting import size_text
from app.views.i18n import enum_label
from app.views.qt import (
    QDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    Signal,
)
from app.views.tasks import Operation


class TransferDialog(QDialog):
    transferred = Signal(object)  # Dossier

    CHOOSE, CONFIRM, RUNNING, DONE = range(4)

    def __init__(self, document: IDeskDocument, backend, runner, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(self.tr("Chuyển đến phần mềm iGate"))
        self.document = document
        self._backend = backend
        self._runner = runner
        self._op: Operation | None = None
        self._lang = getattr(parent, "lang", "vi")
        self.state = self.CHOOSE
        self.result_dossier: Dossier | None = None

        header = QLabel(
            self.tr("Văn bản: {summary}\nHồ sơ iGate nhận tệp: {code}").format(
                summary=document.summary.summary, code=document.summary.dossier_code
            )
        )
        header.setWordWrap(True)
        self.files = QTreeWidget()
        self.files.setObjectName("transferFiles")
        self.files.setRootIsDecorated(False)
        # The main draft and its signed result often share a name: the kind column tells them apart.
        self.files.setHeaderLabels(
            [self.tr("Tệp đính kèm"), self.tr("Loại tệp"), self.tr("Phiên bản mới nhất"), self.tr("Dung lượng")]
        )
        stretch_first_column(self.files)
        for attachment in document.attachments:
            latest = attachment.latest
            if latest is None:
                continue
            kind = self.tr("Tệp kết quả") if attachment.kind == "result" else enum_label(attachment.role, self._lang)
            checkable(
                self.files,
                [attachment.name, kind, str(latest.version), size_text(latest.file.size)],
                attachment.id,
                checked=attachment.kind == "result",
            )
        self.files.itemChanged.connect(lambda *_a: self._update_button())
        self.progress = hidden_progress()
        self.status = status_line(self.tr("Chọn các tệp cần chuyển sang hồ sơ iGate."), "transferStatus")
        self.ok_button = QPushButton(self.tr("Chuyển"))
        self.ok_button.setObjectName("transferButton")
        self.ok_button.clicked.connect(self.advance)
        self.close_button = QPushButton(self.tr("Hủy"))
        self.close_button.clicked.connect(self.reject)
        buttons = button_row(self.ok_button, self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 380)
        self._update_button()

    def chosen(self) -> list[str]:
        return [p for p in checked_payloads(self.files) if isinstance(p, str)]

    def _update_button(self) -> None:
        if self.state in (self.CHOOSE, self.CONFIRM):
            self.ok_button.setEnabled(bool(self.chosen()))

    def advance(self) -> None:
        """Choose → confirm → run; after the done message the button closes the dialog."""
        if self.state == self.CHOOSE:
            self.state = self.CONFIRM
            self.files.setEnabled(False)
            self.status.setText(
                self.tr("Chuyển {n} tệp sang hồ sơ {code} trên iGate? Bấm “Xác nhận” để thực hiện.").format(
                    n=len(self.chosen()), code=self.document.summary.dossier_code
                )
            )
            self.ok_button.setText(self.tr("Xác nhận"))
            self.close_button.setText(self.tr("Quay lại"))
        elif self.state == self.CONFIRM:
            self._run()
        elif self.state == self.DONE:
            self.accept()

    def _run(self) -> None:
        if self._op is not None:
            return
        self.state = self.RUNNING
        self.ok_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Đang chuyển tệp sang iGate…"))
        transfers, document, chosen = self._backend.transfers, self.document, self.chosen()
        self._op = self._runner.run(
            lambda op: transfers.transfer_to_igate(document, chosen, progress=op.progress, cancel=op.cancel_event),
            receiver=self,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=lambda done, total, _label: show_progress(self.progress, done, total),
            label="transfer-to-igate",
        )

    def _done(self, dossier: Dossier) -> None:
        self._op = None
        self.state = self.DONE
        self.result_dossier = dossier
        show_progress(self.progress, 1, 1)
        self.status.setText(
            self.tr("Hoàn tất: đã đính kèm {n} tệp vào hồ sơ {code}.").format(n=len(self.chosen()), code=dossier.code)
        )
        self.ok_button.setText(self.tr("Đóng"))
        self.ok_button.setEnabled(True)
        self.close_button.setVisible(False)
        self.transferred.emit(dossier)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self.state = self.CHOOSE
        self.files.setEnabled(True)
        self.progress.setVisible(False)
        self.ok_button.setText(self.tr("Chuyển"))
        self.close_button.setText(self.tr("Hủy"))
        self._update_button()
        show_failure(self.status, exc, self._lang, self.tr("Đã hủy."), self._runner.report)

    def reject(self) -> None:
        if self._op is not None:
            self._op.cancel()
            return
        if self.state == self.CONFIRM:
            self.state = self.CHOOSE
            self.files.setEnabled(True)
            self.ok_button.setText(self.tr("Chuyển"))
            self.close_button.setText(self.tr("Hủy"))
            self.status.setText(self.tr("Chọn các tệp cần chuyển sang hồ sơ iGate."))
            return
        super().reject()
