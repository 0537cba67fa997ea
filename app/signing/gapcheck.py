"""Whether a page certainly holds none of the clerk's gaps, read with pyHanko before PyMuPDF is loaded.

`fields.find_gaps` needs the words "Số" or "năm" in the page's text as PyMuPDF extracts it, so
the letter "ố" or "ă", precomposed or as a base letter with a combining mark (U+0300–U+036F).
Loading PyMuPDF costs about a fifth of a `lienthong sign` process, and most first signatures
that reach it have no such line. This check answers "certainly no gap" only when every
character MuPDF could extract from the page is printable ASCII (or a typographic quote):

- every string anywhere in the content of the page, its form XObjects, tiling patterns, soft
  masks and annotation appearances is printable ASCII (the codes shown, and /ActualText, which
  MuPDF extracts in place of the glyphs);
- every font those resources name is a simple font without /ToUnicode whose codes 32–126 take
  their glyph names from WinAnsi, MacRoman or Standard encoding (a font program's own glyph
  names or a /Differences entry could name any character); a font the content names but the
  resources lack is MuPDF's Helvetica stand-in, also Standard encoding;
- nothing MuPDF would draw is missing its appearance (it would make one from the field's value).

Anything else (a CID font, a ToUnicode map, an inline image, a stream pyHanko cannot decode,
a damaged object) answers "maybe", and `find_gaps` reads the page as before.
"""

from __future__ import annotations

import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

SIMPLE_FONTS = frozenset({"/Type1", "/MMType1", "/TrueType"})
BASE_ENCODINGS = frozenset({"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"})
EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")
SYMBOLIC_FLAG = 4
# Annotations MuPDF never draws.
UNDRAWN = frozenset({"/Link", "/Popup"})
# Past these, reading the page in Python could cost more than PyMuPDF: leave it to PyMuPDF.
MAX_CONTENT_BYTES = 4 << 20
MAX_OBJECTS = 2000

_PRINTABLE = bytes(range(0x20, 0x7F))
_DELIMS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
# The next token that matters: a comment, a literal or hex string, or an inline image.
_NEXT = re.compile(rb"[%(<]|(?<![^" + _DELIMS + rb"])BI(?![^" + _DELIMS + rb"])")
_IN_LITERAL = re.compile(rb"[\\()]")
_EOL = re.compile(rb"[\r\n]")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_HEX_END = re.compile(rb">")
_HEX_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]")
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]*")


class _Maybe(Exception):
    """The page might hold a gap."""


def certainly_no_gap(reader: PdfFileReader, page_index: int = 0) -> bool:
    """True only when the page's text layer cannot contain "Số" or "năm" (see the module's note)."""
    try:
        _Scan(reader).page(page_index)
    except _Maybe:
        return False
    except Exception:  # noqa: BLE001  (hostile or damaged input: any failure means "read it with PyMuPDF")
        return False
    return True


def _printable(data: bytes) -> bool:
    return not data.translate(None, _PRINTABLE)


