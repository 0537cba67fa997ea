"""The one error boundary around reading a PDF: whatever a damaged file makes a parser raise
becomes `CorruptPdfError`, never a traceback.

pyHanko, PyMuPDF, zlib and the standard library fail on damaged files with all kinds of
exceptions (PdfError, RuntimeError, zlib.error, RecursionError, OverflowError, AssertionError,
AttributeError, TypeError, OSError from a seek to a negative offset, ...). Only code that parses
document bytes sits inside the boundary, so what it catches is the document's fault.
"""

from __future__ import annotations

import contextlib
import sys
import zlib
from typing import TYPE_CHECKING, Iterator

from app.errors import LienThongError
from app.signing.errors import CorruptPdfError

if TYPE_CHECKING:
    from pyhanko.pdf_utils.decode_limits import DecodeLimits

MiB = 1 << 20


def _parse_errors() -> tuple[type[BaseException], ...]:
    from pyhanko.pdf_utils import misc

    return (
        misc.PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError,
        RecursionError, OverflowError, ArithmeticError, RuntimeError, LookupError, StopIteration,
        NotImplementedError, MemoryError, zlib.error, OSError, EOFError,
    )


# What pyHanko, zlib and the standard library raise on a damaged file.
PARSE_ERRORS = _parse_errors()


def parse_errors() -> tuple[type[BaseException], ...]:
    """PARSE_ERRORS plus PyMuPDF's errors once PyMuPDF is loaded (it is slow to import, and
    nothing can raise its errors before it is)."""
    mupdf = sys.modules.get("pymupdf.mupdf")
    base = getattr(mupdf, "FzErrorBase", None)
    return PARSE_ERRORS + (base,) if isinstance(base, type) else PARSE_ERRORS


def decode_limits() -> DecodeLimits:
    """How much pyHanko may inflate from one document: a flate bomb is refused by its size (and its
    ratio), not only cut by a time bound. Set here, not left to pyHanko's defaults, so an upgrade
    cannot loosen them. The refusal (PdfDecodeLimitError) is a PdfError: `reading` reports it."""
    from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits

    return DecodeLimits(
        # Deflate alone stays under 1032:1; more means stacked filters. A scanned page's image
        # can legitimately be ~100 MiB decoded.
        per_stream=StreamDecodeLimits(max_ratio=1100, ratio_floor=MiB, max_output_size=160 * MiB),
        document_budget=DocumentDecodeBudget(base_allowance=256 * MiB, max_ratio=100),
    )


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


@contextlib.contextmanager
def reading(name: str) -> Iterator[None]:
    """Parse inside this block; a damaged document surfaces as `CorruptPdfError(name)`."""
    try:
        yield
    except LienThongError:
        raise
    except Exception as exc:  # noqa: BLE001 - only the parse errors become CorruptPdfError
        if not isinstance(exc, parse_errors()):
            raise
        raise CorruptPdfError(name, detail=describe(exc)) from exc
