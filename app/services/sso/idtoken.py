"""ID token checks (OIDC Core 3.1.3.7): signature from the JWKS, iss, aud, azp, exp, iat, nonce."""

from __future__ import annotations

import hmac
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from app.domain import Role, UserInfo
from app.errors import SignInError

if TYPE_CHECKING:
    from app.services.sso.jws import SigningKey

# Symmetric algorithms would let anyone holding the client id forge tokens for a public client.
ASYMMETRIC_ALGS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
LEEWAY_S = 60


def _refused(detail: str) -> SignInError:
    return SignInError(
        "Máy chủ SSO trả về thông tin đăng nhập không hợp lệ; đã từ chối để bảo vệ tài khoản. Hãy đăng nhập lại.",
        "The SSO server returned sign-in data that failed the checks; it was refused to protect the account. "
        "Please sign in again.",
        detail=detail,
    )


class IdTokenValidator:
    """Verifies ID tokens against keys fetched by `fetch_jwks`; refetches once on an unknown key id."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        fetch_jwks: Callable[[], dict[str, Any]],
        algorithms: tuple[str, ...] = ("RS256",),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._fetch_jwks = fetch_jwks
        self._algorithms = tuple(a for a in algorithms if a in ASYMMETRIC_ALGS) or ("RS256",)
        self._clock = clock
        self._keys: dict[str, SigningKey] | None = None
        self._lock = threading.Lock()

    def _load_keys(self) -> dict[str, SigningKey]:
        from app.services.sso.jws import JwsError, keys_from_jwks

        try:
            return keys_from_jwks(self._fetch_jwks())
        except JwsError as exc:
            raise _refused(f"JWKS unusable: {exc}") from exc

    def preload(self) -> None:
        """Fetch the keys now, if none are loaded yet (a sign-in that waits on something else)."""
        with self._lock:
            if self._keys is None:
                self._keys = self._load_keys()

    def _key_for(self, kid: str) -> SigningKey:
        with self._lock:
            if self._keys is None or kid not in self._keys:
                # A new kid usually means the provider rotated its keys: reload once.
                self._keys = self._load_keys()
            keys = self._keys
        if kid in keys:
            return keys[kid]
        if not kid and len(keys) == 1:
            return next(iter(keys.values()))
        raise _refused(f"no key with kid {kid!r} in JWKS")

    def validate(self, token: str, *, nonce: str | None) -> dict[str, Any]:
        """Return the verified claims. `nonce=None` (refresh responses) skips the nonce check."""
        from app.services.sso.jws import CompactJws, JwsError

        try:
            jws = CompactJws(token)
        except JwsError as exc:
            raise _refused(f"malformed ID token: {exc}") from exc
        if jws.alg not in self._algorithms:
            raise _refused(f"ID token algorithm {jws.alg!r} not allowed")
        try:
            self._key_for(jws.kid).verify(jws)
        except JwsError as exc:
            raise _refused(f"ID token rejected: {exc}") from exc
        claims = jws.payload
        self._check_claims(claims)
        if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise _refused("ID token nonce does not match the sign-in request")
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        """OIDC Core 3.1.3.7 items 2-4 and 9-10, with LEEWAY_S for the clocks' difference."""
        for name in ("iss", "sub", "aud", "exp", "iat"):
            if name not in claims:
                raise _refused(f"ID token has no {name!r} claim")
        if claims["iss"] != self.issuer:
            raise _refused(f"ID token issuer {claims['iss']!r} is not {self.issuer!r}")
        if not isinstance(claims["sub"], str) or not claims["sub"]:
            raise _refused("ID token subject is not a string")
        aud = claims["aud"]
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if self.client_id not in audiences:
            raise _refused("ID token is not for this client (aud)")
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise _refused("ID token has several audiences and azp is not this client")
        now = self._clock()
        times = {}
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name)
            if value is None and name == "nbf":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _refused(f"ID token {name!r} is not a number")
            times[name] = float(value)
        if now > times["exp"] + LEEWAY_S:
            raise _refused("ID token has expired")
        if times["iat"] > now + LEEWAY_S or times.get("nbf", now) > now + LEEWAY_S:
            raise _refused("ID token is not valid yet (iat/nbf in the future)")


def user_from_claims(claims: dict[str, Any]) -> UserInfo:
    """Identity claims (ID token or userinfo) into UserInfo; unknown roles are ignored."""
    raw_roles = claims.get("roles")
    if raw_roles is None:
        raw_roles = (claims.get("realm_access") or {}).get("roles", ())
    if isinstance(raw_roles, str):
        raw_roles = raw_roles.split()
    known = {r.value: r for r in Role}
    roles = tuple(dict.fromkeys(known[r] for r in raw_roles if r in known))
    username = claims.get("preferred_username") or claims.get("sub", "")
    return UserInfo(
        subject=str(claims.get("sub", "")),
        username=str(username),
        full_name=str(claims.get("name") or username),
        email=str(claims.get("email") or ""),
        roles=roles,
        title=str(claims.get("title") or ""),
        organization=str(claims.get("organization") or ""),
    )


def warm() -> None:
    """Import what a sign-in needs besides the HTTP calls: the keyring (a silent sign-in's first
    step) and the ID token checks. `lienthong gui` calls it before loading Qt; the GUI calls it
    again on a worker when a sign-in starts (at once when already loaded)."""
    import keyring.errors  # noqa: F401

    import app.services.sso.jws  # noqa: F401 (with cryptography's RSA)
