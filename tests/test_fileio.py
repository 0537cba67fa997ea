"""Same-file checks: the signed output must never land on the input."""

from __future__ import annotations

import os

from app import fileio
from app.fileio import same_file


def test_same_path_link_and_missing_output(tmp_path):
    src = tmp_path / "d.pdf"
    src.write_bytes(b"%PDF-1.7\n")
    os.link(src, tmp_path / "link.pdf")
    (tmp_path / "other.pdf").write_bytes(b"%PDF-1.7\n")
    assert same_file(src, tmp_path / "." / "d.pdf")
    assert same_file(src, tmp_path / "link.pdf")
    assert not same_file(src, tmp_path / "other.pdf")
    assert not same_file(src, tmp_path / "not-yet.pdf")


def test_file_systems_without_file_ids_compare_by_name(tmp_path, monkeypatch):
    """Some network shares report file id 0 for every file: identity would call any two files one."""
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    real_stat = os.stat

    def stat_without_ids(path, *args, **kwargs):
        st = real_stat(path, *args, **kwargs)
        return os.stat_result((st.st_mode, 0, st.st_dev, *tuple(st)[3:]))

    monkeypatch.setattr(fileio.os, "stat", stat_without_ids)
    assert not same_file(a, b)
    assert same_file(a, tmp_path / "." / "a.pdf")
