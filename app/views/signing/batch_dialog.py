"""Batch signing: tick several PDFs, one PIN, one progress bar, a result per document.

The leader's box on each document comes from the remembered position for the form or the
engine's auto-placement (computed in the background); other profiles are placed by the engine.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import error_text
from app.views.plain import tooltip
from app.views.qt import QDialog, QLabel, Qt, QtWidgets, Signal
from app.views.signing.controller import SigningController
from app.views.signing.holder_check import HolderWarning
from app.views.signing.images import box_size_for
from app.views.signing.sign_dialog import TSA_KEY, signed_path_for
from app.views.signing.token_picker import TokenPicker

RESULT_WIDTH = 280  # px: "Đã ký và gửi lên iDesk (PAdES B-T)" whole; a longer reason is in the tooltip


class BatchSignDialog(QDialog):
    """`files`: PDFs to sign. Optional per file: `labels` (row text, e.g. the iDesk summary),
    `forms` (for the remembered position) and `uploads` (fn(SigningResult) run after signing)."""

    finished_batch = Signal(object)  # [BatchItemResult]
    uploads_done = Signal()

    def __init__(self, ctx, files, *, form: str = "", output_dir: Path | None = None, labels=None, forms=None,
                 uploads=None, profiles=None, parent=None) -> None:
        super().__init__(parent)
        from app.signing.options import Profile

        self.ctx = ctx
        self.files = [Path(f) for f in files]
        self.form = form
        self.forms = {Path(k): v for k, v in (forms or {}).items()}
        self.uploads = {Path(k): v for k, v in (uploads or {}).items()}
        self._uploading = 0
        self.output_dir = Path(output_dir) if output_dir else (Path(ctx.work_dir) if ctx.work_dir else None)
        self.results = None
        self.setWindowTitle(self.tr("Ký số hàng loạt"))
        self.controller = SigningController(ctx.runner, ctx.broker, validation_context=ctx.validation_context,
                                            parent=self)
        ctx.broker.parent_widget = self
        profiles = tuple(profiles or (Profile.LEADER, Profile.INITIALS))
        self.picker = TokenPicker(ctx.runner, ctx.service, settings=ctx.settings, p12_path=ctx.p12_path,
                                  remote_sources=ctx.remote_sources, profile=profiles[0].value,
                                  server_profile=ctx.server_profile, parent=self)
        self.profile_box = QtWidgets.QComboBox(self)
        self.holder_warning = HolderWarning(self.picker, ctx.user, lambda: self.profile_box.currentData(), ctx.lang,
                                            self)
        # Appendix and copy signatures need a number or copy details per file: signed one by one.
        for p in profiles:
            self.profile_box.addItem(p.label_en if ctx.lang.startswith("en") else p.label_vi, p)
        self.profile_box.currentIndexChanged.connect(
            lambda _i: self.picker.set_profile(self.profile_box.currentData().value))
        self.profile_box.currentIndexChanged.connect(lambda _i: self.holder_warning.refresh())
        self.use_tsa = QtWidgets.QCheckBox(self.tr("Gắn nhãn thời gian (TSA)"), self)
        remembered = ctx.settings.value(TSA_KEY, True) if ctx.settings is not None else True
        self.use_tsa.setChecked(bool(ctx.tsa_url) and str(remembered).lower() not in ("false", "0"))
        self.use_tsa.setEnabled(bool(ctx.tsa_url))  # the profile offers no TSA (training without one)
        self.table = QtWidgets.QTableWidget(len(self.files), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Tệp"), self.tr("Kết quả")])
        # The files take what is left (each row's whole text is its tooltip): sized to their
        # contents, long iDesk summaries left the result a sliver, cut after a few words.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, RESULT_WIDTH)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, path in enumerate(self.files):
            text = labels[row] if labels else path.name
            item = QtWidgets.QTableWidgetItem(text)
            item.setToolTip(tooltip(text))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(""))
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, max(1, len(self.files)))
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.sign_button = QtWidgets.QPushButton(self.tr("Ký các tệp đã chọn"), self)
        self.sign_button.setEnabled(False)
        self.cancel_button = QtWidgets.QPushButton(self.tr("Hủy ký"), self)
        self.cancel_button.setEnabled(False)
        self.close_button = QtWidgets.QPushButton(self.tr("Đóng"), self)
        form_layout = QtWidgets.QFormLayout()
        form_layout.addRow(self.tr("Chứng thư số"), self.picker)
        form_layout.addRow(self.tr("Kiểu chữ ký"), self.profile_box)
        form_layout.addRow("", self.holder_warning)
        form_layout.addRow("", self.use_tsa)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.cancel_button, self.sign_button, self.close_button):
            buttons.addWidget(b)
        box = QtWidgets.QVBoxLayout(self)
        box.addLayout(form_layout)
        box.addWidget(self.table, 1)
        box.addWidget(self.progress)
        box.addWidget(self.status)
        box.addLayout(buttons)
        self.resize(760, 520)
        self.picker.choice_changed.connect(
            lambda c: self.sign_button.setEnabled(self.picker.ready() and not self.controller.busy)
        )
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.close_button.clicked.connect(self.reject)
        self.controller.progress.connect(self.status.setText)
        self.controller.counted.connect(lambda done, total: self.progress.setValue(done))
        self.controller.signed.connect(self._done)
        self.controller.uploaded.connect(self._uploaded)
        self.controller.upload_failed.connect(self._uploaded)
        self.controller.failed.connect(self._failed)
        self.controller.busy_changed.connect(self._busy)
        self.picker.start(watch=ctx.watch_tokens)

    def checked_files(self) -> list[Path]:
        return [p for row, p in enumerate(self.files) if self._checked(row)]

    def _checked(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _set_status(self, row: int, text: str) -> None:
        item = self.table.item(row, 1)
        if item is not None:
            item.setText(text)
            item.setToolTip(tooltip(text))

    def _output_for(self, path: Path) -> Path:
        out = signed_path_for(path)
        return self.output_dir / out.name if self.output_dir else out

    def build_requests(self, placements: dict) -> list:
        from app.signing.options import AppearanceOptions, SigningRequest, TsaConfig

        profile = self.profile_box.currentData()
        images = self.ctx.images()
        options = AppearanceOptions(image_path=images.image_for(profile), seal_size_mm=images.seal_size_mm)
        tsa = None
        if self.use_tsa.isChecked() and self.ctx.tsa_url:
            tsa = TsaConfig(
                self.ctx.tsa_url,
                fallback_urls=self.ctx.tsa_fallback_urls,
                memory=self.ctx.tsa_memory,
                verify=self.ctx.tsa_verify,
                plain_http_credentials=self.ctx.tsa_plain_http_credentials,
            )
        return [
            SigningRequest(
                input_path=p,
                output_path=self._output_for(p),
                profile=profile,
                placements=tuple(placements.get(p, ())),
                options=options,
                tsa=tsa,
                place_name=self.ctx.place_name,
            )
            for p in self.checked_files()
        ]

    def sign(self) -> None:
        from app.signing.options import Profile

        source = self.picker.source()
        files = self.checked_files()
        if source is None or not files or not self.holder_warning.confirmed(self):
            return
        profile = self.profile_box.currentData()
        self.picker.remember()
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
        if profile is not Profile.LEADER:
            self.controller.sign_batch(self.build_requests({}), source)
            return
        images = self.ctx.images()
        from app.signing.profiles import sample_image

        box = box_size_for(images.image_for(profile) or sample_image(profile), images.width_pt)
        memory, proposer, forms = self.ctx.memory, self.ctx.proposer, {p: self.forms.get(p, self.form) for p in files}

        def place(op):
            import pymupdf

            from app.mupdf import MUPDF

            def page_count(path) -> int:
                with pymupdf.open(path) as doc:
                    return doc.page_count

            found = {}
            for path in files:
                with MUPDF:
                    count = page_count(path)
                form = forms[path]
                p = memory.recall(form, profile, count) if (memory is not None and form) else None
                if p is None and proposer is not None:
                    p = proposer(path, profile, box)
                if p is not None:
                    found[path] = (p,)
            return found

        self.status.setText(self.tr("Đang tìm vị trí chữ ký…"))
        self.sign_button.setEnabled(False)
        self.ctx.runner.run(
            place,
            receiver=self,
            on_success=lambda found: self.controller.sign_batch(self.build_requests(found), source),
            on_failure=self._failed,
            label="batch placement",
        )

    def _busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        self.sign_button.setEnabled(not busy and self.picker.ready())

    def _done(self, items) -> None:
        self.results = items
        rows = {p: row for row, p in enumerate(self.files)}
        ok = 0
        for item in items:
            row = rows.get(Path(item.request.input_path))
            if item.ok:
                ok += 1
                text = self.tr("Đã ký (PAdES %1)").replace("%1", item.result.level)
            else:
                err = item.error
                text = error_text(err, self.ctx.lang)
            if row is not None:
                self._set_status(row, text)
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.tr("Đã ký %1/%2 tệp.").replace("%1", str(ok)).replace("%2", str(len(items))))
        self.finished_batch.emit(items)
        for item in items:
            upload = self.uploads.get(Path(item.request.input_path))
            if item.ok and upload is not None:
                self._uploading += 1
                self.controller.send(item.result, upload)
        if not self._uploading:
            self.uploads_done.emit()

    def _uploaded(self, result, outcome) -> None:
        """One signed file reached iDesk, or stays in the outbox to be sent later."""
        row = next((r for r, p in enumerate(self.files) if self._output_for(p) == Path(result.output_path)), None)
        if isinstance(outcome, BaseException):
            message = error_text(outcome, self.ctx.lang)
            text = self.tr("Đã ký; chưa gửi được lên iDesk (sẽ gửi lại sau): %1").replace("%1", message)
        else:
            text = self.tr("Đã ký và gửi lên iDesk (PAdES %1)").replace("%1", result.level)
        if row is not None:
            self._set_status(row, text)
        self._uploading -= 1
        if not self._uploading:
            self.uploads_done.emit()

    def _failed(self, exc) -> None:
        self.sign_button.setEnabled(self.picker.ready())
        self.status.setText(error_text(exc, self.ctx.lang))

    def done(self, code: int) -> None:
        if self.controller.busy:
            self.controller.cancel()
        self.picker.stop()
        super().done(code)
