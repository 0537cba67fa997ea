"""A scripted stand-in for the system browser, used by the service tests and the bench."""

from __future__ import annotations

import threading

import requests

from app.sandbox import accounts
from app.sandbox.browser import login_via_form


class FormBrowser:
    """Stands in for the system browser: logs in on the real SSO page, follows to loopback."""

    def __init__(self, username: str, *, tamper=None, tamper_auth=None) -> None:
        self.username = username
        self.tamper = tamper  # optional str -> str applied to the redirect before following it
        self.tamper_auth = tamper_auth  # optional str -> str applied to the login page URL
        self.errors: list[BaseException] = []
        self.pages: list[str] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self.threads.append(thread)
        thread.start()
        return True

    def _run(self, url: str) -> None:
        try:
            password = accounts.by_username(self.username).password
            if self.tamper_auth is not None:
                url = self.tamper_auth(url)
            location = login_via_form(url, self.username, password)
            if self.tamper is not None:
                location = self.tamper(location)
            self.pages.append(requests.get(location, timeout=30).text)
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            self.errors.append(exc)

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=30)
