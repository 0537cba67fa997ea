"""pyHanko's reader with plain PDF names read in one pass instead of a byte at a time.

Names are most of the tokens of a PDF's dictionaries (every key, most type values), and pyHanko
reads each one a character per call, then decodes it a character at a time: about a third of
parsing a file, which verifying does for every object of a multi-signature file. `install()`
swaps in a reader that takes a name of plain characters (printable ASCII, no '#' escape) from one
read and gives the same name and stream position; any other name (an escape, a byte outside
printable ASCII, a name longer than one read) is left to pyHanko's own reader, which also raises
its own errors.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_DELIMITERS, PDF_WHITESPACE

_CHUNK = 128
_original = generic.NameObject.read_from_stream
# The characters a name runs over: not whitespace, not a delimiter (pyHanko's read_until_delimiter).
_BODY = re.compile(b"[^" + re.escape(PDF_WHITESPACE + PDF_DELIMITERS) + b"]*")
# Those pyHanko's decoder takes as they are: printable ASCII without the '#' escape.
_PLAIN = re.compile(rb"[\x21-\x22\x24-\x7e]*")


def read_name(stream: BinaryIO) -> generic.NameObject:
    """Read `/Name` from `stream`, positioned on the '/'; leaves it on the delimiter after it."""
    start = stream.tell()
    chunk = stream.read(_CHUNK)
    if chunk[:1] == b"/":
        end = _BODY.match(chunk, 1).end()  # type: ignore[union-attr]  # [^...]* always matches
        body = chunk[1:end]
        if (end < len(chunk) or len(chunk) < _CHUNK) and _PLAIN.fullmatch(body):
            stream.seek(start + 1 + len(body))
            return generic.NameObject("/" + body.decode("ascii"))
    stream.seek(start)
    return _original(stream)  # type: ignore[no-any-return,no-untyped-call]


def install() -> None:
    """Make pyHanko's object reader use `read_name` (idempotent)."""
    generic.NameObject.read_from_stream = staticmethod(read_name)  # type: ignore[method-assign]
