"""The few OAuth 2.0 pieces the desktop sign-in needs: PKCE, token request bodies, token answers.

Written for the app instead of importing oauthlib, whose import cost about 36 M instructions
on the way to the main window. No network and no Qt: `app.services.sso.client` sends the
bodies and hands the answers' text back here; it builds the authorization URL with
`app.services.httpclient.add_query`, as every request's query is built.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# RFC 7636 4.1: the verifier's characters, "unreserved" in RFC 3986.
VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"
VERIFIER_MIN, VERIFIER_MAX = 43, 128


class OAuthError(Exception):
    """The token endpoint refused (RFC 6749 5.2: `error`, `error_description`), or its answer is
    not a token response the app can use (then `error` is one of this module's own codes)."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Pkce:
    """A PKCE pair (RFC 7636, method S256): the verifier stays in the app until the code
    exchange; the challenge goes into the authorization URL."""

    verifier: str
    challenge: str
    method: str = "S256"


def code_verifier(length: int) -> str:
    """A fresh random verifier of `length` (43..128) unreserved characters, from `secrets`."""
    if not VERIFIER_MIN <= length <= VERIFIER_MAX:
        raise ValueError(f"a PKCE verifier has {VERIFIER_MIN} to {VERIFIER_MAX} characters, not {length}")
    return "".join(secrets.choice(VERIFIER_ALPHABET) for _ in range(length))


def s256_challenge(verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_pkce(length: int) -> Pkce:
    verifier = code_verifier(length)
    return Pkce(verifier, s256_challenge(verifier))


def _form(params: list[tuple[str, str]]) -> str:
    # application/x-www-form-urlencoded in UTF-8 (RFC 6749 appendix B): spaces as '+'.
    return urlencode(params, encoding="utf-8")


# The parameters in the order oauthlib's WebApplicationClient wrote them for the app: servers read
# them by name, and the same order keeps the bodies byte for byte as they were.


def authorization_code_body(*, client_id: str, code: str, redirect_uri: str, verifier: str) -> str:
    """The token request for an authorization code (RFC 6749 4.1.3, RFC 7636 4.5) from a
    public client, which names itself with `client_id`."""
    return _form(
        [
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code_verifier", verifier),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ]
    )


def refresh_body(*, client_id: str, refresh_token: str) -> str:
    """The token request for a refresh (RFC 6749 6), without `scope`: the one first granted."""
    return _form([("grant_type", "refresh_token"), ("client_id", client_id), ("refresh_token", refresh_token)])


def parse_token_response(text: str) -> dict[str, Any]:
    """The token endpoint's JSON object (RFC 6749 5.1), as sent.

    OAuthError when it carries `error` (5.2), is not a JSON object, or lacks a usable
    `access_token` ("missing_token", as oauthlib named it). Like oauthlib by default (without
    OAUTHLIB_STRICT_TOKEN_TYPE, which the app never set), a missing `token_type` is accepted: the
    token is used as a Bearer token either way. `expires_in` is left for
    `TokenSet.from_response`, which falls back to a default lifetime when it is missing or not a
    number (oauthlib raised a ValueError there that no caller handled).

    The granted `scope` is not compared with the requested one. Keycloak may list the scopes in
    another order or grant fewer (a client scope the realm does not give this client); the
    sign-in must still succeed, as it did with oauthlib, which the app called without the
    requested scope and which therefore never raised its scope-changed Warning. What an officer
    may do comes from the ID token's roles and the servers' own checks, not from this list.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OAuthError("invalid_response", f"the token endpoint's answer is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise OAuthError("invalid_response", f"expected a JSON object, got {type(data).__name__}")
    if "error" in data:
        description = data.get("error_description")
        raise OAuthError(str(data["error"]), description if isinstance(description, str) else "")
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthError("missing_token", "Missing access token parameter.")
    return data
