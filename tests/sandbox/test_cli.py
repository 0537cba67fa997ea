"""`lienthong sandbox serve|reset` as a real subprocess."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from app.cli import main; sys.exit(main())"


def _run(home: Path, *args: str, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT), LIENTHONG_LANG="en")
    return subprocess.Popen([sys.executable, "-c", LAUNCH, "--home", str(home), "sandbox", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, **kwargs)


def test_serve_prints_six_lines_and_stops_on_sigterm(tmp_path):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    proc = _run(tmp_path, "serve")
    try:
        lines = [proc.stdout.readline().strip() for _ in range(6)]
        assert [line.split(" ", 1)[0] for line in lines] == ["sso", "igate", "idesk", "tsa", "csc", "phone"], lines
        urls = dict(line.split(" ", 1) for line in lines)
        assert urls["sso"].startswith("http://127.0.0.1:") and urls["sso"].endswith("/auth/realms/digo")
        assert urls["igate"].endswith("/") and urls["idesk"].endswith("/api/v1/")
        assert urls["tsa"].startswith("http://127.0.0.1:") and urls["tsa"].endswith("/tsa")
        conf = requests.get(urls["sso"] + "/.well-known/openid-configuration", timeout=10).json()
        assert conf["issuer"] == urls["sso"]
        assert requests.get(urls["idesk"] + "me", timeout=10).status_code == 401
        digest = hashlib.sha256(b"practice").digest()
        token = asyncio.run(HTTPTimeStamper(urls["tsa"], timeout=10).async_timestamp(digest, "sha256"))
        info = token["content"]["encap_content_info"]["content"].parsed
        assert info["message_imprint"]["hashed_message"].native == digest
        # The app of the same user reuses these servers rather than starting its own.
        from app.cli.training import open_training
        from app.paths import AppPaths

        reused = open_training(AppPaths.under(tmp_path))
        assert reused.sandbox is None
        assert (reused.profile.issuer, reused.profile.tsa_url) == (urls["sso"], urls["tsa"])
        assert (reused.csc_url, reused.phone_url) == (urls["csc"], urls["phone"])
        assert requests.post(urls["csc"] + "info", json={}, timeout=10).json()["oauth2"] == urls["sso"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert out == ""
    assert (tmp_path / "data" / "sandbox" / "sandbox.db").exists()
    assert (tmp_path / "data" / "sandbox" / "pki" / "pki.json").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(urls["tsa"].replace("/tsa", "/crl/root.crl"), timeout=2)


def test_reset_reseeds(tmp_path):
    proc = _run(tmp_path, "reset")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "45 dossiers" in out
