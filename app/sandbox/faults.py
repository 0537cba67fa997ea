"""Failure injection and the request log: a WSGI middleware in front of each sandbox app.

Modes (each rule applies to the next `count` matching requests):
  error-503      answer 503 without processing;
  error-429      answer 429 Too Many Requests without processing;
  error-in-200   answer HTTP 200 with an integration-style failure body {status, title, errors};
  delay:<s>      sleep s seconds, then process;
  drop-request   read part of the body, then cut the TCP connection before processing;
  drop-response  process fully (the work is committed), then cut the connection unanswered.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import NamedTuple

SERVERS = ("sso", "igate", "idesk", "csc")
FIXED_MODES = ("error-503", "error-429", "error-in-200", "drop-request", "drop-response")
_CANNED = {
    "error-503": (
        "503 Service Unavailable",
        {"error": "unavailable", "message": "Hệ thống đang bận, vui lòng thử lại sau."},
    ),
    "error-429": (
        "429 Too Many Requests",
        {"error": "too_many_requests", "message": "Quá nhiều yêu cầu, vui lòng thử lại sau."},
    ),
    # DIGO integration endpoints report failures inside a 200 answer.
    "error-in-200": ("200 OK", {"status": 500, "title": "Có lỗi xảy ra.", "errors": "Không xử lý được yêu cầu."}),
}
_DROP_READ_BYTES = 64 * 1024


class RequestRecord(NamedTuple):
    """One request as the server saw it. A dropped request logs status 0; a dropped
    response logs the status the app produced (the work was done)."""

    server: str
    method: str
    path: str
    status: int


class ConnectionCut(ConnectionAbortedError):
    """Raised after the socket is shut down; werkzeug treats it as a dropped connection."""


@dataclass
class FaultRule:
    server: str
    method: str
    pattern: re.Pattern
    mode: str
    remaining: int

    def matches(self, server: str, method: str, path: str) -> bool:
        return (
            self.server == server
            and (self.method == "*" or self.method == method)
            and self.pattern.search(path) is not None
        )


class FaultInjector:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, server: str, method: str, path_regex: str, mode: str, count: int = 1) -> None:
        if server not in SERVERS:
            raise ValueError(f"unknown server {server!r}; expected one of {SERVERS}")
        if mode not in FIXED_MODES and not mode.startswith("delay:"):
            raise ValueError(f"unknown fault mode {mode!r}")
        if mode.startswith("delay:"):
            float(mode.split(":", 1)[1])
        rule = FaultRule(server, method.upper(), re.compile(path_regex), mode, int(count))
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, server: str, method: str, path: str) -> str | None:
        """The mode of the first matching rule, consuming one use of it."""
        with self._lock:
            for rule in self._rules:
                if rule.remaining > 0 and rule.matches(server, method, path):
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                    return rule.mode
        return None


REQUEST_LOG_LIMIT = 10_000


class RequestLog(list):
    """A list of the last `limit` RequestRecords, appended to from server threads.

    Capped so a long training run does not grow it without bound. Once full, `len()` stops
    growing; `mark()` and `after(mark)` count every request ever recorded, so "what came since"
    stays right either way.
    """

    def __init__(self, limit: int = REQUEST_LOG_LIMIT) -> None:
        super().__init__()
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.dropped = 0
        self._lock = threading.Lock()

    def record(self, rec: RequestRecord) -> None:
        with self._lock:
            self.append(rec)
            if len(self) > self.limit:
                del self[0]  # a memmove of at most `limit` pointers
                self.dropped += 1

    def mark(self) -> int:
        """How many requests were recorded so far (held or dropped)."""
        with self._lock:
            return self.dropped + len(self)

    def after(self, mark: int) -> list[RequestRecord]:
        """The records since `mark()` returned `mark` that are still held."""
        with self._lock:
            return self[max(0, mark - self.dropped) :]

    def clear(self) -> None:
        with self._lock:
            self.dropped += len(self)
            super().clear()


CUT_FLAG = "lienthong.sandbox.cut"


def _cut(environ) -> None:
    """Ask the server to reset the connection (see serving.py) and abandon the request."""
    environ[CUT_FLAG] = True
    raise ConnectionCut("connection cut by fault injection")


class FaultMiddleware:
    def __init__(self, app, server: str, faults: FaultInjector, log: RequestLog) -> None:
        self.app = app
        self.server = server
        self.faults = faults
        self.log = log

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "")
        mode = self.faults.take(self.server, method, path)
        if mode in _CANNED:
            status, payload = _CANNED[mode]
            self.log.record(RequestRecord(self.server, method, path, int(status.split(" ", 1)[0])))
            body = json.dumps(payload, ensure_ascii=False).encode()
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            if mode != "error-in-200":
                headers.append(("Retry-After", "1"))
            start_response(status, headers)
            return [body]
        if mode == "drop-request":
            self.log.record(RequestRecord(self.server, method, path, 0))
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length:
                environ["wsgi.input"].read(min(length // 2 or 1, _DROP_READ_BYTES))
            _cut(environ)
        if mode and mode.startswith("delay:"):
            time.sleep(float(mode.split(":", 1)[1]))
        status_holder: list[int] = []

        def recording_start_response(status, headers, exc_info=None):
            status_holder.append(int(status.split(" ", 1)[0]))
            if mode == "drop-response":
                return lambda data: None
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        if mode == "drop-response":
            # Run the app to completion so its work is committed, then hang up.
            try:
                for _chunk in result:
                    pass
            finally:
                if hasattr(result, "close"):
                    result.close()
            self.log.record(RequestRecord(self.server, method, path, status_holder[0] if status_holder else 0))
            _cut(environ)
        self.log.record(RequestRecord(self.server, method, path, status_holder[0] if status_holder else 0))
        return result
