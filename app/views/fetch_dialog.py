"""“Lấy từ iDesk”: the iDesk result files of this dossier's code; preview, tick, “Thực hiện”.

The chosen files land in the dossier's “Tập tin kết quả”.
"""

from __future__ import annotations

from app.domain import Dossier, ResultFile
from app.safe_names import file_extension
from app.views.checklist import (
    PayloadRole,
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
from app.views.qt import (
    QDialog,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTreeWidget,
    QVBoxLayout,
    Signal,
)
from app.views.tasks import Operation


class FetchDialog(QDialog):
    fetched = Signal(object)  # Dossier
    files_loaded = Signal(int)
    previewed = Signal(object)  # Path shown in the dialog's own preview

    def __init__(
        self, dossier: Dossier, backend, runner, file_opener=None, parent=None, *, preview_factory=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fetchDialog")
        self.setWindowTitle(self.tr("Lấy từ iDesk"))
        self.dossier = dossier
        self._backend = backend
        self._runner = runner
        self._opener = file_opener
        self._op: Operation | None = None
        self._lang = getattr(parent, "lang", "vi")
        self.result_files: list[ResultFile] = []

        header = QLabel(
            self.tr("Tệp kết quả trên iDesk của hồ sơ {code} — {service}").format(
                code=dossier.code, service=dossier.summary.procedure_name
            )
        )
        header.setWordWrap(True)
        self.files = QTreeWidget()
        self.files.setObjectName("resultFiles")
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels(
            [self.tr("Tệp"), self.tr("Văn bản iDesk"), self.tr("Phiên bản"), self.tr("Dung lượng")]
        )
        stretch_first_column(self.files)
        self.files.currentItemChanged.connect(self._preview)
        self.files.itemChanged.connect(lambda *_a: self._update_button())
        self.progress = hidden_progress()
        self.status = status_line(self.tr("Đang tìm tệp kết quả theo mã hồ sơ…"), "fetchStatus")
        self.run_button = QPushButton(self.tr("Thực hiện"))
        self.run_button.setObjectName("fetchButton")
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self.submit)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.clicked.connect(self.reject)
        buttons = button_row(self.run_button, self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        # With a PDF preview plugged in, the chosen file shows beside the list.
        self.preview = preview_factory(self) if preview_factory is not None else None
        if self.preview is not None:
            split = QSplitter(Qt.Orientation.Horizontal)
            split.addWidget(self.files)
            split.addWidget(self.preview)
            split.setSizes([420, 480])
            layout.addWidget(split, 1)
        else:
            layout.addWidget(self.files, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(960 if self.preview is not None else 720, 560 if self.preview is not None else 420)
        self._load()

    def _load(self) -> None:
        idesk, code = self._backend.idesk, self.dossier.code
        self._runner.run(
            lambda op: idesk.result_files(code), receiver=self, on_success=self._loaded, on_failure=self._failed
        )

    def _loaded(self, result_files) -> None:
        self.result_files = list(result_files)
        self.files.clear()
        attached = {ref.sha256 for ref in self.dossier.result_files if ref.sha256}
        for rf in self.result_files:
            item = checkable(
                self.files,
                [rf.file.name, rf.document_summary, str(rf.version), size_text(rf.file.size)],
                rf,
            )
            if rf.file.sha256 in attached:
                item.setToolTip(0, self.tr("Tệp này đã có trong “Tập tin kết quả”."))
        if self.result_files:
            self.status.setText(self.tr("Chọn tệp để xem trước; đánh dấu các tệp cần lấy rồi bấm “Thực hiện”."))
        else:
            self.status.setText(self.tr("iDesk chưa có tệp kết quả nào cho hồ sơ này."))
        self._update_button()
        self.files_loaded.emit(len(self.result_files))
        if self.preview is not None and self.files.currentItem() is None:
            # The first PDF shows at once. Left to itself, the list makes its first row current (and
            # so previews it) only when the window is activated after the files arrived. Another
            # kind of file is downloaded only when the officer chooses it.
            pdf = next((i for i, rf in enumerate(self.result_files) if file_extension(rf.file.name) == ".pdf"), None)
            first = self.files.topLevelItem(pdf) if pdf is not None else None
            if first is not None:
                self.files.setCurrentItem(first)

    def chosen(self) -> list[ResultFile]:
        return [p for p in checked_payloads(self.files) if isinstance(p, ResultFile)]

    def _update_button(self) -> None:
        self.run_button.setEnabled(self._op is None and bool(self.chosen()))

    def _preview(self, current, _previous) -> None:
        if current is None or self._opener is None:
            return
        rf = current.data(0, PayloadRole)
        if not isinstance(rf, ResultFile):
            return
        if self.preview is not None:
            self._opener.fetch(rf.file, "idesk", self._show_here)
        else:
            self._opener.open(rf.file, "idesk")

    def _show_here(self, path) -> None:
        if self.preview is not None and self.isVisible():
            self.preview.open(path)
            self.previewed.emit(path)

    def submit(self) -> None:
        chosen = self.chosen()
        if self._op is not None or not chosen:
            return
        self.run_button.setEnabled(False)
        self.files.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Đang lấy tệp từ iDesk…"))
        transfers = self._backend.transfers
        self._op = self._runner.run(
            lambda op: transfers.fetch_from_idesk(self.dossier, chosen, progress=op.progress, cancel=op.cancel_event),
            receiver=self,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=lambda done, total, _label: show_progress(self.progress, done, total),
            label="fetch-from-idesk",
        )

    def _done(self, dossier: Dossier) -> None:
        self._op = None
        self.dossier = dossier
        self.fetched.emit(dossier)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self.files.setEnabled(True)
        self.progress.setVisible(False)
        self._update_button()
        show_failure(self.status, exc, self._lang, self.tr("Đã hủy."), self._runner.report)

    def reject(self) -> None:
        if self._op is not None:
            self._op.cancel()
            return
        super().reject()
