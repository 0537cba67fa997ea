"""What the windows work with once signed in: a thin view of `app.services.compose.Connected`.

`ServicesFactory(profile) -> Services` is the one seam between the views and the service
layer's assembly; the composition root passes `app.services.compose.connect` bound to the
paths, keyring and browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from app.config import ServerProfile
from app.domain import UserInfo

ServicesFactory = Callable[[ServerProfile], Any]  # -> app.services.compose.Services


@dataclass
class Backend:
    profile: ServerProfile
    connected: Any  # app.services.compose.Connected
    igate_user: UserInfo | None = None

    @property
    def user(self) -> UserInfo:
        return self.connected.user

    @property
    def igate(self):
        return self.connected.igate

    @property
    def idesk(self):
        return self.connected.idesk

    @property
    def transfers(self):
        return self.connected.transfers

    @property
    def outbox(self):
        return getattr(self.connected, "outbox", None)

    @property
    def session(self):
        return self.connected.session

    def logout(self) -> None:
        """Revoke the session at the provider and forget the stored refresh token."""
        self.connected.sign_out()


def open_backend(profile: ServerProfile, connected) -> Backend:
    """Check that iGate accepts this SSO account before any window shows an empty list.

    Runs on a worker thread; an unlinked account surfaces here as AccountNotLinkedError.
    """
    return Backend(profile=profile, connected=connected, igate_user=connected.igate.me())
