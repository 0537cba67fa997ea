"""Authlib models and grants for the sandbox SSO: a public PKCE client, codes and tokens in SQLite."""

from __future__ import annotations

import ipaddress
import time
from typing import Any, Callable
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.grants.code import OpenIDToken
from joserfc.jwk import RSAKey

from app.sandbox import accounts, seed_data
from app.sandbox.accounts import DemoAccount
from app.sandbox.db import Database

SCOPES = ("openid", "profile", "email", "offline_access")
CODE_TTL_S = 120
ID_TOKEN_TTL_S = 3600


def is_loopback_redirect(uri: str) -> bool:
    """RFC 8252 7.3: native apps receive the code on a loopback IP literal, any port, any path."""
    try:
        parts = urlsplit(uri)
        if parts.scheme != "http" or parts.fragment or parts.username or parts.password:
            return False
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError on a malformed port
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PublicClient:
    """The desktop app: public (no secret), code flow with PKCE S256 and refresh tokens."""

    client_id = accounts.CLIENT_ID

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return is_loopback_redirect(redirect_uri)

    def check_client_secret(self, client_secret) -> bool:
        return False

    def check_endpoint_auth_method(self, method, endpoint) -> bool:
        return method == "none"

    def check_response_type(self, response_type) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class AuthCode:
    def __init__(self, row) -> None:
        self.row = row
        self.code = row["code"]
        self.client_id = row["client_id"]
        self.code_challenge = row["code_challenge"]
        self.code_challenge_method = row["code_challenge_method"]

    def get_redirect_uri(self):
        return self.row["redirect_uri"]

    def get_scope(self):
        return self.row["scope"]

    def get_nonce(self):
        return self.row["nonce"]

    def get_auth_time(self):
        return self.row["auth_time"]

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class StoredToken:
    def __init__(self, row) -> None:
        self.row = row
        self.matched_refresh = False  # revocation: the string given was this row's refresh token

    def check_client(self, client) -> bool:
        return self.row["client_id"] == client.get_client_id()

    def get_scope(self):
        return self.row["scope"]

    def get_expires_in(self):
        return self.row["expires_in"]

    def is_expired(self) -> bool:
        return self.row["issued_at"] + self.row["expires_in"] < time.time()

    def is_revoked(self) -> bool:
        return bool(self.row["access_revoked"])

    def get_user(self):
        return accounts.by_subject(self.row["subject"])


def identity_claims(account: DemoAccount, scope: str = "openid profile email") -> dict[str, Any]:
    """The claims the ID token, the access token and userinfo all carry."""
    claims: dict[str, Any] = {
        "sub": account.subject,
        "preferred_username": account.username,
        "name": account.full_name,
        "roles": [account.role],
        "title": account.title,
        "organization": accounts.ORGANIZATION,
    }
    if account.igate_linked:
        # DIGO custom claims: the iGate user and, as one comma-separated string, the agencies.
        claims["user_id"] = account.igate_id
        claims["experience"] = seed_data.UNIT_IDS.get(account.unit, seed_data.AGENCY_ID)
    if "email" in (scope or "").split():
        claims["email"] = account.email
        claims["email_verified"] = True
    return claims


