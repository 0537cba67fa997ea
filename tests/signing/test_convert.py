"""Word drafts become the PDF that gets signed: real LibreOffice, Vietnamese kept, Decree 30 layout found."""

from __future__ import annotations

import os
import stat
import threading
import time
import zipfile
from pathlib import Path

import pymupdf
import pytest

from app.errors import CancelledError
from app.fileio import sha256_file
from app.signing.autoplace import find_signer_block, page_lines, propose_placement
from app.signing.convert import (
    ConversionFailedError,
    ConversionTextMismatchError,
    ConversionTimeoutError,
    LibreOfficeConverter,
    NoConverterError,
    NotAWordDocumentError,
    PdfConversions,
    available_converters,
)
from app.signing.doctext import normalise, pdf_text, source_paragraphs
from app.signing.fields import DAY_FIELD, MONTH_FIELD, NUMBER_FIELD, find_gaps
from tests.signing.worddocs import (
    SIGNER_NAME,
    SIGNER_TITLE,
    decree30_docx,
    set_saved_pages,
)

SOFFICE = LibreOfficeConverter.find_program()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (bash .ci/setup installs it)")


def _conversions(root: Path, timeout: float = 240) -> PdfConversions:
    return PdfConversions(root / "converted", available_converters(root), timeout=timeout)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("convert")
    docx = decree30_docx(root / "Kế hoạch trồng cây 2026.docx")
    before = sha256_file(docx)
    conversion = _conversions(root).pdf_for(docx)
    return docx, before, conversion, root


@needs_soffice
def test_docx_converts_with_every_diacritic_and_a_metric_compatible_font(converted):
    docx, before, conversion, _ = converted
    assert sha256_file(docx) == before
    assert conversion.converter.startswith("LibreOffice") and not conversion.from_cache
    paragraphs, _, _ = source_paragraphs(docx)
    text, pages = pdf_text(conversion.pdf_path)
    # Same words in the same order, every diacritic in place (NFC on both sides).
    assert normalise(text).split() == normalise(" ".join(paragraphs)).split()
    assert "Độc lập - Tự do - Hạnh phúc" in normalise(text)
    assert conversion.text is not None and conversion.text.missing == ()
    assert pages == conversion.pages == 1
    with pymupdf.open(str(conversion.pdf_path)) as doc:
        fonts = {f[3].split("+")[-1] for f in doc[0].get_fonts()}
    # Times New Roman is replaced by its metric-compatible twin, embedded.
    assert fonts and all(f.startswith("LiberationSerif") for f in fonts), fonts


@needs_soffice
def test_decree30_layout_is_found_on_the_converted_pdf(converted):
    _, _, conversion, _ = converted
    with pymupdf.open(str(conversion.pdf_path)) as doc:
        lines = page_lines(doc[0])
    title, name = find_signer_block(lines)
    assert (title.text, name.text) == (SIGNER_TITLE, SIGNER_NAME)
    placement = propose_placement(conversion.pdf_path)
    assert placement is not None and placement.page == 0
    x0, y0, x1, y1 = placement.rect
    assert title.rect[3] <= y0 < y1 <= name.rect[1]
    assert x0 < (title.rect[0] + title.rect[2]) / 2 < x1
    gaps = {g.name: g for g in find_gaps(conversion.pdf_path)}
    assert {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD} <= set(gaps)
    assert gaps[NUMBER_FIELD].printed_symbol == "/KH-STTTT"
    # The date line is italic in the draft, so the clerk's values will be too.
    assert gaps[DAY_FIELD].style == "Italic"


@needs_soffice
def test_same_source_gives_the_same_pdf_and_a_changed_source_a_new_one(converted, tmp_path):
    docx, _, first, root = converted
    again = _conversions(root).pdf_for(docx)
    assert again.from_cache and again.pdf_sha256 == first.pdf_sha256 == sha256_file(again.pdf_path)
    assert again.converter == first.converter and again.text == first.text
    changed = decree30_docx(tmp_path / "Kế hoạch trồng cây 2026.docx", symbol="KH-VP")
    other = _conversions(root).pdf_for(changed)
    assert not other.from_cache and other.source_sha256 != first.source_sha256
    assert other.pdf_sha256 != first.pdf_sha256
    assert "/KH-VP" in pdf_text(other.pdf_path)[0]


@needs_soffice
def test_page_count_is_compared_with_what_the_editor_saved(tmp_path):
    docx = decree30_docx(tmp_path / "dai.docx", paragraphs=4)
    set_saved_pages(docx, 1)
    conversion = _conversions(tmp_path).pdf_for(docx)
    assert conversion.pages >= 2
    assert conversion.text.source_pages == 1 and conversion.text.page_mismatch
    assert any("trang" in note for note in conversion.notes("vi"))
    assert any("pages" in note for note in conversion.notes("en"))
    paragraphs, _, _ = source_paragraphs(docx)
    assert normalise(pdf_text(conversion.pdf_path)[0]).split() == normalise(" ".join(paragraphs)).split()


