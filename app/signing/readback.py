"""Read back, from the bytes as written, the revisions an incremental update appended and the new
signature in them.

Each new revision's xref section (table or stream) and trailer is parsed from the file, every
object it lists must start where it says, the trailers must chain back to the original's last
xref section, and the new signature's dictionary is read where its revision puts it: its
/ByteRange, and the exact place of its /Contents. The cost is that of the update, not of the
document: the original's own structure was read when the update was written over it, and the
signature's digest ties the written bytes to it. This reader is small and separate from the
pyHanko writer that produced the update; what it does not expect raises ReadBackError (the caller
then reads the whole output with pyHanko instead).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

# Our update is a few dozen objects; a chain longer than this is not ours.
MAX_REVISIONS = 4
MAX_DEPTH = 32
EOF_WINDOW = 1024

_WS = b" \t\r\n\f\x00"
_DELIMS = b"()<>[]{}/%"
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?=[\s()<>\[\]{}/%]|$)")
_TOKEN_END = re.compile(rb"[\s()<>\[\]{}/%]")
_OBJ_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj(?=[\s()<>\[\]{}/%])")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+)[ \t]+(\d+)[ \t]*(?:\r\n|\n|\r)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_STREAM_START = re.compile(rb"\s*stream(?:\r\n|\n)")
_STREAM_END = re.compile(rb"\s*endstream\s+endobj")
_LITERAL_STOP = re.compile(rb"[()\\]")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
            ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


class ReadBackError(Exception):
    """The appended bytes are not the well-formed update this reader expects."""


@dataclass(frozen=True)
class Ref:
    idnum: int
    generation: int


class Name(str):
    """A PDF name, with its slash: Name("/Sig")."""


class Hex(bytes):
    """A hex string's bytes."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class _Lexer:
    """The PDF object syntax (ISO 32000-1, 7.3) over a bytes buffer, positions kept."""

    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def skip(self) -> None:
        buf, n = self.buf, len(self.buf)
        while self.pos < n:
            c = buf[self.pos]
            if c in _WS:
                self.pos += 1
            elif c == 0x25:  # % comment, to the end of the line
                while self.pos < n and buf[self.pos] not in b"\r\n":
                    self.pos += 1
            else:
                return

    def value(self, depth: int = 0) -> object:
        if depth > MAX_DEPTH:
            raise ReadBackError("nesting too deep")
        self.skip()
        buf, pos = self.buf, self.pos
        if pos >= len(buf):
            raise ReadBackError("unexpected end of object")
        c = buf[pos:pos + 1]
        if c == b"/":
            end = _token_end(buf, pos + 1)
            self.pos = end
            return Name(_name(buf[pos:end]))
        if buf.startswith(b"<<", pos):
            return self.dictionary(depth)[0]
        if c == b"<":
            end = buf.find(b">", pos)
            if end < 0:
                raise ReadBackError("unterminated hex string")
            self.pos = end + 1
            digits = b"".join(buf[pos + 1:end].split())
            try:
                return Hex(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ReadBackError("bad hex string") from exc
        if c == b"(":
            return self.literal()
        if c == b"[":
            self.pos += 1
            items: list[object] = []
            while True:
                self.skip()
                if self.buf.startswith(b"]", self.pos):
                    self.pos += 1
                    return items
                items.append(self.value(depth + 1))
        ref = _REF.match(buf, pos)
        if ref:
            self.pos = ref.end()
            return Ref(int(ref.group(1)), int(ref.group(2)))
        number = _NUMBER.match(buf, pos)
        if number and _token_end(buf, pos) == number.end():
            self.pos = number.end()
            text = number.group()
            return float(text) if b"." in text else int(text)
        end = _token_end(buf, pos)
        word = buf[pos:end]
        self.pos = end
        if word == b"true":
            return True
        if word == b"false":
            return False
        if word == b"null":
            return None
        raise ReadBackError(f"unexpected token {bytes(word[:20])!r}")

    def dictionary(self, depth: int = 0) -> tuple[dict[str, object], dict[str, Span]]:
        """The dictionary at the current position, and where each of its values lies."""
        self.skip()
        if not self.buf.startswith(b"<<", self.pos):
            raise ReadBackError("a dictionary was expected")
        self.pos += 2
        out: dict[str, object] = {}
        spans: dict[str, Span] = {}
        while True:
            self.skip()
            if self.buf.startswith(b">>", self.pos):
                self.pos += 2
                return out, spans
            key = self.value(depth + 1)
            if not isinstance(key, Name):
                raise ReadBackError("a dictionary key is not a name")
            self.skip()
            start = self.pos
            out[key] = self.value(depth + 1)
            spans[key] = Span(start, self.pos)

    def literal(self) -> bytes:
        buf = self.buf
        pos = self.pos + 1
        depth = 1
        out = bytearray()
        while True:
            stop = _LITERAL_STOP.search(buf, pos)
            if stop is None:
                raise ReadBackError("unterminated string")
            at = stop.start()
            out += buf[pos:at]
            c = buf[at]
            if c == 0x5C:  # backslash
                nxt = buf[at + 1:at + 2]
                octal = re.match(rb"[0-7]{1,3}", buf[at + 1:at + 4])
                if octal:
                    out.append(int(octal.group(), 8) & 0xFF)
                    pos = at + 1 + len(octal.group())
                elif nxt in (b"\r", b"\n"):
                    pos = at + 2 + (1 if buf[at + 1:at + 3] == b"\r\n" else 0)
                else:
                    out += _ESCAPES.get(nxt[0], nxt) if nxt else b""
                    pos = at + 2
                continue
            pos = at + 1
            if c == 0x28:
                depth += 1
                out.append(c)
            else:
                depth -= 1
                if depth == 0:
                    self.pos = pos
                    return bytes(out)
                out.append(c)


def _token_end(buf: bytes, pos: int) -> int:
    m = _TOKEN_END.search(buf, pos)
    return m.start() if m else len(buf)


def _name(raw: bytes) -> str:
    text = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return text.decode("latin-1")


@dataclass(frozen=True)
class Revision:
    xref_at: int  # file offset of the xref table or stream
    objects: dict[int, tuple[int, int]]  # object number -> (generation, file offset)
    trailer: dict[str, object]


@dataclass(frozen=True)
class AppendedSignature:
    byte_range: tuple[int, int, int, int]
    contents: bytes  # the CMS blob as embedded (zero padding included)


class _Tail:
    """The appended bytes: `data[i]` is the file's byte at `base + i`."""

    def __init__(self, data: bytes, base: int) -> None:
        self.data = data
        self.base = base
        self.size = base + len(data)

    def startxref_before(self, end: int) -> int:
        """The xref offset a revision ending at `end` declares ("startxref N %%EOF")."""
        lo = max(self.base, end - EOF_WINDOW)
        window = self.data[lo - self.base:end - self.base]
        at = window.rfind(b"startxref")
        m = _STARTXREF.match(window, at) if at >= 0 else None
        if m is None:
            raise ReadBackError(f"no startxref/%%EOF before {end}")
        return int(m.group(1))

    def lexer(self, offset: int) -> _Lexer:
        if not self.base <= offset < self.size:
            raise ReadBackError(f"offset {offset} outside the update")
        return _Lexer(self.data, offset - self.base)

    def obj_at(self, offset: int, number: int, generation: int) -> _Lexer:
        """A lexer just after the header `number generation obj` found at `offset`."""
        lex = self.lexer(offset)
        m = _OBJ_HEADER.match(self.data, lex.pos)
        if m is None or (int(m.group(1)), int(m.group(2))) != (number, generation):
            raise ReadBackError(f"object {number} {generation} is not at {offset}")
        lex.pos = m.end()
        return lex

    def revision(self, xref_at: int, lowest: int) -> Revision:
        lex = self.lexer(xref_at)
        if self.data.startswith(b"xref", lex.pos):
            objects, trailer = self._table(lex)
        else:
            objects, trailer = self._stream(lex, xref_at)
        lex.skip()
        if not self.data.startswith(b"startxref", lex.pos):
            raise ReadBackError("the xref section is not followed by startxref")
        for number, (generation, offset) in objects.items():
            if not lowest <= offset <= xref_at:
                raise ReadBackError(f"object {number} at {offset}, outside its revision")
            self.obj_at(offset, number, generation)
        size = trailer.get("/Size")
        if not isinstance(size, int) or (objects and max(objects) >= size):
            raise ReadBackError(f"trailer /Size {size!r}")
        if not isinstance(trailer.get("/Root"), Ref):
            raise ReadBackError("trailer without /Root")
        return Revision(xref_at, objects, trailer)

    def _table(self, lex: _Lexer) -> tuple[dict[int, tuple[int, int]], dict[str, object]]:
        data = self.data
        lex.pos += 4
        objects: dict[int, tuple[int, int]] = {}
        while True:
            lex.skip()
            if data.startswith(b"trailer", lex.pos):
                lex.pos += 7
                return objects, lex.dictionary()[0]
            sub = _SUBSECTION.match(data, lex.pos)
            if sub is None:
                raise ReadBackError("bad xref subsection header")
            first, count = int(sub.group(1)), int(sub.group(2))
            lex.pos = sub.end()
            for number in range(first, first + count):
                entry = _ENTRY.match(data, lex.pos)
                if entry is None:
                    raise ReadBackError(f"bad xref entry for object {number}")
                lex.pos = entry.end()
                if entry.group(3) == b"n":
                    objects[number] = (int(entry.group(2)), int(entry.group(1)))

    def _stream(self, lex: _Lexer, xref_at: int) -> tuple[dict[int, tuple[int, int]], dict[str, object]]:
        data = self.data
        header = _OBJ_HEADER.match(data, lex.pos)
        if header is None:
            raise ReadBackError("no xref table or stream at startxref")
        lex.pos = header.end()
        trailer, _ = lex.dictionary()
        length = trailer.get("/Length")
        widths = trailer.get("/W")
        if trailer.get("/Type") != "/XRef" or not isinstance(length, int) or "/DecodeParms" in trailer \
                or trailer.get("/Filter") not in (None, "/FlateDecode") or not isinstance(widths, list) \
                or len(widths) != 3 or not all(isinstance(w, int) and 0 <= w <= 8 for w in widths):
            raise ReadBackError("an xref stream this reader does not expect")
        start = _STREAM_START.match(data, lex.pos)
        if start is None:
            raise ReadBackError("xref stream without stream data")
        raw = data[start.end():start.end() + length]
        end = _STREAM_END.match(data, start.end() + length)
        if end is None:
            raise ReadBackError("xref stream /Length does not end at endstream")
        lex.pos = end.end()
        try:
            rows = zlib.decompress(raw) if trailer.get("/Filter") == "/FlateDecode" else bytes(raw)
        except zlib.error as exc:
            raise ReadBackError("xref stream data") from exc
        size = trailer.get("/Size")
        index = trailer.get("/Index", [0, size])
        if not isinstance(index, list) or len(index) % 2 or not all(isinstance(i, int) for i in index):
            raise ReadBackError("xref stream /Index")
        w1, w2, w3 = (w for w in widths if isinstance(w, int))
        row = w1 + w2 + w3
        if row == 0 or len(rows) != row * sum(index[1::2]):
            raise ReadBackError("xref stream size")
        objects: dict[int, tuple[int, int]] = {}
        at = 0
        for first, count in zip(index[0::2], index[1::2], strict=True):
            for number in range(first, first + count):
                kind = int.from_bytes(rows[at:at + w1], "big") if w1 else 1
                field2 = int.from_bytes(rows[at + w1:at + w1 + w2], "big")
                field3 = int.from_bytes(rows[at + w1 + w2:at + row], "big")
                at += row
                if kind == 1:
                    objects[number] = (field3, field2)
                elif kind == 2:
                    raise ReadBackError("objects in object streams")
        if objects.get(int(header.group(1)), (None, None))[1] != xref_at:
            raise ReadBackError("the xref stream does not list itself")
        del objects[int(header.group(1))]
        return objects, trailer


def read_appended_signature(tail: bytes, base: int, *, prev_startxref: int, prev_size: int,
                            field_number: int, field_name: str, encrypted: bool) -> AppendedSignature:
    """The signature of field object `field_number` in the revisions appended at `base` to a
    document whose last xref section was at `prev_startxref` and whose /Size was `prev_size`.

    `tail` holds the file's bytes from `base` to its end. Raises ReadBackError when the update is
    not a well-formed chain of revisions or the signature is not where its revision says."""
    t = _Tail(tail, base)
    revisions: list[Revision] = []
    end = t.size
    while True:
        if len(revisions) == MAX_REVISIONS:
            raise ReadBackError("too many revisions")
        xref_at = t.startxref_before(end)
        if revisions and revisions[-1].trailer.get("/Prev") != xref_at:
            raise ReadBackError("a revision's /Prev is not the previous revision's xref")
        rev = t.revision(xref_at, base)
        revisions.append(rev)
        prev = rev.trailer.get("/Prev")
        if prev == prev_startxref:
            break
        if not isinstance(prev, int) or not base <= prev < xref_at:
            raise ReadBackError(f"/Prev {prev!r} is neither the original's xref nor a new one")
        end = min((offset for _, offset in rev.objects.values()), default=xref_at)
    sizes = [rev.trailer["/Size"] for rev in reversed(revisions)]
    if any(not isinstance(s, int) or s < prev_size for s in sizes):
        raise ReadBackError(f"an update's /Size {sizes} is below the original's {prev_size}")

    def find(number: int) -> tuple[Revision, _Lexer]:
        for rev in revisions:  # newest first: the last change counts
            if number in rev.objects:
                generation, offset = rev.objects[number]
                return rev, t.obj_at(offset, number, generation)
        raise ReadBackError(f"object {number} is not in the update")

    _, lex = find(field_number)
    field, _ = lex.dictionary()
    value = field.get("/V")
    if field.get("/FT") != "/Sig" or not isinstance(value, Ref):
        raise ReadBackError("the new field is not a filled signature field")
    # Strings of an encrypted document are encrypted: the object number identifies the field.
    if not encrypted and field.get("/T") != field_name.encode("latin-1", "replace"):
        raise ReadBackError("the new field has another name")
    signed_revision, lex = find(value.idnum)
    sig, spans = lex.dictionary()
    byte_range = sig.get("/ByteRange")
    contents = sig.get("/Contents")
    if not isinstance(byte_range, list) or len(byte_range) != 4 \
            or not all(isinstance(n, int) and n >= 0 for n in byte_range) or not isinstance(contents, Hex):
        raise ReadBackError("signature dictionary without a /ByteRange or hex /Contents")
    b0, a, b, c = byte_range
    gap = spans["/Contents"]
    # Signed: everything from the start to the signature value, and from after it to the end of
    # the revision holding it (its xref and trailer included).
    if b0 != 0 or (gap.start + base, gap.end + base) != (a, b) or b + c > t.size \
            or t.startxref_before(b + c) != signed_revision.xref_at:
        raise ReadBackError(f"/ByteRange {byte_range} does not cover the signed revision")
    return AppendedSignature((b0, a, b, c), bytes(contents))