class S256Only(CodeChallenge):
    """PKCE is mandatory and only S256 is accepted (plain and missing are refused)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE 'code_challenge' is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is accepted.")
        return super().validate_code_challenge(grant, redirect_uri)


class SandboxTokenGenerator(JWTBearerTokenGenerator):
    def __init__(self, issuer: str, key: RSAKey, access_token_ttl: int, refresh_token_ttl: int) -> None:
        super().__init__(
            issuer,
            refresh_token_generator=lambda *args, **kwargs: generate_token(48),
            expires_generator=lambda client, grant_type: access_token_ttl,
        )
        self._key = key
        self._refresh_ttl = refresh_token_ttl

    def generate(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        token = super().generate(grant_type, client, user, scope, expires_in, include_refresh_token)
        if "refresh_token" in token:
            # Keycloak tells the client how long the session (its refresh token) lasts.
            token["refresh_expires_in"] = self._refresh_ttl
        return token

    def get_jwks(self):
        return self._key

    def get_extra_claims(self, client, grant_type, user, scope):
        return identity_claims(user, scope)


class _IdTokenMixin:
    """ID-token signing shared by the code grant and refresh responses."""

    def __init__(self, issuer: str, key: RSAKey, db: Database, **kwargs) -> None:
        super().__init__(**kwargs)
        self.issuer = issuer
        self.key = key
        self.db = db

    def resolve_client_private_key(self, client):
        return self.key

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "typ": "JWT", "kid": self.key.kid}

    def get_client_claims(self, client):
        now = int(time.time())
        return {"iss": self.issuer, "aud": client.get_client_id(), "iat": now, "exp": now + ID_TOKEN_TTL_S}

    def generate_user_info(self, user, scope):
        return UserInfo(identity_claims(user, scope))


class SandboxOpenIDCode(_IdTokenMixin, OpenIDCode):
    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        claims["sid"] = authorization_code.row["sid"]
        return claims

    def exists_nonce(self, nonce, request):
        with self.db.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM auth_codes WHERE client_id = ? AND nonce = ?",
                (request.payload.client_id, nonce),
            ).fetchone()
        return row is not None


class RefreshIdToken(_IdTokenMixin, OpenIDToken):
    """Like Keycloak, a refresh answer carries a fresh ID token too."""


def make_code_grant(db: Database):
    class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

        def save_authorization_code(self, code, request):
            data = request.payload.data
            with db.connection() as conn:
                conn.execute(
                    "INSERT INTO auth_codes (code, client_id, redirect_uri, scope, subject, nonce,"
                    " code_challenge, code_challenge_method, auth_time, sid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        code,
                        request.client.get_client_id(),
                        request.payload.redirect_uri,
                        request.scope or request.payload.scope or "",
                        request.user.subject,
                        data.get("nonce"),
                        data.get("code_challenge"),
                        data.get("code_challenge_method"),
                        int(time.time()),
                        generate_token(24),
                    ),
                )

        def query_authorization_code(self, code, client):
            with db.connection() as conn:
                row = conn.execute(
                    "SELECT * FROM auth_codes WHERE code = ? AND client_id = ?",
                    (code, client.get_client_id()),
                ).fetchone()
            if row is None or row["auth_time"] + CODE_TTL_S < time.time():
                return None
            return AuthCode(row)

        def delete_authorization_code(self, authorization_code):
            with db.connection() as conn:
                conn.execute("DELETE FROM auth_codes WHERE code = ?", (authorization_code.code,))

        def authenticate_user(self, authorization_code):
            return accounts.by_subject(authorization_code.row["subject"])

    return AuthorizationCodeGrant


def make_refresh_grant(db: Database, refresh_token_ttl: int, clock: Callable[[], float] = time.time):
    class RefreshTokenGrant(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token):
            with db.connection() as conn:
                row = conn.execute(
                    "SELECT * FROM tokens WHERE refresh_token = ? AND refresh_revoked = 0 AND issued_at > ?",
                    (refresh_token, int(clock()) - refresh_token_ttl),
                ).fetchone()
            return StoredToken(row) if row is not None else None

        def authenticate_user(self, refresh_token):
            return refresh_token.get_user()

        def revoke_old_credential(self, refresh_token):
            with db.connection() as conn:
                conn.execute(
                    "UPDATE tokens SET refresh_revoked = 1 WHERE id = ?", (refresh_token.row["id"],)
                )

    return RefreshTokenGrant


def make_revocation_endpoint(db: Database):
    class Revocation(RevocationEndpoint):
        CLIENT_AUTH_METHODS = ["none"]

        def query_token(self, token_string, token_type_hint):
            with db.connection() as conn:
                row = None
                if token_type_hint != "refresh_token":
                    row = conn.execute(
                        "SELECT * FROM tokens WHERE access_token = ?", (token_string,)
                    ).fetchone()
                if row is None:
                    row = conn.execute(
                        "SELECT * FROM tokens WHERE refresh_token = ?", (token_string,)
                    ).fetchone()
            if row is None:
                return None
            token = StoredToken(row)
            token.matched_refresh = row["refresh_token"] == token_string
            return token

        def revoke_token(self, token, request):
            with db.connection() as conn:
                if token.matched_refresh:
                    conn.execute(
                        "UPDATE tokens SET refresh_revoked = 1, access_revoked = 1 WHERE id = ?",
                        (token.row["id"],),
                    )
                else:
                    conn.execute("UPDATE tokens SET access_revoked = 1 WHERE id = ?", (token.row["id"],))

    return Revocation
