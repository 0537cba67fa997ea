"""The render worker process: PyMuPDF opens, measures and renders pages here, never in the app.

A damaged document can make MuPDF crash or loop; in this process that costs a restart, not the
window (`app.services.render_worker` starts, bounds and restarts it). Run as
`python -m app.services.render_child`, or as the frozen exe with `--render-child`.

Protocol on stdin/stdout, one request, one reply (`close` has none): a 4-byte big-endian length,
a JSON header, then `n` raw bytes when the header says so (the pixels of a render). JSON, not
pickle: the app must not execute what a compromised child sends back.
A render's pixels go through a shared memory buffer the app made for this child instead (the
header says `shm` and how many bytes), when they fit in it: a page is megabytes, and a pipe
passes them in 64 KiB (Linux) or smaller (Windows) turns of both processes.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import pymupdf

CHILD_FLAG = "--render-child"
MEMORY_FLAG = "--memory-limit"
MEMORY_LIMIT = 2 << 30  # bytes of address space: a bomb of an image fails its page, not the machine
_LEN = struct.Struct(">I")
MAX_HEADER = 1 << 20
PIXELS_ENV = "LIENTHONG_RENDER_PIXELS"  # the shared buffer: "fd:<n>:<size>" (POSIX) or "tag:<name>:<size>"

Header = dict[str, object]  # a decoded JSON object; read its fields with `number` and `text`


def number(header: Header, key: str) -> float:
    value = header.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key}: not a number")
    return value


def integer(header: Header, key: str) -> int:
    value = header.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key}: not an integer")
    return value


def text(header: Header, key: str) -> str:
    value = header.get(key, "")
    return value if isinstance(value, str) else str(value)


def write_message(out: IO[bytes], header: Header, payload: bytes | memoryview = b"") -> None:
    if payload:
        header = dict(header, n=len(payload))
    data = json.dumps(header).encode("utf-8")
    out.write(_LEN.pack(len(data)) + data)
    if payload:
        out.write(payload)
    out.flush()


def _read_exact(inp: IO[bytes], n: int) -> bytes | None:
    data = inp.read(n)
    if len(data) < n:
        return None
    return data


def read_message(inp: IO[bytes], *, max_payload: int) -> tuple[Header, bytes] | None:
    """The next message, or None at the end of the stream (or a malformed one)."""
    raw = _read_exact(inp, _LEN.size)
    if raw is None:
        return None
    (size,) = _LEN.unpack(raw)
    if size > MAX_HEADER:
        return None
    body = _read_exact(inp, size)
    if body is None:
        return None
    try:
        header = json.loads(body)
    except ValueError:
        return None
    if not isinstance(header, dict):
        return None
    n = header.get("n", 0)
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= max_payload:
        return None
    payload = _read_exact(inp, n) if n else b""
    if payload is None:
        return None
    return header, payload


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


class Handler:
    """The requests, one method each; tests subclass it to make a child that crashes or hangs."""

    def __init__(self) -> None:
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
        self.pymupdf = pymupdf
        self.docs: dict[int, pymupdf.Document] = {}
        self.paths: dict[int, str] = {}
        self._last_pixmap: pymupdf.Pixmap | None = None
        self._tree_deferred: set[pymupdf.Document] = set()  # open documents with no page-tree map yet

    def _page_tree_map(self, document: pymupdf.Document, enabled: bool) -> None:
        """MuPDF maps the whole page tree at the first page lookup: a walk of every page object
        (3-4 ms for 500 pages, 18 ms for 2,000) that page 1 does not need, as it is the first
        kid. With the map off, page 1 is found down the tree's first branch; turned on again,
        the next lookup builds the map that gives every other page in constant time."""
        mupdf = self.pymupdf.mupdf
        mupdf.pdf_set_page_tree_cache(mupdf.pdf_document_from_fz_document(document.this), int(enabled))

    def _page(self, document: pymupdf.Document, index: int) -> pymupdf.Page:
        if index != 0 and document in self._tree_deferred:
            self._tree_deferred.discard(document)
            self._page_tree_map(document, True)
        return document[index]

    def open(self, req: Header) -> tuple[Header, bytes]:
        pymupdf = self.pymupdf
        doc_id, path = integer(req, "doc"), text(req, "path")
        password = req.get("password")
        try:
            document = pymupdf.open(path)
        except Exception as exc:
            if isinstance(exc, (FileNotFoundError, pymupdf.FileNotFoundError)):
                kind = "missing"
            elif isinstance(exc, (pymupdf.FileDataError, ValueError)):
                kind = "not_pdf"
            else:
                kind = "corrupt"
            return {"error": kind, "detail": _describe(exc)}, b""
        try:
            if document.needs_pass and not (isinstance(password, str) and password
                                            and document.authenticate(password)):
                document.close()
                return {"error": "password", "detail": "the PDF is encrypted"}, b""
            if not document.is_pdf or document.page_count == 0:
                document.close()
                return {"error": "not_pdf", "detail": "not a PDF or no pages"}, b""
            count = document.page_count
            self._page_tree_map(document, False)
            self._tree_deferred.add(document)
            r = self._page(document, 0).rect
        except Exception as exc:  # a damaged page tree fails here
            self._tree_deferred.discard(document)
            document.close()
            return {"error": "corrupt", "detail": _describe(exc)}, b""
        self.docs[doc_id] = document
        self.paths[doc_id] = path
        return {"count": count, "size": [r.width, r.height]}, b""

    def sizes(self, req: Header) -> tuple[Header, bytes]:
        document = self.docs[integer(req, "doc")]
        sizes: list[list[float]] = []
        for i in range(integer(req, "start"), integer(req, "end")):
            try:
                r = self._page(document, i).rect  # CropBox with /Rotate applied: the displayed size
                sizes.append([r.width, r.height])
            except Exception:  # a damaged page keeps the size it was laid out with; its render says why
                sizes.append(sizes[-1] if sizes else [595.0, 842.0])
        return {"sizes": sizes}, b""

    def render(self, req: Header) -> tuple[Header, bytes | memoryview]:
        pymupdf = self.pymupdf
        document = self.docs[integer(req, "doc")]
        scale = number(req, "scale")
        try:
            page = self._page(document, integer(req, "page"))
            pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
        except Exception as exc:
            return {"error": "page", "detail": _describe(exc)}, b""
        self._last_pixmap = pix  # its samples are written out without a copy; they live as long as it
        return {"width": pix.width, "height": pix.height, "stride": pix.stride}, pix.samples_mv

    def propose(self, req: Header) -> tuple[Header, bytes]:
        """Auto-placement: where the leader's signature goes, from the page's text."""
        from pathlib import Path

        from app.signing.autoplace import propose_placement
        from app.signing.options import Profile

        box = (number(req, "width"), number(req, "height"))
        password = req.get("password")
        placement = propose_placement(Path(text(req, "path")), Profile(text(req, "profile")), box,
                                      password=password if isinstance(password, str) else None)
        if placement is None:
            return {"placement": None}, b""
        return {"placement": [placement.page, *placement.rect]}, b""

    def repair(self, req: Header) -> tuple[Header, bytes]:
        """A repaired copy of a damaged, unsigned PDF, written into the folder asked for: MuPDF
        rebuilds the file here, where a crash or a hang on it costs this process, not the app."""
        from pathlib import Path

        from app.errors import LienThongError
        from app.signing.repair import write_repaired_copy

        try:
            copy, _ = write_repaired_copy(Path(text(req, "path")), Path(text(req, "folder")))
        except LienThongError as exc:  # refused: signed, encrypted or nothing recoverable
            return {"error": "refused", "detail": exc.detail or str(exc)}, b""
        return {"copy": str(copy)}, b""

    def close(self, req: Header) -> None:
        document = self.docs.pop(integer(req, "doc"), None)
        self.paths.pop(integer(req, "doc"), None)
        if document is not None:
            self._tree_deferred.discard(document)
            document.close()


def attach_pixels(spec: str | None) -> mmap.mmap | None:
    """The shared pixel buffer the app made for this child, or None (the pipe carries pixels)."""
    if not spec:
        return None
    try:
        kind, where, size_text = spec.split(":")
        size = int(size_text)
        if kind == "fd":
            return mmap.mmap(int(where), size)
        if kind == "tag" and sys.platform == "win32":
            return mmap.mmap(-1, size, tagname=where)
    except (OSError, ValueError):
        pass
    return None


def serve(inp: IO[bytes], out: IO[bytes], handler: Handler, pixels: mmap.mmap | None = None) -> None:
    while True:
        message = read_message(inp, max_payload=0)
        if message is None:
            return
        req = message[0]
        op = req.get("op")
        if op == "close":
            handler.close(req)
            continue
        payload: bytes | memoryview = b""
        try:
            if op == "open":
                reply, payload = handler.open(req)
            elif op == "sizes":
                reply, payload = handler.sizes(req)
            elif op == "render":
                reply, payload = handler.render(req)
            elif op == "propose":
                reply, payload = handler.propose(req)
            elif op == "repair":
                reply, payload = handler.repair(req)
            elif op == "ping":
                reply, payload = {"pong": True}, b""
            else:
                reply, payload = {"error": "protocol", "detail": f"unknown request {op!r}"}, b""
        except Exception as exc:  # the child answers every request; only a crash ends it
            reply, payload = {"error": "corrupt", "detail": _describe(exc)}, b""
        if pixels is not None and op == "render" and 0 < len(payload) <= len(pixels):
            pixels[:len(payload)] = payload
            reply, payload = dict(reply, shm=len(payload)), b""
        write_message(out, reply, payload)


def limit_memory(limit: int) -> None:
    """Cap this process's memory: MuPDF's allocations beyond it fail as errors, not as a machine
    that swaps. The address space on POSIX; on Windows, the committed memory, through a job object
    this process puts itself in."""
    try:
        import resource
    except ImportError:
        if sys.platform == "win32":
            _limit_committed_memory(limit)
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def job_limit_information() -> type:
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h), as ctypes lays it out (144 bytes on x64)."""
    import ctypes

    dword = ctypes.c_uint32

    class Basic(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", dword), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", dword),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", dword), ("SchedulingClass", dword)]

    class Extended(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", Basic), ("IoInfo", ctypes.c_uint64 * 6),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

    return Extended


def _limit_committed_memory(limit: int) -> None:
    """Windows: a job object of this process alone with JOB_OBJECT_LIMIT_PROCESS_MEMORY. Windows 8
    and later nest jobs, so this works inside whatever job started the app."""
    import ctypes

    job_object_limit_process_memory = 0x100
    job_object_extended_limit_information = 9
    handle = ctypes.c_void_p
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateJobObjectW.restype = handle
    kernel32.GetCurrentProcess.restype = handle
    job = kernel32.CreateJobObjectW(None, None)
    info = job_limit_information()()
    info.BasicLimitInformation.LimitFlags = job_object_limit_process_memory
    info.ProcessMemoryLimit = limit
    ok = job and kernel32.SetInformationJobObject(
        handle(job), job_object_extended_limit_information, ctypes.byref(info), ctypes.sizeof(info)
    ) and kernel32.AssignProcessToJobObject(handle(job), handle(kernel32.GetCurrentProcess()))
    if not ok:
        # The preview still works uncapped; the parent's page timeout still bounds a runaway file.
        error = ctypes.get_last_error()  # type: ignore[attr-defined]
        sys.stderr.write(f"render child: no memory cap (Windows error {error})\n")


def main(handler_class: type[Handler] = Handler, argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    limit = MEMORY_LIMIT
    if MEMORY_FLAG in args[:-1]:
        limit = int(args[args.index(MEMORY_FLAG) + 1])
    limit_memory(limit)
    # File descriptors, not sys.stdin/stdout: a windowed exe may have no sys.stdout although its
    # parent gave it pipes. The protocol gets its own copy of fd 1, and fd 1 then points elsewhere,
    # so nothing a library prints can corrupt the stream.
    out = os.fdopen(os.dup(1), "wb")
    inp = os.fdopen(0, "rb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    serve(inp, out, handler_class(), attach_pixels(os.environ.get(PIXELS_ENV)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