class _Scan:
    def __init__(self, reader: PdfFileReader) -> None:
        self.reader = reader
        self.seen: set[tuple[int, int]] = set()
        self.objects = 0
        self.content_bytes = 0

    def _first_visit(self, raw: generic.PdfObject) -> bool:
        self.objects += 1
        if self.objects > MAX_OBJECTS:
            raise _Maybe
        if isinstance(raw, generic.IndirectObject):
            key = (raw.idnum, raw.generation)
            if key in self.seen:
                return False
            self.seen.add(key)
        return True

    def page(self, page_index: int) -> None:
        page_ref, resources = self.reader.find_page_for_modification(page_index)
        page = page_ref.get_object()
        contents = _get(page, "/Contents")
        streams: list[generic.PdfObject] = (
            list(contents) if isinstance(contents, generic.ArrayObject)
            else [contents] if isinstance(contents, generic.PdfObject) else [])
        # MuPDF reads the streams as one; a token split between two is read across the join.
        self.content(b"\n".join(_stream(s.get_object()).data for s in streams))
        if resources is not None:
            self.resources(resources)
        annots = _get(page, "/Annots")
        if annots:
            self.annotations(annots)

    def annotations(self, annots: object) -> None:
        if not isinstance(annots, generic.ArrayObject):
            raise _Maybe
        form = _get(self.reader.root, "/AcroForm")
        if isinstance(form, generic.DictionaryObject):
            need = _get(form, "/NeedAppearances")
            if need is not None and not (isinstance(need, generic.BooleanObject) and need.value is False):
                raise _Maybe  # MuPDF redraws the fields from their values
            dr = _get(form, "/DR")
            if dr is not None:
                self.resources(form.raw_get("/DR"))
        for raw in annots:
            annot = raw.get_object()
            if not isinstance(annot, generic.DictionaryObject):
                raise _Maybe
            if _get(annot, "/Subtype") in UNDRAWN:
                continue
            ap = _get(annot, "/AP")
            if not isinstance(ap, generic.DictionaryObject) or "/N" not in ap:
                raise _Maybe  # MuPDF would draw one, from the field's value or the note's text
            for key in ap:
                self.appearance(ap.raw_get(key))

    def appearance(self, raw: generic.PdfObject) -> None:
        obj = raw.get_object()
        if isinstance(obj, generic.StreamObject):
            self.form(raw)
        elif isinstance(obj, generic.DictionaryObject):  # one appearance per state
            for key in obj:
                if isinstance(obj.raw_get(key).get_object(), generic.StreamObject):
                    self.form(obj.raw_get(key))
                else:
                    raise _Maybe
        else:
            raise _Maybe

    def form(self, raw: generic.PdfObject) -> None:
        if not self._first_visit(raw):
            return
        stream = _stream(raw.get_object())
        self.content(stream.data)
        if "/Resources" in stream:
            self.resources(stream.raw_get("/Resources"))

    def resources(self, raw: generic.PdfObject) -> None:
        if not self._first_visit(raw):
            return
        res = raw.get_object()
        if not isinstance(res, generic.DictionaryObject):
            raise _Maybe
        for key, check in (("/Font", self.font), ("/XObject", self.xobject), ("/Pattern", self.pattern),
                           ("/ExtGState", self.graphics_state), ("/Properties", self.properties)):
            if key not in res:
                continue
            named = res[key]
            if not isinstance(named, generic.DictionaryObject):
                raise _Maybe
            for name in named:
                check(named.raw_get(name))

    def xobject(self, raw: generic.PdfObject) -> None:
        obj = raw.get_object()
        if isinstance(obj, generic.StreamObject) and _get(obj, "/Subtype") == "/Form":
            self.form(raw)

    def pattern(self, raw: generic.PdfObject) -> None:
        if isinstance(raw.get_object(), generic.StreamObject):  # a tiling pattern draws content
            self.form(raw)

    def graphics_state(self, raw: generic.PdfObject) -> None:
        gs = raw.get_object()
        if not isinstance(gs, generic.DictionaryObject):
            raise _Maybe
        mask = _get(gs, "/SMask")
        if isinstance(mask, generic.DictionaryObject) and "/G" in mask:
            self.form(mask.raw_get("/G"))

    def properties(self, raw: generic.PdfObject) -> None:
        # Marked-content properties may carry /ActualText: every string in them must be plain ASCII.
        self.strings(raw.get_object(), depth=0)

    def strings(self, obj: generic.PdfObject, depth: int) -> None:
        self.objects += 1
        if depth > 6 or self.objects > MAX_OBJECTS:
            raise _Maybe
        if isinstance(obj, generic.TextStringObject):
            if not _printable(obj.original_bytes):
                raise _Maybe
        elif isinstance(obj, generic.ByteStringObject):
            if not _printable(bytes(obj)):
                raise _Maybe
        elif isinstance(obj, generic.DictionaryObject):
            for key in obj:
                value = obj.raw_get(key)
                # References lead to other objects (an optional content group, its usage...): their
                # strings are not marked content, and walking them could reach the whole file.
                if not isinstance(value, generic.IndirectObject):
                    self.strings(value, depth + 1)
        elif isinstance(obj, generic.ArrayObject):
            for value in obj:
                if not isinstance(value, generic.IndirectObject):
                    self.strings(value, depth + 1)

    def font(self, raw: generic.PdfObject) -> None:
        if not self._first_visit(raw):
            return
        font = raw.get_object()
        if not isinstance(font, generic.DictionaryObject):
            raise _Maybe
        if _get(font, "/Subtype") not in SIMPLE_FONTS or "/ToUnicode" in font:
            raise _Maybe
        desc = _get(font, "/FontDescriptor")
        embedded = isinstance(desc, generic.DictionaryObject) and any(k in desc for k in EMBEDDED)
        flags = _get(desc, "/Flags") if isinstance(desc, generic.DictionaryObject) else None
        if flags is not None and not isinstance(flags, int):
            raise _Maybe
        symbolic = bool(flags and flags & SYMBOLIC_FLAG)
        base_font = str(_get(font, "/BaseFont") or "")
        # Symbol and Dingbats name Greek letters and ornaments at the ASCII codes.
        builtin_is_standard = not embedded and not symbolic and "Symbol" not in base_font \
            and "Dingbats" not in base_font
        enc = _get(font, "/Encoding")
        if enc is None:
            if not builtin_is_standard:
                raise _Maybe
        elif isinstance(enc, generic.NameObject):
            if enc not in BASE_ENCODINGS:
                raise _Maybe
        elif isinstance(enc, generic.DictionaryObject):
            base = _get(enc, "/BaseEncoding")
            if base is None and not builtin_is_standard or base is not None and base not in BASE_ENCODINGS:
                raise _Maybe
            _check_differences(_get(enc, "/Differences"))
        else:
            raise _Maybe

    def content(self, data: bytes) -> None:
        self.content_bytes += len(data)
        if self.content_bytes > MAX_CONTENT_BYTES:
            raise _Maybe
        pos, end = 0, len(data)
        while (m := _NEXT.search(data, pos)) is not None:
            token = m.group()
            if token == b"BI":
                raise _Maybe  # inline image data is binary: the strings after it cannot be found safely
            if token == b"%":
                eol = _EOL.search(data, m.end())
                pos = eol.end() if eol is not None else end
            elif token == b"(":
                pos = _literal_end(data, m.end())
            elif data[m.end():m.end() + 1] == b"<":
                pos = m.end() + 1  # a dictionary
            else:
                pos = _hex_end(data, m.end())


