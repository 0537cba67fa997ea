"""The officer's web browser for the startup bench: a process of its own, already running when
the app starts (as the officer's browser is), that signs in on the training SSO page for each
address the app opens.

    python bench/browser.py        # prints "browser-ready <port>", then serves until stdin closes

`gui_driver.py --browser <port>` hands it the app's sign-in address: one line per connection,
"<username>\\t<password>\\t<url>". In the app's process instead, the scripted browser's requests and
page parsing would take turns with the app's own threads, which a real browser does not.
"""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sign_in(line: str) -> None:
    import requests

    from app.sandbox.browser import login_via_form

    username, password, url = line.rstrip("\n").split("\t", 2)
    try:
        redirect = login_via_form(url, username, password)
        requests.get(redirect, timeout=30)
    except Exception as exc:  # noqa: BLE001 - the app under test reports the failed sign-in itself
        print(f"browser: sign-in failed: {exc}", file=sys.stderr, flush=True)


def serve(listener: socket.socket) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn, conn.makefile("r", encoding="utf-8") as stream:
            line = stream.readline()
        threading.Thread(target=sign_in, args=(line,), daemon=True).start()


def main() -> int:
    # Loaded before the first address comes, as a browser that is already open has its pages' code.
    import requests  # noqa: F401

    import app.sandbox.browser  # noqa: F401

    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    print(f"browser-ready {listener.getsockname()[1]}", flush=True)
    sys.stdin.read()
    listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
