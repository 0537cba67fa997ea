"""“Gửi sang iDesk”: the dossier becomes a draft in the officer's iDesk, with the ticked files.

The service name is pre-filled and editable (it becomes the draft's trích yếu); the dossier
code is read-only. The specialist marks the main document (her own file is preselected when she
adds one; otherwise she must choose: nothing is guessed). When the dossier already has a draft,
the dialog says so and offers to open it or add the files to it. "Đồng ý" starts one transfer;
further clicks while it runs do nothing.
"""

from __future__ import annotations

from pathlib import Path

from app.domain import DocumentStatus, Dossier, FileRef, IDeskDocument, IDeskDocumentSummary
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
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTreeWidget,
    QVBoxLayout,
    Signal,
)
from app.views.tasks import Operation

NO_MAIN = "no-main"  # the combo entry for "no main document yet"


class SendDialog(QDialog):
    sent = Signal(object)  # IDeskDocument
    open_existing = Signal(object)  # IDeskDocumentSummary: "Mở dự thảo"

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
        self.files.itemChanged.connect(lambda _item, _col: self._refresh_main())

        self.main_combo = QComboBox()
        self.main_combo.setObjectName("mainDocument")
        self._preferred_main: object = None
        self._refresh_main()
        main_form = QFormLayout()
        main_form.addRow(self.tr("Văn bản chính (sẽ được ký, phát hành):"), self.main_combo)

        self.existing: IDeskDocumentSummary | None = None
        self.existing_label = QLabel()
        self.existing_label.setObjectName("existingDraft")
        self.existing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.existing_label.setWordWrap(True)
        self.open_existing_button = QPushButton(self.tr("Mở dự thảo"))
        self.open_existing_button.clicked.connect(self._open_existing)
        self.add_to_existing = QCheckBox(self.tr("Thêm tệp vào dự thảo này (không tạo dự thảo mới)"))
        self.add_to_existing.setChecked(True)
        for w in (self.existing_label, self.open_existing_button, self.add_to_existing):
            w.hide()

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
        layout.addLayout(main_form)
        layout.addWidget(self.existing_label)
        layout.addLayout(button_row(self.open_existing_button, leading=self.add_to_existing))
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 520)
        self._look_for_existing()

    # -- files -----------------------------------------------------------------------------

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn tệp tin"))
        self.add_local_files([Path(p) for p in paths])

    def add_local_files(self, paths) -> None:
        children = (self.local_group.child(i) for i in range(self.local_group.childCount()))
        known = {child.data(0, PayloadRole) for child in children if child is not None}
        for path in paths:
            path = Path(path)
            if path in known or not path.is_file():
                continue
            checkable(self.local_group, [path.name, size_text(path.stat().st_size)], path, checked=True)
            # The specialist's own file is the likely main document: preselected, still hers to change.
            self._preferred_main = path
        self.local_group.setExpanded(True)
        self._refresh_main()

    def _refresh_main(self) -> None:
        """The main-document choice lists the ticked files; the current choice is kept while ticked."""
        if not hasattr(self, "main_combo"):
            return
        current = self.main_combo.currentData() if self.main_combo.count() else None
        if current is None:
            current = self._preferred_main
        ticked = checked_payloads(self.files)
        self.main_combo.blockSignals(True)
        self.main_combo.clear()
        self.main_combo.addItem(self.tr("— Chọn văn bản chính —"), None)
        for payload in ticked:
            self.main_combo.addItem(payload.name, payload)
        self.main_combo.addItem(self.tr("Chưa có (soạn sau trên iDesk)"), NO_MAIN)
        index = self.main_combo.findData(current) if current is not None else 0
        self.main_combo.setCurrentIndex(max(index, 0))
        self.main_combo.blockSignals(False)

    def chosen_main(self):
        """The ticked file marked as the main document, NO_MAIN, or None (not chosen yet)."""
        return self.main_combo.currentData()

    # -- an existing draft -----------------------------------------------------------------

    def _look_for_existing(self) -> None:
        idesk = getattr(self._backend, "idesk", None)
        if idesk is None:
            return
        code = self.dossier.code
        self._runner.run(lambda op: idesk.list_documents(dossier_code=code, size=20).items, receiver=self,
                         on_success=self._found_existing, on_failure=lambda exc: None, label="existing drafts")

    def _found_existing(self, summaries) -> None:
        open_drafts = [d for d in summaries if d.status is not DocumentStatus.RELEASED]
        if not open_drafts:
            return
        self.existing = open_drafts[0]
        self.existing_label.setText(
            self.tr("Hồ sơ này đã có dự thảo trên iDesk: \"%1\". Có thể mở dự thảo đó, hoặc thêm tệp vào nó "
                    "thay vì tạo dự thảo thứ hai.").replace("%1", self.existing.summary))
        for w in (self.existing_label, self.open_existing_button, self.add_to_existing):
            w.show()

    def _open_existing(self) -> None:
        if self.existing is not None and self._op is None:
            self.open_existing.emit(self.existing)
            self.reject()

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
        if not refs and not local:
            self.status.setText(self.tr("Hãy chọn ít nhất một tệp để gửi sang iDesk."))
            return
        main = self.chosen_main()
        if main is None:
            self.status.setText(self.tr("Hãy chọn văn bản chính: tệp sẽ được ký và phát hành."))
            self.main_combo.setFocus()
            return
        main = None if main == NO_MAIN else main
        into = self.existing.id if self.existing is not None and self.add_to_existing.isChecked() else None
        self._set_busy(True)
        self.status.setText(self.tr("Đang gửi sang iDesk…"))
        transfers = self._backend.transfers
        self._op = self._runner.run(
            lambda op: transfers.send_to_idesk(
                self.dossier, summary, refs, local, main=main, into=into, progress=op.progress,
                cancel=op.cancel_event
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
        self.status.setText(self.tr("Đã gửi tệp vào dự thảo văn bản trên iDesk."))
        self.sent.emit(document)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._set_busy(False)
        cancelled = self.tr("Đã hủy. Phần đã gửi được ghi lại; gửi lại sẽ làm tiếp từ chỗ dừng.")
        show_failure(self.status, exc, self._lang, cancelled, self._runner.report)

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.choose_button.setEnabled(not busy)
        self.summary_edit.setEnabled(not busy)
        self.files.setEnabled(not busy)
        self.main_combo.setEnabled(not busy)
        self.add_to_existing.setEnabled(not busy)
        self.open_existing_button.setEnabled(not busy)
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
