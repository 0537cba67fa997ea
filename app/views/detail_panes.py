"""Detail of the selected dossier (components, earlier-step files, result files) or document
(attachments with their versions, processing history). Double-clicking a file asks to open it."""

from __future__ import annotations

from app.domain import Dossier, FileRef, IDeskDocument
from app.text import render
from app.views.formatting import datetime_text, size_text
from app.views.i18n import enum_label
from app.views.plain import plain, shown, tooltip
from app.views.qt import (
    QCoreApplication,
    QFormLayout,
    QLabel,
    QMenu,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)

FileRole = Qt.ItemDataRole.UserRole + 10


def _file_item(parent: QTreeWidgetItem, ref: FileRef, label: str = "") -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, [shown(label or ref.name), size_text(ref.size)])
    item.setData(0, FileRole, ref)
    item.setToolTip(0, tooltip(ref.name))
    return item


def _offer_file_menu(tree: QTreeWidget, source: str, open_signal, save_signal) -> None:
    """Right-click on a file: open it, or save a copy on this computer."""
    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos) -> None:
        item = tree.itemAt(pos)
        ref = item.data(0, FileRole) if item is not None else None
        if not isinstance(ref, FileRef):
            return
        menu = QMenu(tree)
        menu.addAction(QCoreApplication.translate("DetailPanes", "Mở"), lambda: open_signal.emit(ref, source))
        menu.addAction(QCoreApplication.translate("DetailPanes", "Lưu về máy…"), lambda: save_signal.emit(ref, source))
        menu.popup(tree.viewport().mapToGlobal(pos))

    tree.customContextMenuRequested.connect(show_menu)


def _label(text: str = "") -> QLabel:
    label = plain(QLabel())
    label.setText(text)
    # A long unbroken word from the server is clipped, not allowed to widen the window.
    label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DossierDetail(QWidget):
    file_activated = Signal(object, str)  # FileRef, "igate"
    file_save_requested = Signal(object, str)

    def __init__(self, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierDetail")
        self._lang = lang
        self.dossier: Dossier | None = None
        self.code, self.service, self.applicant, self.step, self.status, self.appointment = (_label() for _ in range(6))
        form = QFormLayout()
        form.addRow(self.tr("Mã hồ sơ:"), self.code)
        form.addRow(self.tr("Thủ tục:"), self.service)
        form.addRow(self.tr("Người nộp:"), self.applicant)
        form.addRow(self.tr("Bước xử lý:"), self.step)
        form.addRow(self.tr("Trạng thái:"), self.status)
        form.addRow(self.tr("Hẹn trả:"), self.appointment)
        self.tree = QTreeWidget()
        self.tree.setObjectName("dossierFiles")
        self.tree.setHeaderLabels([self.tr("Tệp"), self.tr("Dung lượng")])
        self.tree.setColumnWidth(0, 360)
        self.tree.itemDoubleClicked.connect(self._activate)
        _offer_file_menu(self.tree, "igate", self.file_activated, self.file_save_requested)
        self.components_root = QTreeWidgetItem(self.tree, [self.tr("Thành phần hồ sơ")])
        self.steps_root = QTreeWidgetItem(self.tree, [self.tr("Tệp đính kèm ở các bước trước")])
        self.results_root = QTreeWidgetItem(self.tree, [self.tr("Tập tin kết quả")])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.tree, 1)

    def show_dossier(self, dossier: Dossier) -> None:
        self.dossier = dossier
        s = dossier.summary
        self.code.setText(shown(s.code))
        self.service.setText(shown(s.procedure_name))
        self.applicant.setText(shown(s.applicant_name))
        # Names as the server sends them: the dossier status, then the task status when it differs.
        self.step.setText(shown(s.status.label))
        names = dict.fromkeys(n for n in (s.status.status_name, s.status.task_status_name) if n)
        self.status.setText(shown(" · ".join(names)))
        self.appointment.setText(datetime_text(s.appointment_date))
        for root in (self.components_root, self.steps_root, self.results_root):
            root.takeChildren()
        for component in dossier.components:
            node = QTreeWidgetItem(self.components_root, [shown(component.name)])
            for ref in component.files:
                _file_item(node, ref)
        for step_file in dossier.step_files:
            _file_item(self.steps_root, step_file.file, f"{step_file.file.name} ({step_file.step})")
        for ref in dossier.result_files:
            _file_item(self.results_root, ref)
        self.tree.expandAll()

    def result_file_names(self) -> list[str]:
        children = (self.results_root.child(i) for i in range(self.results_root.childCount()))
        return [child.data(0, FileRole).name for child in children if child is not None]

    def _activate(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, FileRole)
        if isinstance(ref, FileRef):
            self.file_activated.emit(ref, "igate")


