"""The composition root: one place that builds the clients from a server profile and a session.

    services = connect(profile, paths)                 # nothing contacted yet
    connected = services.restore() or services.login() # silent sign-in, else the browser
    connected.igate.search_dossiers(...)
    connected.transfers.send_to_idesk(...)
    connected.sign_out()
"""

from __future__ import annotations

import threading
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from app.config import ServerProfile
from app.domain import UserInfo
from app.paths import AppPaths
from app.services.adapters import adapter_for
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient
from app.services.http import RetryPolicy
from app.services.outbox import Outbox
from app.services.sso import OidcClient, SsoSession
from app.services.transfers import Transfers

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


@dataclass(frozen=True)
class Connected:
    """Everything that needs a signed-in user. Safe to share between worker threads."""

    session: SsoSession
    igate: IGateClient
    idesk: IDeskClient
    transfers: Transfers
    outbox: Outbox

    @property
    def user(self) -> UserInfo:
        return self.session.user

    def sign_out(self) -> None:
        self.session.logout()


@dataclass(frozen=True)
class Services:
    """The service layer for one server profile before sign-in: the SSO client, the folders and
    the retry policy. `login` or `restore` gives the signed-in clients (`Connected`)."""

    profile: ServerProfile
    paths: AppPaths
    sso: OidcClient
    retry: RetryPolicy = RetryPolicy()

    def login(
        self,
        *,
        timeout: float = 300,
        cancel: threading.Event | None = None,
        on_url: Callable[[str], None] | None = None,
    ) -> Connected:
        """Interactive sign-in (see OidcClient.login)."""
        return self.sign_in(self.sso.login(timeout=timeout, cancel=cancel, on_url=on_url))

    def restore(self) -> Connected | None:
        session = self.sso.restore()
        return self.sign_in(session) if session is not None else None

    def sign_in(self, session: SsoSession) -> Connected:
        p = self.profile
        adapter = adapter_for(p)
        igate = adapter.igate(
            p.igate_url, session, timeout=p.timeout_s, verify=p.verify, max_upload_bytes=p.max_upload_bytes,
            retry=self.retry,
        )
        idesk = adapter.idesk(
            p.idesk_url, session, timeout=p.timeout_s, verify=p.verify, max_upload_bytes=p.max_upload_bytes,
            retry=self.retry,
        )
        transfers = Transfers(igate, idesk, self.paths.transfers_dir, session.user)
        transfers.prune_finished()
        return Connected(
            session=session,
            igate=igate,
            idesk=idesk,
            transfers=transfers,
            outbox=Outbox(self.paths.outbox_dir, idesk),
        )


def connect(
    profile: ServerProfile,
    paths: AppPaths,
    *,
    keyring_backend: KeyringBackend | None = None,
    browser: Callable[[str], object] = webbrowser.open,
    retry: RetryPolicy = RetryPolicy(),
) -> Services:
    adapter_for(profile)  # an unknown adapter fails before any sign-in
    return Services(
        profile=profile,
        paths=paths,
        sso=OidcClient(profile, keyring_backend=keyring_backend, browser=browser),
        retry=retry,
    )


def connector(
    paths: AppPaths,
    *,
    keyring_backend: KeyringBackend | None = None,
    browser: Callable[[str], object] = webbrowser.open,
    retry: RetryPolicy = RetryPolicy(),
) -> Callable[[ServerProfile], Services]:
    """`connect` for an app that signs in more than once (the GUI: a silent sign-in at start,
    the browser, again after a sign-out): one SSO client per profile, so the provider's discovery
    document and keys, fetched once, serve every later sign-in to it."""
    clients: dict[ServerProfile, OidcClient] = {}
    lock = threading.Lock()

    def services(profile: ServerProfile) -> Services:
        adapter_for(profile)
        with lock:
            sso = clients.get(profile)
            if sso is None:
                sso = clients[profile] = OidcClient(profile, keyring_backend=keyring_backend, browser=browser)
        return Services(profile=profile, paths=paths, sso=sso, retry=retry)

    return services
