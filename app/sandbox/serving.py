"""Threaded werkzeug servers bound first (so URLs are known) and given their app afterwards."""

from __future__ import annotations

import socket
import socketserver
import struct

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app.sandbox.faults import CUT_FLAG
from app.services.serve_loop import ServeLoop


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        pass

    def connection_dropped(self, error, environ=None) -> None:
        if environ is not None and environ.get(CUT_FLAG):
            # A fault cut: never read another request from this socket, and make close()
            # send a reset so a client still uploading fails at once.
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


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
            self._server: BaseWSGIServer = make_server(
                host, listener.getsockname()[1], _not_ready, threaded=True,
                request_handler=_QuietHandler, fd=listener.fileno(),
            )
        finally:
            listener.close()  # werkzeug works on its own duplicate of the descriptor
        if isinstance(self._server, socketserver.ThreadingMixIn):  # threaded=True
            self._server.daemon_threads = True
        self._loop: ServeLoop | None = None

    @property
    def port(self) -> int:
        return self._server.port

    def set_app(self, app) -> None:
        self._server.app = app

    def start(self, name: str) -> None:
        # A loop that stops at once: a sandbox stop no longer waits a poll interval per server.
        self._loop = ServeLoop(self._server, name)
        self._loop.start()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.stop()
            self._loop = None
        self._server.server_close()
