"""Run a callable off the UI thread and deliver its outcome on the UI thread.

Every background call in the GUI goes through `TaskRunner.run`, so no error is lost: a failure
goes to the caller's `on_failure`, or to the runner's default handler (the error dialog).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from app.views.qt import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


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


class _Emitter(QObject):
    """Emitted from the worker; owned by the job, so it outlives any widget."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Relay(QObject):
    """Parented to the receiver, on the UI thread: when the receiver is destroyed, Qt destroys the
    relay and discards the deliveries still queued to it, so no callback reaches a deleted widget."""

    def __init__(
        self,
        receiver: QObject,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        super().__init__(receiver)
        self._on_success, self._on_failure, self._on_progress = on_success, on_failure, on_progress
        self.gone = threading.Event()

    @Slot(object)
    def deliver_success(self, result: object) -> None:
        self._on_success(result)

    @Slot(object)
    def deliver_failure(self, exc: BaseException) -> None:
        self._on_failure(exc)

    @Slot(int, int, str)
    def deliver_progress(self, done: int, total: int, label: str) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total, label)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Operation], Any], op: Operation, emitter: _Emitter, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._op, self._emitter, self._gone = fn, op, emitter, relay.gone

    def run(self) -> None:
        try:
            result = self._fn(self._op)
        except BaseException as exc:  # delivered to the UI thread, never swallowed
            if self._gone.is_set():
                log.warning("background task %r failed after its window closed", self._op.label, exc_info=exc)
            self._emitter.failed.emit(exc)
        else:
            self._emitter.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs work on a thread pool; callbacks run on the UI thread, bound to a receiver widget.

    `run(fn, receiver=widget, on_success=…)` delivers `fn`'s result (typed: the callback takes
    what `fn` returns) or its exception while `widget` lives; once it is destroyed, the outcome
    is dropped (a failure is still logged).
    """

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
        fn: Callable[[Operation], T],
        *,
        receiver: QObject,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        label: str = "",
    ) -> Operation:
        def succeeded(result: T) -> None:
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

        relay = _Relay(receiver, succeeded, failed, on_progress)
        emitter = _Emitter()
        op = Operation(label=label, _progress=emitter.progressed.emit)
        emitter.succeeded.connect(relay.deliver_success)
        emitter.failed.connect(relay.deliver_failure)
        emitter.progressed.connect(relay.deliver_progress)

        def forget() -> None:
            self._live.discard(relay)
            if not self._live:
                self.busy_changed.emit(False)

        def finish() -> None:
            if relay in self._live:
                forget()
                relay.deleteLater()

        def receiver_gone() -> None:
            # Called while Qt destroys the relay: only Python state may be touched here.
            relay.gone.set()
            if relay in self._live:
                forget()

        relay.destroyed.connect(receiver_gone)
        self._live.add(relay)
        if len(self._live) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, op, emitter, relay))
        return op

    def report(self, exc: BaseException) -> None:
        """Hand an error to the default handler (the error dialog), on the UI thread."""
        self._on_error(exc)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
