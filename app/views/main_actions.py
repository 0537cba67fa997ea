"""The main window's actions, menus and toolbar, and the dialogs they open.

Transfer actions are enabled only at the steps that allow them; a disabled action's tooltip
says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

from app.domain import Dossier, DossierSummary, IDeskDocument, IDeskDocumentSummary
from app.views.backend import Backend
from app.views.file_opener import FileOpener
from app.views.list_panel import ListPanel
from app.views.qt import (
    QAction,
    QCoreApplication,
    QKeySequence,
    QMainWindow,
    QStyle,
    Qt,
    QToolBar,
    QWidget,
    SignalInstance,
)
from app.views.tasks import TaskRunner


class ActionsHost(Protocol):
    """What the actions need of the main window (`app.views.main_window.MainWindow`) beside the
    QMainWindow that carries the menus, the toolbar and the dialogs."""

    backend: Backend
    runner: TaskRunner
    file_opener: FileOpener
    dossier_panel: ListPanel
    document_panel: ListPanel
    dialogs: dict[str, QWidget]  # the open transfer dialogs, by name

    @property
    def current_dossier(self) -> Dossier | None: ...
    @property
    def current_document(self) -> IDeskDocument | None: ...
    @property
    def preview_factory(self) -> Callable[[QWidget], QWidget] | None: ...
    @property
    def settings_requested(self) -> SignalInstance: ...
    @property
    def logout_requested(self) -> SignalInstance: ...

    def refresh(self) -> None: ...
    def load_dossier(
        self, dossier_id: str, then: Callable[[Dossier], None] | None = None, *, show: bool = True
    ) -> None: ...
    def load_document(
        self, doc_id: str, then: Callable[[IDeskDocument], None] | None = None, *, show: bool = True
    ) -> None: ...
    def show_new_document(self, document: IDeskDocument) -> None: ...
    def show_document_summary(self, summary: IDeskDocumentSummary) -> None: ...
    def show_updated_dossier(self, dossier: Dossier) -> None: ...


class MainActions:
    """`window` carries the menus and the toolbar; `host` is what they act on (in the app, both are
    the main window)."""

    def __init__(self, window: QMainWindow, host: ActionsHost) -> None:
        self.window = window
        self.w = host
        style = window.style()
        SP = QStyle.StandardPixmap

        def action(text, shortcut=None, icon=None, slot=None, name=""):
            act = QAction(text, window)
            act.setObjectName(name)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(act.shortcutContext().WindowShortcut)
            if icon is not None:
                act.setIcon(style.standardIcon(icon))
            if slot is not None:
                act.triggered.connect(lambda _checked=False: slot())
            return act

        self.refresh = action(
            QCoreApplication.translate("MainActions", "Làm mới"),
            "F5",
            SP.SP_BrowserReload,
            host.refresh,
            "actionRefresh",
        )
        self.find = action(
            QCoreApplication.translate("MainActions", "Tìm kiếm"), "Ctrl+F", None, self.focus_search, "actionFind"
        )
        self.send = action(
            QCoreApplication.translate("MainActions", "Gửi sang iDesk"),
            "Ctrl+Shift+S",
            SP.SP_ArrowRight,
            self.open_send,
            "actionSend",
        )
        self.fetch = action(
            QCoreApplication.translate("MainActions", "Lấy từ iDesk"),
            "Ctrl+L",
            SP.SP_ArrowLeft,
            self.open_fetch,
            "actionFetch",
        )
        self.transfer = action(
            QCoreApplication.translate("MainActions", "Chuyển đến phần mềm iGate"),
            "Ctrl+Shift+G",
            SP.SP_ArrowBack,
            self.open_transfer,
            "actionTransfer",
        )
        self.open_file = action(
            QCoreApplication.translate("MainActions", "Mở tệp PDF trên máy…"),
            "Ctrl+O",
            SP.SP_DialogOpenButton,
            self.open_local,
            "actionOpen",
        )
        self.settings = action(
            QCoreApplication.translate("MainActions", "Cài đặt…"),
            "Ctrl+,",
            None,
            host.settings_requested.emit,
            "actionSettings",
        )
        self.logout = action(
            QCoreApplication.translate("MainActions", "Đăng xuất"),
            None,
            None,
            host.logout_requested.emit,
            "actionLogout",
        )
        self.quit = action(
            QCoreApplication.translate("MainActions", "Thoát"), "Ctrl+Q", None, window.close, "actionQuit"
        )

        bar = window.menuBar()
        file_menu = bar.addMenu(QCoreApplication.translate("MainActions", "&Tệp"))
        file_menu.addActions([self.open_file, self.refresh])
        file_menu.addSeparator()
        file_menu.addActions([self.settings, self.logout, self.quit])
        dossier_menu = bar.addMenu(QCoreApplication.translate("MainActions", "&Hồ sơ"))
        dossier_menu.addActions([self.send, self.fetch, self.find])
        self.document_menu = bar.addMenu(QCoreApplication.translate("MainActions", "&Văn bản"))
        self.document_menu.addAction(self.transfer)
        self.menus = {"file": file_menu, "dossier": dossier_menu, "document": self.document_menu}

        self.toolbar = QToolBar(QCoreApplication.translate("MainActions", "Thao tác"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addActions([self.refresh, self.send, self.fetch, self.transfer, self.open_file])
        window.addToolBar(self.toolbar)
        window.addAction(self.find)

    # -- extension ------------------------------------------------------------------------

    def register(self, actions, menu_title: str | None, toolbar: bool):
        menu = None
        if menu_title:
            menu = self.menus.get(menu_title) or self.window.menuBar().addMenu(menu_title)
            self.menus[menu_title] = menu
            menu.addActions(list(actions))
        if toolbar:
            self.toolbar.addSeparator()
            self.toolbar.addActions(list(actions))
        for act in actions:
            if act.parent() is None:
                act.setParent(self.window)
        return menu

    # -- enabling -------------------------------------------------------------------------

    def update_enabled(self) -> None:
        w = self.w
        dossier: DossierSummary | None = w.dossier_panel.current_item()
        if dossier is None:
            why_send = why_fetch = QCoreApplication.translate("MainActions", "Chọn một hồ sơ trước.")
        else:
            why_send = (
                ""
                if dossier.status.allows_send_to_idesk
                else QCoreApplication.translate("MainActions", "Bước hiện tại của hồ sơ không cho phép gửi sang iDesk.")
            )
            why_fetch = (
                ""
                if dossier.status.allows_result_files
                else QCoreApplication.translate(
                    "MainActions", "Bước hiện tại của hồ sơ không cho phép đính kèm kết quả."
                )
            )
        self._set(
            self.send,
            why_send,
            QCoreApplication.translate(
                "MainActions", "Gửi hồ sơ đang chọn sang iDesk thành dự thảo văn bản (Ctrl+Shift+S)"
            ),
        )
        self._set(
            self.fetch,
            why_fetch,
            QCoreApplication.translate("MainActions", "Lấy tệp kết quả từ iDesk vào hồ sơ (Ctrl+L)"),
        )
        document = w.document_panel.current_item()
        if document is None:
            why_transfer = QCoreApplication.translate("MainActions", "Chọn một văn bản iDesk trước.")
        elif not document.dossier_code:
            why_transfer = QCoreApplication.translate("MainActions", "Văn bản này không gắn với hồ sơ iGate nào.")
        else:
            why_transfer = ""
        self._set(
            self.transfer,
            why_transfer,
            QCoreApplication.translate("MainActions", "Chuyển tệp của văn bản sang hồ sơ iGate cùng mã (Ctrl+Shift+G)"),
        )

    @staticmethod
    def _set(act: QAction, why_not: str, tip: str) -> None:
        act.setEnabled(not why_not)
        act.setToolTip(why_not or tip)
        act.setStatusTip(why_not or tip)

    # -- slots ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        in_documents = self.w.document_panel.isAncestorOf(self.window.focusWidget())
        panel = self.w.document_panel if in_documents else self.w.dossier_panel
        panel.focus_search()

    def _with_dossier(self, then) -> None:
        summary = self.w.dossier_panel.current_item()
        if summary is None:
            return
        current = self.w.current_dossier
        if current is not None and current.id == summary.id:
            then(current)
        else:
            self.w.load_dossier(summary.id, then)

    def open_send(self) -> None:
        if self.send.isEnabled():
            self._with_dossier(self._show_send)

    def _show_send(self, dossier: Dossier) -> None:
        from app.views.send_dialog import SendDialog

        dialog = SendDialog(dossier, self.w.backend, self.w.runner, self.w.file_opener, self.window)
        dialog.sent.connect(self.w.show_new_document)
        dialog.open_existing.connect(lambda summary: self.w.show_document_summary(summary))
        dialog.sent.connect(
            lambda doc: self._say(
                QCoreApplication.translate("MainActions", "Đã tạo dự thảo trên iDesk: {summary}").format(
                    summary=doc.summary.summary
                )
            )
        )
        self._show("send", dialog)

    def open_fetch(self) -> None:
        if self.fetch.isEnabled():
            self._with_dossier(self._show_fetch)

    def _show_fetch(self, dossier: Dossier) -> None:
        from app.views.fetch_dialog import FetchDialog

        dialog = FetchDialog(
            dossier,
            self.w.backend,
            self.w.runner,
            self.w.file_opener,
            self.window,
            preview_factory=self.w.preview_factory,
        )
        dialog.fetched.connect(self.w.show_updated_dossier)
        dialog.fetched.connect(
            lambda d: self._say(
                QCoreApplication.translate("MainActions", "Đã lấy tệp kết quả từ iDesk vào hồ sơ {code}.").format(
                    code=d.code
                )
            )
        )
        self._show("fetch", dialog)

    def open_transfer(self) -> None:
        summary = self.w.document_panel.current_item()
        if summary is None or not self.transfer.isEnabled():
            return
        current = self.w.current_document
        if current is not None and current.id == summary.id:
            self._show_transfer(current)
        else:
            self.w.load_document(summary.id, self._show_transfer)

    def _show_transfer(self, document) -> None:
        from app.views.transfer_dialog import TransferDialog

        dialog = TransferDialog(document, self.w.backend, self.w.runner, self.window)
        dialog.transferred.connect(self.w.show_updated_dossier)
        dialog.transferred.connect(
            lambda d: self._say(
                QCoreApplication.translate("MainActions", "Đã chuyển tệp sang hồ sơ {code} trên iGate.").format(
                    code=d.code
                )
            )
        )
        self._show("transfer", dialog)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _show(self, name: str, dialog) -> None:
        old = self.w.dialogs.get(name)
        if old is not None:
            old.close()
        self.w.dialogs[name] = dialog
        dialog.finished.connect(
            lambda _r: self.w.dialogs.pop(name, None) if self.w.dialogs.get(name) is dialog else None
        )
        dialog.open()

    def open_local(self) -> None:
        from app.views.qt import QFileDialog  # its types load with the first dialog, not the window

        path, _ = QFileDialog.getOpenFileName(
            self.window,
            QCoreApplication.translate("MainActions", "Mở tệp PDF"),
            "",
            QCoreApplication.translate("MainActions", "Tệp PDF (*.pdf)"),
        )
        if path:
            self.w.file_opener.show(Path(path))
