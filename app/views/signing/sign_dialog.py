"""`SignDialog` ("Ký số token"): place the signature, choose what it shows, sign, see the result.

Left: the document in a `PdfPreview` with the placement overlay. Right, in a scroll area so no
group is squeezed away: token and certificate, the placements, the visible signature's content
(or the copy's form and organization), the TSA; below it "Áp dụng", which signs through the
`SigningController`. The signed file opens in the preview with its verification status.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import CancelledError, LienThongError, error_text
from app.fileio import sha256_file
from app.views.pdf.placement_panel import PlacementPanel
from app.views.pdf.preview import PdfPreview
from app.views.qt import QDialog, QImage, QLabel, Qt, QtWidgets, Signal
from app.views.signing.controller import SigningController
from app.views.signing.holder_check import HolderWarning
from app.views.signing.images import box_size_for
from app.views.signing.token_picker import TokenPicker
from app.views.signing.verification_panel import VerificationPanel
from app.views.window_state import resize_within_screen

if TYPE_CHECKING:
    from app.signing.certinfo import CertificateInfo
    from app.signing.options import SigningResult

log = logging.getLogger(__name__)

TSA_KEY = "signing/use_tsa"
# Written into the copy's visible signature (Decree 30), so never translated.
COPY_FORMS = ("Sao y", "Sao lục", "Trích sao")


def show_signature(preview, page: int, rect) -> None:
    """Scroll the preview to a signature's widget, or to its page when it has no visible box."""
    if rect is not None:
        preview.show_rect(page, rect)
    else:
        preview.go_to_page(page)


def signed_path_for(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}_da_ky{path.suffix or '.pdf'}")


