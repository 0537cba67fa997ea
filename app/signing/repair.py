"""A repaired copy of a damaged, unsigned PDF, for the officer who chooses to sign that instead.

MuPDF rebuilds what it can (the cross-reference table, stream lengths, the page tree) and writes
a complete new file. The original is never changed. A file that already carries signatures is
never repaired: rewriting it would break them, and their signers signed the damaged bytes.
"""

from __future__ import annotations

from app.signing.damage import reading
from app.signing.errors import CorruptPdfError
from app.text import Text

REPAIRED_NOTE = Text(
    "Tệp gốc bị hỏng nên đã ký một bản sửa lại (tệp gốc giữ nguyên); hãy xem lại bản đã ký trước khi gửi.",
    "The original was damaged, so a repaired copy was signed (the original is unchanged); review the "
    "signed copy before sending it.",
)


def carries_signatures(data: bytes) -> bool:
    """Any trace of a signature dictionary, read from the bytes: the damage may hide the form."""
    return b"/ByteRange" in data or b"/DocMDP" in data


def repaired_copy(data: bytes, name: str) -> bytes:
    """The document rewritten whole by MuPDF; CorruptPdfError when it cannot or must not be."""
    import pymupdf

    if carries_signatures(data):
        raise CorruptPdfError(name, detail="the file carries signatures, so it is not repaired")
    with reading(name):
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            if doc.needs_pass or doc.is_encrypted:
                raise CorruptPdfError(name, detail="an encrypted file is not repaired")
            if doc.page_count == 0:
                raise CorruptPdfError(name, detail="no page could be recovered")
            for page in doc:
                _ = page.rect  # every page must load, or the copy would silently lose it
            return bytes(doc.tobytes(garbage=1))
