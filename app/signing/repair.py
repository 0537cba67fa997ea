"""A repaired copy of a damaged, unsigned PDF, for the officer who chooses to sign that instead.

MuPDF rebuilds what it can (the cross-reference table, stream lengths, the page tree) and writes
a complete new file. The original is never changed. A file that already carries signatures is
never repaired: rewriting it would break them, and their signers signed the damaged bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from app.fileio import atomic_write_bytes
from app.mupdf import MUPDF
from app.signing.damage import reading
from app.signing.errors import CorruptPdfError
from app.text import Text

REPAIRED_NOTE = Text(
    "Tệp gốc bị hỏng nên đã ký một bản sửa lại (tệp gốc giữ nguyên); hãy xem lại bản đã ký trước khi gửi.",
    "The original was damaged, so a repaired copy was signed (the original is unchanged); review the "
    "signed copy before sending it.",
)

REPAIR_OFFER = Text(
    "Tệp chưa có chữ ký số nào, nên có thể ký một bản sửa lại: phần mềm dựng lại tệp từ những gì đọc "
    "được và hiện bản đó để bạn xem trước khi ký; tệp gốc giữ nguyên.",
    "The file carries no signature yet, so a repaired copy can be signed: the app rebuilds the file from "
    "what it can read and shows that copy for you to review before signing; the original is kept.",
)
REPAIR_READY = Text(
    "Đang hiện bản sửa lại của tệp gốc bị hỏng (tệp gốc giữ nguyên). Hãy xem lại từng trang; "
    "\"Áp dụng\" sẽ ký đúng bản đang hiện này.",
    "Showing the repaired copy of the damaged original (the original is kept). Review every page; "
    "\"Áp dụng\" signs exactly the copy shown.",
)
REPAIR_REFUSED = Text(
    "Tệp đã có chữ ký số nên không thể ký trên bản sửa lại: sửa tệp sẽ làm mất hiệu lực các chữ ký đó. "
    "Hãy xin người gửi một bản mới.",
    "The file already carries signatures, so a repaired copy cannot be signed: repairing it would "
    "invalidate them. Ask the sender for a new copy.",
)
# Added to the version note iDesk keeps with the upload.
REPAIRED_VERSION_NOTE = "ký trên bản sửa lại của tệp gốc bị hỏng"


def repair_choice(path: Path) -> Literal["offer", "refuse"]:
    """After a damaged input was refused: may the officer sign a repaired copy of it?"""
    with open(path, "rb") as fh:
        return "refuse" if carries_signatures(fh.read()) else "offer"


def was_repaired(warnings: tuple[Text, ...]) -> bool:
    """Whether a signing result's warnings say a repaired copy was signed."""
    return REPAIRED_NOTE in warnings


def version_note(note: str, warnings: tuple[Text, ...]) -> str:
    """The upload's version note, saying so when a repaired copy was signed."""
    if not was_repaired(warnings):
        return note
    return f"{note} ({REPAIRED_VERSION_NOTE})" if note else REPAIRED_VERSION_NOTE


def write_repaired_copy(original: Path, folder: Path) -> tuple[Path, str]:
    """The repaired copy of `original`, written whole into `folder` under the same name, and its
    SHA-256 (what the preview shows and the signing checks)."""
    name = Path(original).name
    data = repaired_copy(Path(original).read_bytes(), name)
    copy = Path(folder) / name
    atomic_write_bytes(copy, data)
    return copy, hashlib.sha256(data).hexdigest()


def carries_signatures(data: bytes) -> bool:
    """Any trace of a signature dictionary, read from the bytes: the damage may hide the form."""
    return b"/ByteRange" in data or b"/DocMDP" in data


def repaired_copy(data: bytes, name: str) -> bytes:
    """The document rewritten whole by MuPDF; CorruptPdfError when it cannot or must not be."""
    if carries_signatures(data):
        raise CorruptPdfError(name, detail="the file carries signatures, so it is not repaired")
    with MUPDF:
        return _rewritten(data, name)


def _rewritten(data: bytes, name: str) -> bytes:
    import pymupdf

    with reading(name):
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            if doc.needs_pass or doc.is_encrypted:
                raise CorruptPdfError(name, detail="an encrypted file is not repaired")
            if doc.page_count == 0:
                raise CorruptPdfError(name, detail="no page could be recovered")
            for page in doc:
                _ = page.rect  # every page must load, or the copy would silently lose it
            return bytes(doc.tobytes(garbage=1))
