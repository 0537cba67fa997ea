"""Did the conversion keep the words? The source's text against the converted PDF's text layer.

Read straight from the document's XML (.docx: word/document.xml, .odt: content.xml), so a font
that lost a diacritic, or a paragraph that went missing, shows as a source word the PDF lacks.
Words are compared as a multiset, case-folded and NFKC-normalised: the PDF may hold more (page
numbers, headers, list numbers, capitals from a style) but never less. .doc and .rtf have no
such reader here and are not checked.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META_NS = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
# A document part larger than this is not read (a zip bomb would otherwise fill memory).
MAX_PART_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class TextCheck:
    source_words: int
    pdf_words: int
    missing: tuple[str, ...]
    source_pages: int | None  # as the editor saved it (Word's docProps/app.xml), when it did
    pdf_pages: int
    tracked_changes: bool = False

    @property
    def page_mismatch(self) -> bool:
        return self.source_pages is not None and self.source_pages != self.pdf_pages

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __post_init__(self) -> None:
        # Rebuilt from JSON the tuple comes back as a list.
        object.__setattr__(self, "missing", tuple(self.missing))


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} is {info.file_size} bytes")
    with zf.open(info) as fh:
        return fh.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]


def _on(element: ET.Element | None) -> bool:
    if element is None:
        return False
    return element.get(W + "val", "true").lower() not in ("0", "false", "off")


def docx_paragraphs(xml: bytes) -> tuple[list[str], bool]:
    """(paragraph texts as displayed, whether tracked changes remain) of word/document.xml."""
    root = ET.fromstring(xml)
    paragraphs: list[str] = []
    tracked = False
    depth = 0  # nesting of complex fields: their codes and cached results are skipped

    def walk(node: ET.Element, out: list[str], hidden: bool) -> None:
        nonlocal depth, tracked
        for child in node:
            tag = child.tag
            if tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo"):
                tracked = True
            if tag == W + "p":
                buf: list[str] = []
                walk(child, buf, hidden)
                paragraphs.append("".join(buf))
                continue
            if tag == W + "r":
                rpr = child.find(W + "rPr")
                walk(child, out, hidden or (rpr is not None and _on(rpr.find(W + "vanish"))))
                continue
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    depth += 1
                elif kind == "end" and depth:
                    depth -= 1
                continue
            if tag == MC + "Fallback":
                # Word stores a text box twice (drawing and VML fallback); the page shows one.
                continue
            if tag == W + "fldSimple":
                # A simple field's result is computed again by the converter (page numbers, dates).
                continue
            skip = hidden or depth > 0
            if tag == W + "t":
                if not skip:
                    out.append(child.text or "")
            elif tag in (W + "tab", W + "br", W + "cr"):
                if not skip:
                    out.append(" ")
            elif tag == W + "noBreakHyphen":
                if not skip:
                    out.append("-")
            else:
                walk(child, out, hidden)

    body = root.find(W + "body")
    walk(body if body is not None else root, [], False)
    return paragraphs, tracked


def odt_paragraphs(xml: bytes) -> tuple[list[str], bool]:
    root = ET.fromstring(xml)
    paragraphs: list[str] = []
    tracked = root.find(f".//{TEXT_NS}tracked-changes") is not None

    def inline(node: ET.Element, out: list[str]) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            tag = child.tag
            if tag == TEXT_NS + "s":
                out.append(" " * int(child.get(TEXT_NS + "c", "1") or 1))
            elif tag in (TEXT_NS + "tab", TEXT_NS + "line-break"):
                out.append(" ")
            elif tag in (TEXT_NS + "note", OFFICE_NS + "annotation", TEXT_NS + "tracked-changes"):
                pass
            else:
                inline(child, out)
            if child.tail:
                out.append(child.tail)

    def walk(node: ET.Element) -> None:
        for child in node:
            if child.tag in (TEXT_NS + "p", TEXT_NS + "h"):
                buf: list[str] = []
                inline(child, buf)
                paragraphs.append("".join(buf))
            elif child.tag in (TEXT_NS + "tracked-changes", OFFICE_NS + "annotation", TEXT_NS + "note"):
                continue
            else:
                walk(child)

    walk(root)
    return paragraphs, tracked


def source_paragraphs(path: Path) -> tuple[list[str], int | None, bool] | None:
    """(paragraphs, page count the editor saved, tracked changes left) or None when not readable here."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".docx", ".odt"):
        return None
    with zipfile.ZipFile(path) as zf:
        if suffix == ".docx":
            xml = _read_part(zf, "word/document.xml")
            if xml is None:
                return None
            paragraphs, tracked = docx_paragraphs(xml)
            pages = _declared_pages(_read_part(zf, "docProps/app.xml"), f"{APP_NS}Pages", None)
        else:
            xml = _read_part(zf, "content.xml")
            if xml is None:
                return None
            paragraphs, tracked = odt_paragraphs(xml)
            pages = _declared_pages(_read_part(zf, "meta.xml"), f".//{META_NS}document-statistic",
                                    META_NS + "page-count")
    return paragraphs, pages, tracked


def _declared_pages(xml: bytes | None, path: str, attribute: str | None) -> int | None:
    if not xml:
        return None
    try:
        node = ET.fromstring(xml).find(path)
    except ET.ParseError:
        return None
    if node is None:
        return None
    value = node.get(attribute) if attribute else node.text
    try:
        return int(value) if value else None
    except ValueError:
        return None


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def words(text: str) -> list[str]:
    return [w.casefold() for w in re.split(r"\s+", unicodedata.normalize("NFKC", text)) if w]


def pdf_text(path: Path) -> tuple[str, int]:
    from app.mupdf import MUPDF

    with MUPDF:
        return _pdf_text(path)


def _pdf_text(path: Path) -> tuple[str, int]:
    import pymupdf  # slow to import: only when a converted draft is checked

    with pymupdf.open(str(path)) as doc:
        return "\n".join(page.get_text("text") for page in doc), doc.page_count


def check_text(source: Path, pdf: Path) -> TextCheck | None:
    """Compare the source's words with the PDF's; None for formats without a reader here.

    Raises zipfile.BadZipFile, ET.ParseError, ValueError or OSError when the source is damaged."""
    read = source_paragraphs(source)
    if read is None:
        return None
    paragraphs, declared, tracked = read
    text, pages = pdf_text(pdf)
    wanted = Counter(w for p in paragraphs for w in words(p))
    have = Counter(words(text))
    missing = tuple(sorted(w for w, n in wanted.items() if have[w] < n))
    return TextCheck(sum(wanted.values()), sum(have.values()), missing, declared, pages, tracked)
