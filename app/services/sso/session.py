"""A signed-in session: the user, and an access token kept fresh from the refresh token."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from app.config import ServerProfile
from app.domain import UserInfo
from app.errors import NotSignedInError, SessionExpiredError

log = logging.getLogger(__name__)

DEFAULT_LIFETIME_S = 300.0
MAX_MARGIN_S = 30.0


@dataclass(frozen=True)
class TokenSet:
    """The tokens of one answer of the SSO token endpoint, with when it came (for expiry)."""

    access_token: str
    refresh_token: str
    id_token: str
    lifetime_s: float
    received_at: float  # the session clock's reading when the token endpoint answered

    @classmethod
    def from_response(
        cls, data: dict[str, Any], previous: TokenSet | None = None, *, received_at: float | None = None
    ) -> TokenSet:
        try:
            lifetime = float(data.get("expires_in") or DEFAULT_LIFETIME_S)
        except (TypeError, ValueError):
            lifetime = DEFAULT_LIFETIME_S
        return cls(
            access_token=data["access_token"],
            # A provider that does not rotate keeps the old refresh token valid.
            refresh_token=data.get("refresh_token") or (previous.refresh_token if previous else ""),
            id_token=data.get("id_token") or (previous.id_token if previous else ""),
            lifetime_s=lifetime,
            received_at=time.monotonic() if received_at is None else received_at,
        )

    def needs_refresh(self, now: float) -> bool:
        # Refresh a little early so a request does not leave with a token that dies in flight.
        margin = min(MAX_MARGIN_S, self.lifetime_s * 0.2)
        return now >= self.received_at + self.lifetime_s - margin


class TokenEndpoint(Protocol):
    """What a session needs of the client that signed it in (`app.services.sso.client.OidcClient`)."""

    @property
    def profile(self) -> ServerProfile: ...

    def refresh_grant(self, refresh_token: str) -> dict[str, Any] | None:
        """The token endpoint's answer to a refresh grant; None when the provider refused it."""
        ...

    def remember(self, refresh_token: str) -> bool:
        """Keep the refresh token for the next start; whether it was kept."""
        ...

    def end_session(self, tokens: TokenSet) -> None: ...


class SsoSession:
    """Thread-safe: any worker may call `access_token()`; one refresh runs at a time.
    `clock` (seconds, monotonic) decides when the access token is due; it must be the one that
    stamped `tokens.received_at`."""

    def __init__(
        self, client: TokenEndpoint, tokens: TokenSet, user: UserInfo, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._clock = clock
        self._tokens = tokens
        self._user = user
        self._lock = threading.RLock()
        self._closed = False
        self.remembered = False  # whether the refresh token is in the keyring for next time

    @property
    def user(self) -> UserInfo:
        return self._user

    @property
    def profile(self) -> ServerProfile:
        return self._client.profile

    def access_token(self) -> str:
        with self._lock:
            self._check_open()
            if self._tokens.needs_refresh(self._clock()):
                self._refresh()
            return self._tokens.access_token

    def force_refresh(self, stale: str | None = None) -> str:
        """Get a new access token; if `stale` was already replaced by another thread, reuse that one."""
        with self._lock:
            self._check_open()
            if stale is not None and stale != self._tokens.access_token:
                return self._tokens.access_token
            self._refresh()
            return self._tokens.access_token

    def logout(self) -> None:
        """Revoke and end the session at the provider (best effort) and forget the stored token."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            tokens = self._tokens
        self._client.end_session(tokens)

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise NotSignedInError("session signed out")

    def _refresh(self) -> None:
        if not self._tokens.refresh_token:
            raise SessionExpiredError("no refresh token")
        # ServiceUnavailableError passes through: the session is still good once the network is back.
        data = self._client.refresh_grant(self._tokens.refresh_token)
        if data is None:
            self._closed = True
            raise SessionExpiredError("refresh token refused by the SSO server")
        self._tokens = TokenSet.from_response(data, self._tokens, received_at=self._clock())
        if data.get("refresh_token"):
            self.remembered = self._client.remember(self._tokens.refresh_token)