def _get(d: generic.DictionaryObject, key: str) -> object:
    """The value under `key`, dereferenced, or None (pyHanko's `get` returns references as they are)."""
    try:
        return d[key]
    except KeyError:
        return None


def _stream(obj: generic.PdfObject) -> generic.StreamObject:
    if not isinstance(obj, generic.StreamObject):
        raise _Maybe
    return obj


def _check_differences(diffs: object) -> None:
    """Only codes outside 32–126 may be renamed: the content shows no other codes."""
    if diffs is None:
        return
    if not isinstance(diffs, generic.ArrayObject):
        raise _Maybe
    code = -1
    for item in diffs:
        if isinstance(item, generic.NumberObject):
            code = int(item)
        elif isinstance(item, generic.NameObject):
            if code < 0 or 0x20 <= code <= 0x7E:
                raise _Maybe
            code += 1
        else:
            raise _Maybe


def _literal_end(data: bytes, pos: int) -> int:
    """Past the literal string starting at `pos` (after its "("); raises unless it is printable ASCII."""
    depth = 1
    while True:
        m = _IN_LITERAL.search(data, pos)
        if m is None:
            raise _Maybe
        if not _printable(data[pos:m.start()]):
            raise _Maybe
        c = m.group()
        if c == b"\\":
            nxt = data[m.end():m.end() + 1]
            if nxt in (b"(", b")", b"\\"):
                pos = m.end() + 1
            elif nxt and nxt in b"01234567":
                digits = _OCTAL.match(data, m.end())
                if digits is None or not _printable(bytes([int(digits.group(), 8) & 0xFF])):
                    raise _Maybe
                pos = digits.end()
            else:
                # Control characters (\n, \t...) and line continuations are left to PyMuPDF; after any
                # other backslash the character itself follows, checked with the rest.
                if nxt in (b"n", b"r", b"t", b"b", b"f") or not nxt:
                    raise _Maybe
                pos = m.end()
        elif c == b"(":
            depth += 1
            pos = m.end()
        else:
            depth -= 1
            pos = m.end()
            if depth == 0:
                return pos


def _hex_end(data: bytes, pos: int) -> int:
    """Past the hex string starting at `pos` (after its "<"); raises unless it is printable ASCII."""
    m = _HEX_END.search(data, pos)
    if m is None:
        raise _Maybe
    digits = _HEX_SPACE.sub(b"", data[pos:m.start()])
    if _HEX_DIGITS.fullmatch(digits) is None:
        raise _Maybe
    if len(digits) % 2:
        digits += b"0"
    if not _printable(bytes.fromhex(digits.decode("ascii"))):
        raise _Maybe
    return m.end()
