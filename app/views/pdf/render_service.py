"""`RenderService`: one render worker process and the render thread that talks to it.

The composition root makes one and passes it to every preview (`PdfPreview(renderer=...)`); a
preview made without one owns its own. `start` early: the worker process imports PyMuPDF while
the app does other things, so the first document opens without waiting for that.
"""

from __future__ import annotations

import atexit
import weakref

from app.services.render_worker import RenderWorker
from app.views.pdf.render_thread import RenderThread

_running: "weakref.WeakSet[RenderService]" = weakref.WeakSet()


class RenderService:
    def __init__(self, worker: RenderWorker | None = None) -> None:
        self.worker = worker or RenderWorker()
        self.thread = RenderThread(self.worker)
        self.stopped = False

    def start(self) -> "RenderService":
        if self.stopped:  # stopping is final (at exit, or with the preview that owned it)
            return self
        self.worker.start()
        if not self.thread.isRunning():
            self.thread.start()
        _running.add(self)
        return self

    def stop(self) -> None:
        # Once only: at exit the thread's C++ object may already be gone when a preview that owned
        # this service is destroyed after the exit handler stopped it.
        if self.stopped:
            return
        self.stopped = True
        # The worker first: a request the thread waits on then fails at once. A QThread destroyed
        # while running aborts the process, so the thread is stopped before it can be.
        self.thread.request_stop()
        self.worker.stop()
        if self.thread.isRunning():
            self.thread.stop()
        _running.discard(self)


def _stop_all() -> None:
    for service in list(_running):
        service.stop()


atexit.register(_stop_all)
