"""Helpers for the sandbox tests: a sandbox of their own and authenticated sessions.

These tests create drafts, files and numbers freely, so they get their own sandbox instead of
the shared session one (whose seed data other areas' tests rely on).
"""

from __future__ import annotations

import pytest
import requests

from app.sandbox.server import Sandbox
from tests.fixtures.sandbox import sandbox_tokens


class Api:
    """A requests session bound to one base URL with a bearer token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, **kwargs):
        return self.session.get(self.url(path), timeout=30, **kwargs)

    def post(self, path: str, **kwargs):
        return self.session.post(self.url(path), timeout=30, **kwargs)

    def put(self, path: str, **kwargs):
        return self.session.put(self.url(path), timeout=30, **kwargs)


@pytest.fixture(scope="package")
def sandbox(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("sandbox-tests")).start()
    yield box
    box.stop()


@pytest.fixture(scope="package")
def session_tokens(sandbox):
    cache: dict[str, object] = {}

    def get(username: str):
        if username not in cache:
            cache[username] = sandbox_tokens(sandbox, username)
        return cache[username]

    return get


@pytest.fixture(scope="package")
def igate_as(sandbox, session_tokens):
    return lambda username: Api(sandbox.igate_url, session_tokens(username).access)


@pytest.fixture(scope="package")
def idesk_as(sandbox, session_tokens):
    return lambda username: Api(sandbox.idesk_url, session_tokens(username).access)
