"""The signing actions for the selected iDesk document, by role (what the main window shows).

Specialist: "Ký nháy". Leader: "Ký số token", "Chuyển Văn thư", "Chọn vị trí trước khi ký số".
Clerk: "Chỉ điền số KH, ngày tháng năm", "Ký số cơ quan (đóng dấu)", "Phát hành", "Ký số phụ lục",
"Ký số bản sao điện tử". Everyone: "Ký số hàng loạt". The rules (which step allows what, which
file, the register, the release guard) are app.services.workflow; this module only asks the
officer and runs the calls through the TaskRunner. Each action is disabled while it runs.
Signed files go to the outbox, which keeps them until iDesk confirms the upload.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from app.domain import Attachment, IDeskDocument, IDeskDocumentSummary, Role
from app.errors import LienThongError
from app.services import workflow
from app.services.word_drafts import ConvertedTarget, named_copy, needs_conversion, upload_signed
from app.services.workflow import Action, Province
from app.text import Text
from app.views.qt import QAction, QObject, QtWidgets, Signal
from app.views.signing.sign_dialog import SignDialog, signed_path_for
from app.views.tasks import Operation

if TYPE_CHECKING:
    from app.services.digo.idesk import IDeskClient
    from app.services.outbox import Outbox
    from app.signing.options import SigningResult
    from app.views.signing.context import SigningContext

log = logging.getLogger(__name__)

BATCH = "batch"


class SigningHost(Protocol):
    """What the signing actions need from the window that shows them (see install.MainWindowHost)."""

    def current_document(self) -> IDeskDocument | None: ...
    def fetch(self, ref: str, on_ready: Callable[[Path], None],
              on_failure: Callable[[BaseException], None] | None = None) -> None: ...
    def idesk(self) -> IDeskClient: ...
    def outbox(self) -> Outbox | None: ...
    def parent_widget(self) -> QtWidgets.QWidget: ...
    def organization(self) -> str: ...
    def show_signed(self, path: Path) -> None: ...
    def document_changed(self, document: IDeskDocument) -> None: ...
    def refresh_document(self, doc_id: str) -> None: ...
    def refresh_list(self) -> None: ...
    def batch_candidates(self) -> list[IDeskDocumentSummary]: ...


def _signed_file(result: SigningResult | Path) -> tuple[Path, tuple[Text, ...]]:
    """The file to upload and the repair warnings: the dialog hands a result, the clerk's steps a path."""
    if isinstance(result, Path):
        return result, ()
    return Path(result.output_path), tuple(result.warnings)


