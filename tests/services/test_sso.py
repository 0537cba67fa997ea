"""Sign-in against the sandbox SSO through its real login page, with PKCE and a loopback redirect."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from app.domain import Role
from app.errors import AccountNotLinkedError, CancelledError, NotSignedInError, SignInError
from app.services.httpclient import HttpClient
from app.services.sso import OidcClient, service_name
from tests.fixtures.clock import ManualClock
from tests.services.browser import FormBrowser


def _client(box, keyring, browser, clock=time.monotonic):
    return OidcClient(box.profile(), keyring_backend=keyring, browser=browser, clock=clock)


def _stored(keyring, box):
    return keyring.get_password(service_name(box.profile().name), box.issuer)


@pytest.mark.log_warnings
def test_login_with_pkce_gives_user_and_working_token(sandbox, file_keyring, form_browser):
    browser = form_browser("hoant")
    seen: list[str] = []
    session = _client(sandbox, file_keyring, browser).login(timeout=30, on_url=seen.append)
    browser.join()
    query = parse_qs(urlsplit(seen[0]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["state"][0] and query["nonce"][0]
    user = session.user
    assert (user.username, user.full_name, user.roles) == ("hoant", "Nguyễn Thị Hoa", (Role.SPECIALIST,))
    assert user.title == "Chuyên viên" and "Bình Định" in user.organization
    assert "Đăng nhập thành công, bạn có thể đóng trang này" in browser.pages[0]
    me = requests.get(
        sandbox.igate_url + "me/comment?group-id=1&item-id=x",
        headers={"Authorization": f"Bearer {session.access_token()}"},
        timeout=10,
    )
    assert me.status_code == 200
    assert _stored(file_keyring, sandbox)  # only the refresh token is kept
    assert session.remembered


def test_the_sign_in_goes_on_while_the_browser_s_page_is_sent(sandbox, file_keyring, form_browser, monkeypatch):
    # The page waits on the browser and the listener's threads; the user's details need neither.
    from app.services.sso import loopback

    sent = threading.Event()
    answer = loopback._Handler._answer

    def answer_when_let(handler, status, body):
        sent.wait(30)
        answer(handler, status, body)

    monkeypatch.setattr(loopback._Handler, "_answer", answer_when_let)
    monkeypatch.setattr(loopback, "PAGE_SEND_WAIT_S", 30.0)
    browser = form_browser("hoant")
    signed_in: list = []
    client = _client(sandbox, file_keyring, browser)
    signing_in = threading.Thread(target=lambda: signed_in.append(client.login(timeout=30)))
    signing_in.start()
    try:
        signing_in.join(10)
        assert signed_in and signed_in[0].user.username == "hoant"
        assert not browser.pages  # the page is still on its way
    finally:
        sent.set()
    browser.join()
    assert "Đăng nhập thành công" in browser.pages[0]


@pytest.mark.log_warnings
def test_tampered_state_is_refused(sandbox, file_keyring, form_browser):
    def tamper(location: str) -> str:
        return location.replace("state=", "state=x")

    browser = form_browser("hoant", tamper=tamper)
    # The tampered answer is refused; the sign-in goes on waiting for the real one, until its timeout.
    with pytest.raises(CancelledError):
        _client(sandbox, file_keyring, browser).login(timeout=5)
    browser.join()
    assert "không thành công" in browser.pages[0]
    assert _stored(file_keyring, sandbox) is None


def _replace_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, value if k == name else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.parametrize(
    "name, value, detail",
    [
        ("nonce", "a-nonce-the-client-never-made", "nonce"),  # the real server signs a token for it
        ("code_challenge", "A" * 43, "invalid_grant"),  # the verifier no longer matches: no tokens
    ],
)
def test_altered_request_is_refused(sandbox, file_keyring, form_browser, name, value, detail):
    browser = form_browser("hoant", tamper_auth=lambda url: _replace_param(url, name, value))
    with pytest.raises(SignInError) as info:
        _client(sandbox, file_keyring, browser).login(timeout=30)
    browser.join()
    assert detail in info.value.detail
    assert _stored(file_keyring, sandbox) is None


def test_cancel_and_timeout_raise_cancelled(sandbox, file_keyring):
    cancel = threading.Event()
    client = _client(sandbox, file_keyring, lambda url: threading.Timer(0.2, cancel.set).start())
    with pytest.raises(CancelledError):
        client.login(timeout=30, cancel=cancel)
    started = time.monotonic()
    with pytest.raises(CancelledError):
        _client(sandbox, file_keyring, lambda url: None).login(timeout=0.5)
    assert time.monotonic() - started < 5


def test_refresh_after_expiry_rotates_and_stores_back(fresh_sandbox, file_keyring, form_browser):
    clock = ManualClock()
    client = _client(fresh_sandbox, file_keyring, form_browser("tuanlv"), clock)
    session = client.login(timeout=30)
    first_access, first_refresh = session.access_token(), _stored(file_keyring, fresh_sandbox)
    clock.advance(fresh_sandbox.access_token_ttl * 0.7)
    assert session.access_token() == first_access  # not due yet
    clock.advance(fresh_sandbox.access_token_ttl * 0.3)
    second_access = session.access_token()
    assert second_access != first_access
    second_refresh = _stored(file_keyring, fresh_sandbox)
    assert second_refresh and second_refresh != first_refresh
    ok = requests.get(
        fresh_sandbox.igate_url + "me/comment?group-id=1&item-id=x",
        headers={"Authorization": f"Bearer {second_access}"},
        timeout=10,
    )
    assert ok.status_code == 200
    # The old refresh token is dead after rotation: a client holding it cannot sign in silently.
    file_keyring.set_password(service_name("training"), fresh_sandbox.issuer, first_refresh)
    assert _client(fresh_sandbox, file_keyring, None).restore() is None
    assert _stored(file_keyring, fresh_sandbox) is None


def test_restore_signs_in_silently_then_logout_clears(sandbox, file_keyring, form_browser):
    _client(sandbox, file_keyring, form_browser("maipt")).login(timeout=30)
    restored = _client(sandbox, file_keyring, lambda url: pytest.fail("no browser for silent sign-in")).restore()
    assert restored is not None and restored.user.username == "maipt" and Role.CLERK in restored.user.roles
    token = restored.access_token()
    kept_refresh = _stored(file_keyring, sandbox)
    restored.logout()
    assert _stored(file_keyring, sandbox) is None
    with pytest.raises(NotSignedInError):
        restored.access_token()
    # Revoked at the provider too: the refresh token no longer works anywhere.
    file_keyring.set_password(service_name("training"), sandbox.issuer, kept_refresh)
    assert _client(sandbox, file_keyring, None).restore() is None
    assert token


def test_restore_without_stored_token_is_none(sandbox, file_keyring):
    assert _client(sandbox, file_keyring, None).restore() is None


def test_unlinked_account_maps_to_account_not_linked(sandbox, connect_as):
    connected = connect_as(sandbox, "khanhdq")
    assert connected.user.username == "khanhdq"
    with pytest.raises(AccountNotLinkedError) as info:
        connected.igate.me()
    assert "Tài khoản liên kết cổng CBCC" in info.value.message_vi
    assert "Không thể xác thực người dùng" in info.value.message_vi
    assert connected.idesk.me().username == "khanhdq"  # iDesk accepts every SSO account


def test_parallel_calls_after_expiry_share_one_refresh(fresh_sandbox, file_keyring, form_browser):
    from concurrent.futures import ThreadPoolExecutor

    from app.services.digo.igate import IGateClient

    clock = ManualClock()
    session = _client(fresh_sandbox, file_keyring, form_browser("hoant"), clock).login(timeout=30)
    igate = IGateClient(fresh_sandbox.igate_url, session)
    clock.advance(fresh_sandbox.access_token_ttl)

    def token_posts():
        return sum(1 for r in fresh_sandbox.request_log if r.server == "sso" and r.path.endswith("/token"))

    before = token_posts()
    with ThreadPoolExecutor(max_workers=8) as pool:
        names = list(pool.map(lambda _: igate.me().full_name, range(16)))
    assert names == ["Nguyễn Thị Hoa"] * 16
    assert token_posts() == before + 1
    assert _client(fresh_sandbox, file_keyring, None).restore() is not None  # the rotated token was kept


def test_refused_refresh_expires_the_session_but_keeps_a_newer_stored_token(fresh_sandbox, file_keyring, form_browser):
    from app.errors import SessionExpiredError
    from app.services.digo.igate import IGateClient

    clock = ManualClock()
    first = _client(fresh_sandbox, file_keyring, form_browser("hoant"), clock).login(timeout=30)
    # Another window signs in silently: rotation kills the refresh token `first` holds.
    second = _client(fresh_sandbox, file_keyring, None).restore()
    newer = _stored(file_keyring, fresh_sandbox)
    clock.advance(fresh_sandbox.access_token_ttl)
    with pytest.raises(SessionExpiredError) as info:
        IGateClient(fresh_sandbox.igate_url, first).me()
    assert "đăng nhập lại" in info.value.message_vi
    assert _stored(file_keyring, fresh_sandbox) == newer
    assert IGateClient(fresh_sandbox.igate_url, second).me().full_name == "Nguyễn Thị Hoa"


class _WatchedHttp(HttpClient):
    """Sets `keys_fetched` once the provider's JWKS has been answered."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_fetched = threading.Event()

    def request(self, method, url, **kwargs):
        resp = super().request(method, url, **kwargs)
        if url.endswith("/certs"):
            self.keys_fetched.set()
        return resp


