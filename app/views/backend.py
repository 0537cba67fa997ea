"""What the windows work with once signed in: a thin view of `app.services.compose.Connected`.

`ServicesFactory(profile) -> Services` is the one seam between the views and the service
layer's assembly; the composition root passes `app.services.compose.connect` bound to the
paths, keyring and browser.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
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

log = logging.getLogger(__name__)

ServicesFactory = Callable[[ServerProfile], "Services"]


@dataclass
class Backend:
    """A signed-in session as the windows use it: the profile, the connected clients, and the
    officer as iGate knows them."""

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


def open_or_sign_out(profile: ServerProfile, connected: Connected) -> Backend:
    """`open_backend`; when it fails, the session is signed out here: an account iGate refuses
    must not be restored silently next time."""
    try:
        return open_backend(profile, connected)
    except BaseException:
        try:
            connected.sign_out()
        except Exception as exc:  # noqa: BLE001 (local sign-out only; the original error matters)
            log.info("sign-out after a refused account failed: %s", exc)
        raise


def restore_backend(services_factory: ServicesFactory, profile: ServerProfile) -> Backend | None:
    """The silent sign-in: the stored session, checked with iGate, or None when none is stored
    (or the provider refused it)."""
    connected = services_factory(profile).restore()
    return None if connected is None else open_or_sign_out(profile, connected)


@dataclass(frozen=True)
class EarlySignIn:
    """A silent sign-in started before the windows load. `lienthong gui` starts it before it
    imports Qt, so the provider's and iGate's answers arrive while the app loads rather than
    after; the sign-in window then takes `result` instead of asking again."""

    profile: ServerProfile
    result: Future[Backend | None]


def start_silent_sign_in(services_factory: ServicesFactory, profile: ServerProfile) -> EarlySignIn:
    """Runs `restore_backend` on a thread of its own. Its outcome, an error included, is kept
    in `result` for the sign-in window. Not a daemon thread: the interpreter ends a daemon
    thread wherever it is at exit, and in native code (the token checks) that aborts."""
    future: Future[Backend | None] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(restore_backend(services_factory, profile))
        except BaseException as exc:  # delivered with the result; logged in case none takes it
            log.info("silent sign-in before the windows: %r", exc)
            future.set_exception(exc)

    threading.Thread(target=run, name="early-sign-in", daemon=False).start()
    return EarlySignIn(profile, future)
