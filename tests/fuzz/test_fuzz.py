"""The fuzz suite: damaged PDFs of every kind through `lienthong sign`, `lienthong verify --json`
and the preview's render path. No traceback, no crash, no hang, no changed input, nothing left
beside the output, every written output valid for pyHanko and pdfsig, sound files signed.

CI runs a few cases of each kind; `LIENTHONG_FUZZ_CASES=1200` (and `LIENTHONG_FUZZ_SEED`) runs more,
as does `python -m tests.fuzz.driver -n 1200`.
"""

from __future__ import annotations

import os

import pytest

from app.sandbox.demo_pki import P12_PASSPHRASE
from tests.fuzz import driver
from tests.fuzz.gen import KINDS, cases

CASES = int(os.environ.get("LIENTHONG_FUZZ_CASES", str(len(KINDS) * 8)))
SEED = int(os.environ.get("LIENTHONG_FUZZ_SEED", "15"))


def test_generator_is_deterministic_and_covers_every_kind():
    first, again = cases(len(KINDS) * 2, SEED), cases(len(KINDS) * 2, SEED)
    assert {c.kind for c in first} == set(KINDS)
    # PyMuPDF draws a random file key for the encrypted kind; everything else is byte-identical.
    assert [c.data for c in first if c.kind != "empty_user_password"] == \
        [c.data for c in again if c.kind != "empty_user_password"]
    assert max(len(c.data) for c in first) < 200_000


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_damaged_pdfs_never_crash_hang_or_leave_anything(demo_pki, tmp_path):
    names = driver.write_cases(tmp_path, CASES, SEED)
    found = driver.run(tmp_path, names, demo_pki.user("leader").p12_path, P12_PASSPHRASE,
                       bound=120.0, jobs=min(2, os.cpu_count() or 1))
    assert len(found) == len(names)
    failures = [f"{name}: {problem}" for name, problems in sorted(found.items()) for problem in problems]
    assert not failures, f"{driver.summarize(found)}\n" + "\n".join(failures)
