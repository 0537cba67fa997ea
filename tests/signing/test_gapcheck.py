"""The check that lets a first signature skip PyMuPDF: it says "no gap" only where find_gaps finds none,
and "maybe" wherever find_gaps finds the number or date gaps, whatever font or rotation carries them."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing.fields import find_gaps
from app.signing.gapcheck import certainly_no_gap
from tests.signing.pdfs import admin_pdf, upright_rotated_pdf

ASCII_DRAFT = (b"BT /F1 13 Tf 72 760 Td (So:      /KH-STTTT) Tj ET "
               b"BT /F1 13 Tf 300 760 Td (Binh Dinh, ngay      thang      nam 2026) Tj ET")
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# "Số:" and "năm" through glyph names: codes 128-130 are o-circumflex-acute, a-breve, a-grave.
VIETNAMESE_TYPE1 = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Type /Encoding "
                    b"/BaseEncoding /WinAnsiEncoding /Differences [128 /uni1ED1 /abreve /agrave] >> >>")
TYPE1_DRAFT = (b"BT /F1 13 Tf 72 760 Td (S\\200:      /KH-STTTT) Tj ET "
               b"BT /F1 13 Tf 300 760 Td (Binh Dinh, ng\\202y      th\\341ng      n\\201m 2026) Tj ET")


def raw_pdf(path: Path, content: bytes, *, font: bytes = HELVETICA, page_extra: bytes = b"",
            resources_extra: bytes = b"", content_extra: bytes = b"", objects: tuple[bytes, ...] = ()) -> Path:
    """One A4 page drawn by `content`, its font as object 5; `objects` become objects 6, 7..."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []

    def obj(body: bytes) -> None:
        offsets.append(len(out))
        out.extend(b"%d 0 obj\n" % len(offsets) + body + b"\nendobj\n")

    obj(b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> " + resources_extra + b" >> " + page_extra + b" >>")
    obj(b"<< %s /Length %d >>\nstream\n" % (content_extra, len(content)) + content + b"\nendstream")
    obj(font)
    for body in objects:
        obj(body)
    xref_at = len(out)
    out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        out.extend(b"%010d 00000 n \n" % offset)
    out.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref_at))
    Path(path).write_bytes(bytes(out))
    return Path(path)


def no_gap(path: Path) -> bool:
    with open(path, "rb") as fh:
        return certainly_no_gap(PdfFileReader(fh, strict=False), 0)


def gap_names(path: Path) -> set[str]:
    return {g.name for g in find_gaps(path)}


def test_gaps_in_a_cid_font_with_tounicode_are_read(tmp_path):
    src = admin_pdf(tmp_path / "draft.pdf")
    with pymupdf.open(src) as doc:
        assert doc[0].get_fonts()[0][2] == "Type0"
    assert {"so_van_ban", "ngay", "thang"} <= gap_names(src)
    assert not no_gap(src)


def test_gaps_in_a_type1_font_named_by_glyph_names_are_read(tmp_path):
    src = raw_pdf(tmp_path / "type1.pdf", TYPE1_DRAFT, font=VIETNAMESE_TYPE1)
    assert {"so_van_ban", "ngay", "thang"} <= gap_names(src)
    assert not no_gap(src)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_gaps_on_a_rotated_page_are_read(tmp_path, rotate):
    src = upright_rotated_pdf(admin_pdf(tmp_path / "plain.pdf"), tmp_path / "rotated.pdf", rotate)
    assert {"so_van_ban", "ngay", "thang"} <= gap_names(src)
    assert not no_gap(src)


def test_a_page_without_a_text_layer_has_no_gap(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(50, 50, 300, 300), pixmap=pymupdf.Pixmap(pymupdf.csRGB, 40, 40, bytes(4800), False))
    doc.save(tmp_path / "scan.pdf")
    doc.close()
    assert gap_names(tmp_path / "scan.pdf") == set()
    assert no_gap(tmp_path / "scan.pdf")


def test_ascii_text_in_a_standard_font_has_no_gap(tmp_path):
    src = raw_pdf(tmp_path / "ascii.pdf", ASCII_DRAFT)
    assert gap_names(src) == set()
    assert no_gap(src)


