"""The client side of the render worker process (`app.services.render_child`).

Every open, page-size, render and text (auto-placement) request goes to a child process and waits
at most a time bound.
When the child crashes or exceeds the bound, it is killed, the request fails with `RenderFailed`
(the preview then says the page cannot be shown) and a fresh child starts at once; documents open
in the dead child are reopened in the new one when next used. Requests from several threads take
turns (one request at a time per child).
"""

from __future__ import annotations

import atexit
import logging
import mmap
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence, TypeVar

from app.services.render_child import CHILD_FLAG, PIXELS_ENV, Header, integer, read_message, text, write_message

if TYPE_CHECKING:
    from app.signing.geometry import Placement
    from app.signing.options import Profile

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 10.0  # seconds for one page's render or one chunk of page sizes
OPEN_TIMEOUT = 20.0  # opening parses the xref and the page tree: allow more
REPAIR_TIMEOUT = 60.0  # a repair rewrites the whole file
MAX_PIXELS = 400_000_000  # bytes of one rendered page; more is a broken reply
PIXEL_BUFFER = 32 << 20  # bytes shared with each child for a render's pixels; a bigger page uses the pipe


class RenderFailed(Exception):
    """kind: "password", "missing", "not_pdf", "corrupt" (opening), "page" (one page),
    "crashed" or "timeout" (the child died or was killed)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Pixels:
    width: int
    height: int
    stride: int
    data: bytes | memoryview  # RGB, 3 bytes a pixel, `stride` bytes a row


T = TypeVar("T")


def child_command() -> list[str]:
    """How to start the child: the frozen exe runs itself with a flag, Python runs the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "app.services.render_child"]


