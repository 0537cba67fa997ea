"""Run a callable off the UI thread and deliver its outcome on the UI thread.

Every background call in the GUI goes through `TaskRunner.run`, so no error is lost: a failure
goes to the caller's `on_failure`, or to the runner's default handler (the error dialog).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from app.views.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


@dataclass
class Operation:
    """Handed to the background callable: report progress, check for cancellation."""

    label: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)
    _progress: Callable[[int, int, str], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def cancel(self) -> None:
        self.cancel_event.set()

    def progress(self, done: int, total: int, label: str = "") -> None:
        if self._progress is not None:
            self._progress(done, total, label)


class _Relay(QObject):
    """Lives on the UI thread; signals emitted from the worker are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Operation], Any], op: Operation, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._op, self._relay = fn, op, relay

    def run(self) -> None:
        try:
            result = self._fn(self._op)
        except BaseException as exc:  # delivered to the UI thread, never swallowed
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs work on a thread pool; callbacks run on the thread that owns the runner (the UI)."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        on_error: Callable[[BaseException], None],
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._pool = pool or QThreadPool.globalInstance()
        self._live: set[_Relay] = set()

    @property
    def active(self) -> int:
        return len(self._live)

    def run(
        self,
        fn: Callable[[Operation], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        label: str = "",
    ) -> Operation:
        # No parent: the relay must outlive a runner destroyed while its event is queued.
        relay = _Relay()
        op = Operation(label=label, _progress=relay.progressed.emit)
        self._live.add(relay)
        if len(self._live) == 1:
            self.busy_changed.emit(True)

        def finish() -> None:
            self._live.discard(relay)
            relay.deleteLater()
            if not self._live:
                self.busy_changed.emit(False)

        def succeeded(result: Any) -> None:
            try:
                if on_success is not None:
                    on_success(result)
            finally:
                finish()

        def failed(exc: BaseException) -> None:
            try:
                log.debug("background task %r failed", label, exc_info=exc)
                (on_failure or self._on_error)(exc)
            finally:
                finish()

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        if on_progress is not None:
            relay.progressed.connect(on_progress)
        self._pool.start(_Job(fn, op, relay))
        return op

    def report(self, exc: BaseException) -> None:
        """Hand an error to the default handler (the error dialog), on the UI thread."""
        self._on_error(exc)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
