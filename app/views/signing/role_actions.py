"""The signing actions for the selected iDesk document, by role (what the main window shows).

Specialist: "Ký nháy". Leader: "Ký số token", "Chuyển Văn thư", "Chọn vị trí trước khi ký số".
Clerk: "Chỉ điền số KH, ngày tháng năm", "Ký số cơ quan (đóng dấu)", "Phát hành", "Ký số phụ lục",
"Ký số bản sao điện tử". Releasing goes through app.services.release, which also attaches the
signed file as the document's result (what "Lấy từ iDesk" lists for the dossier).
Everyone: "Ký số hàng loạt". The actions talk to a small host (the main window adapter) for the
selected document, downloading its file and the iDesk client; every server call goes through the
TaskRunner. Signed files go to the outbox, which keeps them until iDesk confirms the upload.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path

from app.domain import Role
from app.services.release import release_with_result, signable_attachment
from app.services.word_drafts import (
    ConvertedTarget,
    named_copy,
    needs_conversion,
    upload_signed,
    word_main,
)
from app.views.qt import QAction, QObject, QtWidgets, Signal
from app.views.signing.sign_dialog import SignDialog, signed_path_for

log = logging.getLogger(__name__)

SYMBOL_KEY = "signing/last_symbol"
# iDesk reads the leading word of a version's note to move the document along
# ("signed" -> signed by the leader, "initialed", "sealed" -> the organization's signature).
NOTE_INITIALS = "initialed: Ký nháy"
NOTE_LEADER = "signed: Lãnh đạo ký số"
NOTE_SEAL = "sealed: Văn thư ký số, số {number}"
NOTE_APPENDIX = "sealed: Ký số phụ lục"
NOTE_NUMBER = "numbered: Điền số {number}"
BATCH_LIMIT = 50  # documents fetched for one batch


class SigningActions(QObject):
    """QActions for the toolbar/menu; `update_enabled(document)` when the selection changes."""

    document_changed = Signal(object)  # IDeskDocument returned by iDesk after forward/release
    message = Signal(str)

    def __init__(self, host, ctx, roles=(), parent=None) -> None:
        super().__init__(parent)
        self.host = host
        self.ctx = ctx
        self.roles = set(roles) or {Role.SPECIALIST, Role.LEADER, Role.CLERK}
        self.dialog = None
        self.numbers: dict[str, tuple[str, date]] = {}  # document id -> (number, date) given by the clerk
        self.ask_symbol = self._ask_symbol  # replaceable (tests, a future symbol list)
        mk = self._action
        self.initials = mk(self.tr("Ký nháy"), self.sign_initials, Role.SPECIALIST)
        self.sign = mk(self.tr("Ký số token"), self.sign_leader, Role.LEADER)
        self.choose_position = mk(self.tr("Chọn vị trí trước khi ký số"), self.choose_leader_position, Role.LEADER)
        self.forward_clerk = mk(self.tr("Chuyển Văn thư"), self.forward_to_clerk, Role.LEADER)
        self.fill_number = mk(self.tr("Chỉ điền số KH, ngày tháng năm"), self.fill_number_and_date, Role.CLERK)
        self.seal = mk(self.tr("Ký số cơ quan (đóng dấu)"), self.sign_seal, Role.CLERK)
        self.release = mk(self.tr("Phát hành"), self.release_document, Role.CLERK)
        self.appendix = mk(self.tr("Ký số phụ lục"), self.sign_appendix, Role.CLERK)
        self.copy = mk(self.tr("Ký số bản sao điện tử"), self.sign_copy, Role.CLERK)
        self.batch = mk(self.tr("Ký số hàng loạt"), self.sign_batch, None)
        self.update_enabled(None)

    def _action(self, text, slot, role) -> QAction:
        act = QAction(text, self)
        act.triggered.connect(lambda _checked=False: slot())
        act.setVisible(role is None or role in self.roles)
        act.setData(role.value if role else "")
        return act

    def actions(self) -> list[QAction]:
        return [a for a in (self.initials, self.sign, self.choose_position, self.forward_clerk, self.fill_number,
                            self.seal, self.release, self.appendix, self.copy, self.batch) if a.isVisible()]

    def update_enabled(self, document) -> None:
        """Enable what the document's step allows; a disabled action's tooltip says why."""
        from app.domain import DocumentStatus as S

        steps = {
            self.initials: (S.DRAFT, S.INITIALED),
            self.sign: (S.DRAFT, S.INITIALED, S.SIGNED),
            self.choose_position: tuple(S),
            self.forward_clerk: (S.SIGNED,),
            self.fill_number: (S.SIGNED, S.WITH_CLERK),
            self.seal: (S.SIGNED, S.WITH_CLERK),
            self.release: (S.SIGNED, S.WITH_CLERK),
            self.appendix: (S.SIGNED, S.WITH_CLERK, S.RELEASED),
            self.copy: (S.SIGNED, S.WITH_CLERK, S.RELEASED),
        }
        # A Word main document counts: its PDF is made when a signing step starts.
        has_pdf = document is not None and (signable_attachment(document) is not None
                                            or word_main(document) is not None)
        status = document.summary.status if document is not None else None
        for act, allowed in steps.items():
            if document is None:
                why = self.tr("Chọn một văn bản iDesk trước.")
            elif not has_pdf and act is not self.forward_clerk and act is not self.release:
                why = self.tr("Văn bản đang chọn không có tệp PDF để ký.")
            elif status not in allowed:
                why = self.tr("Không làm được ở bước \"%1\" của văn bản.").replace(
                    "%1", status.label_en if self.ctx.lang.startswith("en") else status.label_vi)
            else:
                why = ""
            act.setEnabled(not why)
            act.setToolTip(why or act.text())

    # ---- helpers -------------------------------------------------------------------------

    def _with_pdf(self, then, convert: bool = False) -> None:
        """Download the selected document's PDF (in the background), then call then(doc, att, path).

        A Word main document not yet converted (or changed since) is converted first when `convert`
        (the specialist's and leader's steps); `att` is then a ConvertedTarget. The clerk's steps
        need the signed PDF and stop instead."""
        document = self.host.current_document()
        word = needs_conversion(document) if document is not None else None
        if word is not None:
            if convert:
                self._convert_then(document, word, then)
            else:
                self.message.emit(self.tr("Tệp Word của văn bản chưa được chuyển sang PDF và ký, hoặc đã sửa sau "
                                          "khi ký: cần ký nháy hoặc ký lại bản PDF mới trước."))
            return
        attachment = signable_attachment(document) if document is not None else None
        if attachment is None:
            self.message.emit(self.tr("Văn bản đang chọn không có tệp PDF để ký."))
            return
        self.host.fetch(attachment.latest.file, lambda path: then(document, attachment, Path(path)))

    def _convert_then(self, document, word, then) -> None:
        """Download the Word source, convert it (cached by its SHA-256) and hand over the PDF."""
        conversions = getattr(self.ctx, "conversions", None)
        if conversions is None:
            self.message.emit(self.tr("Không chuyển được tệp Word sang PDF trên máy này."))
            return
        folder = Path(self.ctx.work_dir) if self.ctx.work_dir else None
        lang = self.ctx.lang

        def convert(path: Path) -> None:
            def work(op):
                conversion = conversions.pdf_for(Path(path), word.source.name, cancel=op.cancel_event)
                shown = named_copy(conversion, folder or Path(path).parent, word.source.name)
                return conversion, shown

            def converted(done) -> None:
                conversion, shown = done
                self.message.emit(" ".join(conversion.notes(lang)))
                dialog = then(document, ConvertedTarget(word, conversion), shown)
                status = getattr(dialog, "status", None)
                if status is not None:
                    status.setText(" ".join(conversion.notes(lang)))

            self.ctx.runner.run(work, receiver=self, on_success=converted, label=f"convert {word.source.name}")

        self.message.emit(self.tr("Đang chuyển \"%1\" sang PDF để ký…").replace("%1", word.source.name))
        self.host.fetch(word.source.latest.file, convert)

    def _upload_for(self, document, attachment, note: str):
        outbox = self.host.outbox()
        if outbox is None:
            return None
        if isinstance(attachment, ConvertedTarget):
            idesk = self.host.idesk()

            def upload_converted(result_or_path):
                path = getattr(result_or_path, "output_path", result_or_path)
                return upload_signed(idesk, outbox, document, attachment, Path(path), note)

            return upload_converted

        def upload(result_or_path):
            path = getattr(result_or_path, "output_path", result_or_path)
            return outbox.upload(outbox.put(document.id, attachment.id, Path(path), note))

        return upload

    def _open_sign_dialog(self, document, attachment, path: Path, profile, note: str | None, **kwargs) -> SignDialog:
        """With `note` None the signed file stays on this computer (nothing is uploaded)."""
        ctx = replace(self.ctx, upload=self._upload_for(document, attachment, note) if note is not None else None)
        output = self._output_for(path)
        if note is None:
            output = output.with_name(f"{Path(path).stem}_ban_sao.pdf")
        dialog = SignDialog(ctx, path, profile=profile, output_path=output, form=document.summary.form,
                            parent=self.host.parent_widget(), **kwargs)
        dialog.signed.connect(lambda result: self.host.show_signed(result.output_path))
        # iDesk now holds a new version: reload the document so the next action starts from it.
        dialog.controller.uploaded.connect(lambda _result, _version: self.host.refresh_document(document.id))
        self._keep(dialog)
        dialog.open()
        return dialog

    def _keep(self, dialog) -> None:
        """The open dialog (one at a time), forgotten and deleted when it closes."""
        self.dialog = dialog

        def closed(_code) -> None:
            if self.dialog is dialog:
                self.dialog = None
            controller = getattr(dialog, "controller", None)
            if controller is not None and controller.in_flight:
                # Signing or uploading still runs; its results arrive at the dialog's objects.
                controller.settled.connect(dialog.deleteLater)
            else:
                dialog.deleteLater()

        dialog.finished.connect(closed)

    def _output_for(self, path: Path) -> Path:
        folder = Path(self.ctx.work_dir) if getattr(self.ctx, "work_dir", None) else Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        return folder / signed_path_for(Path(path)).name

    # ---- specialist and leader -----------------------------------------------------------

    def sign_initials(self) -> None:
        from app.signing.options import Profile

        self._with_pdf(lambda d, a, p: self._open_sign_dialog(d, a, p, Profile.INITIALS, NOTE_INITIALS), convert=True)

    def sign_leader(self) -> None:
        from app.signing.options import Profile

        self._with_pdf(lambda d, a, p: self._open_sign_dialog(d, a, p, Profile.LEADER, NOTE_LEADER), convert=True)

    def choose_leader_position(self) -> None:
        from app.views.signing.position_dialog import PositionDialog

        def show(document, _attachment, path):
            dialog = PositionDialog(self.ctx, path, form=document.summary.form, parent=self.host.parent_widget())
            self._keep(dialog)
            dialog.open()
            return dialog

        self._with_pdf(show, convert=True)

    def forward_to_clerk(self) -> None:
        document = self.host.current_document()
        if document is None:
            return
        idesk = self.host.idesk()
        self.ctx.runner.run(lambda op: idesk.forward(document.id, "clerk", "Chuyển Văn thư phát hành"), receiver=self,
                            on_success=self._changed, label="forward to clerk")

    # ---- clerk ---------------------------------------------------------------------------

    def _ask_symbol(self) -> str | None:
        settings = self.ctx.settings
        last = str(settings.value(SYMBOL_KEY, "") or "") if settings is not None else ""
        text, ok = QtWidgets.QInputDialog.getText(self.host.parent_widget(), self.tr("Ký hiệu văn bản"),
                                                  self.tr("Ký hiệu (ví dụ KH-STTTT):"), text=last)
        symbol = text.strip().strip("/")
        if not ok or not symbol:
            return None
        if settings is not None:
            settings.setValue(SYMBOL_KEY, symbol)
        return symbol

    def _get_number(self, document, then) -> None:
        """The number from iDesk (next in the year for the symbol) and today's date."""
        if document.id in self.numbers:
            then(*self.numbers[document.id])
            return
        symbol = self.ask_symbol()
        if symbol is None:
            return
        idesk, today = self.host.idesk(), date.today()

        def got(number: str) -> None:
            self.numbers[document.id] = (number, today)
            then(number, today)

        self.ctx.runner.run(lambda op: idesk.next_number(symbol, today.year), receiver=self, on_success=got, label="next number")

    def fill_number_and_date(self) -> None:
        from app.signing.fields import fill_number_and_date

        def with_pdf(document, attachment, path):
            def fill(number, day):
                out = self._output_for(path).with_name(f"{path.stem}_so{path.suffix}")
                upload = self._upload_for(document, attachment, NOTE_NUMBER.format(number=number))

                def work(op):
                    fill_number_and_date(path, out, number=number, release_date=day)
                    return upload(out) if upload else None

                self.ctx.runner.run(work, receiver=self, on_success=lambda _r: self._filled(document, out, number),
                                    label="fill number")

            self._get_number(document, fill)

        self._with_pdf(with_pdf)

    def _filled(self, document, out: Path, number: str) -> None:
        self.message.emit(self.tr("Đã điền số %1 và ngày ban hành.").replace("%1", number))
        self.host.show_signed(out)
        self.host.refresh_document(document.id)

    def sign_seal(self) -> None:
        from app.signing.options import Profile

        def with_pdf(document, attachment, path):
            self._get_number(document, lambda number, day: self._open_sign_dialog(
                document, attachment, path, Profile.SEAL, NOTE_SEAL.format(number=number),
                number=number, release_date=day))

        self._with_pdf(with_pdf)

    def sign_appendix(self) -> None:
        from app.signing.options import Profile

        def with_pdf(document, attachment, path):
            number = self.numbers.get(document.id, (document.summary.number, None))[0]
            self._open_sign_dialog(document, attachment, path, Profile.APPENDIX, NOTE_APPENDIX,
                                   document_number=number or "")

        self._with_pdf(with_pdf)

    def sign_copy(self) -> None:
        from app.signing.options import Profile

        # A copy is a separate document: it is kept locally, never a new version of the original.
        organization = getattr(self.host, "organization", lambda: "")()
        self._with_pdf(lambda d, a, p: self._open_sign_dialog(d, a, p, Profile.COPY, None, copy_org=organization))

    def release_document(self) -> None:
        document = self.host.current_document()
        if document is None:
            return
        number, day = self.numbers.get(document.id, (document.summary.number, date.today()))
        if not number:
            self.message.emit(self.tr("Chưa có số văn bản: hãy điền số hoặc đóng dấu trước khi phát hành."))
            return
        outbox = self.host.outbox()
        if outbox is not None and any(i.document_id == document.id for i in outbox.pending()):
            # Releasing now would publish the version before the seal.
            self.message.emit(self.tr("Tệp đã ký của văn bản chưa gửi lên iDesk; hãy gửi xong rồi phát hành."))
            return
        idesk = self.host.idesk()
        self.ctx.runner.run(lambda op: release_with_result(idesk, document.id, number, day), receiver=self,
                            on_success=self._changed, label="release")

    def _changed(self, document) -> None:
        self.document_changed.emit(document)
        self.host.document_changed(document)

    # ---- batch ---------------------------------------------------------------------------

    def sign_batch(self) -> None:
        """The officer's documents waiting for their signature, ticked in one dialog, one PIN.

        Without such documents (or for a clerk), PDFs are chosen from the computer instead.
        """
        from app.signing.options import Profile

        if Role.LEADER in self.roles:
            profile, steps = Profile.LEADER, ("draft", "initialed")
        elif Role.SPECIALIST in self.roles:
            profile, steps = Profile.INITIALS, ("draft",)
        else:
            self._batch_from_files()
            return
        candidates = [d for d in self.host.batch_candidates() if d.status.value in steps][:BATCH_LIMIT]
        if not candidates:
            self._batch_from_files()
            return
        idesk = self.host.idesk()
        folder = Path(self.ctx.work_dir or Path.cwd()) / "batch"

        def fetch(op):
            found, word_drafts = [], []
            folder.mkdir(parents=True, exist_ok=True)
            for i, summary in enumerate(candidates):
                op.progress(i, len(candidates), summary.summary)
                document = idesk.get_document(summary.id)
                if needs_conversion(document) is not None:
                    # Its PDF is still to be made (or was made from an older source): signed one by one,
                    # after the officer has seen the conversion, never the stale PDF.
                    word_drafts.append(summary.summary)
                    continue
                attachment = signable_attachment(document)
                if attachment is None:
                    continue
                dest = folder / f"{document.id}-{attachment.latest.file.name}"
                idesk.download_file(attachment.latest.file, dest)
                found.append((document, attachment, dest))
            return found, word_drafts

        self.message.emit(self.tr("Đang tải các văn bản chờ ký…"))
        self.ctx.runner.run(fetch, receiver=self, on_success=lambda done: self._open_batch(done[0], profile, done[1]),
                            label="batch fetch")

    def _open_batch(self, found, profile, word_drafts=()) -> None:
        from app.views.signing.batch_dialog import BatchSignDialog

        if word_drafts:
            self.message.emit(self.tr("%1 văn bản soạn bằng Word chưa có bản PDF mới: hãy ký từng văn bản đó.")
                              .replace("%1", str(len(word_drafts))))
        if not found:
            if not word_drafts:
                self.message.emit(self.tr("Không có văn bản nào chờ ký."))
            return
        note = NOTE_LEADER if profile.value == "leader" else NOTE_INITIALS
        uploads = {}
        if self.host.outbox() is not None:
            uploads = {path: self._upload_for(d, a, note) for d, a, path in found}
        dialog = BatchSignDialog(
            self.ctx, [path for _d, _a, path in found], profiles=(profile,), parent=self.host.parent_widget(),
            labels=[d.summary.summary for d, _a, _p in found],
            forms={path: d.summary.form for d, _a, path in found}, uploads=uploads)
        dialog.uploads_done.connect(lambda: self._batch_uploaded({d.id for d, _a, _p in found}))
        self._keep(dialog)
        dialog.open()

    def _batch_uploaded(self, ids: set) -> None:
        """The documents moved on: reload the list, and the selected one if it was signed."""
        self.host.refresh_list()
        current = self.host.current_document()
        if current is not None and current.id in ids:
            self.host.refresh_document(current.id)

    def _batch_from_files(self) -> None:
        from app.views.signing.batch_dialog import BatchSignDialog

        files, _ = QtWidgets.QFileDialog.getOpenFileNames(self.host.parent_widget(), self.tr("Chọn các tệp PDF để ký"),
                                                          "", self.tr("Tệp PDF (*.pdf)"))
        if not files:
            return
        dialog = BatchSignDialog(self.ctx, [Path(f) for f in files], parent=self.host.parent_widget())
        self._keep(dialog)
        dialog.open()
