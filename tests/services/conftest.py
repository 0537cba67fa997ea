"""Fixtures of the service tests: a scripted browser for the real login page, signed-in clients.

- `form_browser(username)`: a `browser` callable for OidcClient; it fills the sandbox login page
  in a thread and then GETs the redirect, which reaches the client's loopback listener.
- `connect_as(sandbox, username)`: a `Connected` (app.services.compose) signed in through it,
  with a file keyring and app folders under the test's temp dir.
- `fast_retry`: a RetryPolicy with tiny back-off so fault tests stay quick.
"""

from __future__ import annotations

import threading

import pytest
import requests

from app.sandbox import accounts
from app.sandbox.browser import login_via_form
from app.services.compose import connect
from app.services.http import RetryPolicy

FAST_RETRY = RetryPolicy(attempts=3, backoff_s=0.05, max_backoff_s=0.1)


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


@pytest.fixture
def form_browser():
    return FormBrowser


@pytest.fixture
def fast_retry():
    return FAST_RETRY


@pytest.fixture
def connect_as(app_paths, file_keyring):
    def factory(sandbox, username: str = "hoant", *, retry: RetryPolicy = FAST_RETRY):
        services = connect(
            sandbox.profile(), app_paths, keyring_backend=file_keyring, browser=FormBrowser(username), retry=retry
        )
        return services.login(timeout=30)

    return factory
