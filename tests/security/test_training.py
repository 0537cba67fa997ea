"""Training mode talks only to this user's own sandbox, whose files nobody else can read."""

from __future__ import annotations

import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.cli.training import STATE_FILE, open_training, remember
from app.sandbox.owner import OWNER_FILE
from app.sandbox.server import DB_NAME, Sandbox


class Impostor(ThreadingHTTPServer):
    """Another account's server at the recorded address: a perfect copy of the discovery answer."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ImpostorHandler)
        self.paths: list[str] = []
        self.issuer = f"http://127.0.0.1:{self.server_address[1]}/auth/realms/digo"


class _ImpostorHandler(BaseHTTPRequestHandler):
    server: Impostor

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.server.paths.append(self.path)
        if self.path.endswith("/.well-known/openid-configuration"):
            body = json.dumps({"issuer": self.server.issuer}).encode()
        elif self.path.startswith("/lienthong/owner-proof"):
            body = json.dumps({"proof": "0" * 64}).encode()
        else:
            body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


@pytest.fixture
def impostor():
    server = Impostor()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_impostor_at_the_recorded_address_is_not_used(app_paths, impostor):
    app_paths.ensure()
    base = impostor.issuer.split("/auth/")[0]
    (app_paths.config_dir / STATE_FILE).write_text(json.dumps({
        "issuer": impostor.issuer, "igate_url": base + "/", "idesk_url": base + "/api/v1/",
        "tsa_url": base + "/tsa", "pki_dir": str(app_paths.sandbox_dir / "pki"),
    }), encoding="utf-8")
    Sandbox(app_paths.sandbox_dir, seed=False).start().stop()  # this user's owner key exists
    servers = open_training(app_paths)
    try:
        assert servers.sandbox is not None and servers.profile.issuer != impostor.issuer
        # Only the discovery document and the challenge went to the impostor: no login, no token.
        assert all(p.endswith("openid-configuration") or p.startswith("/lienthong/owner-proof")
                   for p in impostor.paths), impostor.paths
    finally:
        servers.stop()


def test_this_users_running_sandbox_is_reused(app_paths):
    app_paths.ensure()
    box = Sandbox(app_paths.sandbox_dir, pki=True).start()
    try:
        remember(app_paths, box)
        servers = open_training(app_paths)
        assert servers.sandbox is None and servers.profile.issuer == box.issuer
    finally:
        box.stop()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_sandbox_files_are_private(tmp_path):
    box = Sandbox(tmp_path / "sandbox", seed=False).start()
    box.stop()
    assert stat.S_IMODE((tmp_path / "sandbox").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "sandbox" / OWNER_FILE).stat().st_mode) == 0o600
    assert (tmp_path / "sandbox" / DB_NAME).is_file()
