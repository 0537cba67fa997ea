"""Independent checks on signed outputs: pyHanko validation, poppler's pdfsig and qpdf --check."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def qpdf_ok(path: Path, password: str | None = None) -> None:
    args = ["qpdf"] + ([f"--password={password}"] if password else []) + ["--check", str(path)]
    res = subprocess.run(args, capture_output=True, text=True, timeout=60)
    # Exit 0 = clean, 3 = warnings only; anything else is a damaged file.
    assert res.returncode in (0, 3), res.stdout + res.stderr
    assert "No syntax or stream encoding errors found" in res.stdout, res.stdout


def pdfsig_valid_count(path: Path, password: str | None = None) -> int:
    args = ["pdfsig"] + (["-upw", password] if password else []) + [str(path)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60).stdout
    assert "not signed" not in out, out
    return out.count("Signature Validation: Signature is Valid.")


def hanko_statuses(path: Path, vc=None, password: str | None = None):
    reader = PdfFileReader(BytesIO(Path(path).read_bytes()), strict=False)
    if password is not None:
        reader.decrypt(password)
    # Without a context of the test's own, none: pyHanko's default trusts the machine's store.
    context = vc if vc is not None else ValidationContext(trust_roots=[])
    out = []
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, signer_validation_context=context, skip_diff=False)
        out.append((sig.field_name, status))
    return out


def assert_all_valid(path: Path, expected: int, vc=None, password: str | None = None,
                     worst: ModificationLevel = ModificationLevel.FORM_FILLING):
    """Every signature intact and valid, nothing worse than `worst` after it; pdfsig and qpdf agree."""
    statuses = hanko_statuses(path, vc, password)
    assert len(statuses) == expected
    for name, st in statuses:
        assert st.intact and st.valid, (name, st.summary())
        assert st.modification_level is not None and st.modification_level <= worst, (name, st.modification_level)
        if vc is not None:
            assert st.trusted, (name, st.summary())
    assert pdfsig_valid_count(path, password) == expected
    qpdf_ok(path, password)
    return statuses
