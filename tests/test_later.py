"""app.later: start-up work on a thread of its own, its result or its error handed to the caller."""

from __future__ import annotations

import threading

import pytest

from app.later import Later


def test_the_work_runs_on_its_own_thread_and_its_result_is_returned():
    release = threading.Event()

    def work() -> str:
        # The caller is still free: it is the one that releases the work.
        release.wait(timeout=30)
        return threading.current_thread().name

    later = Later(work, name="loader")
    release.set()
    assert later() == "loader"
    assert later() == "loader"


def test_what_the_work_raised_is_raised_to_the_caller():
    def work() -> None:
        raise ImportError("no module named 'requests'")

    later = Later(work, name="loader")
    with pytest.raises(ImportError, match="requests"):
        later()