class DocumentDetail(QWidget):
    file_activated = Signal(object, str)  # FileRef, "idesk"
    file_save_requested = Signal(object, str)

    def __init__(self, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("documentDetail")
        self._lang = lang
        self.document: IDeskDocument | None = None
        self.summary, self.form, self.code, self.status, self.number = (_label() for _ in range(5))
        form = QFormLayout()
        form.addRow(self.tr("Trích yếu:"), self.summary)
        form.addRow(self.tr("Hình thức:"), self.form)
        form.addRow(self.tr("Mã hồ sơ:"), self.code)
        form.addRow(self.tr("Trạng thái:"), self.status)
        form.addRow(self.tr("Số, ký hiệu:"), self.number)
        self.attachments = QTreeWidget()
        self.attachments.setObjectName("documentAttachments")
        self.attachments.setHeaderLabels(
            [self.tr("Tệp đính kèm / phiên bản"), self.tr("Người tạo"), self.tr("Thời gian")]
        )
        self.attachments.setColumnWidth(0, 320)
        self.attachments.itemDoubleClicked.connect(self._activate)
        _offer_file_menu(self.attachments, "idesk", self.file_activated, self.file_save_requested)
        self.history = QTreeWidget()
        self.history.setObjectName("documentHistory")
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels(
            [self.tr("Thời gian"), self.tr("Người xử lý"), self.tr("Thao tác"), self.tr("Ghi chú")]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.attachments, 2)
        layout.addWidget(QLabel(self.tr("Lịch sử xử lý")))
        layout.addWidget(self.history, 1)

    def show_document(self, document: IDeskDocument) -> None:
        self.document = document
        s = document.summary
        self.summary.setText(shown(s.summary, multiline=True))
        self.form.setText(shown(s.form))
        self.code.setText(shown(s.dossier_code))
        self.status.setText(f"{enum_label(s.status, self._lang)} — {enum_label(s.folder, self._lang)}")
        self.number.setText(shown(s.number))
        self.attachments.clear()
        for attachment in document.attachments:
            node = QTreeWidgetItem(self.attachments, [shown(attachment.name)])
            node.setToolTip(0, tooltip(attachment.name))
            latest = attachment.latest
            if latest is not None:
                node.setData(0, FileRole, latest.file)
            for version in sorted(attachment.versions, key=lambda v: v.version, reverse=True):
                when = datetime_text(version.created_at)
                label = self.tr("Phiên bản {n}").format(n=version.version)
                if version.note:
                    # Here: the workflow rules load after the main window's first paint.
                    from app.services.workflow import note_for_reading

                    label = f"{label}: {shown(render(note_for_reading(version.note), self._lang))}"
                child = QTreeWidgetItem(node, [label, shown(version.created_by), when])
                child.setData(0, FileRole, version.file)
        self.attachments.expandAll()
        self.history.clear()
        for entry in document.history:
            QTreeWidgetItem(
                self.history, [datetime_text(entry.time), shown(entry.actor), shown(entry.action), shown(entry.note)]
            )

    def _activate(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, FileRole)
        if isinstance(ref, FileRef):
            self.file_activated.emit(ref, "idesk")

