"""The render thread: turns page requests into QImages, through the render worker process.

PyMuPDF runs only in the worker process (`app.services.render_worker`): a document that crashes or
hangs it costs a restart and that page's "cannot be shown", never the window. This thread waits on
the worker so the UI thread never does. The UI replaces its wanted list on every scroll or zoom, so
stale requests vanish before they render.
Order of work: open/close commands, wanted main pages, page sizes (in chunks), thumbnails.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from app.services.render_worker import Pixels, RenderFailed, RenderWorker
from app.views.qt import QImage, QThread, Signal

log = logging.getLogger(__name__)

SIZE_CHUNK = 64
MAX_WORKER_LOSSES = 3  # a document that killed or stuck the worker this often renders no more pages
TAG_PAGE = "page"
TAG_THUMB = "thumb"


@dataclass
class _Doc:
    path: str
    password: str | None
    first_zoom: Callable[[tuple[float, float]], float] | None = None  # render page 1 at once, before the UI asks
    first_done: tuple | None = None  # (page, zoom) rendered that way; the UI may still ask for it
    ui_ready: bool = False  # the UI has painted page 1 (or given up waiting): background work may start
    handle: int | None = None  # the worker's handle, only ever used on the render thread
    count: int = 0
    next_size: int = 0  # pages below this index already had their size reported
    failed: set = field(default_factory=set)  # pages whose render failed: reported once, never retried
    failed_detail: str = ""
    worker_losses: int = 0  # renders of this document that crashed the worker or ran past the bound


@dataclass
class _Queue:
    commands: list = field(default_factory=list)  # ("open"|"close", doc_id)
    wanted: dict = field(default_factory=dict)  # (doc_id, tag) -> [(page, zoom)]


class OpenFailed(Exception):
    """Carried by `failed`: kind is "password", "missing", "not_pdf" or "corrupt"."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class RenderThread(QThread):
    opened = Signal(int, int, object)  # doc_id, page count, size of page 0 (w, h) in points
    sizes_ready = Signal(int, int, object)  # doc_id, first index, [(w, h), ...]
    rendered = Signal(int, str, int, float, QImage)  # doc_id, tag, page, zoom, image
    failed = Signal(int, object)  # doc_id, OpenFailed
    page_failed = Signal(int, int, str)  # doc_id, page, detail: reported once per page and document

    def __init__(self, worker: RenderWorker, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        lock = threading.RLock()
        self._cond = threading.Condition(lock)  # new work, for the render thread
        self._idle = threading.Condition(lock)  # nothing running or queued, for `wait_idle`
        self._busy = False
        self._queue = _Queue()
        self._docs: dict[int, _Doc] = {}
        self._next_id = 1
        self._stopping = False
        self.thread_ident: int | None = None
        self.document_threads: dict[int, int] = {}  # doc_id -> ident of the thread that opened it
        self.device_pixel_ratio = 1.0

    # ---- UI side -------------------------------------------------------------------------

    def open_document(self, path: str, password: str | None = None, first_zoom=None) -> int:
        with self._cond:
            doc_id = self._next_id
            self._next_id += 1
            self._docs[doc_id] = _Doc(str(path), password, first_zoom)
            self._queue.commands.append(("open", doc_id))
            self._cond.notify()
        return doc_id

    def close_document(self, doc_id: int) -> None:
        with self._cond:
            for key in [k for k in self._queue.wanted if k[0] == doc_id]:
                del self._queue.wanted[key]
            self._queue.commands.append(("close", doc_id))
            self._cond.notify()

    def set_wanted(self, doc_id: int, tag: str, pages: list[tuple[int, float]]) -> None:
        """Replace what is wanted for this document and tag; first in the list renders first."""
        with self._cond:
            self._queue.wanted[(doc_id, tag)] = list(pages)
            self._cond.notify()

    def request_stop(self) -> None:
        """Stop after the current job, without waiting for it."""
        with self._cond:
            self._stopping = True
            self._cond.notify()

    def stop(self) -> None:
        self.request_stop()
        self.wait(5000)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until no job runs and none is queued (or the thread stops); False on timeout.
        For benches and tests that must start from a quiet renderer, e.g. after closing a document
        whose neighbours were still rendering."""
        with self._cond:
            return self._idle.wait_for(lambda: self._stopping or (not self._busy and not self._has_work()), timeout)

    # ---- render thread -------------------------------------------------------------------

    def run(self) -> None:
        self.thread_ident = threading.get_ident()
        try:
            while True:
                job = self._next_job()
                if job is None:
                    break
                try:
                    job()
                except Exception:  # a broken page must not kill the thread
                    log.exception("render job failed")
        finally:
            for doc in self._docs.values():
                if doc.handle is not None:
                    self.worker.close(doc.handle)
                    doc.handle = None

    def _next_job(self):
        with self._cond:
            self._busy = False
            while True:
                if self._stopping:
                    self._idle.notify_all()
                    return None
                job = self._next_job_nowait()
                if job is not None:
                    self._busy = True
                    return job
                self._idle.notify_all()
                self._cond.wait()

    def _has_work(self) -> bool:
        q = self._queue
        return bool(q.commands) or any(q.wanted.values()) or any(
            doc.handle is not None and doc.next_size < doc.count for doc in self._docs.values())

    def _next_job_nowait(self):
        """The next job in priority order, or None when there is nothing to do."""
        with self._cond:
            q = self._queue
            if q.commands:
                cmd, doc_id = q.commands.pop(0)
                return (lambda: self._open(doc_id)) if cmd == "open" else (lambda: self._close(doc_id))
            job = self._pop_wanted(TAG_PAGE)
            if job:
                return job
            for doc_id, doc in self._docs.items():
                if doc.handle is not None and doc.next_size < doc.count:
                    return lambda d=doc_id: self._sizes(d)
            return self._pop_wanted(TAG_THUMB)

    def _pop_wanted(self, tag: str):
        for (doc_id, t), pages in self._queue.wanted.items():
            while t == tag and pages:
                page, zoom = pages.pop(0)
                doc = self._docs.get(doc_id)
                if tag == TAG_PAGE and doc is not None and doc.first_done is not None \
                        and doc.first_done[0] == page and abs(doc.first_done[1] - zoom) < 1e-9:
                    doc.first_done = None  # already sent; the UI asked before it arrived
                    continue
                return lambda: self._render(doc_id, tag, page, zoom)
        return None

    def _open(self, doc_id: int) -> None:
        with self._cond:
            doc = self._docs.get(doc_id)
        if doc is None:
            return
        try:
            handle, count, size = self.worker.open(doc.path, doc.password)
        except RenderFailed as exc:
            kind = exc.kind if exc.kind in ("password", "missing", "not_pdf") else "corrupt"
            self._forget(doc_id)
            self.failed.emit(doc_id, OpenFailed(kind, exc.detail))
            return
        self.document_threads[doc_id] = threading.get_ident()
        with self._cond:
            doc.handle, doc.count, doc.next_size = handle, count, 1
        announced = []

        def announce() -> None:
            announced.append(True)
            self.opened.emit(doc_id, count, size)

        # The UI hears of the document once page 1's render is on its way, and lays the pages out
        # while the worker process renders it (this thread waits on the pipe without the GIL).
        zoom = doc.first_zoom(size) if doc.first_zoom is not None else None
        if zoom is not None:
            doc.first_done = (0, zoom)  # the UI's own request for it is dropped
            try:
                image = self._page_image(doc_id, doc, 0, zoom, sent=announce)
            finally:
                if not announced:  # the request never went out: the UI hears of the document anyway
                    announce()
            if image is not None:
                self.rendered.emit(doc_id, TAG_PAGE, 0, zoom, image)
        else:
            announce()
        if 0 in doc.failed:
            self.page_failed.emit(doc_id, 0, doc.failed_detail)
        self._yield_to_ui(doc)

    def _yield_to_ui(self, doc: _Doc, timeout: float = 0.1) -> None:
        """Leave the GIL to the UI thread until it has shown page 1 (`resume`), then go on.

        Background work (page sizes, neighbours, thumbnails) would otherwise hold the GIL for a
        whole switch interval (5 ms) at every hand-over, most of the time to the first page.
        """
        with self._cond:
            self._cond.wait_for(lambda: self._stopping or self._queue.commands or doc.ui_ready, timeout)
            doc.ui_ready = True

    def resume(self, doc_id: int) -> None:
        """UI side: page 1 is on screen; the rest may render."""
        with self._cond:
            doc = self._docs.get(doc_id)
            if doc is not None:
                doc.ui_ready = True
                self._cond.notify()

    def _forget(self, doc_id: int) -> None:
        with self._cond:
            self._docs.pop(doc_id, None)

    def _close(self, doc_id: int) -> None:
        with self._cond:
            doc = self._docs.pop(doc_id, None)
        if doc is not None and doc.handle is not None:
            self.worker.close(doc.handle)

    def _sizes(self, doc_id: int) -> None:
        doc = self._docs.get(doc_id)
        if doc is None or doc.handle is None:
            return
        start = doc.next_size
        end = min(doc.count, start + SIZE_CHUNK)
        try:
            sizes = self.worker.sizes(doc.handle, start, end)
        except RenderFailed:  # these pages keep the size they were laid out with; their render says why
            sizes = []
        doc.next_size = end
        if sizes:
            self.sizes_ready.emit(doc_id, start, sizes)
        time.sleep(0)  # hand the GIL to the UI thread, which has work to do with these

    def _render(self, doc_id: int, tag: str, page: int, zoom: float) -> None:
        doc = self._docs.get(doc_id)
        if doc is None or doc.handle is None or not 0 <= page < doc.count or page in doc.failed:
            return
        if doc.worker_losses >= MAX_WORKER_LOSSES:
            # Each further page would cost another restart of the worker: say so without trying.
            doc.failed.add(page)
            self.page_failed.emit(doc_id, page, doc.failed_detail)
            return
        image = self._page_image(doc_id, doc, page, zoom)
        if image is not None:
            self.rendered.emit(doc_id, tag, page, zoom, image)
        else:
            self.page_failed.emit(doc_id, page, doc.failed_detail)
        time.sleep(0)

    def _page_image(self, doc_id: int, doc: _Doc, page: int, zoom: float,
                    sent: Callable[[], None] | None = None) -> QImage | None:
        """The page's image, or None once its render failed (logged once, never retried)."""
        try:
            return self._image(doc, page, zoom, sent)
        except RenderFailed as exc:
            if self._stopping:  # the worker was stopped under it: shutting down, nothing failed
                return None
            doc.failed.add(page)
            doc.failed_detail = exc.detail
            if exc.kind in ("crashed", "timeout"):
                doc.worker_losses += 1
            log.warning("page %d of %s cannot be rendered: %s", page + 1, doc.path, doc.failed_detail)
            return None

    def _image(self, doc: _Doc, page: int, zoom: float, sent: Callable[[], None] | None = None) -> QImage:
        assert doc.handle is not None
        scale = zoom * self.device_pixel_ratio
        image = self.worker.render_with(doc.handle, page, scale, _backing_store_image, sent=sent)
        image.setDevicePixelRatio(self.device_pixel_ratio)
        return image


def _backing_store_image(pixels: Pixels) -> QImage:
    """The pixels converted, once, to the format a window's backing store has: painting the image
    is then a copy, where an RGB888 image would be converted again in every frame that shows it.
    The conversion is also the only copy of the pixels the worker lent (`render_with`)."""
    return QImage(pixels.data, pixels.width, pixels.height, pixels.stride,
                  QImage.Format.Format_RGB888).convertToFormat(QImage.Format.Format_RGB32)
