"""The services' HTTP/1.1 client (SSO, iGate, iDesk), on the standard library's http.client.

What the services need and no more: keep-alive connections shared by worker threads, TLS that
is always verified (certifi's roots, or the profile's CA bundle), the system's proxies for
servers off this machine, gzip answers, streamed bodies both ways, and redirects followed only
when asked. `requests` costs about 380 M instructions to import (urllib3, charset detection,
cookies); this module about a quarter of that, on the path from start to the main window.

Errors: `TransportError` and its subclasses when no usable answer came (refused, timed out,
cut off, certificate refused); their text says what failed, the caller adds the method and
address. Any answer, 4xx and 5xx included, is a `Response`.
"""

from __future__ import annotations

import base64
import codecs
import functools
import http.client
import json as jsonlib
import select
import socket
import ssl
import threading
import time
import zlib
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol
from urllib.parse import unquote, urlencode, urljoin, urlsplit, urlunsplit

from app.services.transport import is_allowed_url, is_loopback_host

USER_AGENT = "LienThongDesk/1"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
IDLE_PER_ORIGIN = 4
READ_CHUNK = 1 << 16
PROXY_REFRESH_S = 60
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class TransportError(Exception):
    """No usable answer: the message says what failed and where."""


class ConnectFailed(TransportError):
    """The server could not be reached, or closed the connection before answering."""


class CertificateRefused(ConnectFailed):
    """The server's TLS certificate is not trusted or does not match its name."""


class TimedOut(TransportError):
    """No connection or no data within the timeout."""


class BodyBroken(TransportError):
    """The answer's body broke off or could not be decoded."""


class _Sized(Protocol):
    def __len__(self) -> int: ...

    def read(self, size: int = -1) -> bytes: ...


Body = bytes | str | Mapping[str, str] | _Sized | None


class SentRequest(NamedTuple):
    """What was sent, for error details: the method and the final URL (without credentials)."""

    method: str
    url: str


