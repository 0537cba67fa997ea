"""The main window: iGate dossiers on the left, iDesk documents on the right, details and preview below.

Selecting a row on either side selects, scrolls to and highlights its counterpart (same dossier
code). Extensions (the signing views) plug in through `register_actions`, `add_detail_tab` and
the injected preview factory.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.domain import DocumentFolder, Dossier, DossierSummary, IDeskDocument, IDeskDocumentSummary
from app.safe_names import display_text, file_extension, safe_file_name
from app.views.backend import Backend
from app.views.details import DetailStack
from app.views.file_opener import FileOpener
from app.views.list_loader import PagedLoader
from app.views.list_panel import ListPanel
from app.views.main_actions import MainActions
from app.views.models import DocumentTableModel, DossierTableModel, folder_filter, state_filter
from app.views.qt import (
    QCoreApplication,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QWidget,
    Signal,
)
from app.views.tasks import TaskRunner
from app.views.window_state import WindowState, resize_within_screen

if TYPE_CHECKING:
    from app.views.pdf.preview import PdfPreview
    from app.views.qt import QMessageBox

log = logging.getLogger(__name__)

# Makes the preview pane of a parent widget (app.views.pdf's; the main window only embeds it).
PreviewFactory = Callable[[QWidget], "PdfPreview"]


class MainWindow(QMainWindow):
    """Built with the signed-in officer's `backend`, or without it while the sign-in still waits
    (the app builds it then) and given it by `attach` once the sign-in ends."""

    backend: Backend
    dossier_selected = Signal(object)  # Dossier, once loaded
    document_selected = Signal(object)  # IDeskDocument, once loaded
    logout_requested = Signal()
    settings_requested = Signal()
    lists_loaded = Signal()
    lists_settled = Signal()  # both lists loaded or failed: the officer's first wait is over

    def __init__(
        self,
        backend: Backend | None,
        runner: TaskRunner,
        *,
        lang: str,
        cache_dir: Path,
        preview_factory: PreviewFactory | None = None,
        window_state: WindowState | None = None,
        open_external: Callable[[Path], bool] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.runner = runner
        self.lang = lang
        self._preview_factory = preview_factory
        self._window_state = window_state
        self.preview: PdfPreview | None = None
        self.current_dossier: Dossier | None = None
        self.current_document: IDeskDocument | None = None
        # The row the officer chose last, ("dossier" | "document", id): kept when the window is rebuilt.
        self.chosen: tuple[str, str] | None = None
        # Each counter drops answers that a newer selection made stale.
        self._detail_request = 0
        self._dossier_request = 0
        self._document_request = 0
        self.closed = False
        self.dialogs: dict[str, QWidget] = {}

        self.dossier_model = DossierTableModel(lang, parent=self)
        states = (
            (self.tr("Gửi được sang iDesk"), "send"),
            (self.tr("Nhận được kết quả"), "results"),
            (self.tr("Đã xong"), "finished"),
        )
        self.dossier_panel = ListPanel(
            self.tr("Hồ sơ iGate"),
            self.dossier_model,
            [(self.tr("Tất cả"), None)] + [(label, state_filter(kind)) for label, kind in states],
            search_placeholder=self.tr("Tìm mã hồ sơ, thủ tục, người nộp… (Ctrl+F)"),
            object_name="dossierPanel",
        )
        self.document_model = DocumentTableModel(lang, parent=self)
        folders = (
            (self.tr("Dự thảo"), DocumentFolder.DRAFTS),
            (self.tr("Xử lý văn bản đi"), DocumentFolder.OUTGOING_PROCESSING),
            (self.tr("Theo dõi văn bản đi"), DocumentFolder.OUTGOING_TRACKING),
            (self.tr("Văn bản lưu"), DocumentFolder.ARCHIVE),
        )
        self.document_panel = ListPanel(
            self.tr("Văn bản iDesk"),
            self.document_model,
            [(self.tr("Tất cả thư mục"), None)] + [(label, folder_filter(f)) for label, f in folders],
            search_placeholder=self.tr("Tìm trích yếu, mã hồ sơ…"),
            object_name="documentPanel",
        )
        # Due soonest first: overdue dossiers come to the top.
        self.dossier_panel.sort_by(DossierTableModel.APPOINTMENT_COLUMN)
        for view, widths in (
            (self.dossier_panel.view, (168, 170, 112, 108)),
            (self.document_panel.view, (190, 78, 168, 110)),
        ):
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width)

        self.details = DetailStack(lang)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setObjectName("detailTabs")
        self.detail_tabs.addTab(self.details, self.tr("Chi tiết"))
        self.preview_stack = QStackedWidget()
        self.preview_stack.setObjectName("previewArea")
        placeholder = QLabel(self.tr("Nhấp đúp vào một tệp để xem trước."))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_stack.addWidget(placeholder)

        self.lists_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lists_splitter.setObjectName("listsSplitter")
        self.lists_splitter.addWidget(self.dossier_panel)
        self.lists_splitter.addWidget(self.document_panel)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.bottom_splitter.setObjectName("bottomSplitter")
        self.bottom_splitter.addWidget(self.detail_tabs)
        self.bottom_splitter.addWidget(self.preview_stack)
        self.central_splitter = QSplitter(Qt.Orientation.Vertical)
        self.central_splitter.setObjectName("centralSplitter")
        self.central_splitter.addWidget(self.lists_splitter)
        self.central_splitter.addWidget(self.bottom_splitter)
        self.central_splitter.setSizes([420, 380])
        self.setCentralWidget(self.central_splitter)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(runner.active > 0)  # the runner may be busy already (this very sign-in)
        self.busy_bar.setToolTip(self.tr("Đang làm việc với máy chủ…"))
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.user_label)
        runner.busy_changed.connect(self.busy_bar.setVisible)

        self.dossier_loader = PagedLoader(
            runner, self.dossier_model, lambda n, size: self.backend.igate.search_dossiers(page=n, size=size),
            first_page=0,
        )
        self.document_loader = PagedLoader(
            runner, self.document_model, lambda n, size: self.backend.idesk.list_documents(page=n, size=size),
            first_page=1,
        )
        for panel, loader in ((self.dossier_panel, self.dossier_loader), (self.document_panel, self.document_loader)):
            loader.started.connect(lambda p=panel: p.set_status(QCoreApplication.translate("MainWindow", "Đang tải…")))
            loader.page_loaded.connect(
                lambda n, total, p=panel: p.set_status(
                    QCoreApplication.translate("MainWindow", "Đã tải {n}/{total}").format(n=n, total=total)
                )
            )
            loader.finished.connect(lambda _t, p=panel: p.set_status(""))
            loader.finished.connect(self._maybe_loaded)
            loader.failed.connect(lambda exc, p=panel: self._load_failed(p, exc))

        self.file_opener = FileOpener(
            runner,
            cache_dir,
            # Looked up on each call: a fresh sign-in replaces the clients behind `backend`.
            {
                "igate": lambda ref, dest, cancel=None: self.backend.igate.download_file(ref, dest, cancel=cancel),
                "idesk": lambda ref, dest, cancel=None: self.backend.idesk.download_file(ref, dest, cancel=cancel),
            },
            self.open_file_preview,
            open_external=open_external,
        )
        self.actions_ = MainActions(self, self)
        self.dossier_panel.current_changed.connect(self._on_dossier_current)
        self.document_panel.current_changed.connect(self._on_document_current)
        self.file_opener.refused.connect(self.refuse_file)
        self.details.file_activated.connect(self.file_opener.open)
        self.details.file_save_requested.connect(self.save_file_copy)
        self.dossier_panel.activated.connect(lambda _s: self.actions_.send.trigger())
        resize_within_screen(self, 1280, 820)
        self.lists_splitter.setSizes([640, 640])
        self.bottom_splitter.setSizes([640, 640])
        if window_state is not None:
            window_state.restore("main", self, self._splitters())
        self.actions_.update_enabled()
        if backend is not None:
            self.attach(backend)

    def attach(self, backend: Backend) -> None:
        """The signed-in officer's session and services, before the window shows."""
        self.backend = backend
        # Qt appends the application display name ("… — Liên Thông Desk").
        self.setWindowTitle(backend.user.full_name or backend.user.username)
        self.user_label.setText(self._user_text())
        self.actions_.update_enabled()

    # -- extension points ------------------------------------------------------------------

    def register_actions(self, actions, menu_title: str | None = None, toolbar: bool = True):
        """Add actions (e.g. the signing actions) to a menu of their own and the toolbar."""
        return self.actions_.register(actions, menu_title, toolbar)

    def add_detail_tab(self, widget: QWidget, title: str) -> int:
        return self.detail_tabs.addTab(widget, title)

    @property
    def preview_factory_available(self) -> bool:
        return self._preview_factory is not None

    @property
    def preview_factory(self) -> PreviewFactory | None:
        return self._preview_factory

    def open_file_preview(self, path: Path) -> bool:
        """Show a PDF in the preview area; False when no preview is plugged in."""
        if self._preview_factory is None:
            return False
        preview = self.preview
        if preview is None:
            preview = self.preview = self._preview_factory(self.preview_stack)
            self.preview_stack.addWidget(preview)
        self.preview_stack.setCurrentWidget(preview)
        preview.open(Path(path))
        return True

    def save_file_copy(self, ref, source: str, dest: Path | None = None) -> None:
        """ "Lưu về máy…": ask where (unless given), then download and copy in the background."""
        if dest is None:
            from app.views.qt import QFileDialog  # its types load with the first dialog, not the window

            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Lưu tệp"), str(Path.home() / safe_file_name(ref.name))
            )
            if not chosen:
                return
            dest = Path(chosen)
        self.file_opener.save_copy(
            ref,
            source,
            dest,
            lambda path: self.statusBar().showMessage(self.tr("Đã lưu {path}").format(path=path), 8000),
        )

    def refuse_file(self, name: str, ref, source: str) -> QMessageBox:
        """A file of a type never opened: say why, and offer to save it (server files only)."""
        from app.views.qt import QMessageBox  # its types load with the first refusal, not the window

        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Không mở tệp này"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("Ứng dụng không mở tệp “%1”: loại tệp “%2” có thể chứa chương trình và tự chạy khi mở.")
            .replace("%1", display_text(name, limit=200))
            .replace("%2", file_extension(name) or "?")
        )
        box.setInformativeText(
            self.tr(
                "Tệp do người khác gửi lên hệ thống. Nếu cần xem, hãy lưu về máy và kiểm tra bằng phần mềm "
                "diệt virus trước khi mở."
            )
        )
        if ref is not None:
            save = box.addButton(self.tr("Lưu về máy…"), QMessageBox.ButtonRole.ActionRole)
            save.clicked.connect(lambda: self.save_file_copy(ref, source))
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.RejectRole)
        old = self.dialogs.get("refused")
        if old is not None:
            old.close()
        self.dialogs["refused"] = box
        box.finished.connect(
            lambda _r: self.dialogs.pop("refused", None) if self.dialogs.get("refused") is box else None
        )
        box.open()
        return box

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.dossier_loader.reload()
        self.document_loader.reload()

    def choose_when_loaded(self, chosen: tuple[str, str] | None) -> None:
        """Select that row again (with its linked row on the other side) once both lists are in."""
        if chosen is None:
            return
        side, key = chosen
        panel = self.dossier_panel if side == "dossier" else self.document_panel

        def select() -> None:
            self.lists_loaded.disconnect(select)
            panel.select_key(key)

        self.lists_loaded.connect(select)

    def _maybe_loaded(self, _total: int) -> None:
        if not self.dossier_loader.loading and not self.document_loader.loading:
            self.lists_loaded.emit()
            self.lists_settled.emit()
            self.statusBar().showMessage(
                self.tr("Đã tải {d} hồ sơ và {v} văn bản.").format(
                    d=self.dossier_model.rowCount(), v=self.document_model.rowCount()
                ),
                5000,
            )

    def _load_failed(self, panel: ListPanel, exc: BaseException) -> None:
        panel.set_status(self.tr("Không tải được danh sách."))
        if not self.dossier_loader.loading and not self.document_loader.loading:
            self.lists_settled.emit()
        self.runner.report(exc)

    # -- selection sync --------------------------------------------------------------------

    def _on_dossier_current(self, summary: DossierSummary | None) -> None:
        self.actions_.update_enabled()
        if summary is None:
            return
        self.chosen = ("dossier", summary.id)
        self.dossier_model.set_highlight(())
        self.document_model.set_highlight([summary.code])
        row = next((i for i, d in enumerate(self.document_model.rows()) if d.dossier_code == summary.code), -1)
        self.load_dossier(summary.id)
        if row >= 0 and self.document_panel.select_source_row(row, quiet=True):
            self.load_document(self.document_model.item(row).id, show=False)
        else:
            self.document_panel.view.selectionModel().clear()
            self._forget_document()
        self.actions_.update_enabled()

    def _on_document_current(self, summary: IDeskDocumentSummary | None) -> None:
        self.actions_.update_enabled()
        if summary is None:
            return
        self.chosen = ("document", summary.id)
        self.document_model.set_highlight(())
        self.dossier_model.set_highlight([summary.dossier_code] if summary.dossier_code else [])
        row = next(
            (
                i
                for i, d in enumerate(self.dossier_model.rows())
                if summary.dossier_code and d.code == summary.dossier_code
            ),
            -1,
        )
        self.load_document(summary.id)
        if row >= 0 and self.dossier_panel.select_source_row(row, quiet=True):
            self.load_dossier(self.dossier_model.item(row).id, show=False)
        else:
            self.dossier_panel.view.selectionModel().clear()
            self._forget_dossier()
        self.actions_.update_enabled()

    def load_dossier(
        self, dossier_id: str, then: Callable[[Dossier], None] | None = None, *, show: bool = True
    ) -> None:
        """Fetch the dossier; it becomes `current_dossier`, and the detail pane's when `show`."""
        self._dossier_request += 1
        request = self._dossier_request
        if show:
            self._detail_request += 1
        detail = self._detail_request

        def done(dossier: Dossier) -> None:
            if self.closed:
                return
            if request == self._dossier_request:
                self.current_dossier = dossier
                self.dossier_selected.emit(dossier)
            if show and detail == self._detail_request:
                self.details.show_dossier(dossier)
            if then is not None:
                then(dossier)

        self.runner.run(
            lambda op: self.backend.igate.get_dossier(dossier_id), receiver=self, on_success=done, label="dossier"
        )

    def load_document(
        self, doc_id: str, then: Callable[[IDeskDocument], None] | None = None, *, show: bool = True
    ) -> None:
        """Fetch the document; it becomes `current_document` (what signing acts on), and the detail pane's
        when `show`."""
        self._document_request += 1
        request = self._document_request
        if show:
            self._detail_request += 1
        detail = self._detail_request

        def done(document: IDeskDocument) -> None:
            if self.closed:
                return
            if request == self._document_request:
                self.current_document = document
                self.document_selected.emit(document)
            if show and detail == self._detail_request:
                self.details.show_document(document)
            if then is not None:
                then(document)

        self.runner.run(
            lambda op: self.backend.idesk.get_document(doc_id), receiver=self, on_success=done, label="document"
        )

    def _forget_document(self) -> None:
        self._document_request += 1
        self.current_document = None
        self.document_selected.emit(None)

    def _forget_dossier(self) -> None:
        self._dossier_request += 1
        self.current_dossier = None

    # -- results of the dialogs --------------------------------------------------------------

    def show_new_document(self, document: IDeskDocument) -> None:
        """A draft created by "Gửi sang iDesk": add it on the right and select it."""
        self.document_model.replace_row(document.summary)
        self.document_panel.select_key(document.id, quiet=False)

    def show_document_summary(self, summary) -> None:
        """Select an iDesk document known by its summary (the dossier's existing draft)."""
        self.document_model.replace_row(summary)
        self.document_panel.select_key(summary.id, quiet=False)

    def show_updated_dossier(self, dossier: Dossier) -> None:
        self._dossier_request += 1
        self.current_dossier = dossier
        self.dossier_model.replace_row(dossier.summary)
        self.dossier_panel.select_key(dossier.id, quiet=True)
        self._detail_request += 1
        self.details.show_dossier(dossier)
        self.dossier_selected.emit(dossier)
        self.actions_.update_enabled()

    # -- misc ------------------------------------------------------------------------------

    def _user_text(self) -> str:
        user = self.backend.user
        parts = [user.full_name or user.username, user.title, user.organization]
        return " — ".join(p for p in parts if p)

    def _splitters(self) -> dict:
        return {"lists": self.lists_splitter, "bottom": self.bottom_splitter, "central": self.central_splitter}

    def save_layout(self) -> None:
        if self._window_state is not None:
            self._window_state.save("main", self, self._splitters())

    def shutdown(self) -> None:
        """Stop listening for background results; the window is about to go away."""
        self.closed = True
        self.dossier_loader.stop()
        self.document_loader.stop()
        for dialog in list(self.dialogs.values()):
            dialog.close()

    def closeEvent(self, event) -> None:
        self.save_layout()
        super().closeEvent(event)
