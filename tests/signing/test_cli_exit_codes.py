"""The exit-code table: each failure family of the engine and the token layer lands on its code."""

from __future__ import annotations

import pytest

from app.cli import exit_codes
from app.errors import (
    CancelledError,
    ConfigError,
    LienThongError,
    NotSignedInError,
    ServiceUnavailableError,
    SessionExpiredError,
)
from app.signing import errors as se
from app.signing import token_errors as te


@pytest.mark.parametrize("error, code", [
    (se.NotAPdfError("a.pdf"), 2),
    (se.CorruptPdfError("a.pdf"), 2),
    (se.WrongPdfPasswordError("a.pdf"), 2),
    (se.PlacementOutOfPageError(3), 2),
    (se.OutputWriteError("o.pdf"), 2),
    (ConfigError("cấu hình", "config"), 2),
    (te.PinIncorrectError(2), 3),
    (te.PinLockedError(), 3),
    (te.TokenNotFoundError("X"), 3),
    (te.TokenRemovedError(), 3),
    (te.ModuleLoadError("x.dll"), 3),
    (se.SignerError(), 3),
    (se.SignatureCheckError(), 4),
    (se.TsaError("http://tsa.ca.gov.vn"), 5),
    (ServiceUnavailableError("iGate"), 5),
    (te.PinCancelledError(), 130),
    (CancelledError(), 130),
    (NotSignedInError(), 6),
    (SessionExpiredError(), 6),
    (LienThongError("khác", "other"), 1),
    (RuntimeError("bug"), 1),
    (KeyboardInterrupt(), 130),
])
def test_exit_code_for(error, code):
    assert exit_codes.exit_code_for(error) == code
