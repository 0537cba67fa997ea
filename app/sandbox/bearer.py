"""Access-token checks shared by the iGate and iDesk apps: signature, issuer, expiry, revocation."""

from __future__ import annotations

import time
from typing import Callable

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from app.sandbox.db import Database


class InvalidAccessToken(Exception):
    """The bearer token is missing, malformed, expired, revoked or not ours."""


class AccessTokenVerifier:
    def __init__(self, issuer: str, key: RSAKey, db: Database, *, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self._clock = clock
        self._key = key
        self._db = db

    def verify_header(self, authorization: str | None) -> dict:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise InvalidAccessToken("missing bearer token")
        return self.verify(authorization[7:].strip())

    def verify(self, token_string: str) -> dict:
        try:
            token = jwt.decode(token_string, self._key, algorithms=["RS256"])
            # ID tokens are signed with the same key; only "at+jwt" is an access token.
            if token.header.get("typ") != "at+jwt":
                raise InvalidAccessToken("not an access token")
            registry = jwt.JWTClaimsRegistry(
                now=lambda: int(self._clock()),
                iss={"essential": True, "value": self.issuer},
                exp={"essential": True},
                sub={"essential": True},
                jti={"essential": True},
            )
            registry.validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise InvalidAccessToken(str(exc)) from exc
        with self._db.connection() as conn:
            row = conn.execute(
                "SELECT access_revoked FROM tokens WHERE jti = ?", (token.claims["jti"],)
            ).fetchone()
        if row is None or row["access_revoked"]:
            raise InvalidAccessToken("revoked")
        return dict(token.claims)
