"""Time to the first page of a 500-page PDF on screen in PdfPreview vs PyMuPDF's raw render.

Run: QT_QPA_PLATFORM=offscreen python3 bench/bench_preview.py [--pages 500] [--runs 5]
"Raw" is what any viewer must pay at least: open the file, load page 1 and render it at the
zoom the preview shows it at. "Preview" runs from PdfPreview.open(path) to the paint that puts
page 1's image on screen (the page_shown signal), through the render thread and the event loop.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_pdf(path: Path, pages: int) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 72), f"Trang {i + 1}", fontsize=24)
        for k in range(30):
            page.insert_text((72, 110 + k * 20), f"Dong {k + 1} cua van ban thu nghiem, trang {i + 1}.", fontsize=10)
    doc.save(path)
    doc.close()
    return path


def raw_render(path: Path, zoom: float) -> float:
    import pymupdf

    t0 = time.perf_counter()
    doc = pymupdf.open(path)
    pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    elapsed = time.perf_counter() - t0
    assert pix.width > 0
    doc.close()
    return elapsed


def preview_first_page(app, preview, path: Path) -> float:
    from app.views.qt import QtCore

    loop = QtCore.QEventLoop()
    shown = []

    def on_shown(page: int) -> None:
        if page == 0 and not shown:
            shown.append(time.perf_counter())
            loop.quit()

    preview.page_shown.connect(on_shown)
    QtCore.QTimer.singleShot(10000, loop.quit)
    t0 = time.perf_counter()
    preview.open(path)
    loop.exec()
    preview.page_shown.disconnect(on_shown)
    if not shown:
        raise RuntimeError("page 1 never showed")
    return shown[0] - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from app.views.pdf.preview import PdfPreview
    from app.views.qt import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory() as tmp:
        path = make_pdf(Path(tmp) / "big.pdf", args.pages)
        preview = PdfPreview()
        preview.resize(1000, 800)
        preview.show()
        app.processEvents()
        preview_first_page(app, preview, path)  # warm-up: imports, fonts, thread start
        preview_times, raw_times = [], []
        for _ in range(args.runs):
            preview.close_document()
            app.processEvents()
            preview_times.append(preview_first_page(app, preview, path))
            raw_times.append(raw_render(path, preview.zoom))
        # Switching: the next document opens while the thread still renders the previous one's
        # neighbours and thumbnails (clicking through a list).
        switch_times = []
        for _ in range(args.runs):
            preview.close_document()
            switch_times.append(preview_first_page(app, preview, path))
        preview.close_document()
        preview.close()
        p, r = statistics.median(preview_times), statistics.median(raw_times)
        print(f"pages: {args.pages}, zoom: {preview.zoom:.3f}, runs: {args.runs}")
        print(f"PyMuPDF raw open+render page 1: {r * 1000:.1f} ms (median)")
        print(f"PdfPreview open -> page 1 on screen: {p * 1000:.1f} ms (median)")
        print(f"ratio: {p / r:.2f}x (target <= 2x)")
        print(f"switching documents, page 1 on screen: {statistics.median(switch_times) * 1000:.1f} ms (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
