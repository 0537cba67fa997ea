"""Get tokens from the sandbox SSO the way the desktop app does (code + PKCE S256), without the
client library: for tests and scripts that only need a valid session."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from app.sandbox import accounts
from app.sandbox.browser import login_via_form, pkce_pair

LOOPBACK_REDIRECT = "http://127.0.0.1:53682/callback"


@dataclass(frozen=True)
class TokenSet:
    access: str
    refresh: str
    id: str
    expires_in: int
    scope: str


def authorization_url(issuer: str, *, challenge: str, state: str, nonce: str,
                      redirect_uri: str = LOOPBACK_REDIRECT,
                      scope: str = "openid profile email offline_access",
                      method: str = "S256") -> str:
    query = {
        "client_id": accounts.CLIENT_ID,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": method,
    }
    return f"{issuer}/protocol/openid-connect/auth?{urlencode(query)}"


def login_with_password(issuer: str, username: str, password: str | None = None) -> TokenSet:
    if password is None:
        account = accounts.by_username(username)
        if account is None:
            raise ValueError(f"unknown demo account {username!r}")
        password = account.password
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    location = login_via_form(
        authorization_url(issuer, challenge=challenge, state=state, nonce=nonce), username, password
    )
    params = parse_qs(urlsplit(location).query)
    if params.get("state") != [state] or "code" not in params:
        raise RuntimeError(f"unexpected SSO redirect: {location}")
    answer = requests.post(
        f"{issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": LOOPBACK_REDIRECT,
            "client_id": accounts.CLIENT_ID,
            "code_verifier": verifier,
        },
        timeout=30,
    )
    answer.raise_for_status()
    body = answer.json()
    return TokenSet(body["access_token"], body.get("refresh_token", ""), body.get("id_token", ""),
                    int(body.get("expires_in", 0)), body.get("scope", ""))
