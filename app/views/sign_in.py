"""Signing in off the UI thread: silent (stored refresh token) or through the system browser."""

from __future__ import annotations

from concurrent.futures import Future

from app.config import ServerProfile
from app.errors import CancelledError
from app.views.backend import Backend, ServicesFactory, open_or_sign_out, restore_backend
from app.views.qt import QObject, Signal
from app.views.tasks import Operation, TaskRunner


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

    def restore(self, profile: ServerProfile, started: Future[Backend | None] | None = None) -> Operation:
        """Silent sign-in; `idle` when there is no valid stored token. `started`: the outcome of
        one already under way for `profile` (`backend.start_silent_sign_in`), taken as is."""

        def work(op: Operation) -> Backend | None:
            if started is not None:
                return started.result()
            return restore_backend(self._services_factory, profile)

        return self._start(work)

    def login(self, profile: ServerProfile, timeout: float = 300) -> Operation:
        def work(op: Operation) -> Backend:
            services = self._services_factory(profile)
            connected = services.login(timeout=timeout, cancel=op.cancel_event, on_url=self._on_url)
            return open_or_sign_out(profile, connected)

        return self._start(work)

    def cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()

    def _on_url(self, url: str) -> None:
        self.waiting_for_browser.emit(url)  # queued to the UI thread

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
