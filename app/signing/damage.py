"""The one error boundary around reading a PDF: whatever a damaged file makes a parser raise
becomes `CorruptPdfError`, never a traceback.

pyHanko, PyMuPDF, zlib and the standard library fail on damaged files with all kinds of
exceptions (PdfError, RuntimeError, zlib.error, RecursionError, OverflowError, AssertionError,
AttributeError, TypeError, OSError from a seek to a negative offset, ...). Only code that parses
document bytes sits inside the boundary, so what it catches is the document's fault.
"""

from __future__ import annotations

import contextlib
import zlib
from typing import Iterator

from app.errors import LienThongError
from app.signing.errors import CorruptPdfError


def _parse_errors() -> tuple[type[BaseException], ...]:
    from pyhanko.pdf_utils import misc

    errors: list[type[BaseException]] = [
        misc.PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError,
        RecursionError, OverflowError, ArithmeticError, RuntimeError, LookupError, StopIteration,
        NotImplementedError, MemoryError, zlib.error, OSError, EOFError,
    ]
    try:
        import pymupdf

        errors.append(pymupdf.mupdf.FzErrorBase)
    except (ImportError, AttributeError):
        pass
    return tuple(errors)


PARSE_ERRORS = _parse_errors()


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
    except PARSE_ERRORS as exc:
        raise CorruptPdfError(name, detail=describe(exc)) from exc
