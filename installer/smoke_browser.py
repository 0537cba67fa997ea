"""The smoke run's stand-in for an officer at the browser: completes the training SSO login page.

  .venv/bin/python installer/smoke_browser.py URL USERNAME          sign in at URL
  .venv/bin/python installer/smoke_browser.py --from-log LOG USERNAME  the URL `login --no-browser` printed
Runs on Linux with the project's venv; the program under test runs under wine and only sees the
redirect to its loopback address, as with a real browser. The password comes from the training
accounts, never from a command line of the program under test.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import requests

from app.sandbox import accounts
from app.sandbox.browser import login_via_form


def url_from_log(log: Path, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        for line in text.splitlines():
            line = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", line).strip()
            if line.startswith(("http://", "https://")):
                return line
        time.sleep(0.5)
    raise SystemExit(f"no sign-in address in {log}")


def main(argv: list[str]) -> int:
    if argv[0] == "--from-log":
        url, username = url_from_log(Path(argv[1])), argv[2]
    else:
        url, username = argv[0], argv[1]
    account = accounts.by_username(username)
    assert account is not None, username
    redirect = login_via_form(url, username, account.password)
    page = requests.get(redirect, timeout=30)
    print(f"smoke-browser: {username} signed in ({page.status_code})")
    return 0 if page.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
