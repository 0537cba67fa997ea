"""The services' HTTP client against real servers on loopback: keep-alive, stale connections,
gzip, cut-off answers, timeouts, TLS trust, redirects, a CONNECT proxy, streamed bodies."""

from __future__ import annotations

import gzip
import json
import os
import select
import socket
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest

from app.services.httpclient import (
    IDLE_PER_ORIGIN,
    BodyBroken,
    CertificateRefused,
    ConnectFailed,
    HttpClient,
    TimedOut,
)
from app.services.multipart import MultipartBody, Part
from tests.fixtures.imports import loaded_by
from tests.fixtures.pki import private_ca_for_loopback

REPO = Path(__file__).resolve().parents[2]

Route = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A keep-alive HTTP/1.1 server whose pages are functions; counts the connections it accepts."""

    def __init__(self, routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> None:
        self.routes = routes
        self.connections = 0
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                outer.connections += 1
                super().setup()

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.seen.append((self.command, self.path, dict(self.headers.items()), body))
                outer.routes[self.path.split("?")[0]](self)

            do_GET = do_POST = do_PUT = do_HEAD = _any  # noqa: N815

            def log_message(self, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # Clients that time out or drop a half-read answer leave broken pipes here, on purpose.
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def answer(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    def page(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in {"Content-Length": str(len(body)), **(headers or {})}.items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    return page


@pytest.fixture
def serve():
    servers: list[Server] = []

    def start(routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> Server:
        servers.append(Server(routes, tls))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


@pytest.fixture
def client():
    c = HttpClient()
    yield c
    c.close()


def test_answers_come_back_on_one_kept_alive_connection(serve, client):
    server = serve({"/a": answer(b'{"x": 1}', headers={"Content-Type": "application/json"})})
    for _ in range(5):
        resp = client.get(server.url("/a"), params={"q": "Hồ sơ", "n": 2, "skip": None})
        assert resp.status_code == 200 and resp.json() == {"x": 1}
    assert server.connections == 1
    assert server.seen[0][1] == "/a?q=H%E1%BB%93+s%C6%A1&n=2"


def test_a_connection_the_server_closed_while_idle_is_not_reused(serve, client):
    def closing(h: BaseHTTPRequestHandler) -> None:
        answer(b"ok", headers={"Connection": "keep-alive"})(h)
        h.wfile.flush()
        h.close_connection = True  # the server drops it after answering, as idle timeouts do

    server = serve({"/c": closing})
    assert client.get(server.url("/c")).content == b"ok"
    assert client.get(server.url("/c")).content == b"ok"
    assert server.connections == 2


def test_gzip_answers_are_decoded_and_a_cut_gzip_is_an_error(serve, client):
    packed = gzip.compress("Tập tin kết quả".encode() * 200)
    server = serve({
        "/gz": answer(packed, headers={"Content-Encoding": "gzip"}),
        "/cut": answer(packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"}),
    })
    assert client.get(server.url("/gz")).text == "Tập tin kết quả" * 200
    assert server.seen[0][2]["Accept-Encoding"] == "gzip"
    with pytest.raises(BodyBroken):
        client.get(server.url("/cut"))
    # A bodiless answer that names an encoding is simply empty.
    assert client.request("HEAD", server.url("/gz")).content == b""


def test_an_answer_shorter_than_its_length_is_an_error(serve, client):
    def short(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(b"only ten b")
        h.close_connection = True

    server = serve({"/short": short})
    with pytest.raises(BodyBroken):
        client.get(server.url("/short"))
    resp = client.get(server.url("/short"), stream=True)
    with pytest.raises(BodyBroken):
        b"".join(resp.iter_content(4))


def test_no_answer_within_the_timeout_is_timed_out_and_no_server_is_connect_failed(serve, client):
    release = threading.Event()

    def slow(h: BaseHTTPRequestHandler) -> None:
        release.wait(30)
        answer(b"late")(h)

    server = serve({"/slow": slow})
    try:
        with pytest.raises(TimedOut):
            client.get(server.url("/slow"), timeout=0.2)
    finally:
        release.set()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with pytest.raises(ConnectFailed):
        client.get(f"http://127.0.0.1:{port}/")


def test_tls_is_verified_against_the_given_bundle_only(serve, client, tls_pair):
    server_context, bundle = tls_pair
    server = serve({"/t": answer(b"secure")}, tls=server_context)
    with pytest.raises(CertificateRefused):
        client.get(server.url("/t"))  # certifi's roots do not know the provincial test CA
    assert client.get(server.url("/t"), verify=str(bundle)).content == b"secure"
    with pytest.raises(ValueError):
        client.get(server.url("/t"), verify=False)


def test_redirects_are_followed_only_when_asked_and_credentials_stay_with_their_host(serve, client):
    other = serve({"/there": answer(b"there")})
    server = serve({
        "/go": answer(b"", 302, {"Location": other.url("/there")}),
        "/away": answer(b"", 302, {"Location": "http://example.org/x"}),
    })
    assert client.get(server.url("/go")).status_code == 302
    resp = client.get(server.url("/go"), headers={"Authorization": "Bearer secret"}, allow_redirects=True)
    assert resp.content == b"there" and resp.url == other.url("/there")
    assert "Authorization" not in other.seen[-1][2]
    with pytest.raises(ConnectFailed, match="plain-http"):
        client.get(server.url("/away"), allow_redirects=True)
    assert client.post(server.url("/go"), data=b"x", allow_redirects=True).status_code == 302


def test_https_goes_through_the_proxy_as_a_tunnel(serve, tls_pair):
    server_context, bundle = tls_pair
    server = serve({"/p": answer(b"via proxy")}, tls=server_context)
    proxy = TunnelProxy()
    try:
        client = HttpClient(proxy_for=lambda scheme, host: f"http://user:p%40ss@127.0.0.1:{proxy.port}")
        assert client.get(server.url("/p"), verify=str(bundle)).content == b"via proxy"
        assert client.get(server.url("/p"), verify=str(bundle)).content == b"via proxy"
        client.close()
    finally:
        proxy.close()
    assert proxy.connects == [f"127.0.0.1:{server.httpd.server_address[1]}"]
    assert proxy.auth == ["Basic dXNlcjpwQHNz"]  # user:p@ss


def test_streamed_bodies_both_ways(serve, client, tmp_path):
    big = os.urandom(300_000)
    server = serve({"/up": answer(b'{"ok": true}'), "/down": answer(big)})
    source = tmp_path / "Công văn.pdf"
    source.write_bytes(big)
    body = MultipartBody([Part("files", source, source.name)])
    resp = client.post(server.url("/up"), data=body, headers={"Content-Type": body.content_type})
    assert resp.json() == {"ok": True}
    method, _path, headers, sent = server.seen[-1]
    assert headers["Content-Length"] == str(len(body)) == str(len(sent)) and "Transfer-Encoding" not in headers
    assert big in sent
    resp = client.get(server.url("/down"), stream=True)
    assert b"".join(resp.iter_content(65536)) == big
    # Left half read: that connection is not handed to the next call.
    resp = client.get(server.url("/down"), stream=True)
    next(resp.iter_content(1024))
    resp.close()
    before = server.connections
    assert client.get(server.url("/down")).content == big
    assert server.connections == before + 1


def test_one_client_serves_many_threads(serve, client):
    # As many threads as the pool keeps idle connections: a released connection always finds room,
    # and a thread opens one only when all the others are in use. With more threads than that, a
    # connection released while the pool is full is closed and a later request opens another,
    # which made a bound of one connection per thread fail now and then on a loaded machine.
    server = serve({"/n": answer(b"n")})
    with ThreadPoolExecutor(IDLE_PER_ORIGIN) as pool:
        results = list(pool.map(lambda _i: client.get(server.url("/n")).content, range(200)))
    assert results == [b"n"] * 200
    assert server.connections <= IDLE_PER_ORIGIN


def test_bodies_and_headers_that_would_be_ambiguous_are_refused(serve, client):
    server = serve({"/x": answer(b"")})
    with pytest.raises(ValueError):
        client.post(server.url("/x"), json={"n": float("nan")})
    with pytest.raises(ValueError):
        client.get(server.url("/x"), headers={"X-Name": "a\r\nInjected: 1"})
    client.post(server.url("/x"), json={"tên": "Nguyễn"})
    assert json.loads(server.seen[-1][3]) == {"tên": "Nguyễn"}
    client.post(server.url("/x"), data={"grant_type": "refresh_token", "refresh_token": "a b&c"})
    assert server.seen[-1][3] == b"grant_type=refresh_token&refresh_token=a+b%26c"
    assert server.seen[-1][2]["Content-Type"] == "application/x-www-form-urlencoded"


def test_the_start_path_loads_no_requests():
    """The sign-in and the lists load neither requests nor urllib3 (about 380 M instructions)."""
    code = "import app.services.compose, app.services.sso.jws, app.cli.gui"
    assert loaded_by(code, {"requests", "urllib3", "charset_normalizer"}) == []


# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def tls_pair(tmp_path):
    """A server context for 127.0.0.1 under a private CA, and that CA's bundle."""
    cert_pem, key_pem = private_ca_for_loopback(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    return context, cert_pem


class TunnelProxy:
    """An HTTP proxy that only knows CONNECT, as office proxies do for https."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connects: list[str] = []
        self.auth: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(conn,), daemon=True).start()

    def _tunnel(self, conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ")
        assert method == "CONNECT"
        self.connects.append(target)
        self.auth += [line.split(": ", 1)[1] for line in lines if line.lower().startswith("proxy-authorization:")]
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [conn, upstream]
        while True:
            readable, _, _ = select.select(socks, [], [], 30)
            if not readable:
                break
            for s in readable:
                data = s.recv(65536)
                if not data:
                    conn.close()
                    upstream.close()
                    return
                (upstream if s is conn else conn).sendall(data)

    def close(self) -> None:
        self.sock.close()


def test_the_system_proxy_is_read_again_after_a_while(monkeypatch):
    """A laptop moves between the office (a proxy) and home (none) without restarting the app."""
    import types

    from app.services import httpclient

    now = [1000.0]
    monkeypatch.setattr(httpclient, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.office.test:3128")
    httpclient._proxy_settings.cache_clear()
    try:
        assert httpclient.system_proxy("https", "igate.binhdinh.gov.vn") == "http://proxy.office.test:3128"
        assert httpclient.system_proxy("https", "127.0.0.1") == ""
        monkeypatch.delenv("https_proxy")
        now[0] += 1
        assert httpclient.system_proxy("https", "igate.binhdinh.gov.vn") == "http://proxy.office.test:3128"
        now[0] += httpclient.PROXY_REFRESH_S
        assert httpclient.system_proxy("https", "igate.binhdinh.gov.vn") == ""
    finally:
        httpclient._proxy_settings.cache_clear()


def test_plain_http_goes_to_the_proxy_in_absolute_form_with_its_credentials(serve):
    proxy = serve({"http://intranet.test/x": answer(b"from the proxy")})
    client = HttpClient(proxy_for=lambda scheme, host: proxy.url("").replace("http://", "http://user:pw@"))
    try:
        assert client.get("http://intranet.test/x").content == b"from the proxy"
    finally:
        client.close()
    _method, path, headers, _body = proxy.seen[-1]
    assert path == "http://intranet.test/x" and headers["Proxy-Authorization"] == "Basic dXNlcjpwdw=="
