"""An accept loop for a `socketserver` server that stops at once.

`serve_forever` only notices `shutdown()` at its next poll (0.1–0.5 s later), and the sign-in
and every sandbox stop waited for it. Here the loop also watches a socket pair, so `stop()`
wakes it immediately.
"""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading


class ServeLoop:
    """Runs `server`'s accept loop in a daemon thread until `stop()`; the caller closes the server."""

    def __init__(self, server: socketserver.TCPServer, name: str) -> None:
        self.server = server
        # handle_request() is only called once the listener is readable: never block in it.
        server.timeout = 0
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.server.fileno(), selectors.EVENT_READ, "accept")
            selector.register(self._wake_r, selectors.EVENT_READ, "wake")
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.data == "accept" and not self._stopping.is_set():
                        self.server.handle_request()

    def stop(self, timeout: float = 5.0) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._wake_w.close()
        self._wake_r.close()
