"""The GUI's training sandbox in a process of its own: it serves the training profile, reports its
demo PKI, is recorded for reuse, and stops with the app; should it fail to start, the sandbox
runs in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from app.cli import training
from app.cli.training import STATE_FILE, open_training_process
from app.sandbox.demo_pki import DemoPki

REPO = Path(__file__).resolve().parents[2]


def test_the_sandbox_process_serves_the_training_profile_and_stops_with_the_app(app_paths):
    servers = open_training_process(app_paths)()
    child = servers.process
    try:
        assert child is not None and servers.sandbox is None
        assert child.process.poll() is None
        profile = servers.profile
        assert profile.is_training and profile.tsa_url.startswith("http://127.0.0.1:")
        discovery = requests.get(profile.issuer + "/.well-known/openid-configuration", timeout=60).json()
        assert discovery["issuer"] == profile.issuer
        servers.wait_pki(timeout=120)
        assert DemoPki.create(servers.pki_dir).user("leader").p12_path.exists()
        recorded = json.loads((app_paths.config_dir / STATE_FILE).read_text(encoding="utf-8"))
        assert recorded["issuer"] == profile.issuer and recorded["csc_url"] == servers.csc_url

        # A second app of the same user signs in to these servers instead of starting others.
        again = open_training_process(app_paths)()
        assert again.process is None and again.profile.issuer == profile.issuer
    finally:
        servers.stop()
    assert child.process.returncode == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(profile.issuer + "/.well-known/openid-configuration", timeout=5)


@pytest.mark.log_warnings
@pytest.mark.parametrize("command", [["/nonexistent/lienthong"], [sys.executable, "-c", "pass"]],
                         ids=["cannot-start", "exits-silently"])
def test_a_sandbox_process_that_does_not_start_leaves_the_sandbox_in_process(app_paths, monkeypatch, command):
    monkeypatch.setattr(training, "child_command", lambda paths: command)
    servers = open_training_process(app_paths)()
    try:
        assert servers.process is None and servers.sandbox is not None and servers.sandbox.running
        assert servers.profile.issuer == servers.sandbox.issuer
    finally:
        servers.stop()


# The recorded servers are gone (the app's last run stopped them); records what was loaded.
GONE = r"""
import json, socket, sys
from pathlib import Path
from app.cli.training import STATE_FILE, _read_state, _running
from app.paths import AppPaths
from app.sandbox.owner import load_or_create_owner_key

paths = AppPaths.under(Path(sys.argv[1])).ensure()
paths.sandbox_dir.mkdir(parents=True)
load_or_create_owner_key(paths.sandbox_dir)
with socket.socket() as s:  # a port nothing listens on
    s.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{s.getsockname()[1]}/"
record = {k: url for k in ("issuer", "igate_url", "idesk_url", "tsa_url", "csc_url")}
record.update(pki_dir=str(paths.sandbox_dir / "pki"), data_dir=str(paths.sandbox_dir))
(paths.config_dir / STATE_FILE).write_text(json.dumps(record), encoding="utf-8")
print(json.dumps([_running(paths, _read_state(paths)) is None, "requests" in sys.modules]))
"""


def test_servers_no_longer_running_are_noticed_without_an_http_client(tmp_path):
    """After a restart nothing listens at the recorded address: the GUI starts its sandbox process
    at once instead of first loading requests to ask."""
    done = subprocess.run([sys.executable, "-c", GONE, str(tmp_path / "home")], capture_output=True, text=True,
                          cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, False]


BIND_THEN_SERVE = r"""
import json, sys, urllib.request
from app.sandbox.serving import BackgroundServer

server = BackgroundServer("127.0.0.1", 0)
bound_without_werkzeug = "werkzeug" not in sys.modules
server.set_app(lambda environ, start: (start("200 OK", [("Content-Type", "text/plain")]), [b"ok"])[1])
server.start("test")
with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=30) as reply:
    body = reply.read().decode()
server.stop()
print(json.dumps([bound_without_werkzeug, body]))
"""


def test_ports_are_bound_before_werkzeug_loads():
    """The sandbox process reports its addresses once its ports are bound; werkzeug loads when
    the servers start."""
    done = subprocess.run([sys.executable, "-c", BIND_THEN_SERVE], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, "ok"]
