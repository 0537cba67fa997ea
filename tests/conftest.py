"""Shared fixtures. Each area keeps its fixtures in a plugin module under tests/fixtures/."""

from __future__ import annotations

import logging
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.fixtures.common",
    "tests.fixtures.sandbox",
    "tests.fixtures.pki",
    "tests.fixtures.token",
    "tests.fixtures.gui",
    "tests.fixtures.sample_pdfs",
]


class _WarningTrap(logging.Handler):
    """Collects the app's own log records of WARNING and above while a test runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "app" or record.name.startswith("app."):
            self.records.append(record)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A warning the app logs fails the test, unless the test expects it (`caplog` or the
    `log_warnings` marker): a warning nobody reads is a failure nobody sees."""
    trap = _WarningTrap()
    root = logging.getLogger()
    root.addHandler(trap)
    try:
        result = yield
    finally:
        root.removeHandler(trap)
    expected = item.get_closest_marker("log_warnings") or "caplog" in getattr(item, "fixturenames", ())
    if trap.records and not expected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in trap.records)
        pytest.fail(f"unexpected log warnings:\n{lines}", pytrace=False)
    return result
