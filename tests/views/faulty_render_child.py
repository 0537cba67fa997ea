"""A render worker child that crashes or hangs on page 2 of a file whose name says so, on every
page of a "crash-all" file, and in auto-placement on a "crash-me" file. On a "wait-first" file,
page 1's render waits until the test writes a byte to the FIFO `<file>.go`. Repairing a
"crash-me" file crashes too.

The seam the containment tests use: `RenderWorker([sys.executable, "-m", __name__])`. MuPDF
itself crashes and loops on some damaged files; this child does the same on demand.
"""

from __future__ import annotations

import ctypes
import sys
import threading

from app.services.render_child import Handler, Header, integer, main


class FaultyHandler(Handler):
    def render(self, req: Header) -> tuple[Header, bytes | memoryview]:
        path = self.paths.get(integer(req, "doc"), "")
        if "crash-all" in path:
            ctypes.string_at(0)
        if "wait-first" in path and integer(req, "page") == 0:
            with open(path + ".go", "rb") as go:
                go.read(1)
        if integer(req, "page") == 1:
            if "crash-me" in path:
                ctypes.string_at(0)  # a segmentation fault, as a bug in a PDF library makes
            if "hang-me" in path:
                threading.Event().wait()  # never answers, as a parser in an endless loop
        return super().render(req)

    def propose(self, req: Header) -> tuple[Header, bytes]:
        if "crash-me" in str(req.get("path")):
            ctypes.string_at(0)
        return super().propose(req)

    def repair(self, req: Header) -> tuple[Header, bytes]:
        if "crash-me" in str(req.get("path")):
            ctypes.string_at(0)
        return super().repair(req)


if __name__ == "__main__":
    sys.exit(main(FaultyHandler))
