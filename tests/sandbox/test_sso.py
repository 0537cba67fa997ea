"""The sandbox SSO: PKCE, login page, redirect rules, ID token, refresh rotation, revoke, logout."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from app.sandbox import accounts
from app.sandbox.browser import LoginRejectedError, login_via_form, pkce_pair
from app.sandbox.login_page import WRONG_PASSWORD_VI
from app.sandbox.tokens_helper import LOOPBACK_REDIRECT, authorization_url

CLIENT = "lienthong-desktop"


def _token(sandbox, **data):
    return requests.post(sandbox.issuer + "/protocol/openid-connect/token", data=data, timeout=10)


def _code_flow(sandbox, *, method="S256", redirect_uri=LOOPBACK_REDIRECT, user=("hoant", "Hoa@2024")):
    verifier, challenge = pkce_pair()
    if method == "plain":
        challenge = verifier
    nonce = secrets.token_urlsafe(8)
    url = authorization_url(
        sandbox.issuer, challenge=challenge, state="st-1", nonce=nonce, redirect_uri=redirect_uri, method=method
    )
    return verifier, nonce, login_via_form(url, *user)


def test_discovery_lists_keycloak_paths(sandbox):
    conf = requests.get(sandbox.issuer + "/.well-known/openid-configuration", timeout=10).json()
    assert conf["issuer"] == sandbox.issuer
    for name in ("auth", "token", "certs", "userinfo", "logout", "revoke"):
        assert f"{sandbox.issuer}/protocol/openid-connect/{name}" in conf.values()
    assert conf["code_challenge_methods_supported"] == ["S256"]


def test_login_page_is_vietnamese_form(sandbox):
    _, challenge = pkce_pair()
    page = requests.get(
        authorization_url(sandbox.issuer, challenge=challenge, state="s", nonce="n"), timeout=10
    )
    assert page.status_code == 200
    assert '<form method="post"' in page.text
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert "Đăng nhập" in page.text
    assert 'name="code_challenge"' in page.text
    hinted = requests.get(
        authorization_url(sandbox.issuer, challenge=challenge, state="s", nonce="n") + "&login_hint=maipt", timeout=10
    )
    assert 'name="username" value="maipt"' in hinted.text


def test_code_flow_with_s256_gives_tokens_and_verified_id_token(sandbox):
    verifier, nonce, location = _code_flow(sandbox)
    params = parse_qs(urlsplit(location).query)
    assert location.startswith(LOOPBACK_REDIRECT) and params["state"] == ["st-1"]
    answer = _token(
        sandbox, grant_type="authorization_code", code=params["code"][0],
        redirect_uri=LOOPBACK_REDIRECT, client_id=CLIENT, code_verifier=verifier,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["expires_in"] == 300 and body["refresh_token"] and body["refresh_expires_in"] == 8 * 3600
    jwks = KeySet.import_key_set(requests.get(sandbox.issuer + "/protocol/openid-connect/certs", timeout=10).json())
    id_token = jwt.decode(body["id_token"], jwks, algorithms=["RS256"])
    assert id_token.header["alg"] == "RS256" and id_token.header["kid"]
    claims = id_token.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": sandbox.issuer}, aud={"essential": True, "value": CLIENT},
        nonce={"essential": True, "value": nonce},
    ).validate(claims)
    assert claims["preferred_username"] == "hoant"
    assert claims["name"] == "Nguyễn Thị Hoa"
    assert claims["roles"] == ["specialist"]
    assert claims["title"] == "Chuyên viên"
    assert claims["organization"] == "Sở Thông tin và Truyền thông tỉnh Bình Định"
    assert claims["email"] == "hoant@binhdinh.gov.vn"
    # The code is single-use.
    again = _token(
        sandbox, grant_type="authorization_code", code=params["code"][0],
        redirect_uri=LOOPBACK_REDIRECT, client_id=CLIENT, code_verifier=verifier,
    )
    assert again.status_code == 400


def test_wrong_verifier_is_refused(sandbox):
    _verifier, nonce, location = _code_flow(sandbox)
    code = parse_qs(urlsplit(location).query)["code"][0]
    other, _ = pkce_pair()
    answer = _token(sandbox, grant_type="authorization_code", code=code,
                    redirect_uri=LOOPBACK_REDIRECT, client_id=CLIENT, code_verifier=other)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_missing_verifier_is_refused(sandbox):
    _verifier, nonce, location = _code_flow(sandbox)
    code = parse_qs(urlsplit(location).query)["code"][0]
    answer = _token(sandbox, grant_type="authorization_code", code=code,
                    redirect_uri=LOOPBACK_REDIRECT, client_id=CLIENT)
    assert answer.status_code == 400


@pytest.mark.parametrize("method", ["plain", "none"])
def test_plain_or_missing_pkce_is_refused(sandbox, method):
    verifier, challenge = pkce_pair()
    url = authorization_url(sandbox.issuer, challenge=verifier, state="s9", nonce="n", method="plain")
    if method == "none":
        url = url.replace(f"&code_challenge={verifier}", "").replace("&code_challenge_method=plain", "")
        assert "code_challenge" not in url
    location = login_via_form(url, "hoant", "Hoa@2024")
    params = parse_qs(urlsplit(location).query)
    assert params["error"] == ["invalid_request"] and params["state"] == ["s9"]
    assert "code" not in params


def test_wrong_password_shows_vietnamese_error(sandbox):
    _, challenge = pkce_pair()
    url = authorization_url(sandbox.issuer, challenge=challenge, state="s", nonce="n")
    page = requests.get(url, timeout=10)
    form = parse_qs(urlsplit(url).query)
    data = {k: v[0] for k, v in form.items()} | {"username": "hoant", "password": "sai-mat-khau"}
    answer = requests.post(sandbox.issuer + "/protocol/openid-connect/auth", data=data,
                           allow_redirects=False, timeout=10)
    assert page.status_code == 200
    assert answer.status_code == 200
    assert WRONG_PASSWORD_VI == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert WRONG_PASSWORD_VI in answer.text
    with pytest.raises(LoginRejectedError) as info:
        login_via_form(url, "hoant", "wrong")
    assert WRONG_PASSWORD_VI in info.value.message_vi


@pytest.mark.parametrize("redirect", [
    "http://evil.example.com/cb", "https://127.0.0.1:8080/cb", "http://localhost.evil.com:80/cb",
    "http://10.0.0.1:9999/cb",
])
def test_non_loopback_redirect_is_refused_without_redirecting(sandbox, redirect):
    _, challenge = pkce_pair()
    url = authorization_url(sandbox.issuer, challenge=challenge, state="s", nonce="n", redirect_uri=redirect)
    answer = requests.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 400
    assert "Location" not in answer.headers
    with pytest.raises(LoginRejectedError):
        login_via_form(url, "hoant", "Hoa@2024")


def test_any_loopback_port_and_path_is_accepted(sandbox):
    port = 40000 + secrets.randbelow(20000)
    _, _, location = _code_flow(sandbox, redirect_uri=f"http://127.0.0.1:{port}/some/path")
    assert location.startswith(f"http://127.0.0.1:{port}/some/path?code=")


def test_unknown_client_is_refused(sandbox):
    _, challenge = pkce_pair()
    url = authorization_url(sandbox.issuer, challenge=challenge, state="s", nonce="n").replace(CLIENT, "other-app")
    assert requests.get(url, allow_redirects=False, timeout=10).status_code == 400


def test_refresh_rotates_and_old_refresh_token_is_refused(sandbox, login_as):
    tokens = login_as(sandbox, "tuanlv")
    first = _token(sandbox, grant_type="refresh_token", refresh_token=tokens.refresh, client_id=CLIENT)
    assert first.status_code == 200
    body = first.json()
    assert body["refresh_token"] and body["refresh_token"] != tokens.refresh
    assert body["access_token"] != tokens.access and body["id_token"]
    reused = _token(sandbox, grant_type="refresh_token", refresh_token=tokens.refresh, client_id=CLIENT)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    second = _token(sandbox, grant_type="refresh_token", refresh_token=body["refresh_token"], client_id=CLIENT)
    assert second.status_code == 200


def test_userinfo_matches_identity(sandbox, login_as):
    tokens = login_as(sandbox, "maipt")
    info = requests.get(sandbox.issuer + "/protocol/openid-connect/userinfo",
                        headers={"Authorization": f"Bearer {tokens.access}"}, timeout=10)
    assert info.status_code == 200
    assert info.json()["roles"] == ["clerk"] and info.json()["name"] == "Phạm Thị Mai"
    bad = requests.get(sandbox.issuer + "/protocol/openid-connect/userinfo",
                       headers={"Authorization": "Bearer nonsense"}, timeout=10)
    assert bad.status_code == 401 and 'error="invalid_token"' in bad.headers["WWW-Authenticate"]


def test_userinfo_of_an_account_gone_is_refused_not_a_server_error(sandbox, login_as, monkeypatch):
    tokens = login_as(sandbox, "maipt")
    # The token stays valid; the sandbox no longer knows its subject (a reseed with other accounts).
    monkeypatch.setattr(accounts, "_BY_SUBJECT", {})
    info = requests.get(sandbox.issuer + "/protocol/openid-connect/userinfo",
                        headers={"Authorization": f"Bearer {tokens.access}"}, timeout=10)
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]


def test_id_token_is_not_accepted_as_access_token(sandbox, login_as):
    tokens = login_as(sandbox, "hoant")
    answer = requests.get(sandbox.idesk_url + "me", headers={"Authorization": f"Bearer {tokens.id}"}, timeout=10)
    assert answer.status_code == 401


def test_revoke_access_and_refresh(sandbox, login_as):
    tokens = login_as(sandbox, "hoant")
    headers = {"Authorization": f"Bearer {tokens.access}"}
    assert requests.get(sandbox.idesk_url + "me", headers=headers, timeout=10).status_code == 200
    answer = requests.post(sandbox.issuer + "/protocol/openid-connect/revoke",
                           data={"token": tokens.access, "client_id": CLIENT}, timeout=10)
    assert answer.status_code == 200
    assert requests.get(sandbox.idesk_url + "me", headers=headers, timeout=10).status_code == 401
    requests.post(sandbox.issuer + "/protocol/openid-connect/revoke",
                  data={"token": tokens.refresh, "token_type_hint": "refresh_token", "client_id": CLIENT}, timeout=10)
    assert _token(sandbox, grant_type="refresh_token", refresh_token=tokens.refresh,
                  client_id=CLIENT).status_code == 400


def test_logout_ends_the_session(sandbox, login_as):
    tokens = login_as(sandbox, "hoant")
    answer = requests.get(
        sandbox.issuer + "/protocol/openid-connect/logout",
        params={"id_token_hint": tokens.id, "post_logout_redirect_uri": "http://127.0.0.1:5555/bye", "state": "x"},
        allow_redirects=False, timeout=10,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "http://127.0.0.1:5555/bye?state=x"
    assert _token(sandbox, grant_type="refresh_token", refresh_token=tokens.refresh,
                  client_id=CLIENT).status_code == 400
    me = requests.get(sandbox.idesk_url + "me", headers={"Authorization": f"Bearer {tokens.access}"}, timeout=10)
    assert me.status_code == 401


def test_logout_with_refresh_token_ends_that_session_only(sandbox, login_as):
    ended, other = login_as(sandbox, "tuanlv"), login_as(sandbox, "tuanlv")
    rotated = _token(sandbox, grant_type="refresh_token", refresh_token=ended.refresh, client_id=CLIENT).json()
    answer = requests.post(sandbox.issuer + "/protocol/openid-connect/logout",
                           data={"client_id": CLIENT, "refresh_token": rotated["refresh_token"]}, timeout=10)
    assert answer.status_code == 204

    def me(token):
        return requests.get(sandbox.idesk_url + "me", headers={"Authorization": f"Bearer {token}"}, timeout=10)

    assert me(ended.access).status_code == 401 and me(rotated["access_token"]).status_code == 401
    assert me(other.access).status_code == 200
    assert _token(sandbox, grant_type="refresh_token", refresh_token=other.refresh, client_id=CLIENT).status_code == 200


def test_short_lifetimes_expire_access_and_refresh_tokens(make_sandbox, login_as):
    import time

    from tests.fixtures.clock import ManualClock

    clock = ManualClock(time.time)
    sandbox = make_sandbox(access_token_ttl=60, refresh_token_ttl=120, clock=clock)
    tokens = login_as(sandbox, "hoant")
    assert tokens.expires_in == 60
    clock.advance(30)
    assert requests.get(sandbox.idesk_url + "me", headers={"Authorization": f"Bearer {tokens.access}"},
                        timeout=10).status_code == 200
    clock.advance(125)
    answer = requests.get(sandbox.idesk_url + "me",
                          headers={"Authorization": f"Bearer {tokens.access}"}, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_token"
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    # The refresh token's lifetime is the session's: once over, the officer signs in again.
    refreshed = _token(sandbox, grant_type="refresh_token", refresh_token=tokens.refresh, client_id=CLIENT)
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
