"""Sign-in: the loopback listener shrugs off stray requests, discovery endpoints keep the
https-or-loopback rule, and the GUI has no hidden password option."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app.errors import CancelledError, ConfigError
from app.services.sso import OidcClient
from app.services.sso.discovery import parse_metadata
from tests.services.browser import FormBrowser


class StrayFirst(FormBrowser):
    """Something else reaches the loopback port first (an old tab, a local program), then the
    officer signs in for real."""

    def __init__(self, username: str, stray_query: str) -> None:
        super().__init__(username)
        self.stray_query = stray_query
        self.stray_pages: list[requests.Response] = []

    def _run(self, url: str) -> None:
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        try:
            self.stray_pages.append(requests.get(f"{redirect_uri}?{self.stray_query}", timeout=30))
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            self.errors.append(exc)
            return
        super()._run(url)


@pytest.mark.log_warnings
@pytest.mark.parametrize("stray", [
    "code=stolen&state=%C3%A9t%C3%A0t",  # non-ASCII state: a TypeError in compare_digest before
    "code=stolen&state=wrong",
    "error=access_denied&state=wrong",
    "state=%FF%FE&code=%00",
    "",
])
def test_a_stray_redirect_does_not_abort_the_waiting_sign_in(sandbox, file_keyring, stray):
    browser = StrayFirst("hoant", stray)
    session = OidcClient(sandbox.profile(), keyring_backend=file_keyring, browser=browser).login(timeout=30)
    browser.join()
    assert browser.errors == []
    assert session.user.username == "hoant"
    assert "không thành công" in browser.stray_pages[0].text
    assert "Đăng nhập thành công" in browser.pages[0]


@pytest.mark.log_warnings
def test_only_stray_redirects_end_in_the_timeout(sandbox, file_keyring):
    class OnlyStray(StrayFirst):
        def _run(self, url: str) -> None:
            redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
            self.stray_pages.append(requests.get(f"{redirect_uri}?{self.stray_query}", timeout=30))
            done.set()

    done = threading.Event()
    browser = OnlyStray("hoant", "code=x&state=%E2%80%AE")
    with pytest.raises(CancelledError):
        OidcClient(sandbox.profile(), keyring_backend=file_keyring, browser=browser).login(timeout=3)
    assert done.is_set() and "không thành công" in browser.stray_pages[0].text


BASE = {
    "issuer": "https://sso.example.gov.vn/auth/realms/digo",
    "authorization_endpoint": "https://sso.example.gov.vn/auth",
    "token_endpoint": "https://sso.example.gov.vn/token",
    "jwks_uri": "https://sso.example.gov.vn/certs",
}


@pytest.mark.parametrize("key", ["userinfo_endpoint", "end_session_endpoint", "revocation_endpoint"])
def test_every_discovered_endpoint_follows_the_https_or_loopback_rule(key):
    parse_metadata(BASE["issuer"], {**BASE, key: "https://sso.example.gov.vn/x"})
    parse_metadata(BASE["issuer"], {**BASE, key: "http://127.0.0.1:8080/x"})
    with pytest.raises(ConfigError):
        parse_metadata(BASE["issuer"], {**BASE, key: "http://attacker.example/x"})
