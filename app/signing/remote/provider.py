"""Signing in to a remote signing provider and opening one of its credentials as a signer.

Sign-in is the SSO's RFC 8252 flow (system browser, loopback redirect, PKCE S256) against the
provider's issuer; only the refresh token is kept, in the keyring, under the provider's name.
"""

from __future__ import annotations

import threading
import webbrowser
from typing import TYPE_CHECKING, Callable

from app.config import RemoteProvider, ServerProfile
from app.signing.remote.errors import RemoteNoCredentialError, RemoteSignInError

if TYPE_CHECKING:  # the signer loads pyHanko: only when a remote signature is made
    from keyring.backend import KeyringBackend

    from app.services.http import SessionTokens
    from app.services.sso import OidcClient, SsoSession
    from app.signing.remote.csc_client import CredentialInfo, CscClient
    from app.signing.remote.signer import Confirmation, RemoteSigner

TRAINING = "training"


def training_provider(csc_url: str, issuer: str, client_id: str = "lienthong-desktop") -> RemoteProvider:
    """The sandbox's remote-signing service, signed in through the sandbox SSO."""
    return RemoteProvider(name=TRAINING, csc_url=csc_url, issuer=issuer, client_id=client_id,
                          display_name="Ký số từ xa (tập huấn)")


def sso_profile(provider: RemoteProvider) -> ServerProfile:
    """The provider's sign-in as a server profile of the SSO client; its keyring entry is
    "remote-<name>", apart from the SSO session of the app."""
    return ServerProfile(
        name=f"remote-{provider.name}", issuer=provider.issuer, igate_url="", idesk_url="",
        client_id=provider.client_id, scopes=provider.scopes, ca_bundle=provider.ca_bundle,
        timeout_s=provider.timeout_s,
    )


def oidc_client(
    provider: RemoteProvider, *, keyring_backend: KeyringBackend | None = None,
    browser: Callable[[str], object] = webbrowser.open,
) -> OidcClient:
    from app.services.sso import OidcClient

    return OidcClient(sso_profile(provider), keyring_backend=keyring_backend, browser=browser)


def sign_in(provider: RemoteProvider, *, keyring_backend: KeyringBackend | None = None,
            browser: Callable[[str], object] = webbrowser.open, timeout: float = 300,
            cancel: threading.Event | None = None, on_url: Callable[[str], None] | None = None) -> SsoSession:
    """Interactive sign-in; returns the SSO session (its refresh token is now in the keyring)."""
    return oidc_client(provider, keyring_backend=keyring_backend, browser=browser).login(
        timeout=timeout, cancel=cancel, on_url=on_url)


def restore_session(provider: RemoteProvider, *, keyring_backend: KeyringBackend | None = None) -> SsoSession:
    """The session from the stored refresh token; RemoteSignInError when there is none."""
    session = oidc_client(provider, keyring_backend=keyring_backend).restore()
    if session is None:
        raise RemoteSignInError(provider.name, detail="no stored refresh token, or it was refused")
    return session


def sign_out(provider: RemoteProvider, *, keyring_backend: KeyringBackend | None = None) -> None:
    # The token leaves this computer first, even when the provider is slow or cannot be reached.
    oidc_client(provider, keyring_backend=keyring_backend).sign_out_stored()


def csc_client(provider: RemoteProvider, session: SessionTokens) -> CscClient:
    from app.services.transport import require_allowed_url
    from app.signing.remote.csc_client import CscClient

    require_allowed_url(provider.csc_url, provider.label)
    return CscClient(provider.csc_url, provider.label, session.access_token, session.force_refresh,
                     timeout_s=provider.timeout_s, verify=provider.ca_bundle or True)


def pick_credential(client: CscClient, provider: RemoteProvider, wanted: str = "") -> str:
    ids = client.list_credentials()
    wanted = wanted or provider.credential
    if wanted:
        if wanted not in ids:
            raise RemoteNoCredentialError(provider.label, detail=f"{wanted!r} not in {ids}")
        return wanted
    if not ids:
        raise RemoteNoCredentialError(provider.label, detail="credentials/list is empty")
    return ids[0]


def list_credentials(client: CscClient) -> list[CredentialInfo]:
    return [client.credential_info(cred) for cred in client.list_credentials()]


def open_remote_signer(
    provider: RemoteProvider,
    session: SessionTokens,
    confirmation: Confirmation,
    *,
    credential: str = "",
    cancel: threading.Event | None = None,
    pss: bool | None = None,
) -> RemoteSigner:
    """`pss=None` follows the provider's `signature_scheme`."""
    client = csc_client(provider, session)
    cred = pick_credential(client, provider, credential)
    info = client.credential_info(cred)
    use_pss = provider.signature_scheme == "pss" if pss is None else pss
    from app.signing.remote.signer import RemoteSigner

    return RemoteSigner(client, info, confirmation, label=provider.label, cancel=cancel, pss=use_pss)