def test_the_keys_are_fetched_while_the_browser_is_out(sandbox, file_keyring, form_browser):
    """The ID token check does not wait for a JWKS request after the redirect: it went out
    while the officer was still on the login page."""
    http = _WatchedHttp()
    browser = form_browser("hoant")
    seen_before_redirect: list[bool] = []

    def officer(url: str) -> bool:
        def later() -> None:
            seen_before_redirect.append(http.keys_fetched.wait(10))
            browser(url)

        threading.Thread(target=later, daemon=True).start()
        return True

    client = OidcClient(sandbox.profile(), keyring_backend=file_keyring, browser=officer, http=http)
    assert client.login(timeout=30).user.username == "hoant"
    browser.join()
    assert seen_before_redirect == [True]


def test_silent_sign_in_fetches_the_keys_while_the_keyring_answers(sandbox, file_keyring, form_browser):
    _client(sandbox, file_keyring, form_browser("maipt")).login(timeout=30)
    http = _WatchedHttp()
    answered_after_keys: list[bool] = []

    class SlowKeyring:
        """The system keyring, taking its time (loading its backend, a locked store)."""

        def get_password(self, service, account):
            answered_after_keys.append(http.keys_fetched.wait(10))
            return file_keyring.get_password(service, account)

        def __getattr__(self, name):
            return getattr(file_keyring, name)

    client = OidcClient(sandbox.profile(), keyring_backend=SlowKeyring(), browser=None, http=http)
    assert client.restore().user.username == "maipt"
    assert answered_after_keys[0] is True


