"""A one-shot HTTP listener on 127.0.0.1 that receives the browser's redirect (RFC 8252, 7.3).

The browser's request is held open until the app has finished the sign-in, so the page it
shows says whether it worked, not merely that a code arrived.
"""

from __future__ import annotations

import html
import queue
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from app.errors import CancelledError
from app.services.serve_loop import ServeLoop

CALLBACK_PATH = "/lienthong/callback"
VERDICT_WAIT_S = 60.0
PAGE_SEND_WAIT_S = 2.0

SUCCESS_PAGE = (
    "Đăng nhập thành công, bạn có thể đóng trang này.",
    "Signed in. You can close this page.",
)
FAILURE_PAGE = (
    "Đăng nhập không thành công. Hãy quay lại Liên Thông Desk để xem lý do.",
    "Sign-in failed. Go back to Liên Thông Desk to see why.",
)


def render_page(vi: str, en: str) -> bytes:
    body = (
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<title>Liên Thông Desk</title></head>"
        "<body style=\"font-family:sans-serif;margin:3em\">"
        f"<h2>{html.escape(vi)}</h2><p lang=\"en\">{html.escape(en)}</p></body></html>"
    )
    return body.encode("utf-8")


@dataclass
class Callback:
    """The redirect's query parameters; the waiting browser gets its page once `finish` is called."""

    params: dict[str, str]
    _done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False
    # Set once the browser's page is written; close() waits for it, since the handler
    # threads are daemons and a CLI exiting right after sign-in would cut the page short.
    answered: threading.Event = field(default_factory=threading.Event)

    def finish(self, ok: bool) -> None:
        self.ok = ok
        self._done.set()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)


class _Server(ThreadingHTTPServer):
    allow_reuse_address = False
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.callbacks: queue.Queue[Callback] = queue.Queue()
        self.issued: list[Callback] = []

    def server_bind(self) -> None:
        # Not HTTPServer's: it names the server with socket.getfqdn, a reverse lookup of 127.0.0.1
        # that costs milliseconds of every sign-in and can wait on the network on Windows. The
        # name is only for CGI; this server's pages never use it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH:
            self._answer(404, render_page("Không tìm thấy trang.", "Not found."))
            return
        callback = Callback(params=dict(parse_qsl(parts.query)))
        self.server.issued.append(callback)
        self.server.callbacks.put(callback)
        try:
            callback.wait(VERDICT_WAIT_S)
            self._answer(200, render_page(*(SUCCESS_PAGE if callback.ok else FAILURE_PAGE)))
        finally:
            callback.answered.set()

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature fixed by http.server)
        return


class LoopbackReceiver:
    """Listens on a random port of 127.0.0.1 until closed; use as a context manager."""

    def __init__(self) -> None:
        self._server = _Server()
        # Not serve_forever: closing must not wait out a poll interval on every sign-in.
        self._loop = ServeLoop(self._server, "sso-loopback")
        self._loop.start()

    @property
    def redirect_uri(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{CALLBACK_PATH}"

    def wait(self, *, timeout: float, cancel: threading.Event | None = None) -> Callback:
        """The first redirect to arrive; CancelledError on cancel or when `timeout` passes."""
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                raise CancelledError("sign-in cancelled")
            left = deadline - time.monotonic()
            if left <= 0:
                raise CancelledError(f"no sign-in within {timeout:.0f} s")
            try:
                return self._server.callbacks.get(timeout=min(0.1, left))
            except queue.Empty:
                continue

    def close(self) -> None:
        self._loop.stop()  # no new browser requests
        # Release any browser request still waiting for its page, then let the pages go out.
        while not self._server.callbacks.empty():
            self._server.callbacks.get_nowait().finish(False)
        deadline = time.monotonic() + PAGE_SEND_WAIT_S
        for callback in self._server.issued:
            callback.answered.wait(max(0.0, deadline - time.monotonic()))
        self._server.server_close()

    def close_in_background(self) -> threading.Thread:
        """`close` on a thread of its own: the browser's page goes out while the sign-in goes on.
        Not a daemon, so a command that exits at once still sends the page first."""
        thread = threading.Thread(target=self.close, name="sso-loopback-close")
        thread.start()
        return thread

    def __enter__(self) -> "LoopbackReceiver":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
