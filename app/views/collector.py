"""Python's full garbage collections, moved to the UI thread and to moments without input.

Left alone, CPython runs a full collection on whichever thread happens to allocate when its counts
say so. With 10,000 dossiers loaded a full collection walks some 150,000 objects for 100-150 ms,
and while lists load that is usually on a list-loading thread, holding the interpreter lock: the
window froze for that long while the officer was already using it. Collecting on a worker thread
can also drop the last reference to a Qt object's wrapper away from the thread that owns it.

`UiCollector` leaves the young generations to CPython (those collections take a few
milliseconds) and takes the full ones over: they run from a timer on the UI thread, once the
officer has left the keyboard and mouse alone for `quiet_s`, when CPython would have run one:
ten young collections since the last full one, and a quarter more objects in the oldest
generation than after it. Counting the oldest generation walks it, so the count waits for that
pause too. Once the young collections have been counted for `longest_wait_s`, both run anyway.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Callable

from app.views.qt import QCoreApplication, QObject, QTimer

if TYPE_CHECKING:
    from app.views.qt import QEvent

# What counts as the officer at work: a collection then would be felt. By name, looked up by
# `start()`: QEvent and its enum of 179 event types need not be built before the window shows.
INPUT_EVENTS = (
    "KeyPress", "KeyRelease", "MouseButtonPress", "MouseButtonRelease", "MouseButtonDblClick", "MouseMove",
    "Wheel", "TouchBegin", "TouchUpdate", "TouchEnd",
)
# CPython's own rule for a full collection (Modules/gcmodule.c): the objects added to the oldest
# generation since the last one exceed this share of those that were there after it.
GROWTH_SHARE = 0.25
# Threshold for the oldest generation while the collector runs: never reached.
NEVER = 2**31 - 1


class UiCollector(QObject):
    """Full collections on the UI thread while the officer is not typing or pointing.

    `start()` after the first window shows; `stop()` gives collection back to CPython as it was.
    Objects allocated before `start()` join the oldest generation without being walked."""

    def __init__(
        self,
        app: QCoreApplication,
        *,
        tick_ms: int = 500,
        quiet_s: float = 1.5,
        longest_wait_s: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._quiet_s = quiet_s
        self._longest_wait_s = longest_wait_s
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._saved: tuple[tuple[int, int, int], bool] | None = None
        self._last_input = 0.0
        self._young_since: float | None = None  # since when CPython's young-collection count is met
        self._oldest_after_full = 0
        self._full_after = 10
        self._counted_at = 0
        self._input_events: frozenset[QEvent.Type] = frozenset()
        self.full_collections = 0

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        from app.views.qt import QEvent

        if self._saved is not None:
            return
        threshold = gc.get_threshold()
        self._saved = ((threshold[0], threshold[1], threshold[2]), gc.isenabled())
        # Everything allocated so far joins the oldest generation without a walk: the start's
        # modules and windows live as long as the app, and its garbage waits for a quiet moment.
        gc.freeze()
        gc.unfreeze()
        self._oldest_after_full = len(gc.get_objects(generation=2))
        self._full_after = threshold[2]
        gc.set_threshold(threshold[0], threshold[1], NEVER)
        gc.enable()
        self._input_events = frozenset(QEvent.Type[name] for name in INPUT_EVENTS)
        self._last_input = self._clock()
        self._app.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        if self._saved is None:
            return
        self._timer.stop()
        self._app.removeEventFilter(self)
        threshold, enabled = self._saved
        self._saved = None
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()
        else:
            gc.disable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in self._input_events:
            self._last_input = self._clock()
        return False

    def tick(self) -> bool:
        """Runs a full collection if one is due and the officer is not at work; True if it ran."""
        young = gc.get_count()[2]
        if self._saved is None or young <= self._full_after:
            return False
        now = self._clock()
        if self._young_since is None:
            self._young_since = now
        # Counting the oldest generation walks it, 8-17 ms with 10,000 dossiers loaded: like the
        # collection it may lead to, it waits for the officer's pause.
        if now - self._last_input < self._quiet_s and now - self._young_since < self._longest_wait_s:
            return False
        if young == self._counted_at:  # nothing has joined the oldest generation since
            return False
        self._counted_at = young
        oldest = len(gc.get_objects(generation=2))
        if oldest - self._oldest_after_full <= GROWTH_SHARE * self._oldest_after_full:
            return False
        gc.collect()
        self._young_since = None
        self._counted_at = 0
        self._oldest_after_full = len(gc.get_objects(generation=2))
        self.full_collections += 1
        return True

