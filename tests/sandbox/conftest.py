"""Helpers for the sandbox tests: authenticated sessions per demo account."""

from __future__ import annotations

import pytest
import requests

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


@pytest.fixture(scope="session")
def session_tokens(sandbox):
    cache: dict[str, object] = {}

    def get(username: str):
        if username not in cache:
            cache[username] = sandbox_tokens(sandbox, username)
        return cache[username]

    return get


@pytest.fixture(scope="session")
def igate_as(sandbox, session_tokens):
    return lambda username: Api(sandbox.igate_url, session_tokens(username).access)


@pytest.fixture(scope="session")
def idesk_as(sandbox, session_tokens):
    return lambda username: Api(sandbox.idesk_url, session_tokens(username).access)
