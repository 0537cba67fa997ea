"""Render 20,000 pages in one preview session: the process must survive, reference counts stay flat.

Run: QT_QPA_PLATFORM=offscreen python3 bench/bench_preview_pages.py [--pages 20000]
PySide6 6.12.0 dropped a reference on every emit and queued delivery, so a long session aborted
the process (`none_dealloc`) after about 13,900 rendered pages. This drives the real PdfPreview
through every page of one document (scrolling page by page, as an officer paging through a long
appendix would) and prints pages per second, the reference counts of True and None before and
after, and the resident memory of the app and of its render worker process.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    doc.save(path)
    doc.close()
    return path


def worker_peak_rss_mb(pid: int | None) -> float | None:
    """Peak resident memory of the render worker process (Linux: /proc), or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20_000)
    args = parser.parse_args()

    from app.views.pdf.preview import PdfPreview
    from app.views.qt import QApplication, QtCore

    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory() as tmp:
        path = make_pdf(Path(tmp) / "dai.pdf", args.pages)
        preview = PdfPreview()
        preview.resize(600, 500)
        preview.thumbnails.hide()
        preview.show()
        rendered = []
        preview.render_thread.rendered.connect(lambda d, tag, page, z, img: rendered.append(page))
        loop = QtCore.QEventLoop()
        preview.document_opened.connect(lambda _p: loop.quit())
        preview.open(path)
        loop.exec()
        preview.set_zoom_percent(25)
        true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
        t0 = time.perf_counter()
        for page in range(args.pages):
            preview.go_to_page(page)
            deadline = time.perf_counter() + 10
            while page not in preview.canvas._shown and time.perf_counter() < deadline:  # noqa: SLF001
                app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            if page not in preview.canvas._shown:  # noqa: SLF001
                print(f"page {page + 1} never showed")
                return 1
        elapsed = time.perf_counter() - t0
        true_after, none_after = sys.getrefcount(True), sys.getrefcount(None)
        worker = preview.renderer.worker
        worker_rss = worker_peak_rss_mb(worker.pid)
        preview.close_document()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"pages shown: {args.pages} in {elapsed:.0f} s ({args.pages / elapsed:.0f} pages/s), "
              f"render signals: {len(rendered)}")
        print(f"refcount True: {true_before} -> {true_after}; None: {none_before} -> {none_after}")
        print(f"peak resident memory: {rss:.0f} MB; the process is alive")
        if worker_rss is not None:
            print(f"render worker process: peak resident memory {worker_rss:.0f} MB, "
                  f"restarts {worker.restarts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
