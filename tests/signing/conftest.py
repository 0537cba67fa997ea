"""Fixtures the signing tests share: the demo leader's signer and a draft to sign."""

from __future__ import annotations

import pytest

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