class SigningActions(QObject):
    """QActions for the toolbar/menu; `update_enabled(document)` when the selection changes."""

    document_changed = Signal(object)  # IDeskDocument returned by iDesk after forward/release
    message = Signal(str)

    def __init__(self, host: SigningHost, ctx: SigningContext, roles=(), province: Province | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.host = host
        self.ctx = ctx
        self.roles = set(roles) or {Role.SPECIALIST, Role.LEADER, Role.CLERK}
        self.province = province or Province(ctx.place_name, "")
        self.dialog: QtWidgets.QDialog | None = None  # the open dialog of an action, one at a time
        self._dialog_action: Action | str | None = None  # the action that dialog belongs to
        self.document = None  # the document the enabled states were computed for
        self.running: set = set()  # actions whose flow has not ended (re-entrancy guard)
        self.by_action: dict = {}
        mk = self._action
        self.initials = mk(self.tr("Ký nháy"), self.sign_initials, Action.INITIALS)
        self.sign = mk(self.tr("Ký số token"), self.sign_leader, Action.LEADER)
        self.choose_position = mk(self.tr("Chọn vị trí trước khi ký số"), self.choose_leader_position, Action.POSITION)
        self.forward_clerk = mk(self.tr("Chuyển Văn thư"), self.forward_to_clerk, Action.FORWARD_CLERK)
        self.fill_number = mk(self.tr("Chỉ điền số KH, ngày tháng năm"), self.fill_number_and_date, Action.NUMBER)
        self.seal = mk(self.tr("Ký số cơ quan (đóng dấu)"), self.sign_seal, Action.SEAL)
        self.release = mk(self.tr("Phát hành"), self.release_document, Action.RELEASE)
        self.appendix = mk(self.tr("Ký số phụ lục"), self.sign_appendix, Action.APPENDIX)
        self.copy = mk(self.tr("Ký số bản sao điện tử"), self.sign_copy, Action.COPY)
        self.batch = mk(self.tr("Ký số hàng loạt"), self.sign_batch, BATCH)
        self.update_enabled(None)

    def _action(self, text, slot, action) -> QAction:
        role = workflow.ROLE_OF.get(action) if isinstance(action, Action) else None
        act = QAction(text, self)
        act.triggered.connect(lambda _checked=False: slot())
        act.setVisible(role is None or role in self.roles)
        act.setData(role.value if role else "")
        self.by_action[action] = act
        return act

    def actions(self) -> list[QAction]:
        return [a for a in (self.initials, self.sign, self.choose_position, self.forward_clerk, self.fill_number,
                            self.seal, self.release, self.appendix, self.copy, self.batch) if a.isVisible()]

    def update_enabled(self, document) -> None:
        """Enable what the document's step allows; a disabled action's tooltip says why."""
        self.document = document
        for action, act in self.by_action.items():
            if action in self.running:
                why = self.tr("Đang thực hiện…")
            elif action == BATCH:
                why = ""
            else:
                refusal = workflow.refusal(action, document)
                why = refusal.text(self.ctx.lang) if refusal is not None else ""
            act.setEnabled(not why)
            act.setToolTip(why or act.text())

    # ---- re-entrancy ---------------------------------------------------------------------

    def _begin(self, action) -> bool:
        """Start the action's flow unless it already runs (a double-click does nothing)."""
        if action in self.running:
            return False
        self.running.add(action)
        self.update_enabled(self.document)
        return True

    def _end(self, action, document=None) -> None:
        self.running.discard(action)
        self.update_enabled(document if document is not None else self.host.current_document())

    def _failed(self, action):
        def fail(exc: BaseException) -> None:
            self._end(action)
            self.ctx.runner.report(exc)

        return fail

    def _run(self, action, work, on_success, label: str) -> None:
        """Run `work` for the action; the action ends when it succeeds (after on_success) or fails."""
        def done(result) -> None:
            try:
                on_success(result)
            finally:
                if action in self.running and not self._owned_by_dialog(action):
                    self._end(action, result if isinstance(result, IDeskDocument) else None)

        self.ctx.runner.run(work, receiver=self, on_success=done, on_failure=self._failed(action), label=label)

    def _owned_by_dialog(self, action) -> bool:
        return self.dialog is not None and self._dialog_action == action

    # ---- the file an action acts on ------------------------------------------------------

    def _with_pdf(self, action: Action, then) -> None:
        """Ask which file when the draft leaves a choice, adopt it as the main document, download it
        (in the background), then call then(document, attachment, path).

        A Word main document not yet converted (or changed since) is converted first for the
        specialist's and leader's steps; `attachment` is then a ConvertedTarget. The clerk's steps
        need the signed PDF and stop instead."""
        if not self._begin(action):
            return
        document = self.host.current_document()
        refusal = workflow.refusal(action, document)
        if refusal is not None or document is None:
            self.message.emit((refusal or workflow.NO_DOCUMENT).text(self.ctx.lang))
            self._end(action)
            return
        word = needs_conversion(document)
        if word is not None:
            if action in (Action.INITIALS, Action.LEADER, Action.POSITION):
                self._convert_then(action, document, word, then)
            else:
                self.message.emit(self.tr("Tệp Word của văn bản chưa được chuyển sang PDF và ký, hoặc đã sửa sau "
                                          "khi ký: cần ký nháy hoặc ký lại bản PDF mới trước."))
                self._end(action)
            return
        choices = workflow.file_choices(document, action)
        preselected = workflow.preselected(document, action)
        if preselected is not None and len(choices) == 1:
            self._adopt_and_fetch(action, document, preselected, then)
            return
        self.choose_file(action, document, choices, preselected, then)

    def _convert_then(self, action: Action, document, word, then) -> None:
        """Download the Word source, convert it (cached by its SHA-256) and hand over the PDF."""
        conversions = self.ctx.conversions
        if conversions is None:
            self.message.emit(self.tr("Không chuyển được tệp Word sang PDF trên máy này."))
            self._end(action)
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

            self.ctx.runner.run(work, receiver=self, on_success=converted, on_failure=self._failed(action),
                                label=f"convert {word.source.name}")

        self.message.emit(self.tr("Đang chuyển \"%1\" sang PDF để ký…").replace("%1", word.source.name))
        self.host.fetch(word.source.latest.file, convert, self._failed(action))

    def choose_file(self, action: Action, document, choices, preselected, then) -> None:
        from app.views.signing.step_dialogs import FileChoiceDialog

        dialog = FileChoiceDialog(choices, preselected, self.by_action[action].text(), lang=self.ctx.lang,
                                  parent=self.host.parent_widget())
        dialog.hint.setVisible(action in workflow.MAIN_ACTIONS and action is not Action.COPY)
        dialog.chosen.connect(lambda attachment: self._adopt_and_fetch(action, document, attachment, then))
        dialog.rejected.connect(lambda: self._end(action))
        self._keep(dialog, action)
        dialog.open()

    def _adopt_and_fetch(self, action: Action, document, attachment, then) -> None:
        def fetch(_result=None) -> None:
            self.host.fetch(attachment.latest.file, lambda path: then(document, attachment, Path(path)),
                            self._failed(action))

        if workflow.adopt_needed(document, action, attachment):
            idesk = self.host.idesk()

            def adopted(_changed) -> None:
                self.host.refresh_document(document.id)
                fetch()

            self.ctx.runner.run(lambda op: workflow.adopt(idesk, document, action, attachment), receiver=self,
                                on_success=adopted, on_failure=self._failed(action), label="main document")
        else:
            fetch()

    def _upload_for(self, document, attachment, note: str):
        outbox = self.host.outbox()
        if outbox is None:
            return None
        if isinstance(attachment, ConvertedTarget):
            idesk = self.host.idesk()

            def upload_converted(result_or_path: SigningResult | Path):
                from app.signing.repair import version_note

                path, warnings = _signed_file(result_or_path)
                return upload_signed(idesk, outbox, document, attachment, path, version_note(note, warnings))

            return upload_converted

        def upload(result_or_path: SigningResult | Path):
            from app.signing.repair import version_note

            # A repaired copy was signed: the outbox entry and iDesk's version note say so.
            path, warnings = _signed_file(result_or_path)
            return outbox.upload(outbox.put(document.id, attachment.id, path, version_note(note, warnings)))

        return upload

    def _open_sign_dialog(self, action: Action, document, attachment, path: Path, profile, **kwargs) -> SignDialog:
        """The signed file is uploaded as a new version, except a copy (kept on this computer)."""
        note = workflow.version_note(action, kwargs.get("number") or "")
        ctx = replace(self.ctx, upload=self._upload_for(document, attachment, note) if note is not None else None)
        output = self._output_for(path)
        if note is None:
            output = output.with_name(f"{Path(path).stem}_ban_sao.pdf")
        dialog = SignDialog(ctx, path, profile=profile, output_path=output, form=document.summary.form,
                            document_name=attachment.name, parent=self.host.parent_widget(), **kwargs)
        dialog.signed.connect(lambda result: self.host.show_signed(result.output_path))
        # iDesk now holds a new version: reload the document so the next action starts from it.
        dialog.controller.uploaded.connect(lambda _result, _version: self.host.refresh_document(document.id))
        dialog.finished.connect(lambda _code: self._end(action))
        self._keep(dialog, action)
        dialog.open()
        return dialog

    def _keep(self, dialog: QtWidgets.QDialog, action: Action | str) -> None:
        """The open dialog of `action` (one at a time), forgotten and deleted when it closes."""
        self.dialog, self._dialog_action = dialog, action

        def closed(_code) -> None:
            if self.dialog is dialog:
                self.dialog, self._dialog_action = None, None
            controller = getattr(dialog, "controller", None)
            if controller is not None and controller.in_flight:
                # Signing or uploading still runs; its results arrive at the dialog's objects.
                controller.settled.connect(dialog.deleteLater)
            else:
                dialog.deleteLater()

        dialog.finished.connect(closed)

    def _output_for(self, path: Path) -> Path:
        folder = Path(self.ctx.work_dir) if self.ctx.work_dir else Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        return folder / signed_path_for(Path(path)).name

    # ---- specialist and leader -----------------------------------------------------------

    def sign_initials(self) -> None:
        from app.signing.options import Profile

        self._with_pdf(Action.INITIALS, lambda d, a, p: self._open_sign_dialog(Action.INITIALS, d, a, p,
                                                                               Profile.INITIALS))

    def sign_leader(self) -> None:
        from app.signing.options import Profile

        self._with_pdf(Action.LEADER, lambda d, a, p: self._open_sign_dialog(Action.LEADER, d, a, p, Profile.LEADER))

    def choose_leader_position(self) -> None:
        from app.views.signing.position_dialog import PositionDialog

        def show(document, _attachment, path):
            dialog = PositionDialog(self.ctx, path, form=document.summary.form, parent=self.host.parent_widget())
            dialog.finished.connect(lambda _code: self._end(Action.POSITION))
            self._keep(dialog, Action.POSITION)
            dialog.open()
            return dialog

        self._with_pdf(Action.POSITION, show)

    def forward_to_clerk(self) -> None:
        if not self._begin(Action.FORWARD_CLERK):
            return
        document = self.host.current_document()
        if document is None:
            self._end(Action.FORWARD_CLERK)
            return
        idesk = self.host.idesk()
        self._run(Action.FORWARD_CLERK, lambda op: idesk.forward(document.id, "clerk", "Chuyển Văn thư phát hành"),
                  self._changed, "forward to clerk")

    # ---- clerk ---------------------------------------------------------------------------

    def _get_number(self, action: Action, document, attachment, path: Path, then) -> None:
        """The document's registered number and date; else propose one from the iDesk register,
        let the clerk edit it, and register it before anything is printed.

        A registered number cannot be taken back, so the file is checked first: it must have the
        reserved fields, and the symbol printed after "Số:" must be the number's."""
        from app.signing.fields import check_fillable

        if document.summary.number:
            then(document.summary.number, document.summary.release_date or date.today())
            return
        idesk, today = self.host.idesk(), date.today()

        def propose(op):
            check_fillable(path, None, None)
            return workflow.propose_number(idesk, document, self.province, today)

        self.ctx.runner.run(propose, receiver=self,
                            on_success=lambda proposal: self.ask_number(action, document, attachment, proposal, then,
                                                                        path),
                            on_failure=self._failed(action), label="next number")

    def ask_number(self, action: Action, document, attachment, proposal, then, path: Path | None = None) -> None:
        from app.signing.fields import check_fillable
        from app.views.signing.step_dialogs import NumberDialog

        dialog = NumberDialog(proposal, attachment.name, lang=self.ctx.lang, parent=self.host.parent_widget())
        idesk = self.host.idesk()

        def registered(fresh) -> None:
            self.host.refresh_document(fresh.id)
            then(fresh.summary.number, fresh.summary.release_date or proposal.day)

        def register(op, number: str, day: date):
            if path is not None:
                check_fillable(path, number, day)
            return workflow.register_number(idesk, document, number, day)

        dialog.numbered.connect(lambda number, day: self.ctx.runner.run(
            lambda op: register(op, number, day), receiver=self, on_success=registered,
            on_failure=self._failed(action), label="register number"))

        def proposal_failed(exc: BaseException) -> None:
            if isinstance(exc, LienThongError):
                dialog.proposal_failed(exc.message(self.ctx.lang))
            else:
                self.ctx.runner.report(exc)

        dialog.symbol_changed.connect(lambda symbol: self.ctx.runner.run(
            lambda op: workflow.propose_number(idesk, document, self.province, dialog.day(), symbol),
            receiver=dialog, on_success=lambda fresh: dialog.propose(fresh.number), on_failure=proposal_failed,
            label="next number"))
        dialog.rejected.connect(lambda: self._end(action))
        self._keep(dialog, action)
        dialog.open()

    def fill_number_and_date(self) -> None:
        from app.signing.fields import fill_number_and_date

        def with_pdf(document, attachment, path):
            def fill(number, day):
                out = self._output_for(path).with_name(f"{path.stem}_so{path.suffix}")
                upload = self._upload_for(document, attachment, _uploaded_note(Action.NUMBER, number))

                def work(op):
                    fill_number_and_date(path, out, number=number, release_date=day)
                    return upload(out) if upload else None

                self.ctx.runner.run(work, receiver=self, on_success=lambda _r: self._filled(document, out, number),
                                    on_failure=self._failed(Action.NUMBER), label="fill number")

            self._get_number(Action.NUMBER, document, attachment, path, fill)

        self._with_pdf(Action.NUMBER, with_pdf)

    def _filled(self, document, out: Path, number: str) -> None:
        self._end(Action.NUMBER)
        self.message.emit(self.tr("Đã điền số %1 và ngày ban hành.").replace("%1", number))
        self.host.show_signed(out)
        self.host.refresh_document(document.id)

    def sign_seal(self) -> None:
        from app.signing.options import Profile

        def with_pdf(document, attachment, path):
            self._get_number(Action.SEAL, document, attachment, path, lambda number, day: self._open_sign_dialog(
                Action.SEAL, document, attachment, path, Profile.SEAL, number=number, release_date=day))

        self._with_pdf(Action.SEAL, with_pdf)

    def sign_appendix(self) -> None:
        from app.signing.options import Profile

        self._with_pdf(Action.APPENDIX, lambda d, a, p: self._open_sign_dialog(
            Action.APPENDIX, d, a, p, Profile.APPENDIX, document_number=d.summary.number or ""))

    def sign_copy(self) -> None:
        from app.signing.options import Profile

        # A copy is a separate document: it is kept locally, never a new version of the original.
        organization = self.host.organization()
        self._with_pdf(Action.COPY, lambda d, a, p: self._open_sign_dialog(Action.COPY, d, a, p, Profile.COPY,
                                                                           copy_org=organization))

    def release_document(self) -> None:
        if not self._begin(Action.RELEASE):
            return
        document = self.host.current_document()
        outbox = self.host.outbox()
        pending = [i.document_id for i in outbox.pending()] if outbox is not None else []
        refusal = workflow.release_refusal(document, pending) if document is not None else workflow.NO_DOCUMENT
        if refusal is not None or document is None:
            self.message.emit((refusal or workflow.NO_DOCUMENT).text(self.ctx.lang))
            self._end(Action.RELEASE)
            return
        idesk = self.host.idesk()
        self._run(Action.RELEASE, lambda op: workflow.release(idesk, idesk.get_document(document.id), pending),
                  self._changed, "release")

    def _changed(self, document) -> None:
        self.document_changed.emit(document)
        self.host.document_changed(document)

    # ---- batch ---------------------------------------------------------------------------

    def sign_batch(self) -> None:
        """The officer's documents waiting for their signature, ticked in one dialog, one PIN.

        Without such documents (or for a clerk), PDFs are chosen from the computer instead.
        """
        from app.signing.options import Profile

        if not self._begin(BATCH):
            return
        action = workflow.batch_action(self.roles)
        candidates = workflow.batch_candidates(self.host.batch_candidates(), self.roles)
        if action is None or not candidates:
            self._batch_from_files()
            return
        profile = Profile.LEADER if action is Action.LEADER else Profile.INITIALS
        idesk = self.host.idesk()
        folder = Path(self.ctx.work_dir or Path.cwd()) / "batch"

        def fetch(op: Operation) -> tuple[list[tuple[IDeskDocument, Attachment, Path]], int, list[str]]:
            found: list[tuple[IDeskDocument, Attachment, Path]] = []
            skipped, word_drafts = 0, []
            folder.mkdir(parents=True, exist_ok=True)
            for i, summary in enumerate(candidates):
                op.progress(i, len(candidates), summary.summary)
                document = idesk.get_document(summary.id)
                if needs_conversion(document) is not None:
                    # Its PDF is still to be made (or was made from an older source): signed one by one,
                    # after the officer has seen the conversion, never the stale PDF.
                    word_drafts.append(summary.summary)
                    continue
                attachment = workflow.preselected(document, action)
                if attachment is None or attachment.latest is None:
                    skipped += 1  # no main document marked: never guess which file to sign
                    continue
                latest = attachment.latest
                # The local name comes from ids only, never from a server file name.
                key = hashlib.sha256(f"{document.id}/{attachment.id}/{latest.version}".encode()).hexdigest()
                dest = folder / f"{key[:24]}.pdf"
                idesk.download_file(latest.file, dest)
                found.append((document, attachment, dest))
            return found, skipped, word_drafts

        self.message.emit(self.tr("Đang tải các văn bản chờ ký…"))
        def fetched(result: tuple[list[tuple[IDeskDocument, Attachment, Path]], int, list[str]]) -> None:
            found, skipped, word_drafts = result
            self._open_batch(found, skipped, word_drafts, profile, action)

        self._run(BATCH, fetch, fetched, "batch fetch")

    def _open_batch(self, found, skipped, word_drafts, profile, action) -> None:
        from app.views.signing.batch_dialog import BatchSignDialog

        if skipped:
            self.message.emit(self.tr("%1 văn bản chưa có văn bản chính nên không được đưa vào ký hàng loạt.")
                              .replace("%1", str(skipped)))
        if word_drafts:
            self.message.emit(self.tr("%1 văn bản soạn bằng Word chưa có bản PDF mới: hãy ký từng văn bản đó.")
                              .replace("%1", str(len(word_drafts))))
        if not found:
            if not skipped and not word_drafts:
                self.message.emit(self.tr("Không có văn bản nào chờ ký."))
            return
        note = _uploaded_note(action)
        uploads = {}
        if self.host.outbox() is not None:
            uploads = {path: self._upload_for(d, a, note) for d, a, path in found}
        dialog = BatchSignDialog(
            self.ctx, [path for _d, _a, path in found], profiles=(profile,), parent=self.host.parent_widget(),
            labels=[f"{d.summary.summary} — {a.name}" for d, a, _p in found],
            forms={path: d.summary.form for d, _a, path in found}, uploads=uploads)
        dialog.uploads_done.connect(lambda: self._batch_uploaded({d.id for d, _a, _p in found}))
        dialog.finished.connect(lambda _code: self._end(BATCH))
        self._keep(dialog, BATCH)
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
            self._end(BATCH)
            return
        dialog = BatchSignDialog(self.ctx, [Path(f) for f in files], parent=self.host.parent_widget())
        dialog.finished.connect(lambda _code: self._end(BATCH))
        self._keep(dialog, BATCH)
        dialog.open()


def _uploaded_note(action: Action, number: str = "") -> str:
    """The note of the version `action` uploads (the actions here all upload one)."""
    note = workflow.version_note(action, number)
    if note is None:
        raise ValueError(f"{action} keeps its result on this computer")
    return note
