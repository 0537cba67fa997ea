"""The shared JSON client of the iGate and iDesk adapters.

Every call carries a bearer token, a timeout and TLS verification. Only calls that are safe to
repeat are retried (GET/HEAD, and POSTs the server deduplicates: an Idempotency-Key header or an
idempotent body); server answers are mapped onto the app.errors family.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Sequence, runtime_checkable

from app.errors import (
    AccountNotLinkedError,
    CancelledError,
    FileTooLargeError,
    ForbiddenError,
    IntegrityError,
    LienThongError,
    NotFoundError,
    NumberOutOfSequenceError,
    NumberTakenError,
    ServiceError,
    ServiceUnavailableError,
    SessionExpiredError,
    WrongStepError,
)
from app.fileio import atomic_output
from app.motw import mark_from_internet
from app.services.httpclient import HttpClient, Response, TransportError
from app.services.multipart import MultipartBody, Part
from app.services.transport import require_allowed_url

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CHUNK = 1 << 20
SAFE_METHODS = frozenset({"GET", "HEAD"})
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
# No usable answer: refused, timed out, cut off (a refused certificate too, as before).
NETWORK_ERRORS = (TransportError,)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long apart an idempotent request is tried again after a transient failure."""

    attempts: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 4.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), self.max_backoff_s)
        base = min(self.backoff_s * 2.0**attempt, self.max_backoff_s)
        return base * (0.5 + random.random() / 2)  # jitter spreads retries of parallel workers


@runtime_checkable
class SessionTokens(Protocol):
    """A signed-in session's bearer tokens (`app.services.sso.SsoSession`)."""

    def access_token(self) -> str: ...

    def force_refresh(self, stale: str | None = None) -> str:
        """A new access token, unless `stale` was already replaced (then the current one)."""
        ...


# A session, or a plain callable giving a token that is never refreshed (tools, tests).
Tokens = SessionTokens | Callable[[], str]


class TokenProvider:
    """The bearer token for a request, and a refresh when the server says it is no longer valid."""

    def __init__(self, tokens: Tokens) -> None:
        self._get: Callable[[], str]
        self._refresh: Callable[[str], str] | None
        if isinstance(tokens, SessionTokens):
            self._get, self._refresh = tokens.access_token, tokens.force_refresh
        else:
            self._get, self._refresh = tokens, None

    def get(self) -> str:
        return self._get()

    @property
    def can_refresh(self) -> bool:
        return self._refresh is not None

    def refresh(self, stale: str) -> None:
        if self._refresh is not None:
            self._refresh(stale)


def _server_error(resp: Response) -> tuple[str, str]:
    try:
        body = resp.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error") or ""), str(body.get("message") or "")


def _is_invalid_token(resp: Response) -> bool:
    code, _ = _server_error(resp)
    return code == "invalid_token" or "invalid_token" in resp.headers.get("WWW-Authenticate", "")


def map_error(
    resp: Response,
    system: str,
    *,
    upload: tuple[str, int] | None = None,
    limit: int = 100 * 1024 * 1024,
    server_messages: bool = True,
) -> LienThongError:
    """The app error for a refused call. With `server_messages` the server's (Vietnamese) message
    is shown, else only kept in the detail; English is generic."""
    code, message = _server_error(resp)
    detail = f"{resp.request.method} {resp.url}: HTTP {resp.status_code} {code} {message}".strip()
    if not server_messages:
        message = ""
    status = resp.status_code
    if status == 401:
        if code == "unauthenticated":
            return AccountNotLinkedError(detail=detail)
        return SessionExpiredError(detail=detail)
    if status == 403:
        return ForbiddenError(
            message or f"{system} không cho phép tài khoản của bạn thực hiện thao tác này.",
            f"{system} does not allow your account to do this.",
            detail=detail,
        )
    if status == 404:
        return NotFoundError(
            message or f"Không tìm thấy dữ liệu trên {system}.",
            f"Not found on {system}.",
            detail=detail,
        )
    if status == 409 and code == "wrong_step":
        return WrongStepError(
            message or "Hồ sơ hoặc văn bản không ở bước cho phép thao tác này.",
            "The dossier or document is not at a step that allows this action.",
            detail=detail,
        )
    if status == 409 and code == "number_taken":
        return NumberTakenError(
            message or "Số văn bản này đã được dùng trong năm.",
            "This document number is already used this year.",
            detail=detail,
        )
    if status == 409 and code == "number_out_of_sequence":
        return NumberOutOfSequenceError(
            message or "Số văn bản không theo thứ tự của sổ đăng ký.",
            "The document number is out of the register's sequence.",
            detail=detail,
        )
    if status == 413:
        name, size = upload or ("", 0)
        return FileTooLargeError(name or "?", size, limit)
    if status == 429 or status >= 500:
        return ServiceUnavailableError(system, detail=detail)
    return ServiceError(
        message or f"{system} từ chối yêu cầu.",
        f"{system} refused the request.",
        detail=detail,
    )


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError()


