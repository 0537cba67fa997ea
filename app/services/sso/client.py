"""OpenID Connect sign-in for a desktop app: authorization code + PKCE through the system browser.

app.services.sso.oauth makes the PKCE pair and the token requests and reads the token answers;
which URLs may be called (https, or http on loopback only) is app.services.transport's rule.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
import webbrowser
from typing import TYPE_CHECKING, Any, Callable

from app.config import ServerProfile
from app.errors import ConfigError, ServiceUnavailableError, SignInError
from app.services.httpclient import HttpClient, Response, TransportError, add_query
from app.services.sso.discovery import SSO_NAME, ProviderMetadata, fetch_metadata
from app.services.sso.idtoken import IdTokenValidator, user_from_claims
from app.services.sso.loopback import Callback, LoopbackReceiver
from app.services.sso.oauth import (
    OAuthError,
    authorization_code_body,
    new_pkce,
    parse_token_response,
    refresh_body,
)
from app.services.sso.session import SsoSession, TokenSet
from app.services.sso.store import RefreshTokenStore, TokenTooLongError, service_name
from app.services.transport import require_allowed_url

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

VERIFIER_LENGTH = 64


def _same_state(received: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII text (compare_digest refuses such str)."""
    return hmac.compare_digest(received.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def _unavailable(what: str, exc: Exception | str) -> ServiceUnavailableError:
    return ServiceUnavailableError(SSO_NAME, detail=f"{what}: {exc}")


def _json_object(resp: Response) -> dict[str, Any]:
    """The answer's JSON object; ValueError when it is anything else."""
    data = resp.json()
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


def _require_ok(resp: Response) -> None:
    if not 200 <= resp.status_code < 300:
        raise ValueError(f"HTTP {resp.status_code}")


class OidcClient:
    """Signs in against `profile.issuer`; keeps only the refresh token, in the keyring."""

    def __init__(
        self,
        profile: ServerProfile,
        *,
        keyring_backend: KeyringBackend | None = None,
        browser: Callable[[str], object] = webbrowser.open,
        http: HttpClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` (monotonic seconds) times the access tokens of the sessions this client opens."""
        require_allowed_url(profile.issuer, "SSO")
        self._clock = clock
        self.profile = profile
        self._browser = browser
        self._http = http or HttpClient()
        self._store = RefreshTokenStore(service_name(profile.name), profile.issuer, keyring_backend)
        self._meta: ProviderMetadata | None = None
        self._validator: IdTokenValidator | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> RefreshTokenStore:
        return self._store

    # -- provider metadata -------------------------------------------------------------------

    def metadata(self) -> ProviderMetadata:
        with self._lock:
            if self._meta is None:
                self._meta = fetch_metadata(
                    self._http, self.profile.issuer, timeout=self.profile.timeout_s, verify=self.profile.verify
                )
            return self._meta

    def validator(self) -> IdTokenValidator:
        meta = self.metadata()
        with self._lock:
            if self._validator is None:
                self._validator = IdTokenValidator(
                    meta.issuer, self.profile.client_id, self._fetch_jwks, meta.id_token_algs
                )
            return self._validator

    def _prefetch_keys(self) -> None:
        """Discovery and the provider's keys, fetched on a thread of their own while the
        sign-in waits on the browser or the keyring. A failure is only logged here: the ID
        token check fetches them again and reports it.

        Not a daemon thread: an interpreter exiting under a daemon thread ends it wherever it
        is, and inside the key parsing (native code) that aborts the process. A command that
        finds no stored token exits once the fetch ends, within the HTTP timeout."""

        def fetch() -> None:
            try:
                self.validator().preload()
            except Exception as exc:  # noqa: BLE001 (reported by the check that needs them)
                log.info("fetching the SSO keys ahead: %s", exc)

        threading.Thread(target=fetch, name="sso-keys", daemon=False).start()

    def _fetch_jwks(self) -> dict[str, Any]:
        url = self.metadata().jwks_uri
        try:
            resp = self._http.get(url, timeout=self.profile.timeout_s, verify=self.profile.verify,
                                  headers={"Accept": "application/json"}, allow_redirects=True)
            _require_ok(resp)
            return _json_object(resp)
        except (TransportError, ValueError) as exc:
            raise _unavailable(f"GET {url}", exc) from exc

    # -- interactive sign-in -----------------------------------------------------------------

    def login(
        self,
        *,
        timeout: float = 300,
        cancel: threading.Event | None = None,
        on_url: Callable[[str], None] | None = None,
    ) -> SsoSession:
        """Open the provider's login page in the browser and wait for its redirect to loopback."""
        meta = self.metadata()
        if meta.code_challenge_methods and "S256" not in meta.code_challenge_methods:
            raise ConfigError(
                "Máy chủ SSO không hỗ trợ PKCE (S256) nên ứng dụng không thể đăng nhập an toàn.",
                "The SSO server does not support PKCE (S256), so the app cannot sign in safely.",
                detail=f"code_challenge_methods_supported={meta.code_challenge_methods}",
            )
        pkce = new_pkce(VERIFIER_LENGTH)
        state = secrets.token_urlsafe(24)
        nonce = secrets.token_urlsafe(24)
        receiver = LoopbackReceiver()
        try:
            url = add_query(
                meta.authorization_endpoint,
                [
                    ("response_type", "code"),
                    ("client_id", self.profile.client_id),
                    ("redirect_uri", receiver.redirect_uri),
                    ("scope", " ".join(self.profile.scopes)),
                    ("state", state),
                    ("nonce", nonce),
                    ("code_challenge", pkce.challenge),
                    ("code_challenge_method", pkce.method),
                ],
            )
            if on_url is not None:
                on_url(url)
            self._browser(url)
            self._prefetch_keys()
            deadline = time.monotonic() + timeout
            while True:
                callback = receiver.wait(timeout=max(0.0, deadline - time.monotonic()), cancel=cancel)
                if _same_state(callback.params.get("state", ""), state):
                    break
                # Not the answer to this request (an old tab, another local program): that page
                # fails, the sign-in keeps waiting for the real one.
                log.warning("ignored a sign-in redirect whose state does not match")
                callback.finish(False)
            ok = False
            try:
                session = self._finish_login(callback, state, nonce, pkce.verifier, receiver.redirect_uri)
                ok = True
            finally:
                callback.finish(ok)
        finally:
            # The page waits on the browser and the listener's threads; the user's details and the
            # windows need neither.
            receiver.close_in_background()
        return session

    def _finish_login(self, callback: Callback, state: str, nonce: str, verifier: str, redirect_uri: str) -> SsoSession:
        params = callback.params
        if not _same_state(params.get("state", ""), state):
            raise SignInError(
                "Phản hồi đăng nhập không khớp với yêu cầu (state); đã từ chối. Hãy đăng nhập lại.",
                "The sign-in answer does not match the request (state); it was refused. Please sign in again.",
                detail="state mismatch",
            )
        if "error" in params:
            raise SignInError(
                "Máy chủ SSO từ chối đăng nhập.",
                "The SSO server refused the sign-in.",
                detail=f"{params['error']}: {params.get('error_description', '')}",
            )
        if not params.get("code"):
            raise SignInError(
                "Máy chủ SSO không trả về mã đăng nhập.", "The SSO server returned no code.", detail="no code"
            )
        body = authorization_code_body(
            client_id=self.profile.client_id, code=params["code"], redirect_uri=redirect_uri, verifier=verifier
        )
        try:
            data = self._token_call(body)
        except OAuthError as exc:
            raise SignInError(
                "Máy chủ SSO không cấp phiên đăng nhập. Hãy đăng nhập lại.",
                "The SSO server did not grant a session. Please sign in again.",
                detail=f"{exc.error}: {exc.description}",
            ) from exc
        if not data.get("id_token"):
            raise SignInError(
                "Máy chủ SSO không trả về thông tin người dùng (ID token).",
                "The SSO server returned no ID token.",
                detail="no id_token",
            )
        claims = self.validator().validate(data["id_token"], nonce=nonce)
        tokens = TokenSet.from_response(data, received_at=self._clock())
        session = SsoSession(self, tokens, user_from_claims(claims), clock=self._clock)
        session.remembered = self.remember(data.get("refresh_token", ""))
        return session

    # -- silent sign-in ----------------------------------------------------------------------

    def restore(self) -> SsoSession | None:
        """A session from the stored refresh token, or None when there is none or it was refused."""
        self._prefetch_keys()  # while the keyring loads and answers
        token = self._store.load()
        if not token:
            return None
        data = self.refresh_grant(token)
        if data is None:
            return None
        tokens = TokenSet.from_response(data, received_at=self._clock())
        if tokens.refresh_token != token:
            self.remember(tokens.refresh_token)
        if data.get("id_token"):
            claims = self.validator().validate(data["id_token"], nonce=None)
        else:
            claims = self._userinfo(tokens.access_token)
        session = SsoSession(self, tokens, user_from_claims(claims), clock=self._clock)
        session.remembered = True
        return session

    def forget(self) -> None:
        self._store.clear()

    def sign_out_stored(self) -> None:
        """Forget the stored refresh token at once, then revoke it and end its session at the
        provider (best effort, never raises). Unlike restore() then logout(), nothing waits on the
        network before the token has left this computer."""
        token = self._store.load()
        self._store.clear()
        if token:
            self.end_session(TokenSet(access_token="", refresh_token=token, id_token="", lifetime_s=0.0,
                                      received_at=self._clock()))

    # -- token endpoint and friends (also used by SsoSession) -------------------------------

    def _token_call(self, body: str) -> dict[str, Any]:
        """POST to the token endpoint; OAuthError when the provider refuses."""
        url = self.metadata().token_endpoint
        try:
            resp = self._http.post(
                url,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                timeout=self.profile.timeout_s,
                verify=self.profile.verify,
            )
        except TransportError as exc:
            raise _unavailable(f"POST {url}", exc) from exc
        if resp.status_code >= 500:
            raise _unavailable(f"POST {url}", f"HTTP {resp.status_code}")
        return parse_token_response(resp.text)

    def refresh_grant(self, refresh_token: str) -> dict[str, Any] | None:
        """New tokens from a refresh token; None (and the stored token forgotten) when refused."""
        body = refresh_body(client_id=self.profile.client_id, refresh_token=refresh_token)
        try:
            return self._token_call(body)
        except OAuthError as exc:
            log.info("refresh refused: %s %s", exc.error, exc.description)
            self._store.clear_if(refresh_token)
            return None

    def remember(self, refresh_token: str) -> bool:
        if not refresh_token:
            return False
        try:
            self._store.save(refresh_token)
        except TokenTooLongError as exc:
            log.warning("%s", exc)
            return False
        return True

    def _userinfo(self, access_token: str) -> dict[str, Any]:
        url = self.metadata().userinfo_endpoint
        if not url:
            return {}
        try:
            resp = self._http.get(
                url,
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                timeout=self.profile.timeout_s,
                verify=self.profile.verify,
                allow_redirects=True,
            )
            _require_ok(resp)
            return _json_object(resp)
        except (TransportError, ValueError) as exc:
            raise _unavailable(f"GET {url}", exc) from exc

    def end_session(self, tokens: TokenSet) -> None:
        """Revoke the refresh token (RFC 7009) and end the provider session; never raises."""
        self._store.clear()
        try:
            meta = self.metadata()
        except Exception as exc:  # noqa: BLE001 (signing out locally must still succeed offline)
            log.info("cannot reach the SSO server to sign out: %s", exc)
            return
        calls = []
        if meta.revocation_endpoint and tokens.refresh_token:
            calls.append(
                (
                    meta.revocation_endpoint,
                    {
                        "token": tokens.refresh_token,
                        "token_type_hint": "refresh_token",
                        "client_id": self.profile.client_id,
                    },
                )
            )
        if meta.end_session_endpoint:
            form = {"client_id": self.profile.client_id}
            if tokens.refresh_token:
                form["refresh_token"] = tokens.refresh_token
            if tokens.id_token:
                form["id_token_hint"] = tokens.id_token
            calls.append((meta.end_session_endpoint, form))
        for url, form in calls:
            try:
                self._http.post(
                    require_allowed_url(url, "SSO"),
                    data=form,
                    timeout=min(10.0, self.profile.timeout_s),
                    verify=self.profile.verify,
                    allow_redirects=False,
                )
            except (TransportError, ConfigError) as exc:
                log.info("sign-out call %s failed: %s", url, exc)
