"""Signing in off the UI thread: silent (stored refresh token) or through the system browser."""

from __future__ import annotations

import logging

from app.config import ServerProfile
from app.errors import CancelledError
from app.views.backend import Backend, ServicesFactory, open_backend
from app.views.qt import QObject, Signal
from app.views.tasks import Operation, TaskRunner

log = logging.getLogger(__name__)


class SignInController(QObject):
    """Emits `signed_in(Backend)`, `failed(exc)` or `idle()` (silent sign-in found nothing)."""

    signed_in = Signal(object)
    failed = Signal(object)
    idle = Signal()
    waiting_for_browser = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        services_factory: ServicesFactory,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._services_factory = services_factory
        self._op: Operation | None = None

    @property
    def busy(self) -> bool:
        return self._op is not None

    def restore(self, profile: ServerProfile) -> Operation:
        """Silent sign-in; `idle` when there is no valid stored token."""

        def work(op: Operation) -> Backend | None:
            connected = self._services_factory(profile).restore()
            return None if connected is None else self._open(profile, connected)

        return self._start(work)

    def login(self, profile: ServerProfile, timeout: float = 300) -> Operation:
        def work(op: Operation) -> Backend:
            services = self._services_factory(profile)
            connected = services.login(timeout=timeout, cancel=op.cancel_event, on_url=self._on_url)
            return self._open(profile, connected)

        return self._start(work)

    def cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()

    def _on_url(self, url: str) -> None:
        self.waiting_for_browser.emit(url)  # queued to the UI thread

    def _open(self, profile: ServerProfile, connected) -> Backend:
        try:
            return open_backend(profile, connected)
        except BaseException:
            # An account iGate refuses must not be restored silently next time.
            try:
                connected.sign_out()
            except Exception as exc:  # noqa: BLE001 (local sign-out only; the original error matters)
                log.info("sign-out after a refused account failed: %s", exc)
            raise

    def _start(self, work) -> Operation:
        self.cancel()
        op: Operation | None = None

        def done(result) -> None:
            if self._op is op:
                self._op = None
            if op is not None and op.cancelled:
                # Finished after "Hủy": the officer asked for nothing more to happen.
                self.failed.emit(CancelledError("sign-in finished after it was cancelled"))
                return
            if result is None:
                self.idle.emit()
            else:
                self.signed_in.emit(result)

        def fail(exc: BaseException) -> None:
            if self._op is op:
                self._op = None
            self.failed.emit(exc)

        op = self._runner.run(work, receiver=self, on_success=done, on_failure=fail, label="sign-in")
        self._op = op
        return op
