"""The two questions a signing step may ask: which file of the draft, and (the clerk) which number and date.

Both only collect the officer's answer; the rules (what may be chosen, the register) are in
app.services.workflow. Buttons are Vietnamese ("Đồng ý", "Hủy"), translated by the catalog.
"""

from __future__ import annotations

from datetime import date

from app.domain import Attachment
from app.services.workflow import NumberProposal, parse_number
from app.views.qt import Qt, QtCore, QtWidgets, Signal

QDate = QtCore.QDate


def _buttons(dialog: QtWidgets.QDialog) -> QtWidgets.QDialogButtonBox:
    box = QtWidgets.QDialogButtonBox(dialog)
    translate = QtCore.QCoreApplication.translate
    ok = box.addButton(translate("StepDialogs", "Đồng ý"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(translate("StepDialogs", "Hủy"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
    ok.setDefault(True)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class FileChoiceDialog(QtWidgets.QDialog):
    """"Chọn tệp để ký": the draft's PDFs, the main document preselected (none when it has none)."""

    chosen = Signal(object)  # Attachment

    def __init__(self, choices: list[Attachment], preselected: Attachment | None, action_text: str,
                 lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self.choices = list(choices)
        self.setWindowTitle(self.tr("Chọn tệp để ký"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(self.tr("\"%1\" sẽ thực hiện trên tệp được chọn:").replace("%1", action_text))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QtWidgets.QListWidget(self)
        for attachment in self.choices:
            role = attachment.role.label_en if lang.startswith("en") else attachment.role.label_vi
            self.list.addItem(QtWidgets.QListWidgetItem(f"{attachment.name} — {role}"))
        if preselected is not None and preselected in self.choices:
            self.list.setCurrentRow(self.choices.index(preselected))
        layout.addWidget(self.list)
        self.hint = QtWidgets.QLabel(
            self.tr("Tệp được chọn sẽ là văn bản chính của dự thảo: người ký sau sẽ ký đúng tệp này.")
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.buttons = _buttons(self)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self._update()

    def _update(self) -> None:
        ok = self.buttons.buttons()[0]
        ok.setEnabled(self.list.currentRow() >= 0)

    def selected(self) -> Attachment | None:
        row = self.list.currentRow()
        return self.choices[row] if 0 <= row < len(self.choices) else None

    def accept(self) -> None:
        choice = self.selected()
        if choice is None:
            return
        super().accept()
        self.chosen.emit(choice)


class NumberDialog(QtWidgets.QDialog):
    """ "Cấp số văn bản": number and symbol proposed from the iDesk register, date today; all editable."""

    numbered = Signal(str, object)  # "06/KH-STTTT", date
    # The clerk typed another symbol: its register's next number is asked for (see `propose`).
    symbol_changed = Signal(str)

    def __init__(self, proposal: NumberProposal, document_name: str = "", lang: str = "vi", parent=None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.tr("Cấp số văn bản"))
        seq, symbol = parse_number(proposal.number)
        form = QtWidgets.QFormLayout(self)
        if document_name:
            name = QtWidgets.QLabel(document_name)
            name.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(self.tr("Văn bản:"), name)
        self.seq = QtWidgets.QLineEdit(f"{seq:02d}")
        self.symbol = QtWidgets.QLineEdit(symbol)
        self.date = QtWidgets.QDateEdit(QDate(proposal.day.year, proposal.day.month, proposal.day.day))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        form.addRow(self.tr("Số:"), self.seq)
        form.addRow(self.tr("Ký hiệu:"), self.symbol)
        form.addRow(self.tr("Ngày ban hành:"), self.date)
        self.error = QtWidgets.QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        form.addRow(self.error)
        self.buttons = _buttons(self)
        form.addRow(self.buttons)
        # The number shown belongs to this symbol's register; a number typed by the clerk is theirs
        # (iDesk refuses one out of the register's order).
        self.proposed_for = symbol
        self.seq_edited = False
        self.seq.textEdited.connect(self._seq_typed)
        self.symbol.editingFinished.connect(self._symbol_done)

    def _seq_typed(self, _text: str) -> None:
        self.seq_edited = True

    def _typed_symbol(self) -> str:
        return self.symbol.text().strip().strip("/")

    def _symbol_done(self) -> bool:
        """Ask for the next number of the typed symbol's register; True when one is awaited."""
        typed = self._typed_symbol()
        if not typed or typed == self.proposed_for or self.seq_edited:
            return False
        self.proposed_for = typed
        self.seq.setEnabled(False)
        self.error.setText(self.tr("Đang lấy số tiếp theo trong sổ của ký hiệu %1…").replace("%1", typed))
        self.symbol_changed.emit(typed)
        return True

    def propose(self, number: str) -> None:
        """The register's next number for the symbol asked about (ignored if the symbol changed since)."""
        seq, symbol = parse_number(number)
        if symbol != self.proposed_for:
            return
        self.seq.setText(f"{seq:02d}")
        self.seq.setEnabled(True)
        self.error.setText("")

    def proposal_failed(self, message: str) -> None:
        self.proposed_for = ""
        self.seq.setEnabled(True)
        self.error.setText(message)

    def number(self) -> str:
        return f"{self.seq.text().strip()}/{self.symbol.text().strip().strip('/')}"

    def day(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def accept(self) -> None:
        from app.errors import BadInputError
        from app.services.workflow import normalize_number

        if self._symbol_done() or not self.seq.isEnabled():
            return  # the number shown is not the new symbol's yet
        try:
            number = normalize_number(self.number())
        except BadInputError as exc:
            self.error.setText(exc.message(self.lang))
            return
        super().accept()
        self.numbered.emit(number, self.day())
