"""Fixtures of the service tests: a scripted browser for the real login page, signed-in clients.

- `form_browser(username)`: a `browser` callable for OidcClient; it fills the sandbox login page
  in a thread and then GETs the redirect, which reaches the client's loopback listener.
- `connect_as(sandbox, username)`: a `Connected` (app.services.compose) signed in through it,
  with a file keyring and app folders under the test's temp dir.
- `fast_retry`: a RetryPolicy with tiny back-off so fault tests stay quick.
"""

from __future__ import annotations

import pytest

from app.services.compose import connect
from app.services.http import RetryPolicy
from tests.services.browser import FormBrowser

FAST_RETRY = RetryPolicy(attempts=3, backoff_s=0.05, max_backoff_s=0.1)


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
