"""Run a callable off the UI thread and deliver its outcome on the UI thread.

Every background call in the GUI goes through `TaskRunner.run`, so no error is lost: a failure
goes to the caller's `on_failure`, or to the runner's default handler (the error dialog).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from app.text import Text
from app.views.i18n import render
from app.views.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Operation:
    """Handed to the background callable: report progress, check for cancellation."""

    label: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)
    _progress: Callable[[int, int, Text | str], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def cancel(self) -> None:
        self.cancel_event.set()

    def progress(self, done: int, total: int, label: Text | str = "") -> None:
        """`label` is the core's `Text` (shown in the interface language) or a plain name."""
        if self._progress is not None:
            self._progress(done, total, label)


class _Relay(QObject):
    """Lives on the UI thread with no parent; the worker's signals are queued to it. It outlives
    the worker's emits and is deleted on the UI thread once its outcome is delivered."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Operation], Any], op: Operation, relay: _Relay, gone: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._op, self._relay, self._gone = fn, op, relay, gone

    def run(self) -> None:
        try:
            result = self._fn(self._op)
        except BaseException as exc:  # delivered to the UI thread, never swallowed
            if self._gone.is_set():
                log.warning("background task %r failed after its window closed", self._op.label, exc_info=exc)
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


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
        # The receiver's lifetime is watched by a small guard object parented to it; Qt objects
        # touched by the worker (the relay) never depend on the receiver.
        gone = threading.Event()
        guard = QObject(receiver)
        guard.destroyed.connect(lambda *_: gone.set())
        relay = _Relay()
        op = Operation(label=label, _progress=relay.progressed.emit)
        self._live.add(relay)
        if len(self._live) == 1:
            self.busy_changed.emit(True)

        def finish() -> None:
            self._live.discard(relay)
            relay.deleteLater()
            if not gone.is_set():
                guard.deleteLater()
            if not self._live:
                self.busy_changed.emit(False)

        def succeeded(result: T) -> None:
            try:
                if on_success is not None and not gone.is_set():
                    on_success(result)
            finally:
                finish()

        def failed(exc: BaseException) -> None:
            try:
                log.debug("background task %r failed", label, exc_info=exc)
                if not gone.is_set():
                    (on_failure or self._on_error)(exc)
            finally:
                finish()

        def progressed(done: int, total: int, text: Text | str) -> None:
            if on_progress is not None and not gone.is_set():
                on_progress(done, total, render(text))

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        relay.progressed.connect(progressed)
        self._pool.start(_Job(fn, op, relay, gone))
        return op

    def report(self, exc: BaseException) -> None:
        """Hand an error to the default handler (the error dialog), on the UI thread."""
        self._on_error(exc)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
