"""pyHanko's reader with hex strings read in one pass instead of a byte at a time.

A signature's /Contents is a hex string of about ten thousand digits (the reserved container),
and pyHanko's tokenizer reads it one character per call: about 20 ms each time a signed file is
opened, which is every check of every signature of a batch. `install()` swaps in a reader that
finds the closing '>' in large reads and gives the same string, stream position and errors; a
string with a comment in it (pyHanko skips those) or a bad character is left to pyHanko's own
reader, which then also raises its own error.
"""

from __future__ import annotations

import binascii
import os
from typing import BinaryIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_CHUNK = 1 << 14
_original = generic.read_hex_string_from_stream


def read_hex_string(stream: BinaryIO) -> generic.ByteStringObject | generic.TextStringObject:
    """Read `<...>` from `stream`, positioned on the '<'; leaves it just past the '>'."""
    start = stream.tell()
    stream.read(1)
    pieces: list[bytes] = []
    while True:
        chunk = stream.read(_CHUNK)
        end = chunk.find(b">")
        if end >= 0 or not chunk or b"%" in chunk:
            break
        pieces.append(chunk)
    if end < 0 or b"%" in chunk[:end]:
        stream.seek(start, os.SEEK_SET)
        return _original(stream)
    pieces.append(chunk[:end])
    stream.seek(end + 1 - len(chunk), os.SEEK_CUR)
    digits = b"".join(pieces).translate(None, PDF_WHITESPACE)
    if digits.translate(None, generic.HEX_DIGITS):
        stream.seek(start, os.SEEK_SET)
        return _original(stream)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    """Make pyHanko's object reader use `read_hex_string` (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string
