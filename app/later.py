"""A result computed on a thread of its own while the caller goes on (start-up work that can run
beside loading Qt); calling it waits and returns the result, or raises what the work raised."""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Later(Generic[T]):
    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._work = work
        self._result: list[T] = []
        self._error: BaseException | None = None
        # Daemon: a start that fails elsewhere must not keep the process alive on its way out.
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result.append(self._work())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
            self._error = exc

    def __call__(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result[0]
