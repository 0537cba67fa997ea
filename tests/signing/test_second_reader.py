"""The second reader (qpdf) is started the cheap way: a batch starts it for every document."""

from __future__ import annotations

import os
import shutil

import pytest

from app.signing.original import read_original
from app.signing.selfcheck import SecondReader
from tests.signing.pdfs import admin_pdf


@pytest.mark.skipif(os.name != "posix" or not shutil.which("qpdf"), reason="posix_spawn and qpdf")
def test_qpdf_is_spawned_not_forked(tmp_path, monkeypatch):
    """Python's descriptors are not inheritable, so none need closing in the child: qpdf starts
    through posix_spawn (about 0.5 ms) rather than a fork that closes every descriptor (several
    ms, on the signing thread). It still reads the file and gives its verdict."""
    spawned = []
    real = os.posix_spawn
    monkeypatch.setattr(os, "posix_spawn", lambda *a, **k: spawned.append(a[0]) or real(*a, **k))
    src = admin_pdf(tmp_path / "a.pdf")
    with open(src, "rb") as out:
        reader = SecondReader(read_original(src), None)
        try:
            reader.start(out)
            reader.finish(out)
        finally:
            reader.close()
    assert spawned and os.path.basename(spawned[0]) == "qpdf"
