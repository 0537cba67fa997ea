"""“Gửi sang iDesk”: the dossier becomes a draft in the officer's iDesk, with the ticked files.

The service name is pre-filled and editable (it becomes the draft's trích yếu); the dossier
code is read-only. "Đồng ý" starts one transfer; further clicks while it runs do nothing.
"""

from __future__ import annotations

from pathlib import Path

from app.domain import Dossier, FileRef, IDeskDocument
from app.views.checklist import (
    PayloadRole,
    button_row,
    checkable,
    checked_payloads,
    group,
    hidden_progress,
    show_failure,
    show_progress,
    status_line,
    stretch_first_column,
)
from app.views.formatting import size_text
from app.views.qt import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    Signal,
)
from app.views.tasks import Operation


class SendDialog(QDialog):
    sent = Signal(object)  # IDeskDocument

    def __init__(self, dossier: Dossier, backend, runner, file_opener=None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sendDialog")
        self.setWindowTitle(self.tr("Gửi sang iDesk"))
        self.dossier = dossier
        self._backend = backend
        self._runner = runner
        self._opener = file_opener
        self._op: Operation | None = None
        self.result_document: IDeskDocument | None = None
        self._lang = getattr(parent, "lang", "vi")

        self.summary_edit = QLineEdit(dossier.summary.procedure_name)
        self.summary_edit.setObjectName("summaryEdit")
        self.code_edit = QLineEdit(dossier.code)
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setReadOnly(True)
        form = QFormLayout()
        form.addRow(self.tr("Tên dịch vụ công (trích yếu):"), self.summary_edit)
        form.addRow(self.tr("Mã hồ sơ:"), self.code_edit)

        self.files = QTreeWidget()
        self.files.setObjectName("sendFiles")
        self.files.setHeaderLabels([self.tr("Tệp đính kèm"), self.tr("Dung lượng")])
        stretch_first_column(self.files)
        components = group(self.files, self.tr("Thành phần hồ sơ"))
        for component in dossier.components:
            for ref in component.files:
                checkable(components, [f"{component.name}: {ref.name}", size_text(ref.size)], ref)
        steps = group(self.files, self.tr("Tệp đính kèm ở các bước xử lý trước"))
        for step_file in dossier.step_files:
            ref = step_file.file
            checkable(steps, [f"{ref.name} ({step_file.step})", size_text(ref.size)], ref)
        self.local_group = group(self.files, self.tr("Tệp từ máy tính"))
        self.files.expandAll()
        self.files.itemDoubleClicked.connect(self._preview)

        self.choose_button = QPushButton(self.tr("Chọn tệp tin"))
        self.choose_button.setObjectName("chooseFilesButton")
        self.choose_button.clicked.connect(self._choose_files)
        self.progress = hidden_progress()
        self.status = status_line("", "sendStatus")
        self.ok_button = QPushButton(self.tr("Đồng ý"))
        self.ok_button.setObjectName("sendButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.clicked.connect(self._cancel)

        buttons = button_row(self.ok_button, self.cancel_button, leading=self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Chọn các tệp gửi kèm:")))
        layout.addWidget(self.files, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 480)

    # -- files -----------------------------------------------------------------------------

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn tệp tin"))
        self.add_local_files([Path(p) for p in paths])

    def add_local_files(self, paths) -> None:
        known = {self.local_group.child(i).data(0, PayloadRole) for i in range(self.local_group.childCount())}
        for path in paths:
            path = Path(path)
            if path in known or not path.is_file():
                continue
            checkable(self.local_group, [path.name, size_text(path.stat().st_size)], path, checked=True)
        self.local_group.setExpanded(True)

    def chosen_refs(self) -> list[FileRef]:
        return [p for p in checked_payloads(self.files) if isinstance(p, FileRef)]

    def chosen_local(self) -> list[Path]:
        return [p for p in checked_payloads(self.files) if isinstance(p, Path)]

    def _preview(self, item, _column) -> None:
        payload = item.data(0, PayloadRole)
        if self._opener is not None and isinstance(payload, FileRef):
            self._opener.open(payload, "igate")

    # -- sending ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._op is not None

    def submit(self) -> None:
        if self._op is not None:
            return
        summary = self.summary_edit.text().strip()
        if not summary:
            self.status.setText(self.tr("Hãy nhập trích yếu (tên dịch vụ công) trước khi gửi."))
            self.summary_edit.setFocus()
            return
        refs, local = self.chosen_refs(), self.chosen_local()
        self._set_busy(True)
        self.status.setText(self.tr("Đang gửi sang iDesk…"))
        transfers = self._backend.transfers
        self._op = self._runner.run(
            lambda op: transfers.send_to_idesk(
                self.dossier, summary, refs, local, progress=op.progress, cancel=op.cancel_event
            ), receiver=self,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=self._progress,
            label="send-to-idesk",
        )

    def _progress(self, done: int, total: int, label: str) -> None:
        show_progress(self.progress, done, total)
        if label and self._lang == "vi":
            self.status.setText(label)

    def _done(self, document: IDeskDocument) -> None:
        self._op = None
        self.result_document = document
        show_progress(self.progress, 1, 1)
        self.status.setText(self.tr("Đã tạo dự thảo văn bản trên iDesk."))
        self.sent.emit(document)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._set_busy(False)
        show_failure(self.status, exc, self._lang, self.tr("Đã hủy. Phần đã gửi được ghi lại; gửi lại sẽ làm tiếp từ chỗ dừng."), self._runner.report)

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.choose_button.setEnabled(not busy)
        self.summary_edit.setEnabled(not busy)
        self.files.setEnabled(not busy)
        self.progress.setVisible(busy or self.progress.value() > 0)
        if busy:
            self.progress.setRange(0, 0)

    def _cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self._op is not None:
            self._op.cancel()
            return
        super().reject()
