"""Progress of a multi-step transfer as one bar: bytes moved plus a few fixed-size steps."""

from __future__ import annotations

from typing import Callable

from app.text import Text

Report = Callable[[int, int, Text], None]


class Meter:
    """Calls `report(done, total, label)`; `done` never goes backwards and ends at `total`."""

    def __init__(self, report: Report | None, total_bytes: int, *, fixed_steps: int = 0) -> None:
        self._report = report
        # A fixed step weighs like 5% of the bytes, at least 1, so the bar moves on every step.
        self._step = max(1, total_bytes // 20)
        self.total = max(1, total_bytes + self._step * fixed_steps)
        self._done = 0

    def _emit(self, done: int, label: Text) -> None:
        self._done = min(max(self._done, done), self.total)
        if self._report is not None:
            self._report(self._done, self.total, label)

    def chunk(self, weight: int, label: Text) -> Callable[[int, int], None]:
        """A (sent, of) callback for one file; it accounts exactly `weight` units when complete."""
        base = self._done
        self._emit(base, label)

        def on_chunk(sent: int, of: int) -> None:
            part = weight if of <= 0 else min(weight, weight * sent // of)
            self._emit(base + part, label)

        return on_chunk

    def skip(self, weight: int) -> None:
        self._done = min(self._done + weight, self.total)

    def fixed(self, label: Text) -> None:
        self._emit(self._done + self._step, label)

    def done(self, label: Text) -> None:
        self._emit(self.total, label)