@needs_soffice
def test_odt_and_rtf_convert_too(tmp_path):
    odt = tmp_path / "to-trinh.odt"
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:text><text:p>Tờ trình về việc phê duyệt kế hoạch</text:p>'
               '<text:p>Số:<text:s text:c="6"/>/TTr-STTTT</text:p></office:text></office:body>'
               '</office:document-content>')
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                    '<manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                    '</manifest:manifest>')
    rtf = tmp_path / "ghi-chu.rtf"
    rtf.write_text(r"{\rtf1\ansi\uc1 Ghi ch\u250?}", encoding="ascii")
    conversions = _conversions(tmp_path)
    from_odt = conversions.pdf_for(odt)
    assert from_odt.text is not None and from_odt.text.missing == ()
    assert "Tờ trình về việc phê duyệt kế hoạch" in normalise(pdf_text(from_odt.pdf_path)[0])
    from_rtf = conversions.pdf_for(rtf)
    assert from_rtf.text is None and "Ghi chú" in normalise(pdf_text(from_rtf.pdf_path)[0])
    assert any("đối chiếu" in note for note in from_rtf.notes("vi"))


def _nothing_changed(root: Path, source: Path, before: str) -> None:
    assert sha256_file(source) == before
    cache = root / "converted"
    assert not list(cache.rglob("*.pdf")) and not list(cache.rglob("conversion.json"))
    assert not [p for p in cache.rglob("*") if p.name.startswith(".convert-")]


def test_a_corrupt_docx_is_refused_before_any_converter_runs(tmp_path):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a whole zip")
    before = sha256_file(bad)
    calls = []

    class Recording:
        name = "Recording"

        def convert(self, *args, **kwargs):
            calls.append(args)

    with pytest.raises(NotAWordDocumentError) as err:
        PdfConversions(tmp_path / "converted", [Recording()]).pdf_for(bad)
    assert "không phải là văn bản Word hợp lệ" in err.value.message("vi")
    assert "not a valid Word document" in err.value.message("en")
    assert calls == []
    assert sha256_file(bad) == before


@needs_soffice
def test_a_damaged_document_xml_gives_a_clear_message_and_changes_nothing(tmp_path):
    good = decree30_docx(tmp_path / "goc.docx")
    bad = tmp_path / "hong.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[: len(data) // 3] if info.filename == "word/document.xml" else data)
    before = sha256_file(bad)
    with pytest.raises((ConversionFailedError, NotAWordDocumentError)) as err:
        _conversions(tmp_path).pdf_for(bad)
    assert "hong.docx" in err.value.message("vi") and "Tệp gốc không bị thay đổi" in err.value.message("vi")
    _nothing_changed(tmp_path, bad, before)


def _hanging_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for a LibreOffice that never finishes, with a child of its own, as soffice.bin is."""
    pidfile = tmp_path / "child.pid"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > '{pidfile}'\nwait\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, pidfile


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_a_hang_past_the_timeout_is_killed_with_its_children(tmp_path):
    script, pidfile = _hanging_soffice(tmp_path)
    docx = decree30_docx(tmp_path / "treo.docx")
    before = sha256_file(docx)
    conversions = PdfConversions(tmp_path / "converted", [LibreOfficeConverter(script, tmp_path / "profile")],
                                 timeout=1.0)
    started = time.monotonic()
    with pytest.raises(ConversionTimeoutError) as err:
        conversions.pdf_for(docx)
    assert time.monotonic() - started < 15
    assert "quá 1 giây" in err.value.message("vi") and "treo.docx" in err.value.message("vi")
    assert "more than 1 seconds" in err.value.message("en")
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while not _gone(child) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert _gone(child)
    _nothing_changed(tmp_path, docx, before)


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_cancel_stops_the_converter(tmp_path):
    script, _ = _hanging_soffice(tmp_path)
    docx = decree30_docx(tmp_path / "huy.docx")
    cancel = threading.Event()
    cancel.set()
    conversions = PdfConversions(tmp_path / "converted", [LibreOfficeConverter(script, tmp_path / "profile")],
                                 timeout=60)
    with pytest.raises(CancelledError):
        conversions.pdf_for(docx, cancel=cancel)
    _nothing_changed(tmp_path, docx, sha256_file(docx))


def test_no_converter_installed(tmp_path):
    docx = decree30_docx(tmp_path / "a.docx")
    with pytest.raises(NoConverterError) as err:
        PdfConversions(tmp_path / "converted", []).pdf_for(docx)
    assert "LibreOffice" in err.value.message("vi")


def test_a_pdf_missing_source_words_is_refused(tmp_path):
    docx = decree30_docx(tmp_path / "thieu.docx")

    class DropsDiacritics:
        """Writes the text with every mark stripped, as a converter with a broken font mapping would."""

        name = "Broken"

        def convert(self, source, out_pdf, *, timeout, cancel=None):
            import unicodedata

            paragraphs, _, _ = source_paragraphs(source)
            plain = "".join(c for c in unicodedata.normalize("NFD", " ".join(paragraphs))
                            if not unicodedata.combining(c))
            doc = pymupdf.open()
            doc.new_page().insert_textbox(pymupdf.Rect(40, 40, 560, 800), plain, fontsize=8)
            doc.save(str(out_pdf))

    with pytest.raises(ConversionTextMismatchError) as err:
        PdfConversions(tmp_path / "converted", [DropsDiacritics()]).pdf_for(docx)
    assert "Không ký bản này" in err.value.message("vi")
    assert not list((tmp_path / "converted").rglob("*.pdf"))
