"""pyHanko's reader with the whitespace before a token skipped in one read instead of a byte at a time.

pyHanko finds the next token (`misc.read_non_whitespace`, before every dictionary key, value and
array item) by reading one byte per call and testing it with `byte in PDF_WHITESPACE`, which for
a one-byte string first fails as an integer, with a formatted TypeError raised and cleared each
time: about 5% of the instructions of verifying a multi-signature file. `install()` swaps in a
reader that strips the whitespace of one read and gives the same byte, stream position and errors;
comments are still skipped by pyHanko's own `skip_over_comments`.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_CHUNK = 64
_original = misc.read_non_whitespace


def read_non_whitespace(stream: BinaryIO, seek_back: bool = False, allow_eof: bool = False) -> bytes:
    """The next byte that is not PDF whitespace, past any comment; the stream is left just after it
    (on it with `seek_back`). At the end of the stream: b"" with `allow_eof`, else PdfStreamError."""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            if allow_eof:
                return b""
            raise misc.PdfStreamError("Stream ended prematurely")
        body = chunk.lstrip(PDF_WHITESPACE)
        if not body:
            continue
        stream.seek(1 - len(body), os.SEEK_CUR)  # just past the token's first byte
        tok = body[:1]
        if tok != b"%":
            break
        stream.seek(-1, os.SEEK_CUR)
        misc.skip_over_comments(stream)
    if seek_back:
        stream.seek(-1, os.SEEK_CUR)
    return tok


def install() -> None:
    """Make pyHanko's object and cross-reference readers use `read_non_whitespace` (idempotent)."""
    misc.read_non_whitespace = read_non_whitespace
    generic.read_non_whitespace = read_non_whitespace  # type: ignore[attr-defined]
