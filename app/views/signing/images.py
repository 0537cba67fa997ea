"""The officer's signing images ("Ảnh ký số"): set once, kept in a small JSON in the config dir.

`SignatureImages` is plain data with load/save; `SignatureImagePage` is the profile page that
edits it (signature image, the clerk's seal image, the default signature width).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from app.views.qt import QImage, QPixmap, Qt, QtWidgets, QWidget, Signal

log = logging.getLogger(__name__)

FILE_NAME = "signing-images.json"
DEFAULT_WIDTH_PT = 150.0


@dataclass(frozen=True)
class SignatureImages:
    signature: str = ""  # PNG of the handwritten signature (blue, transparent background)
    seal: str = ""  # PNG of the seal (red, transparent background), clerks only
    initials: str = ""
    width_pt: float = DEFAULT_WIDTH_PT  # default width of the signature box
    seal_size_mm: float = 36.0

    @classmethod
    def load(cls, config_dir: Path) -> "SignatureImages":
        path = Path(config_dir) / FILE_NAME
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
            return cls()
        known = {k: data[k] for k in asdict(cls()) if k in data}
        return replace(cls(), **known)

    def save(self, config_dir: Path) -> None:
        path = Path(config_dir) / FILE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), "utf-8")
        tmp.replace(path)

    def image_for(self, profile) -> Path | None:
        """The configured image for a profile, or None for the engine's sample."""
        value = {"seal": self.seal, "initials": self.initials}.get(getattr(profile, "value", profile), self.signature)
        return Path(value) if value and Path(value).is_file() else None


def box_size_for(image_path: Path | None, width_pt: float) -> tuple[float, float]:
    """Signature box in points: the default width, the image's aspect ratio (2:1 without image)."""
    if image_path is not None:
        image = QImage(str(image_path))
        if not image.isNull() and image.width() > 0:
            return width_pt, width_pt * image.height() / image.width()
    return width_pt, width_pt / 2


class SignatureImagePage(QWidget):
    """Profile page "Ảnh ký số": choose the images once; saved on "Lưu"."""

    saved = Signal(object)  # SignatureImages

    def __init__(self, config_dir: Path, *, clerk: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.config_dir = Path(config_dir)
        self.images = SignatureImages.load(self.config_dir)
        self.signature_edit, sig_row, self.signature_preview = self._file_row()
        self.seal_edit, seal_row, self.seal_preview = self._file_row()
        self.width_box = QtWidgets.QDoubleSpinBox(self)
        self.width_box.setRange(40, 400)
        self.width_box.setSuffix(" pt")
        self.seal_size_box = QtWidgets.QDoubleSpinBox(self)
        self.seal_size_box.setRange(20, 60)
        self.seal_size_box.setSuffix(" mm")
        self.save_button = QtWidgets.QPushButton(self.tr("Lưu"), self)
        form = QtWidgets.QFormLayout(self)
        form.addRow(self.tr("Ảnh chữ ký (PNG nền trong suốt):"), sig_row)
        form.addRow("", self.signature_preview)
        form.addRow(self.tr("Độ rộng mặc định của chữ ký:"), self.width_box)
        self.seal_label = QtWidgets.QLabel(self.tr("Ảnh con dấu (văn thư):"), self)
        form.addRow(self.seal_label, seal_row)
        form.addRow("", self.seal_preview)
        form.addRow(self.tr("Kích thước dấu:"), self.seal_size_box)
        form.addRow(self.save_button)
        for w in (self.seal_label, self.seal_edit.parentWidget(), self.seal_preview, self.seal_size_box):
            w.setVisible(clerk)
        self.signature_edit.setText(self.images.signature)
        self.seal_edit.setText(self.images.seal)
        self.width_box.setValue(self.images.width_pt)
        self.seal_size_box.setValue(self.images.seal_size_mm)
        self.save_button.clicked.connect(self.save)

    def _file_row(self):
        row = QtWidgets.QWidget(self)
        edit = QtWidgets.QLineEdit(row)
        browse = QtWidgets.QPushButton(self.tr("Chọn ảnh…"), row)
        layout = QtWidgets.QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        layout.addWidget(browse)
        preview = QtWidgets.QLabel(self)
        preview.setFixedHeight(80)
        preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        edit.textChanged.connect(lambda text: self._show(preview, text))
        browse.clicked.connect(lambda: self._browse(edit))
        return edit, row, preview

    def _browse(self, edit) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, self.tr("Chọn ảnh"), edit.text(),
                                                        self.tr("Ảnh PNG (*.png)"))
        if path:
            edit.setText(path)

    def _show(self, label, path: str) -> None:
        pix = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        label.setPixmap(
            pix.scaledToHeight(76, Qt.TransformationMode.SmoothTransformation) if not pix.isNull() else QPixmap()
        )
        label.setText("" if not pix.isNull() else (self.tr("Không đọc được ảnh.") if path else ""))

    def save(self) -> SignatureImages:
        self.images = replace(
            self.images,
            signature=self.signature_edit.text().strip(),
            seal=self.seal_edit.text().strip(),
            width_pt=self.width_box.value(),
            seal_size_mm=self.seal_size_box.value(),
        )
        self.images.save(self.config_dir)
        self.saved.emit(self.images)
        return self.images
