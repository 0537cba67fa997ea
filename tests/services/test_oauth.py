"""The app's own OAuth 2.0 helpers (app.services.sso.oauth): PKCE, token request bodies and token
answers, compared with the RFCs' examples and with what oauthlib produced for the app before."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

from app.services.httpclient import add_query
from app.services.sso.oauth import (
    VERIFIER_ALPHABET,
    OAuthError,
    authorization_code_body,
    code_verifier,
    new_pkce,
    parse_token_response,
    refresh_body,
    s256_challenge,
)
from app.services.sso.session import DEFAULT_LIFETIME_S, TokenSet
from tests.fixtures.imports import loaded_by

REPO = Path(__file__).resolve().parents[2]
CLIENT = "lienthong-desktop"


def test_s256_challenge_of_the_rfc_7636_example():
    verifier, challenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert s256_challenge(verifier) == challenge  # RFC 7636 appendix B


@pytest.mark.parametrize("length", [43, 64, 128])
def test_verifiers_are_unreserved_characters_of_the_asked_length(length):
    verifiers = {code_verifier(length) for _ in range(20)}
    assert len(verifiers) == 20
    for verifier in verifiers:
        assert len(verifier) == length and set(verifier) <= set(VERIFIER_ALPHABET)
    assert set(VERIFIER_ALPHABET) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


@pytest.mark.parametrize("length", [0, 42, 129])
def test_verifier_lengths_outside_rfc_7636_are_refused(length):
    with pytest.raises(ValueError):
        code_verifier(length)


def test_a_pkce_pair_matches_oauthlibs_challenge():
    pkce = new_pkce(64)
    assert pkce.method == "S256" and len(pkce.verifier) == 64
    assert pkce.challenge == WebApplicationClient(CLIENT).create_code_challenge(pkce.verifier, "S256")


TRICKY = ["plain", "a+b/c=d&e f%20g", "Nguyễn Thị Hoa ☃", "x" * 2000]


@pytest.mark.parametrize("value", TRICKY)
def test_token_request_bodies_are_byte_for_byte_oauthlibs(value):
    redirect = "http://127.0.0.1:51234/lienthong/callback"
    verifier = code_verifier(64)
    mine = authorization_code_body(client_id=CLIENT, code=value, redirect_uri=redirect, verifier=verifier)
    theirs = WebApplicationClient(CLIENT).prepare_request_body(
        code=value, redirect_uri=redirect, include_client_id=True, code_verifier=verifier
    )
    assert mine.encode("utf-8") == theirs.encode("utf-8")
    assert parse_qsl(mine) == [("grant_type", "authorization_code"), ("client_id", CLIENT),
                               ("code_verifier", verifier), ("code", value), ("redirect_uri", redirect)]
    mine = refresh_body(client_id=CLIENT, refresh_token=value)
    theirs = WebApplicationClient(CLIENT).prepare_refresh_body(refresh_token=value, client_id=CLIENT)
    assert mine.encode("utf-8") == theirs.encode("utf-8")
    assert parse_qsl(mine) == [("grant_type", "refresh_token"), ("client_id", CLIENT), ("refresh_token", value)]


KEYCLOAK = {
    "access_token": "eyJhbGciOiJSUzI1NiJ9.a.b",
    "expires_in": 300,
    "refresh_expires_in": 1800,
    "refresh_token": "eyJhbGciOiJIUzI1NiJ9.c.d",
    "token_type": "Bearer",
    "id_token": "eyJhbGciOiJSUzI1NiJ9.e.f",
    "not-before-policy": 0,
    "session_state": "5f0e",
    "scope": "openid email profile",
}


def test_a_keycloak_answer_is_returned_as_sent():
    assert parse_token_response(json.dumps(KEYCLOAK)) == KEYCLOAK


@pytest.mark.parametrize(
    "change",
    [
        {"scope": "profile openid email"},  # another order
        {"scope": "openid"},  # fewer scopes than asked for
        {"token_type": None},  # no token type: oauthlib accepted it too (unless OAUTHLIB_STRICT_TOKEN_TYPE)
        {"expires_in": None},
        {"refresh_token": None, "id_token": None},
    ],
)
def test_answers_oauthlib_accepted_for_the_app_are_accepted(change):
    answer = {k: v for k, v in {**KEYCLOAK, **change}.items() if v is not None}
    text = json.dumps(answer)
    WebApplicationClient(CLIENT).parse_request_body_response(text)
    data = parse_token_response(text)
    assert data == answer
    assert TokenSet.from_response(data, received_at=0.0).access_token == KEYCLOAK["access_token"]


@pytest.mark.parametrize(("expires_in", "lifetime"), [(300, 300.0), ("60", 60.0), ("soon", DEFAULT_LIFETIME_S)])
def test_the_token_lifetime_is_read_by_the_token_set(expires_in, lifetime):
    data = parse_token_response(json.dumps({**KEYCLOAK, "expires_in": expires_in}))
    assert TokenSet.from_response(data, received_at=0.0).lifetime_s == lifetime


@pytest.mark.parametrize(
    ("answer", "error", "description"),
    [
        ({"error": "invalid_grant", "error_description": "Code not valid"}, "invalid_grant", "Code not valid"),
        ({"error": "invalid_grant", "error_description": "Token is not active"}, "invalid_grant",
         "Token is not active"),
        ({"error": "unauthorized_client"}, "unauthorized_client", ""),
        ({"error": "invalid_request", "error_description": 7}, "invalid_request", ""),
        ({**KEYCLOAK, "error": "server_error"}, "server_error", ""),
        ({k: v for k, v in KEYCLOAK.items() if k != "access_token"}, "missing_token",
         "Missing access token parameter."),
    ],
)
def test_refusals_raise_oauth_errors_as_oauthlib_did(answer, error, description):
    text = json.dumps(answer)
    with pytest.raises(OAuth2Error) as theirs:
        WebApplicationClient(CLIENT).parse_request_body_response(text)
    with pytest.raises(OAuthError) as mine:
        parse_token_response(text)
    assert mine.value.error == theirs.value.error == error
    assert mine.value.description == description


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>502 Bad Gateway</body></html>",
        "",
        "access_token=abc&token_type=bearer",  # form-encoded: oauthlib's fallback for old providers, not OIDC
        "[1, 2]",
        "null",
        '"eyJ.a.b"',
        "42",
        json.dumps({**KEYCLOAK, "access_token": ""}),
        json.dumps({**KEYCLOAK, "access_token": None}),
        json.dumps({**KEYCLOAK, "access_token": ["a"]}),
    ],
)
def test_answers_that_are_not_a_token_object_are_refused(text):
    with pytest.raises(OAuthError) as refused:
        parse_token_response(text)
    assert refused.value.error in {"invalid_response", "missing_token"}


AUTH_PARAMS = [("response_type", "code"), ("client_id", CLIENT), ("scope", "openid profile"), ("state", "s/1")]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://sso.example.vn/auth/realms/digo/protocol/openid-connect/auth",
        "https://sso.example.vn/auth/realms/digo/protocol/openid-connect/auth?kc_idp_hint=vneid",
        "https://sso.example.vn/auth?ui_locales=vi&prompt=login",
    ],
)
def test_authorization_url_keeps_the_endpoints_query(endpoint):
    url = add_query(endpoint, AUTH_PARAMS)
    assert url == add_params_to_uri(endpoint, AUTH_PARAMS)
    assert url.startswith(endpoint) and url.endswith("scope=openid+profile&state=s%2F1")


def test_an_existing_query_is_kept_as_the_provider_wrote_it():
    # RFC 6749 3.1: the endpoint's query "MUST be retained"; it is not re-encoded.
    url = add_query("https://sso.example.vn/auth?a=b%20c&flag", [("state", "x")])
    assert url == "https://sso.example.vn/auth?a=b%20c&flag&state=x"


def test_the_sign_in_client_loads_no_oauthlib():
    assert loaded_by("import app.services.sso.client", {"oauthlib", "requests_oauthlib"}) == []
