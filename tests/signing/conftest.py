"""Fixtures the signing tests share: the demo leader's signer and a draft to sign."""

from __future__ import annotations

import pytest

from app.sandbox.csc_state import CscPolicy
from app.sandbox.server import Sandbox
from app.sandbox.tokens_helper import login_with_password
from tests.fixtures.pki import simple_signer
from tests.signing.pdfs import admin_pdf


@pytest.fixture(scope="module")
def leader(demo_pki):
    """The demo PKI's leader as an in-memory signer (one per test module)."""
    return simple_signer(demo_pki, "leader")


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """A one-page administrative draft (Decree 30 layout) in a folder of the module's own."""
    return admin_pdf(tmp_path_factory.mktemp("draft") / "draft.pdf")


@pytest.fixture(scope="module")
def box(tmp_path_factory, request):
    """A training sandbox with its remote-signing service, one per test module."""
    sandbox = Sandbox(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]), pki=True).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def policy(box):
    """The remote-signing service's policy, reset for each test."""
    box.csc.policy = CscPolicy()
    return box.csc.policy


@pytest.fixture(scope="module")
def session(box):
    """An SSO session of the leader (tuanlv) on `box`, as the remote signer asks for its token."""
    class Session:
        token = login_with_password(box.issuer, "tuanlv").access

        def access_token(self):
            return self.token

        def force_refresh(self, stale=None):
            return self.token

    return Session()
