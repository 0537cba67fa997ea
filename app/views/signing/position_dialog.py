""""Chọn vị trí trước khi ký số": place the leader's signature and remember it for the form.

Later documents of the same form open in the sign dialog with the box where it was put here
(app.signing.placement_memory), without signing anything now.
"""

from __future__ import annotations

from pathlib import Path

from app.views.pdf.placement_panel import PlacementPanel
from app.views.pdf.preview import PdfPreview
from app.views.qt import QDialog, QImage, QLabel, QtWidgets, Signal
from app.views.signing.images import box_size_for


class PositionDialog(QDialog):
    remembered = Signal(object)  # Placement

    def __init__(self, ctx, pdf_path, *, form: str, parent=None) -> None:
        super().__init__(parent)
        from app.signing.options import Profile
        from app.signing.profiles import sample_image

        self.ctx, self.form, self.profile = ctx, form, Profile.LEADER
        self.setWindowTitle(self.tr("Chọn vị trí trước khi ký số — %1").replace("%1", form or Path(pdf_path).name))
        images = ctx.images()
        image_path = images.image_for(self.profile) or sample_image(self.profile)
        box = box_size_for(image_path, images.width_pt)
        self.preview = PdfPreview(self, renderer=ctx.renderer)
        proposer = ctx.proposer
        self.placement = PlacementPanel(
            self.preview, runner=ctx.runner, box_size=box, image=QImage(str(image_path)),
            proposer=(lambda p: proposer(Path(p), self.profile, box)) if proposer else None, parent=self)
        self.save_button = QtWidgets.QPushButton(self.tr("Lưu vị trí"), self)
        self.save_button.setEnabled(False)
        close = QtWidgets.QPushButton(self.tr("Đóng"), self)
        self.note = QLabel(self.tr("Vị trí được dùng cho các văn bản cùng hình thức \"%1\".")
                                     .replace("%1", form), self)
        self.note.setWordWrap(True)
        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.placement, 1)
        side.addWidget(self.note)
        side.addWidget(self.save_button)
        side.addWidget(close)
        row = QtWidgets.QHBoxLayout(self)
        row.addWidget(self.preview, 1)
        row.addLayout(side)
        self.placement.placements_changed.connect(
            lambda: self.save_button.setEnabled(bool(self.placement.placements()) and ctx.memory is not None))
        self.preview.document_opened.connect(self._recall)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        self.resize(1000, 760)
        self.preview.open(Path(pdf_path))

    def _recall(self, _path: str) -> None:
        if self.ctx.memory is None:
            return
        remembered = self.ctx.memory.recall(self.form, self.profile, self.preview.page_count)
        if remembered is not None:
            self.placement.set_placements([remembered])

    def save(self) -> None:
        placements = self.placement.placements()
        if not placements or self.ctx.memory is None:
            return
        self.ctx.memory.remember(self.form, self.profile, placements[0], self.preview.page_count)
        self.remembered.emit(placements[0])
        self.accept()

    def done(self, code: int) -> None:
        self.preview.close_document()
        super().done(code)
