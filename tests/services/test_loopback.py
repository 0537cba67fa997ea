"""The sign-in's loopback listener: holds the browser until the verdict, and closes at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from app.errors import CancelledError
from app.services.sso.loopback import LoopbackReceiver


def _browse(url: str, into: dict) -> threading.Thread:
    def work() -> None:
        into["page"] = requests.get(url, timeout=10)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_the_browser_waits_for_the_verdict_then_the_port_closes():
    with LoopbackReceiver() as receiver:
        got: dict = {}
        browser = _browse(receiver.redirect_uri + "?code=abc&state=xyz", got)
        callback = receiver.wait(timeout=10)
        assert callback.params == {"code": "abc", "state": "xyz"}
        browser.join(0.2)
        assert browser.is_alive()  # held until the app has a verdict
        callback.finish(True)
        browser.join(10)
        assert "Đăng nhập thành công" in got["page"].text
        uri = receiver.redirect_uri
    with pytest.raises(requests.ConnectionError):
        requests.get(uri, timeout=2)


def test_listening_looks_up_no_host_name(monkeypatch):
    # A reverse lookup of 127.0.0.1 is milliseconds here and can wait on the network on Windows.
    looked_up: list[str] = []
    monkeypatch.setattr("socket.getfqdn", lambda name="": looked_up.append(name) or name)
    with LoopbackReceiver() as receiver:
        got: dict = {}
        browser = _browse(receiver.redirect_uri + "?code=abc", got)
        receiver.wait(timeout=10).finish(True)
        browser.join(10)
    assert got["page"].status_code == 200
    assert looked_up == []


def test_close_releases_a_waiting_browser_with_the_failure_page():
    receiver = LoopbackReceiver()
    got: dict = {}
    browser = _browse(receiver.redirect_uri + "?error=access_denied", got)
    deadline = time.monotonic() + 10
    while receiver._server.callbacks.empty() and time.monotonic() < deadline:
        time.sleep(0.01)
    receiver.close()
    browser.join(10)
    assert "Đăng nhập không thành công" in got["page"].text
    receiver.close()  # a second close is harmless


def test_wait_gives_up_on_cancel():
    cancel = threading.Event()
    cancel.set()
    with LoopbackReceiver() as receiver, pytest.raises(CancelledError):
        receiver.wait(timeout=10, cancel=cancel)


def test_closing_does_not_wait_for_a_poll_interval():
    receivers = [LoopbackReceiver() for _ in range(10)]
    started = time.perf_counter()
    for receiver in receivers:
        receiver.close()
    # serve_forever(poll_interval=0.1) took 50 ms per close on average, 0.5 s for ten.
    assert time.perf_counter() - started < 0.3


EXIT_RIGHT_AFTER_CLOSE = """
import os
from app.services.sso.loopback import LoopbackReceiver
receiver = LoopbackReceiver()
print(receiver.redirect_uri, flush=True)
receiver.wait(timeout=30).finish(True)
receiver.close()
os._exit(0)  # like a CLI ending at once: daemon threads get no more time
"""


def test_the_page_is_sent_before_close_returns():
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.Popen([sys.executable, "-c", EXIT_RIGHT_AFTER_CLOSE], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=root)
    try:
        uri = proc.stdout.readline().strip()
        page = requests.get(uri + "?code=abc", timeout=10)
        assert page.status_code == 200 and "Đăng nhập thành công" in page.text
    finally:
        proc.wait(timeout=10)
