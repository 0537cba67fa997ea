"""A deterministic generator of damaged PDFs, of every kind officers receive from the wild.

`cases(n, seed)` yields `Case(name, kind, data)`; the same (n, seed) always gives the same bytes.
Base documents are written by hand here (no library in the loop), so each kind of damage is
made precisely: structural kinds rewrite one object, byte kinds mutate the serialized file.
"""

from __future__ import annotations

import functools
import random
import zlib
from dataclasses import dataclass
from typing import Callable

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    data: bytes


@dataclass
class Doc:
    """A PDF as numbered object bodies plus trailer entries; `serialize` adds the xref."""

    objects: dict[int, bytes]
    trailer: dict[bytes, bytes]

    def copy(self) -> "Doc":
        return Doc(dict(self.objects), dict(self.trailer))

    def serialize(self, *, size: bytes | None = None) -> bytes:
        out = bytearray(HEADER)
        offsets: dict[int, int] = {}
        for num in sorted(self.objects):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objects[num] + b"\nendobj\n"
        top = max(self.objects) + 1
        xref_at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % top
        for num in range(1, top):
            if num in offsets:
                out += b"%010d 00000 n \n" % offsets[num]
            else:
                out += b"0000000000 65535 f \n"
        entries = {b"/Size": size if size is not None else str(top).encode(), **self.trailer}
        out += b"trailer\n<< " + b" ".join(k + b" " + v for k, v in entries.items()) + b" >>\n"
        out += b"startxref\n%d\n%%%%EOF\n" % xref_at
        return bytes(out)


def stream(dict_entries: bytes, data: bytes, *, compress: bool = True, length: bytes | None = None) -> bytes:
    body = zlib.compress(data) if compress else data
    filt = b" /Filter /FlateDecode" if compress else b""
    n = length if length is not None else str(len(body)).encode()
    return b"<< /Length " + n + filt + b" " + dict_entries + b" >>\nstream\n" + body + b"\nendstream"


def _content(page_no: int, lines: list[str]) -> bytes:
    ops = [b"BT /F1 12 Tf 72 770 Td 14 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("latin-1") + b") '")
    ops.append(b"ET 0.2 G 60 60 475 30 re S")
    ops.append(b"BT /F1 9 Tf 280 40 Td (Trang %d) Tj ET" % page_no)
    return b"\n".join(ops)


