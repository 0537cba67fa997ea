"""Shared fixtures. Each area keeps its fixtures in a plugin module under tests/fixtures/."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.fixtures.common",
    "tests.fixtures.sandbox",
    "tests.fixtures.pki",
    "tests.fixtures.token",
    "tests.fixtures.gui",
    "tests.fixtures.sample_pdfs",
]
