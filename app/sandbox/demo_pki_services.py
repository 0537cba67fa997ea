"""The demo PKI's services over HTTP on 127.0.0.1: RFC 3161 TSA, OCSP, CRLs and CA certificates."""

from __future__ import annotations

import base64
import hmac
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509

if TYPE_CHECKING:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from app.sandbox.serving import BackgroundServer


class ServedPki(Protocol):
    """What the services need of the PKI they serve (`app.sandbox.demo_pki.DemoPki`)."""

    tsa_username: str
    tsa_password: str

    @property
    def base_url(self) -> str: ...
    @property
    def tsa_url(self) -> str: ...
    @property
    def tsa_auth_url(self) -> str: ...
    @property
    def ocsp_url(self) -> str: ...
    @property
    def crl_url(self) -> str: ...
    def reissue(self, base_url: str) -> None: ...
    def timestamper_backend(self) -> DummyTimeStamper: ...
    def ocsp_response(self, request_der: bytes) -> bytes: ...
    def crl(self, issuer: str) -> bytes: ...
    def cert(self, name: str) -> asn1_x509.Certificate: ...
    def services_stopped(self, services: DemoServices) -> None: ...


class DemoServices:
    """TSA (`/tsa`, `/tsa-auth`), OCSP (`/ocsp`), CRLs (`/crl/<ca>.crl`) and CA certificates
    (`/certs/<ca>.cer`) over HTTP on 127.0.0.1, served from a background thread.

    `/tsa?delay=SECONDS` answers late (at most 30 s), to exercise timeouts. `counts` records how
    many requests each service answered. `outage("ocsp", ...)` makes services answer 503 for a
    while, to exercise unreachable revocation or timestamp servers.
    """

    def __init__(self, pki: ServedPki, port: int = 0, *, server: BackgroundServer | None = None) -> None:
        from app.sandbox.serving import BackgroundServer

        self.pki = pki
        self.counts: dict[str, int] = {"tsa": 0, "ocsp": 0, "crl": 0, "certs": 0}
        self.unavailable: set[str] = set()
        self._count_lock = threading.Lock()
        # Binds first (unless bound already): a busy port raises OSError, and the URL is known
        # before re-issuing.
        self._server = server if server is not None else BackgroundServer("127.0.0.1", port)
        base_url = f"http://127.0.0.1:{self._server.port}"
        try:
            if base_url != pki.base_url:
                pki.reissue(base_url)
        except BaseException:
            self._server.stop()
            raise
        self._server.set_app(self._wsgi)
        self._server.start("demo-pki-services")
        self.running = True

    @property
    def base_url(self) -> str:
        return self.pki.base_url

    @property
    def tsa_url(self) -> str:
        return self.pki.tsa_url

    @property
    def tsa_auth_url(self) -> str:
        return self.pki.tsa_auth_url

    @property
    def ocsp_url(self) -> str:
        return self.pki.ocsp_url

    @property
    def crl_url(self) -> str:
        return self.pki.crl_url

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._server.stop()
            self.pki.services_stopped(self)

    @contextmanager
    def outage(self, *names: str):
        """Within the block, the named services ("tsa", "ocsp", "crl", "certs") answer 503."""
        unknown = set(names) - set(self.counts)
        if unknown:
            raise ValueError(f"unknown services: {', '.join(sorted(unknown))}")
        added = set(names) - self.unavailable
        self.unavailable |= added
        try:
            yield self
        finally:
            self.unavailable -= added

    def __enter__(self) -> "DemoServices":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _count(self, key: str) -> None:
        with self._count_lock:
            self.counts[key] += 1

    def _wsgi(self, environ, start_response):
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        response = self._route(request, Response)
        return response(environ, start_response)

    def _route(self, request, Response):
        path = request.path
        service = path.strip("/").split("/")[0].split("-")[0]
        if service in self.unavailable:
            return Response("service unavailable", status=503)
        if path in ("/tsa", "/tsa-auth") and request.method == "POST":
            if path == "/tsa-auth" and not self._auth_ok(request.authorization):
                return Response(
                    "authentication required",
                    status=401,
                    headers={"WWW-Authenticate": 'Basic realm="LienThong Demo TSA"'},
                )
            delay = min(float(request.args.get("delay", "0") or 0), 30.0)
            if delay > 0:
                time.sleep(delay)
            try:
                req = tsp.TimeStampReq.load(request.get_data())
                answer = self.pki.timestamper_backend().request_tsa_response(req).dump()
            except ValueError:
                return Response("bad timestamp request", status=400)
            self._count("tsa")
            return Response(answer, mimetype="application/timestamp-reply")
        if path == "/ocsp" and request.method == "POST":
            self._count("ocsp")
            answer = self.pki.ocsp_response(request.get_data())
            return Response(answer, mimetype="application/ocsp-response")
        if path.startswith("/ocsp/") and request.method == "GET":
            self._count("ocsp")
            der = base64.b64decode(unquote(path[len("/ocsp/"):]))
            return Response(self.pki.ocsp_response(der), mimetype="application/ocsp-response")
        if path in ("/crl/root.crl", "/crl/intermediate.crl"):
            self._count("crl")
            return Response(self.pki.crl(path[5:-4]), mimetype="application/pkix-crl")
        if path in ("/certs/root.cer", "/certs/intermediate.cer"):
            self._count("certs")
            return Response(self.pki.cert(path[7:-4]).dump(), mimetype="application/pkix-cert")
        return Response("not found", status=404)

    def _auth_ok(self, auth) -> bool:
        if auth is None or auth.type != "basic":
            return False
        return hmac.compare_digest(auth.username or "", self.pki.tsa_username) and hmac.compare_digest(
            auth.password or "", self.pki.tsa_password
        )