def test_a_silent_sign_in_leaves_no_thread_the_exit_would_kill(sandbox, file_keyring):
    """`lienthong whoami` with no stored token returns at once while the keys are still being
    fetched. The interpreter ends daemon threads wherever they are at exit, and one inside the
    key parsing (native code) aborted the process ("FATAL: exception not rethrown"): the fetch
    runs on a thread the exit waits for."""
    before = set(threading.enumerate())
    assert _client(sandbox, file_keyring, None).restore() is None
    started = [t for t in threading.enumerate() if t not in before and t.name == "sso-keys"]
    assert started, "the keys are fetched while the keyring answers"
    assert not any(t.daemon for t in started)
    for thread in started:
        thread.join(30)


def test_an_app_s_later_sign_ins_reuse_the_provider_s_discovery_and_keys(sandbox, app_paths, file_keyring):
    """The GUI signs in silently at start, through the browser when that finds nothing, and again
    after a sign-out: the provider's discovery document and keys are fetched once for all."""
    from app.services.compose import connector

    profile = sandbox.profile()
    services = connector(app_paths, keyring_backend=file_keyring, browser=FormBrowser("hoant"))
    since = sandbox.request_log.mark()
    assert services(profile).restore() is None  # nothing stored yet: the keys come meanwhile
    first = services(profile).login(timeout=30)
    first.sign_out()
    again = services(profile).login(timeout=30)
    assert again.user.username == "hoant"
    fetched = [r.path for r in sandbox.request_log.after(since)
               if r.server == "sso" and r.path.endswith(("/.well-known/openid-configuration", "/certs"))]
    assert sorted(fetched) == sorted([f"{urlsplit(sandbox.issuer).path}/.well-known/openid-configuration",
                                      f"{urlsplit(sandbox.issuer).path}/protocol/openid-connect/certs"])
