"""PyMuPDF in this process: one thread at a time.

MuPDF keeps one context per process (its font and glyph caches among others) and PyMuPDF does
not lock it, so two threads using it at once can draw wrong glyphs or crash. Threads do meet
here: a batch signs two documents at a time (each searching its first page for the clerk's
gaps), the training sandbox makes its documents while the officer signs. Every use in this
process holds `MUPDF`; the preview and auto-placement in the GUI run in the render worker
process, which serves one request at a time.
"""

from __future__ import annotations

import threading
from types import TracebackType


class MuPdfLock:
    """A re-entrant lock that can tell whether the calling thread holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> MuPdfLock:
        self._lock.acquire()
        self._owner = threading.get_ident()
        self._depth += 1
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
        self._lock.release()

    def held(self) -> bool:
        """Whether the calling thread holds the lock."""
        return self._owner == threading.get_ident()


MUPDF = MuPdfLock()
