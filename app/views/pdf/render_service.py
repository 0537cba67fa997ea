"""The one render thread every preview shares, started on first use and stopped at exit."""

from __future__ import annotations

import atexit

from app.views.pdf.render_thread import RenderThread

_thread: RenderThread | None = None


def shared_render_thread() -> RenderThread:
    global _thread
    if _thread is None or not _thread.isRunning():
        _thread = RenderThread()
        _thread.start()
    return _thread


def _stop() -> None:
    # A QThread destroyed while running aborts the process, so stop it before Python tears down.
    if _thread is not None and _thread.isRunning():
        _thread.stop()


atexit.register(_stop)
