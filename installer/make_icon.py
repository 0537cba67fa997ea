"""Renders resources/icons/lienthong.svg into the Windows icon resources/icons/app.ico and into
the PNG frames the app's windows use (resources/icons/lienthong-<size>.png).

Run after changing the drawing:  .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from app.resources import ICON_SIZES as SIZES  # noqa: E402


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage painting needs one)
    svg = ROOT / "resources" / "icons" / "lienthong.svg"
    frames = [render_png(svg, size) for size in SIZES]
    for size, frame in zip(SIZES, frames, strict=True):
        (ROOT / "resources" / "icons" / f"lienthong-{size}.png").write_bytes(frame)
    images = [Image.open(io.BytesIO(frame)).convert("RGBA") for frame in frames]
    out = ROOT / "resources" / "icons" / "app.ico"
    # Pillow scales the largest frame down for each size; frames rendered per size are sharper.
    images[-1].save(out, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
