"""The one exit-code table of every `lienthong` command, and which failures map to which.

Scripts around the CLI (batch jobs, the outbox) branch on these, so they are stable:
0 ok, 1 unexpected failure (a bug), 2 bad input, 3 token problem, 4 invalid signature,
5 service or TSA unreachable or refusing, 6 sign-in needed, 130 cancelled.
The core's errors carry no exit code: the mapping is the CLI's and lives here only.
"""

from __future__ import annotations

import sys

from app.errors import AuthError, BadInputError, CancelledError, ConfigError, LienThongError, ServiceError

OK = 0
FAILURE = 1
BAD_INPUT = 2
TOKEN = 3
INVALID_SIGNATURE = 4
SERVICE = 5
SIGN_IN = 6
CANCELLED = 130


def _engine_codes() -> list[tuple[type, int]]:
    """Signing and token families, imported lazily so `--help` stays fast."""
    from app.signing import errors as se
    from app.signing import token_errors as te

    return [
        (te.PinCancelledError, CANCELLED),
        (te.TokenError, TOKEN),
        (se.TsaError, SERVICE),
        (se.SignerError, TOKEN),
        (se.OutputWriteError, BAD_INPUT),
        (se.SignatureCheckError, INVALID_SIGNATURE),
        # A refusal because of what the input already carries, not a failure of ours.
        (se.WouldInvalidateSignatureError, BAD_INPUT),
    ]


def exit_code_for(exc: BaseException) -> int:
    if isinstance(exc, KeyboardInterrupt):
        return CANCELLED
    if not isinstance(exc, LienThongError):
        return FAILURE
    # Most specific first: engine subclasses before the generic families below.
    for cls, code in _engine_codes():
        if isinstance(exc, cls):
            return code
    for cls, code in ((CancelledError, CANCELLED), (BadInputError, BAD_INPUT), (ConfigError, BAD_INPUT),
                      (AuthError, SIGN_IN), (ServiceError, SERVICE)):
        if isinstance(exc, cls):
            return code
    return FAILURE


def report_error(exc: LienThongError, lang: str) -> int:
    """Print an expected failure in the user's language; return its exit code."""
    print(exc.message(lang), file=sys.stderr)
    if exc.detail:
        print(f"  ({exc.detail})", file=sys.stderr)
    return exit_code_for(exc)


def quiet_pyhanko_logs() -> None:
    """pyHanko logs expected validation failures with tracebacks; the report already says it."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator", "pyhanko.sign", "fontTools"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