def base_doc(pages: int = 2, rotate: int = 0) -> Doc:
    """Catalog 1, page tree 2, font 3, then a page and its content per page."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    for i in range(pages):
        page_num, content_num = 4 + 2 * i, 5 + 2 * i
        kids.append(b"%d 0 R" % page_num)
        rot = b" /Rotate %d" % rotate if rotate else b""
        objects[page_num] = (b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >>"
                             b" /Contents %d 0 R%s >>" % (content_num, rot))
        text = [f"UBND TINH BINH DINH - trang {i + 1}", "So:      /KH-STTTT",
                "Binh Dinh, ngay     thang     nam 2026", "", "KE HOACH"]
        text += [f"Doan {i + 1}.{k}: noi dung van ban hanh chinh." for k in range(1, 12)]
        text += ["", "GIAM DOC", "", "", "", "Le Van Tuan"]
        objects[content_num] = stream(b"", _content(i + 1, text))
    objects[2] = (b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d"
                  b" /MediaBox [0 0 595 842] >>" % pages)
    return Doc(objects, {b"/Root": b"1 0 R"})


# ---- structural damage (on the object model) -------------------------------------------

def _page_nums(doc: Doc) -> list[int]:
    return sorted(n for n, body in doc.objects.items() if body.startswith(b"<< /Type /Page "))


def root_missing(doc: Doc, rng: random.Random) -> bytes:
    doc.trailer.pop(b"/Root")
    return doc.serialize()


def root_string(doc: Doc, rng: random.Random) -> bytes:
    doc.trailer[b"/Root"] = rng.choice([b"(1 0 R)", b"/Catalog", b"42", b"[1 0 R]", b"99 0 R"])
    return doc.serialize()


def length_wrong(doc: Doc, rng: random.Random) -> bytes:
    num = rng.choice([n for n in doc.objects if b"stream\n" in doc.objects[n]])
    raw = doc.objects[num]
    data = zlib.decompress(raw[raw.index(b"stream\n") + 7:raw.rindex(b"\nendstream")])
    bad = rng.choice([b"/Foo", b"12.5", b"-5", b"(12)", b"99999999", b"0", b"3", b"99 0 R", b"[1]", b"null"])
    doc.objects[num] = stream(b"", data, length=bad)
    return doc.serialize()


def count_wrong(doc: Doc, rng: random.Random) -> bytes:
    bad = rng.choice([b"0", b"-1", b"1000000", b"2147483648", b"(2)", b"/Two", b"1.5", b"99", b"null"])
    body = doc.objects[2]
    start = body.index(b"/Count ") + 7
    end = body.index(b" ", start)
    doc.objects[2] = body[:start] + bad + body[end:]
    return doc.serialize()


def deep_nesting(doc: Doc, rng: random.Random) -> bytes:
    depth = rng.choice([200, 1000, 5000])
    opener, closer = rng.choice([(b"[", b"]"), (b"<< /A ", b" >>")])
    nested = opener * depth + b"1" + closer * depth
    where = rng.choice(["catalog", "page", "resources"])
    if where == "catalog":
        doc.objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + nested + b" >>"
    elif where == "page":
        num = _page_nums(doc)[0]
        doc.objects[num] = doc.objects[num][:-2] + b"/Deep " + nested + b" >>"
    else:
        doc.objects[3] = doc.objects[3][:-2] + b"/Widths " + nested + b" >>"
    return doc.serialize()


def page_tree_loop(doc: Doc, rng: random.Random) -> bytes:
    pages = _page_nums(doc)
    variant = rng.choice(["parent_self", "kids_self", "parent_cycle"])
    num = rng.choice(pages)
    body = doc.objects[num]
    if variant == "parent_self":
        # No inherited attribute on the page, so a reader must climb the /Parent chain.
        doc.objects[2] = doc.objects[2].replace(b" /MediaBox [0 0 595 842]", b"")
        doc.objects[num] = body.replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % num)
    elif variant == "kids_self":
        doc.objects[2] = doc.objects[2].replace(b"/Kids [", b"/Kids [2 0 R ")
    else:
        new = max(doc.objects) + 1
        doc.objects[2] = doc.objects[2].replace(b" /MediaBox [0 0 595 842]", b"") + b""
        doc.objects[2] = doc.objects[2][:-2] + b"/Parent %d 0 R >>" % new
        doc.objects[new] = b"<< /Type /Pages /Kids [2 0 R] /Count %d /Parent 2 0 R >>" % len(pages)
    return doc.serialize()


def flate_bomb(doc: Doc, rng: random.Random) -> bytes:
    body = _bomb(rng.choice([20, 60, 120]))
    num = 5
    doc.objects[num] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return doc.serialize()


@functools.lru_cache(maxsize=None)
def _bomb(megabytes: int) -> bytes:
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()


def flate_bomb_stacked(doc: Doc, rng: random.Random) -> bytes:
    """Two Flate layers: a few kilobytes that decode to 192 MiB, as an OCSP response in the /DSS,
    as page 1's content or as an 8192 x 8192 image page 1 draws. A reader must refuse it or
    stream it, never hold it all."""
    body = _stacked_bomb(192)
    head = b"/Filter [/FlateDecode /FlateDecode]"
    where = rng.random()
    if where < 0.3:  # an OCSP response in the document security store, which verification reads
        dss = max(doc.objects) + 1
        doc.objects[dss] = b"<< /Length %d %s >>\nstream\n" % (len(body), head) + body + b"\nendstream"
        doc.objects[1] = doc.objects[1].replace(b" >>", b" /DSS << /OCSPs [%d 0 R] >> >>" % dss)
        return doc.serialize()
    if where < 0.65:
        doc.objects[5] = b"<< /Length %d %s >>\nstream\n" % (len(body), head) + body + b"\nendstream"
        return doc.serialize()
    image = max(doc.objects) + 1
    doc.objects[image] = (b"<< /Type /XObject /Subtype /Image /Width 8192 /Height 8192"
                          b" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d %s >>\nstream\n"
                          % (len(body), head) + body + b"\nendstream")
    page = _page_nums(doc)[0]
    doc.objects[page] = doc.objects[page].replace(
        b"/Font << /F1 3 0 R >>", b"/Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >>" % image)
    doc.objects[5] = stream(b"", b"q 300 0 0 300 100 300 cm /Im1 Do Q")
    return doc.serialize()


@functools.lru_cache(maxsize=None)
def _stacked_bomb(megabytes: int) -> bytes:
    comp = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    inner = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    return zlib.compress(inner, 9)


def flate_damaged(doc: Doc, rng: random.Random) -> bytes:
    num = rng.choice([n for n in doc.objects if b"stream\n" in doc.objects[n]])
    raw = bytearray(doc.objects[num])
    start, end = raw.index(b"stream\n") + 7, raw.rindex(b"\nendstream")
    variant = rng.choice(["flip", "cut", "garbage"])
    if variant == "flip":
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(start, end)
            raw[pos] ^= 1 << rng.randrange(8)
    elif variant == "cut":
        raw[start:end] = raw[start:start + max(1, (end - start) // rng.randint(2, 5))]
    else:
        raw[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
    doc.objects[num] = bytes(raw)
    return doc.serialize()


def content_nesting(doc: Doc, rng: random.Random) -> bytes:
    """Page content nesting graphics states or arrays past what a renderer allows."""
    num = rng.choice([n for n in doc.objects if b"stream\n" in doc.objects[n] and n != 3])
    body = rng.choice([b"q " * 100_000, b"[" * 50_000 + b"] TJ", b"q " * 300 + b"BT " * 300])
    doc.objects[num] = stream(b"", body)
    return doc.serialize()


def rotate_bogus(doc: Doc, rng: random.Random) -> bytes:
    bad = rng.choice([b"45", b"-90", b"1000000000000", b"90.5", b"/Ninety", b"(90)", b"[90]", b"-45", b"null"])
    num = rng.choice(_page_nums(doc) + [2])
    doc.objects[num] = doc.objects[num][:-2] + b"/Rotate " + bad + b" >>"
    return doc.serialize()


def box_malformed(doc: Doc, rng: random.Random) -> bytes:
    bad = rng.choice([
        b"[0 0 595]", b"[0 0 0 0]", b"[595 842 0 0]", b"[(a) 0 595 842]", b"/A4", b"[0 0 1e309 842]",
        b"[0 0 99999999999 842]", b"[]", b"[0 0 595 842 7]", b"[-10 -10 -5 -5]", b"null", b"[0 0 /W 842]",
    ])
    key = rng.choice([b"/MediaBox", b"/CropBox", b"/TrimBox"])
    num = rng.choice(_page_nums(doc) + [2])
    body = doc.objects[num].replace(b" /MediaBox [0 0 595 842]", b"") if key == b"/MediaBox" else doc.objects[num]
    doc.objects[num] = body[:-2] + key + b" " + bad + b" >>"
    return doc.serialize()


def encrypt_broken(doc: Doc, rng: random.Random) -> bytes:
    variant = rng.choice(["empty_direct", "empty_indirect", "garbage", "unknown_filter", "missing_ref"])
    if variant == "empty_direct":
        doc.trailer[b"/Encrypt"] = b"<< >>"
    elif variant == "empty_indirect":
        new = max(doc.objects) + 1
        doc.objects[new] = b"<< >>"
        doc.trailer[b"/Encrypt"] = b"%d 0 R" % new
    elif variant == "garbage":
        doc.trailer[b"/Encrypt"] = rng.choice([b"(secret)", b"42", b"[1 2 3]"])
    elif variant == "unknown_filter":
        new = max(doc.objects) + 1
        doc.objects[new] = b"<< /Filter /Acme /V 9 /R 9 /O (x) /U (y) /P -4 >>"
        doc.trailer[b"/Encrypt"] = b"%d 0 R" % new
    else:
        doc.trailer[b"/Encrypt"] = b"999 0 R"
    doc.trailer.setdefault(b"/ID", b"[<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]")
    return doc.serialize()


def size_huge(doc: Doc, rng: random.Random) -> bytes:
    return doc.serialize(size=rng.choice([b"2147483648", b"2147483647", b"4294967296", b"99999999999", b"-1"]))


def prev_loop(doc: Doc, rng: random.Random) -> bytes:
    """An incremental update whose /Prev points at itself or beyond the file."""
    data = doc.serialize()
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    update = b"4 0 obj\n" + doc.objects[4] + b"\nendobj\n"
    at = len(data)
    new_xref = len(data) + len(update)
    prev = rng.choice([new_xref, 10 ** 15, -1, xref_at + 3])
    trailer = (b"xref\n0 1\n0000000000 65535 f \n4 1\n%010d 00000 n \n" % at
               + b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
               % (max(doc.objects) + 1, prev, new_xref))
    return data + update + trailer


# ---- byte-level damage (on the serialized file) ------------------------------------------

def bit_flips(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice([1, 2, 5, 20, 100])):
        pos = rng.randrange(len(buf))
        buf[pos] ^= 1 << rng.randrange(8)
    return bytes(buf)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(16, len(data) - 1)]


def startxref_bad(data: bytes, rng: random.Random) -> bytes:
    head, tail = data.rsplit(b"startxref\n", 1)
    bad = rng.choice([b"0", b"-1", b"-999999", b"99999999999999999999", b"18446744073709551616", b"abc", b"7"])
    return head + b"startxref\n" + bad + b"\n%%EOF\n"


def xref_damaged(data: bytes, rng: random.Random) -> bytes:
    start = data.rindex(b"\nxref\n") + 1
    end = data.index(b"trailer", start)
    table = bytearray(data[start:end])
    variant = rng.choice(["offsets", "count", "garbage", "gone"])
    if variant == "offsets":
        lines = table.split(b"\n")
        for i in range(3, len(lines) - 1):
            if rng.random() < 0.5:
                lines[i] = b"%010d 00000 n " % rng.choice([0, 1, rng.randrange(len(data)), 10 ** 9])
        table = bytearray(b"\n".join(lines))
    elif variant == "count":
        lines = table.split(b"\n")
        lines[1] = rng.choice([b"0 999999", b"0 -3", b"5 2", b"0 1", b"x y"])
        table = bytearray(b"\n".join(lines))
    elif variant == "garbage":
        for _ in range(rng.randint(3, 30)):
            table[rng.randrange(len(table))] = rng.randrange(256)
    else:
        table = bytearray()
    return data[:start] + bytes(table) + data[end:]


def _empty_user_password(rng: random.Random) -> bytes:
    """A real encrypted file that opens with the empty user password (owner password only).
    The only kind whose bytes vary between runs: PyMuPDF draws the file key at random."""
    import pymupdf

    src = pymupdf.open("pdf", base_doc(rng.randint(1, 3)).serialize())
    method = rng.choice([pymupdf.PDF_ENCRYPT_RC4_128, pymupdf.PDF_ENCRYPT_AES_128, pymupdf.PDF_ENCRYPT_AES_256])
    # Signing is form filling: files that forbid it are refused, the others must sign.
    allowed = pymupdf.PDF_PERM_PRINT | pymupdf.PDF_PERM_ACCESSIBILITY | pymupdf.PDF_PERM_FORM
    data = src.tobytes(encryption=method, owner_pw="chu-so-huu", user_pw="", permissions=allowed)
    src.close()
    return data


STRUCTURAL: dict[str, Callable[[Doc, random.Random], bytes]] = {
    "root_missing": root_missing,
    "root_string": root_string,
    "length_wrong": length_wrong,
    "count_wrong": count_wrong,
    "deep_nesting": deep_nesting,
    "page_tree_loop": page_tree_loop,
    "flate_bomb": flate_bomb,
    "flate_bomb_stacked": flate_bomb_stacked,
    "flate_damaged": flate_damaged,
    "content_nesting": content_nesting,
    "rotate_bogus": rotate_bogus,
    "box_malformed": box_malformed,
    "encrypt_broken": encrypt_broken,
    "size_huge": size_huge,
    "prev_loop": prev_loop,
}
BYTES: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "bit_flips": bit_flips,
    "truncate": truncate,
    "startxref_bad": startxref_bad,
    "xref_damaged": xref_damaged,
}
KINDS = ("control", *STRUCTURAL, *BYTES, "empty_user_password")


def make(kind: str, rng: random.Random) -> bytes:
    doc = base_doc(pages=rng.randint(1, 4), rotate=rng.choice([0, 0, 0, 90, 180, 270]))
    if kind == "control":
        return doc.serialize()
    if kind == "empty_user_password":
        return _empty_user_password(rng)
    if kind in STRUCTURAL:
        return STRUCTURAL[kind](doc, rng)
    return BYTES[kind](doc.serialize(), rng)


def cases(n: int, seed: int = 15) -> list[Case]:
    """`n` cases cycling through every kind, each from its own seeded generator."""
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        rng = random.Random(f"{seed}:{i}:{kind}")
        out.append(Case(f"{i:05d}-{kind}", kind, make(kind, rng)))
    return out


if __name__ == "__main__":
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Write damaged PDFs into a folder.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=len(KINDS) * 10)
    parser.add_argument("--seed", type=int, default=15)
    ns = parser.parse_args()
    ns.folder.mkdir(parents=True, exist_ok=True)
    for case in cases(ns.n, ns.seed):
        (ns.folder / f"{case.name}.pdf").write_bytes(case.data)
