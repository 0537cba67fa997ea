"""Secrets stay secret: redacted from the log and the crash details, the log readable by its
owner only, the TSA account never sent in clear text unless the profile says so."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from app.errors import ConfigError
from app.redact import redact
from app.signing.errors import TsaError
from app.signing.options import SigningRequest, TsaConfig
from app.signing.pades import sign_document
from app.views.crash_dialog import CrashReporter
from app.views.logsetup import LOG_FILE, setup_logging
from app.views.qt import QApplication
from tests.fixtures.pki import simple_signer
from tests.signing.pdfs import admin_pdf

JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJob2FudCIsImV4cCI6MX0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
SECRETS = {
    "bearer": f"Authorization: Bearer {JWT}",
    "bare jwt": f"refresh failed for {JWT}",
    "refresh token form": "grant_type=refresh_token&refresh_token=8f1c2a-opaque-rt&client_id=x",
    "refresh token json": '{"refresh_token": "8f1c2a-opaque-rt", "expires_in": 300}',
    "basic": "Authorization: Basic aG9hbnQ6SG9hQDIwMjQ=",
    "url credentials": "POST https://hoant:Hoa%402024@tsa.example.gov.vn/ts failed",
    "cookie": "Cookie: KEYCLOAK_SESSION=digo/abc; AUTH_SESSION_ID=xyz",
    "set-cookie": "Set-Cookie: KEYCLOAK_IDENTITY=eyJhbGci0; Path=/",
    "code": "GET /lienthong/callback?state=s1&code=7c1e0b6a-auth-code HTTP/1.1",
    "code verifier": "code_verifier=Zx9-very-secret-verifier-123&code=abc",
    "password": "login(username='hoant', password='Hoa@2024')",
    "pin": "C_Login failed with user_pin=123456",
    "pin json": '{"pin": "123456"}',
    "client secret": "client_secret=cs-77",
}
PLAIN = ("Hoa@2024", "8f1c2a-opaque-rt", "aG9hbnQ6SG9hQDIwMjQ=", "7c1e0b6a-auth-code", "Zx9-very-secret-verifier-123",
         "123456", "KEYCLOAK_SESSION=digo", "cs-77", "c2lnbmF0dXJlLXNpZ25hdHVyZQ", "eyJzdWIiOiJob2FudCIsImV4cCI6MX0")


@pytest.mark.parametrize("name", SECRETS)
def test_secrets_are_redacted(name):
    text = redact(SECRETS[name])
    assert not [p for p in PLAIN if p in text], text
    assert "***" in text


def test_redaction_keeps_ordinary_text():
    text = "Hồ sơ H30.99-241201-0001 của Nguyễn Văn A, 3 tệp, user=hoant"
    assert redact(text) == text


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_crash_details_copied_for_support_are_redacted(qtbot):
    reporter = CrashReporter()
    try:
        raise RuntimeError(" | ".join(SECRETS.values()))
    except RuntimeError as exc:
        dialog = reporter.show(exc)
    qtbot.addWidget(dialog)
    dialog.copy_details()
    copied = QApplication.clipboard().text()
    assert "RuntimeError" in copied and "test_secrets.py" in copied
    assert not [p for p in PLAIN if p in copied]
    assert not [p for p in PLAIN if p in dialog.detail_view.toPlainText()]
    dialog.close()


def test_log_file_is_private_and_redacted(tmp_path):
    handler = setup_logging(tmp_path / "log")
    try:
        log = logging.getLogger("tests.security")
        log.warning("token call: %s", SECRETS["refresh token form"])
        try:
            raise ValueError(SECRETS["bearer"])
        except ValueError:
            log.exception("request failed")
        handler.flush()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    path = tmp_path / "log" / LOG_FILE
    text = path.read_text(encoding="utf-8")
    assert "request failed" in text and not [p for p in PLAIN if p in text]
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "log").stat().st_mode) == 0o700


def test_an_existing_readable_log_is_made_private(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    (folder / LOG_FILE).write_text("old\n", encoding="utf-8")
    os.chmod(folder / LOG_FILE, 0o644)
    handler = setup_logging(folder)
    logging.getLogger().removeHandler(handler)
    handler.close()
    if os.name != "nt":
        assert stat.S_IMODE((folder / LOG_FILE).stat().st_mode) == 0o600


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    return admin_pdf(tmp_path_factory.mktemp("tsa") / "du-thao.pdf")


def test_tsa_account_is_never_sent_over_plain_http(draft, tmp_path, demo_pki):
    signer = simple_signer(demo_pki, "leader")
    out = tmp_path / "signed.pdf"
    tsa = TsaConfig("http://tsa.example.invalid/", "hoant", "Hoa@2024", timeout_s=3)
    with pytest.raises(ConfigError) as info:
        sign_document(SigningRequest(draft, out, tsa=tsa), signer)
    assert "http" in info.value.message_vi and not out.exists()
    # Said explicitly in the profile, the request goes out (and fails here: no such host).
    with pytest.raises(TsaError):
        sign_document(SigningRequest(draft, out, tsa=TsaConfig(tsa.url, "hoant", "Hoa@2024", timeout_s=3,
                                                                plain_http_credentials=True)), signer)


@pytest.fixture
def https_server(tmp_path):
    """An https server on 127.0.0.1 under a private CA, like a provincial OCSP/CRL/TSA host."""
    import asyncio
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.fixtures.pki import private_ca_for_loopback

    cert_pem, key_pem = private_ca_for_loopback(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"crl")

        def log_message(self, *args):
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/ca.crl", str(cert_pem), asyncio
    server.shutdown()
    server.server_close()


def test_revocation_fetches_use_the_profiles_ca_bundle(https_server):
    import requests

    from app.signing.trust import TrustStore

    url, bundle, asyncio = https_server
    for verify, works in ((bundle, True), (True, False)):
        context = TrustStore([], []).validation_context(allow_fetching=True, verify=verify)
        fetcher = context._revinfo_manager._fetchers.crl_fetcher  # what revocation checks will use
        if works:
            assert asyncio.run(fetcher._get(url, acceptable_content_types=("application/pkix-crl",))).content == b"crl"
        else:
            with pytest.raises(requests.exceptions.SSLError):
                asyncio.run(fetcher._get(url, acceptable_content_types=("application/pkix-crl",)))