class Headers(Mapping[str, str]):
    """An answer's headers; names compare without case, repeated headers are joined by ', '."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._map: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            self._map[key] = f"{self._map[key]}, {value}" if key in self._map else value

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    def decompress(self, data: bytes) -> bytes: ...

    def flush(self) -> bytes: ...


def _decoder(encoding: str) -> _Decompressor | None:
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":  # not asked for, but zlib-wrapped as RFC 9110 says when sent anyway
        return zlib.decompressobj()
    return None


class Response:
    """One answer. Read `content`/`json()` at once, or `iter_content()` when sent with stream=True;
    `close()` (or reading to the end) hands a reusable connection back to the client."""

    def __init__(
        self, raw: http.client.HTTPResponse, request: SentRequest, release: Callable[[bool], None], stream: bool
    ) -> None:
        self._raw = raw
        self._release: Callable[[bool], None] | None = release  # called once
        self.request = request
        self.url = request.url
        self.status_code = raw.status
        self.reason = raw.reason
        self.headers = Headers(raw.getheaders())
        self._decode = _decoder(self.headers.get("Content-Encoding", ""))
        self._content: bytes | None = None
        if not stream:
            self._content = b"".join(self.iter_content(READ_CHUNK))

    @property
    def content(self) -> bytes:
        if self._content is None:
            self._content = b"".join(self.iter_content(READ_CHUNK))
        return self._content

    @property
    def text(self) -> str:
        return self.content.decode(self._charset(), errors="replace")

    def _charset(self) -> str:
        for param in self.headers.get("Content-Type", "").split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                name = value.strip('"').lower()
                try:
                    return codecs.lookup(name).name
                except LookupError:
                    break
        return "utf-8"  # JSON is UTF-8 (RFC 8259), and so are the services' other answers

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return jsonlib.loads(self.content.decode("utf-8-sig"))

    def iter_content(self, size: int = READ_CHUNK) -> Iterator[bytes]:
        if self._content is not None:
            if self._content:
                yield self._content
            return
        compressed = 0
        try:
            while True:
                try:
                    chunk = self._raw.read(size)
                except (http.client.IncompleteRead, http.client.HTTPException) as exc:
                    raise BodyBroken(f"answer cut off ({exc!r})") from exc
                except socket.timeout as exc:
                    raise TimedOut("timed out waiting for the rest of the answer") from exc
                except OSError as exc:
                    raise BodyBroken(f"answer cut off ({exc})") from exc
                if not chunk:
                    # http.client ends a read early without complaint when the server hangs up.
                    if self._raw.length:
                        raise BodyBroken(f"answer cut off ({self._raw.length} bytes missing)")
                    break
                if self._decode is not None:
                    compressed += len(chunk)
                    try:
                        chunk = self._decode.decompress(chunk)
                    except zlib.error as exc:
                        raise BodyBroken(f"bad compressed answer ({exc})") from exc
                if chunk:
                    yield chunk
            if self._decode is not None and compressed:
                if not self._decode.eof:
                    raise BodyBroken("compressed answer ended early")
                tail = self._decode.flush()
                if tail:
                    yield tail
        except BaseException:
            self._finish(False)
            raise
        self._finish(True)

    def close(self) -> None:
        # Unread bytes would be taken for the next answer: such a connection is not reused.
        self._finish(self._raw.isclosed())

    def _finish(self, complete: bool) -> None:
        release, self._release = self._release, None
        if release is not None:
            reusable = complete and not self._raw.will_close
            if not reusable:
                self._raw.close()
            release(reusable)

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@functools.lru_cache(maxsize=1)
def _proxy_settings(_period: int) -> tuple[dict[str, str], Callable[[str], bool]]:
    # Only for servers off this machine: loading urllib.request is not on the training path.
    # Read again each PROXY_REFRESH_S (`_period`): a laptop moves between the office and home.
    import urllib.request

    return urllib.request.getproxies(), urllib.request.proxy_bypass


def system_proxy(scheme: str, host: str) -> str:
    """The proxy the system's settings name for `host` ("" for a direct connection): the
    HTTPS_PROXY/NO_PROXY variables, and on Windows the Internet Options. Never for this
    machine's own addresses, which a proxy could not reach."""
    if is_loopback_host(host):
        return ""
    proxies, bypass = _proxy_settings(int(time.monotonic() // PROXY_REFRESH_S))
    proxy = proxies.get(scheme) or proxies.get("all") or ""
    if not proxy or bypass(host):
        return ""
    return proxy if "://" in proxy else f"http://{proxy}"


class _Origin(NamedTuple):
    scheme: str
    host: str
    port: int
    cafile: str  # "" for plain http
    proxy: str  # "" for a direct connection


class HttpClient:
    """Safe to share between threads: idle connections wait in a pool per origin."""

    def __init__(self, *, user_agent: str = USER_AGENT, proxy_for: Callable[[str, str], str] = system_proxy) -> None:
        """`proxy_for(scheme, host)` names the proxy for a server, "" for none."""
        self.user_agent = user_agent
        self._proxy_for = proxy_for
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._idle: dict[_Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    # -- the public calls --------------------------------------------------------------------

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.request("POST", url, **kwargs)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Body = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        verify: bool | str = True,
        stream: bool = False,
        allow_redirects: bool = False,
    ) -> Response:
        """Send and return the answer, whatever its status. `params` go into the query; `json`
        or `data` (bytes, text, a form as a mapping, or a sized file-like read piece by piece) is
        the body. `verify` is True (certifi's roots) or a CA bundle's path; never off.
        Redirects are followed only for GET and HEAD, and only when asked."""
        if verify is False:
            raise ValueError("TLS verification cannot be turned off")
        method = method.upper()
        if params:
            url = _with_query(url, params)
        hdrs = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip", "Accept": "*/*"}
        hdrs.update(headers or {})
        body: bytes | _Sized | None
        if json is not None:
            body = jsonlib.dumps(json, allow_nan=False, ensure_ascii=False).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(data, Mapping):
            body = urlencode(data).encode("ascii")
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(data, str):
            body = data.encode("utf-8")
        else:
            body = data
        if body is not None:
            hdrs["Content-Length"] = str(len(body))
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self._send(method, url, hdrs, body, timeout, verify, stream)
            location = resp.headers.get("Location")
            if not (allow_redirects and method in ("GET", "HEAD") and resp.status_code in REDIRECTS and location):
                return resp
            resp.close()
            target = urljoin(url, location)
            if not is_allowed_url(target):
                raise ConnectFailed(f"redirected to a plain-http address ({_without_userinfo(target)})")
            if urlsplit(target).netloc != urlsplit(url).netloc:
                # Credentials for one server are not handed to another.
                hdrs = {k: v for k, v in hdrs.items() if k.lower() != "authorization"}
            url = target
        raise ConnectFailed(f"more than {MAX_REDIRECTS} redirects")

    def close(self) -> None:
        with self._lock:
            pools, self._idle = self._idle, {}
        for conns in pools.values():
            for conn in conns:
                conn.close()

    # -- connections -------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | _Sized | None,
        timeout: float,
        verify: bool | str,
        stream: bool,
    ) -> Response:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ConnectFailed(f"not an http(s) address: {_without_userinfo(url)}")
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        proxy = self._proxy_for(scheme, host)
        origin = _Origin(scheme, host, port, _cafile(verify) if scheme == "https" else "", proxy)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if proxy and scheme == "http":
            target = f"http://{parts.netloc.rpartition('@')[2]}{target}"  # absolute form, for the proxy
            headers = {**headers, **_proxy_auth(proxy)}
        shown = SentRequest(method, _without_userinfo(url))
        for fresh in (False, True):
            conn, reused = self._connection(origin, timeout, fresh)
            try:
                conn.request(method, target, body=body, headers=headers)
                raw = conn.getresponse()
            except BaseException as exc:
                conn.close()
                if isinstance(exc, ssl.SSLCertVerificationError):
                    raise CertificateRefused(f"certificate refused: {exc.verify_message or exc}") from exc
                if isinstance(exc, socket.timeout):
                    raise TimedOut(f"timed out: no answer within {timeout:g} s") from exc
                dropped = isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError))
                if reused and dropped and method in IDEMPOTENT and _rewindable(body):
                    continue  # the server closed an idle connection as it was reused: once more, anew
                if isinstance(exc, (OSError, http.client.HTTPException)):
                    raise ConnectFailed(f"{type(exc).__name__}: {exc}") from exc
                raise
            return Response(raw, shown, functools.partial(self._release, origin, conn), stream)
        raise AssertionError("unreachable")

    def _connection(self, origin: _Origin, timeout: float, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        if not fresh:
            with self._lock:
                idle = self._idle.get(origin, [])
                while idle:
                    conn = idle.pop()
                    if _still_open(conn):
                        conn.timeout = timeout
                        if conn.sock is not None:
                            conn.sock.settimeout(timeout)
                        return conn, True
                    conn.close()
        return self._open(origin, timeout), False

    def _open(self, origin: _Origin, timeout: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if origin.proxy:
            proxy = urlsplit(origin.proxy)
            phost, pport = proxy.hostname or "", proxy.port or 8080
            if origin.scheme == "https":
                conn = http.client.HTTPSConnection(phost, pport, timeout=timeout, context=self._context(origin.cafile))
                conn.set_tunnel(origin.host, origin.port, headers=_proxy_auth(origin.proxy))
                return conn
            conn = http.client.HTTPConnection(phost, pport, timeout=timeout)
            return conn
        if origin.scheme == "https":
            return http.client.HTTPSConnection(
                origin.host, origin.port, timeout=timeout, context=self._context(origin.cafile)
            )
        return http.client.HTTPConnection(origin.host, origin.port, timeout=timeout)

    def _release(self, origin: _Origin, conn: http.client.HTTPConnection, reusable: bool) -> None:
        if not reusable:
            conn.close()
            return
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < IDLE_PER_ORIGIN:
                idle.append(conn)
                return
        conn.close()

    def _context(self, cafile: str) -> ssl.SSLContext:
        with self._lock:
            context = self._contexts.get(cafile)
            if context is None:
                context = ssl.create_default_context(cafile=cafile)
                context.minimum_version = ssl.TLSVersion.TLSv1_2
                context.set_alpn_protocols(["http/1.1"])
                self._contexts[cafile] = context
            return context


def _proxy_auth(proxy: str) -> dict[str, str]:
    """The Proxy-Authorization header for credentials in the proxy's address, if any."""
    parts = urlsplit(proxy)
    if not parts.username:
        return {}
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _cafile(verify: bool | str) -> str:
    if isinstance(verify, str):
        return verify
    import certifi

    return str(certifi.where())


def _still_open(conn: http.client.HTTPConnection) -> bool:
    """An idle connection the server has not closed: nothing to read on it yet."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return not poller.poll(0)
        readable, _, _ = select.select([sock], [], [], 0)  # Windows: no poll, and no fd limit either
    except (OSError, ValueError):
        return False
    return not readable


def _rewindable(body: object) -> bool:
    return body is None or isinstance(body, bytes)


def add_query(url: str, params: Iterable[tuple[str, str]]) -> str:
    """`url` with `params` added to its query; a query the address already has is kept as it is
    (RFC 6749 3.1 asks it of authorization endpoints)."""
    parts = urlsplit(url)
    extra = urlencode(list(params), encoding="utf-8")
    if not extra:
        return url
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def _with_query(url: str, params: Mapping[str, Any]) -> str:
    """`params` as requests took them: None left out, a list or tuple repeated, the rest as text."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs += [(key, str(v)) for v in values]
    return add_query(url, pairs)


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