class ApiClient:
    """One base URL; safe to share between worker threads."""

    def __init__(
        self,
        base_url: str,
        tokens: Tokens,
        *,
        system: str,
        http: HttpClient | None = None,
        timeout: float = 30.0,
        verify: bool | str = True,
        max_upload_bytes: int = 100 * 1024 * 1024,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.base_url = require_allowed_url(base_url.rstrip("/") + "/", system)
        self.system = system
        self.tokens = TokenProvider(tokens)
        self.http = http or HttpClient()
        self.timeout = timeout
        self.verify = verify
        self.max_upload_bytes = max_upload_bytes
        self.retry = retry
        # Spring gateways answer with English framework text ("Access Denied"): not for officers.
        self.server_messages = True
        # Refresh on any 401, not only one marked invalid_token (gateways that omit the marker).
        self.refresh_on_any_401 = False

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        idempotent: bool = False,
        stream: bool = False,
        body: Callable[[], Any] | None = None,
        headers: Mapping[str, str] | None = None,
        upload: tuple[str, int] | None = None,
    ) -> Response:
        """Send with retries where safe; return a 2xx response or raise the mapped app error.

        `body` makes a fresh streamed request body per attempt. Such a call is replayed only
        after a 401 invalid_token (the server stored nothing), never after a network failure.
        """
        method = method.upper()
        safe = body is None and (method in SAFE_METHODS or idempotent or bool(idempotency_key))
        hdrs = {"Accept": "application/json", **(headers or {})}
        if idempotency_key:
            hdrs["Idempotency-Key"] = idempotency_key
        url = self.url(path)
        attempt = 0
        refreshed = False
        while True:
            token = self.tokens.get()
            data = body() if body is not None else None
            try:
                resp = self.http.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers={**hdrs, "Authorization": f"Bearer {token}"},
                    timeout=self.timeout,
                    verify=self.verify,
                    stream=stream,
                    allow_redirects=False,
                )
            except NETWORK_ERRORS as exc:
                if safe and attempt + 1 < self.retry.attempts:
                    log.info("%s %s failed (%s); retrying", method, url, type(exc).__name__)
                    time.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise ServiceUnavailableError(self.system, detail=f"{method} {url}: {exc}") from exc
            if (
                resp.status_code == 401
                and not refreshed
                and self.tokens.can_refresh
                and (
                    _is_invalid_token(resp) or (self.refresh_on_any_401 and _server_error(resp)[0] != "unauthenticated")
                )
            ):
                resp.close()
                self.tokens.refresh(token)  # SessionExpiredError when the SSO refuses
                refreshed = True
                continue
            if resp.status_code in TRANSIENT_STATUS and safe and attempt + 1 < self.retry.attempts:
                log.info("%s %s answered %s; retrying", method, url, resp.status_code)
                resp.close()
                time.sleep(self.retry.delay(attempt, resp.headers.get("Retry-After")))
                attempt += 1
                continue
            if 200 <= resp.status_code < 300:
                return resp
            try:
                raise map_error(
                    resp, self.system, upload=upload, limit=self.max_upload_bytes, server_messages=self.server_messages
                )
            finally:
                resp.close()

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._json(self.request("GET", path, params=_clean(params)))

    def post_json(self, path: str, body: Any, *, idempotency_key: str | None = None, idempotent: bool = False) -> Any:
        return self._json(self.request("POST", path, json=body, idempotency_key=idempotency_key, idempotent=idempotent))

    def put_json(self, path: str, body: Any, *, idempotent: bool = False) -> Any:
        return self._json(self.request("PUT", path, json=body, idempotent=idempotent))

    def patch_json(self, path: str, body: Any) -> Any:
        return self._json(self.request("PATCH", path, json=body, idempotent=True))

    def _json(self, resp: Response) -> Any:
        try:
            return resp.json() if resp.content else None
        except ValueError as exc:
            raise ServiceUnavailableError(self.system, detail=f"{resp.url}: not JSON: {exc}") from exc

    # -- files -------------------------------------------------------------------------------

    def download(
        self,
        path: str,
        dest: Path,
        *,
        name: str = "",
        expected_sha256: str | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> str:
        """Stream `path` into `dest` atomically; return the SHA-256 hex after checking it.

        The digest must match the server's X-Checksum-SHA256 header and `expected_sha256` when
        given; on any mismatch or failure nothing is left at `dest` (an older file there stays).
        """
        dest = Path(dest)
        name = name or dest.name
        attempt = 0
        while True:
            _check_cancel(cancel)
            resp = self.request("GET", path, stream=True, headers={"Accept": "*/*"})
            try:
                return self._receive(resp, dest, name, expected_sha256, progress, cancel)
            except NETWORK_ERRORS as exc:
                if attempt + 1 < self.retry.attempts:
                    time.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise ServiceUnavailableError(self.system, detail=f"GET {resp.url}: {exc}") from exc
            finally:
                resp.close()

    def _receive(
        self,
        resp: Response,
        dest: Path,
        name: str,
        expected: str | None,
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> str:
        total = int(resp.headers.get("Content-Length") or 0)
        header_sum = resp.headers.get("X-Checksum-SHA256", "").strip().lower()
        digest = hashlib.sha256()
        done = 0
        # Checked inside the block: a mismatch aborts it, so nothing replaces `dest`.
        with atomic_output(dest) as out:
            for chunk in resp.iter_content(CHUNK):
                _check_cancel(cancel)
                digest.update(chunk)
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total or done)
            actual = digest.hexdigest()
            for label, want in (("X-Checksum-SHA256", header_sum), ("expected", (expected or "").lower())):
                if want and want != actual:
                    raise IntegrityError(name, detail=f"{label} {want} != received {actual} ({resp.url})")
            if total and done != total:
                raise IntegrityError(name, detail=f"received {done} of {total} bytes")
        mark_from_internet(dest)
        return actual

    def upload(
        self,
        path: str,
        field: str,
        files: Sequence[Path],
        *,
        names: Sequence[str] | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> Any:
        """POST the files as one streamed multipart body (parts named `field`); return the JSON answer."""
        files = [Path(f) for f in files]
        names = list(names) if names is not None else [f.name for f in files]
        for f, n in zip(files, names, strict=True):
            size = f.stat().st_size
            if size > self.max_upload_bytes:
                raise FileTooLargeError(n, size, self.max_upload_bytes)
        parts = [Part(field, f, n) for f, n in zip(files, names, strict=True)]
        boundary = MultipartBody.new_boundary()
        opened: list[MultipartBody] = []

        def make_body() -> MultipartBody:
            opened.append(MultipartBody(parts, boundary=boundary, progress=progress, cancel=cancel))
            return opened[-1]

        largest = max(zip(names, (f.stat().st_size for f in files), strict=True), key=lambda x: x[1], default=("", 0))
        try:
            resp = self.request(
                "POST",
                path,
                body=make_body,
                headers={"Content-Type": MultipartBody.content_type_for(boundary)},
                upload=largest,
            )
        finally:
            for b in opened:
                b.close()
        return self._json(resp)


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop unset query parameters so the server sees only what the caller asked for."""
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None and v != "" and v != ()}