class _Watchdog:
    """Kills the child a request waits on once its time bound passes (reads on a pipe have no timeout
    that works on Windows too)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._deadline: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._fired = False
        self._thread: threading.Thread | None = None

    def arm(self, process: subprocess.Popen[bytes], seconds: float) -> None:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="render-watchdog", daemon=True)
                self._thread.start()
            self._process, self._deadline, self._fired = process, time.monotonic() + seconds, False
            self._cond.notify()

    def disarm(self) -> bool:
        """True when the bound passed (and the child was killed)."""
        with self._cond:
            self._deadline = self._process = None
            return self._fired

    def _run(self) -> None:
        with self._cond:
            while True:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                if self._process is not None:
                    self._process.kill()
                self._fired = True
                self._deadline = None


class _SharedPixels:
    """Memory the child writes a render's pixels into (see `render_child`): an anonymous file
    passed down by descriptor on POSIX, a named mapping on Windows."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.fd: int | None = None
        if sys.platform == "win32":
            name = f"lienthong-render-{os.getpid()}-{secrets.token_hex(8)}"
            self.map = mmap.mmap(-1, size, tagname=name)
            self.spec = f"tag:{name}:{size}"
            return
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("lienthong-render")
        else:
            with tempfile.TemporaryFile() as file:  # already unlinked: nothing left behind
                fd = os.dup(file.fileno())
        try:
            os.ftruncate(fd, size)
            self.map = mmap.mmap(fd, size)
        except OSError:
            os.close(fd)
            raise
        self.fd = fd
        self.spec = f"fd:{fd}:{size}"

    @classmethod
    def make(cls, size: int) -> _SharedPixels | None:
        try:
            return cls(size)
        except (OSError, ValueError) as exc:  # the pipe still carries pixels
            log.info("no shared pixel buffer for the renderer: %s", exc)
            return None

    def child_started(self) -> None:
        """The child has its own descriptor now; this process keeps only the mapping."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def read(self, n: int) -> bytes:
        with self.view(n) as view:
            return bytes(view)

    def view(self, n: int) -> memoryview:
        """The first n bytes without a copy; release it before the next request (the child
        writes the next page's pixels here) and before `close`."""
        if not 0 < n <= self.size:
            raise ValueError(f"{n} bytes in a buffer of {self.size}")
        with memoryview(self.map) as whole:
            return whole[:n]

    def close(self) -> None:
        self.child_started()
        try:
            self.map.close()
        except (BufferError, ValueError):
            pass


class _Child:
    def __init__(self, command: Sequence[str]) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        self.pixels = _SharedPixels.make(PIXEL_BUFFER)
        env.pop(PIXELS_ENV, None)
        if self.pixels is not None:
            env[PIXELS_ENV] = self.pixels.spec
        fds = (self.pixels.fd,) if self.pixels is not None and self.pixels.fd is not None else ()
        try:
            self.process = subprocess.Popen(
                list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env, creationflags=flags, pass_fds=fds,
            )
        finally:
            if self.pixels is not None:
                self.pixels.child_started()
        self.opened: set[int] = set()

    def kill(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        if self.pixels is not None:
            self.pixels.close()


# A child stuck in a loop never sees its pipe close: every worker is stopped when the app exits.
_workers: weakref.WeakSet[RenderWorker] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for worker in list(_workers):
        worker.stop()


def _raise_error(reply: Header) -> None:
    if "error" in reply:
        raise RenderFailed(text(reply, "error"), text(reply, "detail"))


class RenderWorker:
    """Opens documents and renders their pages in a child process; see the module docstring.

    `command` starts the child (default: `child_command()`); tests pass one that crashes or hangs.
    """

    def __init__(self, command: Sequence[str] | None = None, *, page_timeout: float = PAGE_TIMEOUT,
                 open_timeout: float = OPEN_TIMEOUT) -> None:
        self.command = list(command) if command else child_command()
        self.page_timeout = page_timeout
        self.open_timeout = open_timeout
        self._lock = threading.Lock()
        self._turn = threading.RLock()  # one request and its reply at a time on the pipe
        self._child: _Child | None = None
        self._docs: dict[int, tuple[str, str | None]] = {}
        self._next_id = 1
        self._watchdog = _Watchdog()
        self.restarts = 0  # children replaced after a crash or a timeout
        self._stopped = False
        _workers.add(self)

    def start(self) -> None:
        """Start the child now (it imports PyMuPDF meanwhile), so the first document opens sooner."""
        with self._lock:
            self._stopped = False
            if self._child is None:
                self._child = _Child(self.command)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            child, self._child = self._child, None
        if child is not None:
            child.kill()

    @property
    def pid(self) -> int | None:
        child = self._child
        return child.process.pid if child is not None else None

    # ---- requests ------------------------------------------------------------------------

    def open(self, path: str, password: str | None = None) -> tuple[int, int, tuple[float, float]]:
        """(handle, page count, size of page 1 in points); RenderFailed when it cannot be shown."""
        with self._turn:
            return self._open(path, password)

    def _open(self, path: str, password: str | None) -> tuple[int, int, tuple[float, float]]:
        handle = self._next_id
        self._next_id += 1
        child = self._ensure_child()
        reply, _ = self._request(child, {"op": "open", "doc": handle, "path": str(path), "password": password},
                                 self.open_timeout)
        _raise_error(reply)
        try:
            count = integer(reply, "count")
            size = reply.get("size")
            if not isinstance(size, list) or len(size) != 2:
                raise ValueError("size: not a pair")
            width, height = (float(v) for v in size)
        except (TypeError, ValueError) as exc:
            raise RenderFailed("corrupt", f"malformed reply: {exc}") from exc
        child.opened.add(handle)
        self._docs[handle] = (str(path), password)
        return handle, count, (width, height)

    def sizes(self, handle: int, start: int, end: int) -> list[tuple[float, float]]:
        with self._turn:
            return self._sizes(handle, start, end)

    def _sizes(self, handle: int, start: int, end: int) -> list[tuple[float, float]]:
        child = self._with_document(handle)
        reply, _ = self._request(child, {"op": "sizes", "doc": handle, "start": start, "end": end}, self.page_timeout)
        _raise_error(reply)
        sizes = reply.get("sizes")
        try:
            if not isinstance(sizes, list):
                raise ValueError("sizes: not a list")
            return [(float(w), float(h)) for w, h in sizes]
        except (TypeError, ValueError) as exc:
            raise RenderFailed("page", f"malformed reply: {exc}") from exc

    def render(self, handle: int, page: int, scale: float, *, sent: Callable[[], None] | None = None) -> Pixels:
        """The page's pixels. `sent` is called once the request is on its way, before waiting for
        the reply: the caller's own work then overlaps the child's render."""
        return self.render_with(handle, page, scale, lambda pixels: replace(pixels, data=bytes(pixels.data)),
                                sent=sent)

    def render_with(self, handle: int, page: int, scale: float, use: Callable[[Pixels], T], *,
                    sent: Callable[[], None] | None = None) -> T:
        """What `use` makes of the page's pixels, called while they may still lie in the buffer
        shared with the child: a page's megabytes are read once, by `use`, not copied out first.
        `use` must copy what it keeps (a QImage made on `data` must be converted or copied)."""
        with self._turn:
            pixels = self._render(handle, page, scale, sent)
            try:
                return use(pixels)
            finally:
                if isinstance(pixels.data, memoryview):
                    pixels.data.release()

    def _render(self, handle: int, page: int, scale: float, sent: Callable[[], None] | None) -> Pixels:
        child = self._with_document(handle)
        reply, payload = self._request(child, {"op": "render", "doc": handle, "page": page, "scale": scale},
                                       self.page_timeout, sent, borrow=True)
        try:
            _raise_error(reply)
            try:
                pixels = Pixels(integer(reply, "width"), integer(reply, "height"), integer(reply, "stride"), payload)
            except ValueError as exc:
                raise RenderFailed("page", f"malformed reply: {exc}") from exc
            if pixels.stride < pixels.width * 3 or len(payload) < pixels.stride * pixels.height:
                raise RenderFailed("page", "malformed reply: too few pixels")
        except RenderFailed:
            if isinstance(payload, memoryview):
                payload.release()
            raise
        return pixels

    def propose(self, path: str, profile: str, box_size: tuple[float, float],
                password: str | None = None) -> tuple[int, tuple[float, float, float, float]] | None:
        """Auto-placement in the child: (page, displayed rect) for the signature, or None."""
        with self._turn:
            child = self._ensure_child()
            reply, _ = self._request(child, {"op": "propose", "path": str(path), "profile": profile,
                                             "width": box_size[0], "height": box_size[1], "password": password},
                                     self.open_timeout)
        _raise_error(reply)
        found = reply.get("placement")
        if found is None:
            return None
        try:
            if not isinstance(found, list) or len(found) != 5:
                raise ValueError("placement: not five numbers")
            page, x0, y0, x1, y1 = found
            return int(page), (float(x0), float(y0), float(x1), float(y1))
        except (TypeError, ValueError) as exc:
            raise RenderFailed("corrupt", f"malformed reply: {exc}") from exc

    def repair(self, path: str, folder: str) -> str:
        """A repaired copy of `path` written by the child into `folder`; the copy's path."""
        with self._turn:
            child = self._ensure_child()
            reply, _ = self._request(child, {"op": "repair", "path": str(path), "folder": str(folder)},
                                     max(self.open_timeout, REPAIR_TIMEOUT))
        _raise_error(reply)
        return text(reply, "copy")

    def close(self, handle: int) -> None:
        with self._turn:
            self._close(handle)

    def _close(self, handle: int) -> None:
        self._docs.pop(handle, None)
        child = self._child
        if child is not None and handle in child.opened:
            child.opened.discard(handle)
            try:
                self._send(child, {"op": "close", "doc": handle})
            except OSError:
                self._drop(child)

    # ---- the child -----------------------------------------------------------------------

    def _ensure_child(self) -> _Child:
        with self._lock:
            if self._stopped:
                raise RenderFailed("crashed", "the renderer is stopped")
            if self._child is None:
                self._child = _Child(self.command)
            return self._child

    def _with_document(self, handle: int) -> _Child:
        """The child, with the document open in it (reopened after a restart)."""
        if handle not in self._docs:
            raise RenderFailed("corrupt", "the document is not open")
        child = self._ensure_child()
        if handle not in child.opened:
            path, password = self._docs[handle]
            reply, _ = self._request(child, {"op": "open", "doc": handle, "path": path, "password": password},
                                     self.open_timeout)
            _raise_error(reply)
            child.opened.add(handle)
        return child

    @staticmethod
    def _send(child: _Child, header: Header) -> None:
        stdin = child.process.stdin
        assert stdin is not None
        write_message(stdin, header)

    def _request(self, child: _Child, header: Header, timeout: float, sent: Callable[[], None] | None = None,
                 borrow: bool = False) -> tuple[Header, bytes | memoryview]:
        """The reply; with `borrow`, pixels in the shared buffer come as a view on it (see `render_with`)."""
        try:
            self._send(child, header)
        except (OSError, ValueError):  # the child is already gone: one retry on a fresh one
            self._drop(child)
            child = self._ensure_child()
            try:
                self._send(child, header)
            except (OSError, ValueError) as exc:
                self._drop(child)
                raise RenderFailed("crashed", f"the renderer cannot start: {exc}") from exc
        if sent is not None:
            try:
                sent()
            except Exception:  # the reply must still be read, or the next request gets it
                log.exception("while a render was on its way")
        stdout = child.process.stdout
        assert stdout is not None
        self._watchdog.arm(child.process, timeout)
        try:
            message = read_message(stdout, max_payload=MAX_PIXELS)
        except (OSError, ValueError):
            message = None
        timed_out = self._watchdog.disarm()
        if timed_out:
            self._drop(child)  # killed, perhaps just as its answer arrived
        if message is None:
            self._drop(child)
            code = child.process.returncode
            if self._stopped:
                raise RenderFailed("crashed", "the renderer is stopped")
            if timed_out:
                log.warning("the renderer took longer than %.0f s on %s; restarted", timeout, text(header, "op"))
                raise RenderFailed("timeout", f"no answer within {timeout:g} s")
            log.warning("the renderer stopped (exit code %s) on %s; restarted", code, text(header, "op"))
            raise RenderFailed("crashed", f"the renderer stopped (exit code {code})")
        reply, piped = message
        if "shm" not in reply:
            return reply, piped
        # The pixels are in the shared buffer: copied out, or lent, before the next request.
        try:
            if child.pixels is None or piped:
                raise ValueError("no shared buffer")
            n = integer(reply, "shm")
            return reply, child.pixels.view(n) if borrow else child.pixels.read(n)
        except ValueError as exc:  # a closed buffer (stopped meanwhile) is a ValueError too
            return {"error": "page", "detail": f"malformed reply: shm: {exc}"}, b""

    def _drop(self, child: _Child) -> None:
        """Kill a dead or stuck child and start its replacement now, not at the next request."""
        child.kill()
        with self._lock:
            if self._child is child and not self._stopped:
                self._child = _Child(self.command)
                self.restarts += 1


class Proposer(Protocol):
    def __call__(self, pdf_path: Path, profile: Profile, box_size: tuple[float, float] = ...,
                 *, password: str | None = None) -> Placement | None: ...


def placement_proposer(worker: RenderWorker) -> Proposer:
    """`autoplace.propose_placement`, run in `worker`'s child: the text extraction it needs is
    MuPDF's too, so a document that crashes or hangs it costs no proposal, not the app."""

    def propose(pdf_path: Path, profile: Profile, box_size: tuple[float, float] = (150.0, 75.0),
                *, password: str | None = None) -> Placement | None:
        from app.signing.geometry import Placement
        from app.signing.options import Profile

        if profile is not Profile.LEADER:  # the engine places the others itself
            return None
        try:
            found = worker.propose(str(pdf_path), profile.value, box_size, password)
        except RenderFailed as exc:
            log.info("no placement proposed for %s: %s", Path(pdf_path).name, exc.detail)
            return None
        return Placement(found[0], found[1]) if found is not None else None

    return propose


class Repairer(Protocol):
    def __call__(self, original: Path, folder: Path) -> tuple[Path, str]: ...


def repairer(worker: RenderWorker) -> Repairer:
    """`repair.write_repaired_copy`, run in `worker`'s child: MuPDF rebuilds a damaged file there,
    so one that crashes or hangs it costs the repaired copy (CorruptPdfError), not the app."""

    def repair(original: Path, folder: Path) -> tuple[Path, str]:
        from app.fileio import sha256_file
        from app.signing.errors import CorruptPdfError

        name = Path(original).name
        try:
            written = Path(worker.repair(str(original), str(folder)))
        except RenderFailed as exc:
            raise CorruptPdfError(name, detail=f"repair: {exc.kind}: {exc.detail}") from exc
        expected = Path(folder) / name
        if written != expected:
            raise CorruptPdfError(name, detail=f"repair: the copy was written to {written}, not {expected}")
        # The digest of the bytes on disk: what the preview will show and the signing checks.
        return written, sha256_file(written)

    return repair