@pytest.mark.parametrize("case", [
    # A code outside ASCII, as an octal escape or in a hex string, that the font names as the letters.
    dict(content=TYPE1_DRAFT, font=VIETNAMESE_TYPE1),
    dict(content=b"BT /F1 13 Tf 72 760 Td <53803a> Tj ET", font=VIETNAMESE_TYPE1),
    # The same letters as the text that replaces the glyphs (UTF-16 /ActualText), inline and named.
    dict(content=b"/Span << /ActualText <FEFF005300D1> >> BDC " + ASCII_DRAFT + b" EMC"),
    dict(content=b"/Span /P0 BDC " + ASCII_DRAFT + b" EMC",
         resources_extra=b"/Properties << /P0 << /ActualText <FEFF1ED1> >> >>"),
    # A font whose ASCII codes are renamed, or whose letters come from a ToUnicode map or a CID font.
    dict(font=HELVETICA.replace(b"/WinAnsiEncoding", b"<< /Differences [83 /uni1ED1] >>")),
    dict(font=HELVETICA[:-2] + b"/ToUnicode 6 0 R >>", objects=(b"<< /Length 0 >>\nstream\n\nendstream",)),
    dict(font=b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [] >>"),
    # An embedded font without an /Encoding: its own glyph names give the letters.
    dict(font=b"<< /Type /Font /Subtype /Type1 /BaseFont /X /FontDescriptor << /FontFile 6 0 R >> >>",
         objects=(b"<< /Length 0 >>\nstream\n\nendstream",)),
    # Text in a form XObject, and an annotation MuPDF would draw from its text.
    dict(content=b"/X0 Do", resources_extra=b"/XObject << /X0 6 0 R >>",
         objects=(b"<< /Subtype /Form /BBox [0 0 100 100] /Length 17 >>\nstream\nBT (S\\200:) Tj ET\nendstream",)),
    dict(page_extra=b"/Annots [<< /Subtype /FreeText /Rect [72 600 300 640] /Contents <FEFF0053 1ED1> "
                    b"/DA (/Helv 12 Tf 0 g) >>]"),
    # An inline image: its binary data cannot be told from strings.
    dict(content=ASCII_DRAFT + b" q BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q"),
])
def test_anything_that_could_show_the_letters_means_maybe(tmp_path, case):
    args = dict(content=ASCII_DRAFT, font=HELVETICA) | case
    assert not no_gap(raw_pdf(tmp_path / "maybe.pdf", **args))


def test_text_the_check_cannot_read_means_maybe(tmp_path):
    src = raw_pdf(tmp_path / "broken.pdf", b"BT /F1 13 Tf (unterminated Tj ET")
    assert not no_gap(src)
    assert not no_gap(raw_pdf(tmp_path / "filter.pdf", ASCII_DRAFT, content_extra=b"/Filter /JBIG2Decode"))


def test_comments_and_nested_parentheses_are_read_as_pdf_reads_them(tmp_path):
    content = (b"% a comment with ( and < in it\n"
               b"BT /F1 13 Tf 72 760 Td (So \\(nested (and balanced)\\) \\\\ \\101) Tj ET <<>> pop "
               b"[<536f> 10 (:)] TJ")
    assert no_gap(raw_pdf(tmp_path / "nested.pdf", content))
    assert not no_gap(raw_pdf(tmp_path / "escaped.pdf", content.replace(b"\\101", b"\\353")))


def test_plain_marked_content_and_undrawn_annotations_keep_the_answer(tmp_path):
    src = raw_pdf(tmp_path / "marked.pdf", b"/Span /P0 BDC " + ASCII_DRAFT + b" EMC",
                  resources_extra=b"/Properties << /P0 << /ActualText (So:) /Lang (vi) >> >>",
                  page_extra=b"/Annots [<< /Subtype /Link /Rect [0 0 10 10] /Contents <FEFF1ED1> >>]")
    assert gap_names(src) == set()
    assert no_gap(src)
