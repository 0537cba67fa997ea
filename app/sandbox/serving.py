"""Threaded werkzeug servers bound first (so URLs are known) and given their app afterwards.

werkzeug loads when a server starts, not when it binds: the GUI's training sandbox process
reports its addresses as soon as its ports are bound.
"""

from __future__ import annotations

import socket
import socketserver
import struct
from functools import cache
from typing import TYPE_CHECKING

from app.sandbox.faults import CUT_FLAG
from app.services.serve_loop import ServeLoop

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler


@cache
def _quiet_handler() -> type[WSGIRequestHandler]:
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code="-", size="-") -> None:
            pass

        def connection_dropped(self, error, environ=None) -> None:
            if environ is not None and environ.get(CUT_FLAG):
                # A fault cut: never read another request from this socket, and make close()
                # send a reset so a client still uploading fails at once.
                self.close_connection = True
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return QuietHandler


def _not_ready(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


class BackgroundServer:
    def __init__(self, host: str, port: int) -> None:
        # Bind here so a busy port raises OSError (werkzeug itself would exit the process).
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((host, port))
            listener.listen(128)
        except BaseException:
            listener.close()
            raise
        self._listener: socket.socket | None = listener
        self._host = host
        self._port: int = listener.getsockname()[1]
        self._app = _not_ready
        self._server: BaseWSGIServer | None = None
        self._loop: ServeLoop | None = None

    @property
    def port(self) -> int:
        return self._port

    def set_app(self, app) -> None:
        self._app = app
        if self._server is not None:
            self._server.app = app

    def _serve(self) -> BaseWSGIServer:
        from werkzeug.serving import make_server

        listener, self._listener = self._listener, None
        assert listener is not None, "not stopped"
        try:
            server = make_server(
                self._host, self._port, self._app, threaded=True, request_handler=_quiet_handler(),
                fd=listener.fileno(),
            )
        finally:
            listener.close()  # werkzeug works on its own duplicate of the descriptor
        if isinstance(server, socketserver.ThreadingMixIn):  # threaded=True
            server.daemon_threads = True
        self._server = server
        return server

    def start(self, name: str) -> None:
        # A loop that stops at once: a sandbox stop no longer waits a poll interval per server.
        self._loop = ServeLoop(self._server or self._serve(), name)
        self._loop.start()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.stop()
            self._loop = None
        if self._server is not None:
            self._server.server_close()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
