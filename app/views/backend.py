"""What the windows work with once signed in: a thin view of `app.services.compose.Connected`.

`ServicesFactory(profile) -> Services` is the one seam between the views and the service
layer's assembly; the composition root passes `app.services.compose.connect` bound to the
paths, keyring and browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from app.config import ServerProfile
from app.domain import UserInfo

if TYPE_CHECKING:
    from app.services.compose import Connected, Services
    from app.services.digo.idesk import IDeskClient
    from app.services.digo.igate import IGateClient
    from app.services.outbox import Outbox
    from app.services.sso import SsoSession
    from app.services.transfers import Transfers

ServicesFactory = Callable[[ServerProfile], "Services"]


@dataclass
class Backend:
    profile: ServerProfile
    connected: Connected
    igate_user: UserInfo | None = None

    @property
    def user(self) -> UserInfo:
        return self.connected.user

    @property
    def igate(self) -> IGateClient:
        return self.connected.igate

    @property
    def idesk(self) -> IDeskClient:
        return self.connected.idesk

    @property
    def transfers(self) -> Transfers:
        return self.connected.transfers

    @property
    def outbox(self) -> Outbox:
        return self.connected.outbox

    @property
    def session(self) -> SsoSession:
        return self.connected.session

    def logout(self) -> None:
        """Revoke the session at the provider and forget the stored refresh token."""
        self.connected.sign_out()


def open_backend(profile: ServerProfile, connected: Connected) -> Backend:
    """Check that iGate accepts this SSO account before any window shows an empty list.

    Runs on a worker thread; an unlinked account surfaces here as AccountNotLinkedError.
    """
    return Backend(profile=profile, connected=connected, igate_user=connected.igate.me())