class SignDialog(QDialog):
    signed = Signal(object)  # SigningResult

    def __init__(self, ctx, pdf_path, *, profile=None, output_path=None, form: str = "",
                 number: str | None = None, release_date: date | None = None, document_number: str = "",
                 reason: str = "", pdf_password: str | None = None, copy_form: str = "", copy_org: str = "",
                 document_name: str = "", parent=None) -> None:
        super().__init__(parent)
        from app.signing.options import Profile

        self.ctx = ctx
        self.pdf_path = Path(pdf_path)
        self.profile = profile or Profile.LEADER
        self.output_path = Path(output_path) if output_path else signed_path_for(self.pdf_path)
        self.form = form
        self.number, self.release_date = number, release_date
        self.document_number, self.reason, self.pdf_password = document_number, reason, pdf_password
        self._copy_defaults = (copy_form, copy_org)
        self.signing_result: SigningResult | None = None  # once signed (QDialog.result() is the dialog code)
        # The damaged original when the officer chose to review and sign a repaired copy of it.
        self.repaired_from: Path | None = None
        self._repair_folder: Path | None = None
        self._started_with: CertificateInfo | None = None  # the certificate the last "Áp dụng" used
        self.images = ctx.images()
        self.image_path = self.images.image_for(self.profile)
        self.document_name = document_name or self.pdf_path.name
        # What you see is what you sign: the digest of the bytes the preview shows, checked at "Áp dụng".
        self.previewed_sha256 = sha256_file(self.pdf_path)
        titles = {
            Profile.LEADER: self.tr("Ký số token — %1"),
            Profile.INITIALS: self.tr("Ký nháy — %1"),
            Profile.SEAL: self.tr("Ký số cơ quan (đóng dấu) — %1"),
            Profile.APPENDIX: self.tr("Ký số phụ lục — %1"),
            Profile.COPY: self.tr("Ký số bản sao điện tử — %1"),
        }
        self.setWindowTitle(titles[self.profile].replace("%1", self.document_name))
        self.controller = SigningController(ctx.runner, ctx.broker, upload=ctx.upload,
                                            validation_context=ctx.validation_context, parent=self)
        ctx.broker.parent_widget = self
        self._build()
        self._wire()
        self.preview.open(self.pdf_path, pdf_password)
        self.picker.start(watch=ctx.watch_tokens)

    # ---- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        from app.signing.options import Profile

        self.preview = PdfPreview(self, renderer=self.ctx.renderer)
        box_size = box_size_for(self.image_path or self._sample_image(), self.images.width_pt)
        image = QImage(str(self.image_path or self._sample_image()))
        self.placement = PlacementPanel(self.preview, runner=self.ctx.runner, proposer=self._proposer(box_size),
                                        box_size=box_size, image=image, parent=self)
        # Only the leader's signature is placed by hand; the engine places the others (Decree 30).
        self.placement.setVisible(self.profile is Profile.LEADER)
        self.picker = TokenPicker(self.ctx.runner, self.ctx.service, settings=self.ctx.settings,
                                  p12_path=self.ctx.p12_path, remote_sources=self.ctx.remote_sources,
                                  profile=self.profile.value, server_profile=self.ctx.server_profile, parent=self)
        self.holder_warning = HolderWarning(self.picker, self.ctx.user, lambda: self.profile, self.ctx.lang, self)

        self.show_image = QtWidgets.QCheckBox(self.tr("Hiển thị ảnh chữ ký"), self)
        self.show_signer = QtWidgets.QCheckBox(self.tr("Ký bởi"), self)
        self.show_time = QtWidgets.QCheckBox(self.tr("Thời gian ký"), self)
        self.show_org = QtWidgets.QCheckBox(self.tr("Cơ quan"), self)
        self.show_email = QtWidgets.QCheckBox(self.tr("Email"), self)
        for box, on in ((self.show_image, True), (self.show_signer, True), (self.show_time, True),
                        (self.show_org, False), (self.show_email, False)):
            box.setChecked(on)
        self.font_size = QtWidgets.QDoubleSpinBox(self)
        self.font_size.setDecimals(0)  # whole points, as the officers choose them in Word
        self.font_size.setRange(6, 16)
        self.font_size.setValue(9)
        appearance = QtWidgets.QGroupBox(self.tr("Nội dung chữ ký hiển thị"), self)
        grid = QtWidgets.QGridLayout(appearance)
        for i, w in enumerate((self.show_image, self.show_signer, self.show_time, self.show_org, self.show_email)):
            grid.addWidget(w, i // 2, i % 2)
        grid.addWidget(QtWidgets.QLabel(self.tr("Cỡ chữ"), appearance), 3, 0)
        grid.addWidget(self.font_size, 3, 1)
        appearance.setVisible(self.profile is Profile.LEADER)

        self.copy_group = self._copy_inputs()
        self.copy_group.setVisible(self.profile is Profile.COPY)
        self._build_tsa()

        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("signStatus")
        self.verification = VerificationPanel(self.ctx.runner, trust=self.ctx.trust,
                                              extra_trust_dirs=self.ctx.extra_trust_dirs, lang=self.ctx.lang,
                                              parent=self)
        self.verification.hide()
        self.sign_button = QtWidgets.QPushButton(self.tr("Áp dụng"), self)
        self.sign_button.setDefault(True)
        self.sign_button.setEnabled(False)
        self.cancel_button = QtWidgets.QPushButton(self.tr("Hủy ký"), self)
        self.cancel_button.hide()
        self.repair_button = QtWidgets.QPushButton(self.tr("Xem bản sửa lại"), self)
        self.repair_button.hide()
        self.close_button = QtWidgets.QPushButton(self.tr("Đóng"), self)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.cancel_button, self.repair_button, self.sign_button, self.close_button):
            buttons.addWidget(b)

        side = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(side)
        self.file_label = QtWidgets.QLabel(side)
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.file_label.setObjectName("signFile")
        self._show_file_label(0)
        col.addWidget(self.file_label)
        col.addWidget(QtWidgets.QLabel(self.tr("Chứng thư số"), side))
        col.addWidget(self.picker)
        col.addWidget(self.holder_warning)
        self.placement.setMinimumHeight(200)
        col.addWidget(self.placement)
        # The TSA note sits outside its group so it stays readable while the group is off.
        widgets: tuple[QtWidgets.QWidget, ...] = (
            appearance, self.copy_group, self.tsa_note, self.tsa_group, self.verification
        )
        for widget in widgets:
            col.addWidget(widget)
        col.addStretch(1)
        self.side_scroll = QtWidgets.QScrollArea(self)
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setWidget(side)
        right = QtWidgets.QWidget(self)
        right.setMinimumWidth(380)
        right_col = QtWidgets.QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.addWidget(self.side_scroll, 1)
        # Progress, status and buttons stay in view however far the options are scrolled.
        right_col.addWidget(self.progress)
        right_col.addWidget(self.status)
        right_col.addLayout(buttons)
        self.splitter = QtWidgets.QSplitter(self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([760, 420])
        outer = QtWidgets.QVBoxLayout(self)
        outer.addWidget(self.splitter)
        resize_within_screen(self, 1200, 800)

    def _show_file_label(self, pages: int) -> None:
        """Which file is signed: its name, page count and a short fingerprint (SHA-256)."""
        fingerprint = self.previewed_sha256[:16].upper()
        fingerprint = " ".join(fingerprint[i:i + 4] for i in range(0, 16, 4))
        name = self.document_name if self.repaired_from is None else \
            self.tr("%1 (bản sửa lại)").replace("%1", self.document_name)
        text = self.tr("Tệp ký: %1\nSố trang: %2 · Mã SHA-256: %3…").replace("%1", name) \
            .replace("%2", str(pages) if pages else "…").replace("%3", fingerprint)
        self.file_label.setText(text)

    def _copy_inputs(self) -> QtWidgets.QGroupBox:
        """The electronic copy's form (Sao y, Sao lục, Trích sao) and the copying organization."""
        form, org = self._copy_defaults
        group = QtWidgets.QGroupBox(self.tr("Bản sao điện tử"), self)
        self.copy_form = QtWidgets.QComboBox(group)
        self.copy_form.setEditable(True)
        self.copy_form.addItems(COPY_FORMS)
        if form:
            self.copy_form.setCurrentText(form)
        self.copy_org = QtWidgets.QLineEdit(org, group)
        layout = QtWidgets.QFormLayout(group)
        layout.addRow(self.tr("Hình thức sao"), self.copy_form)
        layout.addRow(self.tr("Cơ quan sao"), self.copy_org)
        self.copy_org.textChanged.connect(lambda _t: self._update_enabled())
        return group

    def _build_tsa(self) -> None:
        """The TSA from the server profile; a training profile without one signs without a timestamp."""
        self.tsa_group = QtWidgets.QGroupBox(self.tr("Gắn nhãn thời gian (TSA)"), self)
        self.tsa_group.setCheckable(True)
        remembered = self.ctx.settings.value(TSA_KEY, True) if self.ctx.settings is not None else True
        self.tsa_group.setChecked(bool(self.ctx.tsa_url) and str(remembered).lower() not in ("false", "0"))
        self.tsa_url = QtWidgets.QLineEdit(self.ctx.tsa_url, self.tsa_group)
        self.tsa_user = QtWidgets.QLineEdit(getattr(self.ctx, "tsa_username", "") or "", self.tsa_group)
        self.tsa_password = QtWidgets.QLineEdit(self.tsa_group)
        self.tsa_password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.tsa_note = QtWidgets.QLabel(self.tr("Máy chủ tập huấn không có dịch vụ TSA: chữ ký không gắn nhãn "
                                                 "thời gian."), self)
        self.tsa_note.setWordWrap(True)
        self.tsa_note.setVisible(not self.ctx.tsa_url)
        tsa_form = QtWidgets.QFormLayout(self.tsa_group)
        tsa_form.addRow(self.tr("Địa chỉ TSA"), self.tsa_url)
        tsa_form.addRow(self.tr("Tài khoản"), self.tsa_user)
        tsa_form.addRow(self.tr("Mật khẩu"), self.tsa_password)

    def _sample_image(self) -> Path:
        from app.signing.profiles import sample_image

        return sample_image(self.profile)

    def _proposer(self, box_size):
        proposer, profile = self.ctx.proposer, self.profile
        if proposer is None:
            return None
        return lambda path: proposer(Path(path), profile, box_size)

    def _wire(self) -> None:
        self.picker.choice_changed.connect(lambda _c: self._update_enabled())
        self.placement.placements_changed.connect(self._update_enabled)
        self.preview.document_opened.connect(self._document_opened)
        self.preview.open_failed.connect(lambda e: self._show_error(e))
        self.verification.signature_activated.connect(lambda page, rect: show_signature(self.preview, page, rect))
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.cancel)
        self.repair_button.clicked.connect(self.preview_repaired)
        self.close_button.clicked.connect(self.reject)
        c = self.controller
        c.progress.connect(self.status.setText)
        c.signed.connect(self._signed)
        c.failed.connect(self._failed)
        c.busy_changed.connect(self._busy)
        c.uploaded.connect(lambda _r, _x: self.status.setText(self.tr("Đã ký và gửi tệp lên máy chủ.")))
        c.upload_failed.connect(lambda _r, e: self.status.setText(
            self.tr("Đã ký; chưa gửi được tệp lên máy chủ, tệp được giữ lại để gửi sau: %1")
            .replace("%1", error_text(e, self.ctx.lang))))

    def _document_opened(self, _path: str) -> None:
        if self.signing_result is not None:
            return
        if self.preview.password:
            self.pdf_password = self.preview.password  # typed into the preview's password bar
        self._show_file_label(self.preview.page_count)
        memory = self.ctx.memory
        if memory is not None and self.form:
            try:
                remembered = memory.recall(self.form, self.profile, self.preview.page_count)
            except Exception as exc:  # a broken memory file must not block signing
                log.warning("placement memory: %s", exc)
                remembered = None
            if remembered is not None:
                self.placement.set_placements([remembered])
        self._update_enabled()

    def _needs_placement(self) -> bool:
        from app.signing.options import Profile

        return self.profile is Profile.LEADER

    def _update_enabled(self) -> None:
        from app.signing.options import Profile

        ready = (self.picker.ready() and self.preview.page_count > 0
                 and (not self._needs_placement() or bool(self.placement.placements()))
                 and (self.profile is not Profile.COPY or bool(self.copy_org.text().strip()))
                 and not self.controller.busy and self.signing_result is None)
        self.sign_button.setEnabled(ready)

    # ---- signing -------------------------------------------------------------------------

    def build_request(self):
        from app.signing.options import AppearanceOptions, SigningRequest, TsaConfig

        options = AppearanceOptions(
            show_image=self.show_image.isChecked(), show_signer=self.show_signer.isChecked(),
            show_time=self.show_time.isChecked(), show_org=self.show_org.isChecked(),
            show_email=self.show_email.isChecked(), font_size=self.font_size.value(),
            image_path=self.image_path, seal_size_mm=self.images.seal_size_mm,
            document_number=self.document_number,
            copy_form=self.copy_form.currentText().strip(), copy_org=self.copy_org.text().strip(),
        )
        tsa = None
        if self.tsa_group.isChecked() and self.tsa_url.text().strip():
            tsa = TsaConfig(self.tsa_url.text().strip(), self.tsa_user.text().strip() or None,
                            self.tsa_password.text() or None, fallback_urls=self.ctx.tsa_fallback_urls,
                            memory=self.ctx.tsa_memory, verify=self.ctx.tsa_verify,
                            plain_http_credentials=self.ctx.tsa_plain_http_credentials)
        placements = self.placement.placements() if self._needs_placement() else ()
        return SigningRequest(
            input_path=self.pdf_path, output_path=self.output_path, profile=self.profile,
            placements=placements, options=options, tsa=tsa, reason=self.reason,
            pdf_password=self.pdf_password, number=self.number, release_date=self.release_date,
            place_name=self.ctx.place_name, expected_sha256=self.previewed_sha256,
            repaired_from=self.repaired_from,
        )

    def sign(self) -> None:
        self._sign(ask_holder=True)

    def _sign(self, *, ask_holder: bool) -> None:
        source = self.picker.source()
        if source is None or (ask_holder and not self.holder_warning.confirmed(self)):
            return
        self._started_with = self.picker.certificate()
        request = self.build_request()
        self.picker.remember()
        if self.ctx.settings is not None and self.ctx.tsa_url:
            self.ctx.settings.setValue(TSA_KEY, self.tsa_group.isChecked())
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang chờ nhập mã PIN…"))
        self.controller.sign(request, source)

    def preview_repaired(self) -> None:
        """Make a repaired copy of the damaged original (which stays as it is) and show it: the
        officer reviews it, places the signature again, and "Áp dụng" signs exactly that copy."""
        from app.signing.repair import write_repaired_copy

        self.repair_button.setEnabled(False)
        if self._repair_folder is None:
            self._repair_folder = Path(tempfile.mkdtemp(prefix="lienthong-repaired-"))
        original, folder = self.pdf_path, self._repair_folder
        repair = self.ctx.repairer or write_repaired_copy
        self.ctx.runner.run(lambda op: repair(original, folder), receiver=self,
                            on_success=self._show_repaired, on_failure=self._repair_failed, label="repaired copy")

    def _show_repaired(self, made: tuple[Path, str]) -> None:
        from app.signing.repair import REPAIR_READY

        copy, digest = made
        self.repaired_from, self.pdf_path, self.previewed_sha256 = self.pdf_path, copy, digest
        self.repair_button.hide()
        self.status.setStyleSheet("")
        self.status.setText(REPAIR_READY.render(self.ctx.lang))
        self.preview.open(copy)

    def _repair_failed(self, exc: BaseException) -> None:
        self.repair_button.hide()
        self._show_error(exc)

    def cancel(self) -> None:
        self.controller.cancel()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.close_button.setEnabled(not busy)
        self._update_enabled()

    def _signed(self, result) -> None:
        self.signing_result = result
        self._remember()
        self.status.setStyleSheet("color: #1b7f3b;")
        text = self.tr("Đã ký số (PAdES %1): %2")
        text = text.replace("%1", result.level).replace("%2", Path(result.output_path).name)
        from app.signing.repair import REPAIRED_NOTE, was_repaired

        if was_repaired(result.warnings):
            text += "\n" + REPAIRED_NOTE.render(self.ctx.lang)
        self.status.setText(text)
        self.placement.hide()
        self.placement.set_active(False)
        self.preview.open(result.output_path)
        self.verification.show()
        self.verification.show_file(result.output_path,
                                    notes=(REPAIRED_NOTE,) if was_repaired(result.warnings) else ())
        self._update_enabled()
        self.signed.emit(result)

    def _remember(self) -> None:
        memory, placements = self.ctx.memory, self.placement.placements()
        if memory is None or not self.form or not placements or not self._needs_placement():
            return
        try:
            memory.remember(self.form, self.profile, placements[0], self.preview.page_count)
        except Exception as exc:
            log.warning("placement memory: %s", exc)

    def _failed(self, exc: BaseException) -> None:
        from app.signing.errors import CorruptPdfError, PasswordRequiredError
        from app.signing.token_errors import PinCancelledError

        if isinstance(exc, (PinCancelledError, CancelledError)):
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Đã hủy ký số."))
            return
        if isinstance(exc, PasswordRequiredError):
            password, ok = QtWidgets.QInputDialog.getText(
                self, self.tr("Mật khẩu tệp PDF"), exc.message(self.ctx.lang), QtWidgets.QLineEdit.EchoMode.Password
            )
            if ok and password:
                self.pdf_password = password
                # The same "Áp dụng" goes on: the certificate question was answered before it
                # started, unless another certificate has been chosen since.
                self._sign(ask_holder=self.picker.certificate() != self._started_with)
                return
        self._show_error(exc)
        if isinstance(exc, CorruptPdfError) and self.repaired_from is None:
            self._offer_repair()

    def _offer_repair(self) -> None:
        """A damaged original: offer to sign a repaired copy, or say why that cannot be."""
        from app.signing.repair import REPAIR_OFFER, REPAIR_REFUSED, repair_choice

        try:
            choice = repair_choice(self.pdf_path)
        except OSError:
            return
        note = REPAIR_OFFER if choice == "offer" else REPAIR_REFUSED
        self.status.setText(self.status.text() + "\n\n" + note.render(self.ctx.lang))
        self.repair_button.setVisible(choice == "offer")

    def _show_error(self, exc: BaseException) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(error_text(exc, self.ctx.lang))
        if not isinstance(exc, LienThongError):
            log.error("signing failed", exc_info=exc)

    def done(self, code: int) -> None:
        if self.controller.busy:
            self.controller.cancel()
        self.picker.stop()
        self.preview.close_document()
        folder = self._repair_folder
        if folder is not None:
            # The copy was read whole when signing started; the signed output is what is kept.
            if self.controller.in_flight:
                self.controller.settled.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
            else:
                shutil.rmtree(folder, ignore_errors=True)
        super().done(code)

    def closeEvent(self, event) -> None:
        if self.controller.busy:
            self.controller.cancel()
        super().closeEvent(event)
