"""Loads every page of a list in the background and appends each page to the model as it arrives."""

from __future__ import annotations

from typing import Callable

from app.domain import Page
from app.views.models import RowTableModel
from app.views.qt import QObject, Signal
from app.views.tasks import Operation, TaskRunner

PAGE_SIZE = 200
MAX_ROWS = 20_000


class PagedLoader(QObject):
    """`fetch(page_number, size) -> Page`; page numbers start at `first_page` (0 for iGate, 1 for iDesk)."""

    started = Signal()
    page_loaded = Signal(int, int)  # loaded rows, total
    finished = Signal(int)  # total
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        model: RowTableModel,
        fetch: Callable[[int, int], Page],
        *,
        first_page: int = 0,
        page_size: int = PAGE_SIZE,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._model = model
        self._fetch = fetch
        self._first = first_page
        self._size = page_size
        self._generation = 0
        self._op: Operation | None = None
        self.loading = False

    def reload(self) -> None:
        """Start again from the first page; results of an earlier run are dropped."""
        if self._op is not None:
            self._op.cancel()
        self._generation += 1
        self.loading = True
        self.started.emit()
        # The old rows stay until the first page replaces them: offline, the list is not emptied.
        self._load(self._first, self._generation)

    def stop(self) -> None:
        """Drop whatever is still on its way (the window is closing)."""
        if self._op is not None:
            self._op.cancel()
            self._op = None
        self._generation += 1
        self.loading = False

    def _load(self, number: int, generation: int, before: int = 0) -> None:
        """Page `number`, after `before` rows received in this run."""

        def done(page: Page) -> None:
            if generation != self._generation:
                return
            # The next page is asked for before this one goes into the list: the server answers
            # while the UI thread sorts and paints these rows.
            received = before + len(page.items)
            more = bool(page.items) and received < min(page.total, MAX_ROWS)
            if more:
                self._load(number + 1, generation, received)
            if number == self._first:
                self._model.set_rows(page.items)
            else:
                self._model.append_rows(page.items)
            self.page_loaded.emit(self._model.rowCount(), page.total)
            if not more:
                self.loading = False
                self._op = None
                self.finished.emit(page.total)

        def fail(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self._op = None
            self.failed.emit(exc)

        self._op = self._runner.run(
            lambda op: self._fetch(number, self._size),
            receiver=self,
            on_success=done,
            on_failure=fail,
            label="load-page",
        )
