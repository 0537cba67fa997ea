"""The clerk's step: reserve the number and date places in the draft, fill them after the leader signs.

Decree 30/2020 (Art. 14): the clerk gives the number and the release date, then applies the
organization's signature. Text written into the page content after the leader's signature
would invalidate it, so the draft reserves AcroForm text fields in the gaps of "Số:      /KH-..."
and "ngày … tháng … năm …" BEFORE the leader signs. Filling form fields is a change every
approval signature permits (pyHanko: FORM_FILLING), so the leader's signature stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string

from app.mupdf import MUPDF
from app.signing.appearance import ASCENT, DESCENT, FontCache, TextLine, build_form, nfc
from app.signing.damage import reading
from app.signing.errors import NoReservedFieldsError, SymbolMismatchError
from app.signing.geometry import displayed_to_user_space
from app.signing.original import Original, read_original
from app.signing.pdfopen import check_distinct, check_not_locked, open_writer, write_output
from app.signing.stamps import acroform_fields, page_geometry
from app.text import Text

if TYPE_CHECKING:
    import pymupdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from app.signing.options import SigningRequest

# A word on a page as displayed: x0, y0, x1, y1, its text (NFC), block and line numbers.
_Word = tuple[float, float, float, float, str, int, int]
# A text span as displayed (x0, y0, x1, y1), its font flags (2: italic) and its font size.
_Span = tuple[tuple[float, float, float, float], int, float]
# Fills the reserved fields inside the revision being signed (see `filler_for`).
FieldFiller = Callable[["IncrementalPdfFileWriter", FontCache], None]

NUMBER_FIELD = "so_van_ban"
DAY_FIELD, MONTH_FIELD, YEAR_FIELD = "ngay", "thang", "nam"
RESERVED = (NUMBER_FIELD, DAY_FIELD, MONTH_FIELD, YEAR_FIELD)
FONT_RES = "/LTSerif"
# Private key remembering the symbol printed after the number gap, e.g. "/KH-STTTT".
SYMBOL_KEY = "/LTPrintedSymbol"
# Private key: the font style of the surrounding text, used when the value is drawn.
STYLE_KEY = "/LTFontStyle"
TEXT_FIELD_FLAGS = 4  # Print
# The number field ends this far before the printed "/symbol"; the number is drawn up to the slash.
SLASH_MARGIN = 0.5


def format_number(seq: int, symbol: str) -> str:
    """"05/KH-STTTT": Arabic digits, a leading zero below 10, then "/" and the symbol."""
    if seq < 1:
        raise ValueError("document numbers start at 01")
    return f"{seq:02d}/{symbol}" if symbol else f"{seq:02d}"


def day_text(d: date) -> str:
    return f"{d.day:02d}"


def month_text(d: date) -> str:
    # Decree 30 Appendix I: a leading zero for days below 10 and for months 1 and 2 only.
    return f"{d.month:02d}" if d.month in (1, 2) else str(d.month)


def format_release_date(place: str, d: date) -> str:
    """"Bình Định, ngày 05 tháng 5 năm 2022"."""
    return f"{place}, ngày {day_text(d)} tháng {month_text(d)} năm {d.year}"


@dataclass(frozen=True)
class ReservedField:
    name: str
    page: int
    rect: tuple[float, float, float, float]  # displayed
    font_size: float
    printed_symbol: str = ""
    style: str = "Regular"  # or "Italic", as the surrounding text


@dataclass(frozen=True)
class PreparedDraft:
    output_path: Path
    fields: tuple[ReservedField, ...]
    warnings: tuple[Text, ...] = ()


@dataclass(frozen=True)
class FillResult:
    output_path: Path
    filled: dict[str, str]  # field name -> the value written
    sha256: str


def _displayed(page: pymupdf.Page) -> Callable[[float, float, float, float], tuple[float, float, float, float]]:
    """Page space to displayed space: nothing to do on an unrotated page (nearly all), where
    PyMuPDF's rectangle arithmetic would cost more than reading the text."""
    import pymupdf

    rot = page.rotation_matrix
    if (rot.a, rot.b, rot.c, rot.d, rot.e, rot.f) == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        return lambda x0, y0, x1, y1: (x0, y0, x1, y1)

    def turn(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        r = pymupdf.Rect(x0, y0, x1, y1) * rot
        return (r.x0, r.y0, r.x1, r.y1)

    return turn


def _words(page: pymupdf.Page, textpage: pymupdf.TextPage) -> list[_Word]:
    shown = _displayed(page)
    return [(*shown(x0, y0, x1, y1), nfc(text), block, line)
            for x0, y0, x1, y1, text, block, line, _ in page.get_text("words", textpage=textpage)]


def _same_line(a: _Word, b: _Word) -> bool:
    return abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) < max(a[3] - a[1], b[3] - b[1]) * 0.5


def _font_size_near(word: _Word) -> float:
    # The span height is about 1.15 x the font size for Times-like fonts.
    return round(max(8.0, min(16.0, (word[3] - word[1]) / 1.15)), 1)


def _span_at(spans: list[_Span], word: _Word) -> _Span | None:
    cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return next((span for span in spans if span[0][0] <= cx <= span[0][2] and span[0][1] <= cy <= span[0][3]), None)


def _style_at(spans: list[_Span], word: _Word) -> str:
    """"Italic" when the span under the word is italic (the date line often is), else "Regular"."""
    span = _span_at(spans, word)
    return "Italic" if span is not None and span[1] & 2 else "Regular"


def _size_at(spans: list[_Span], word: _Word) -> float:
    """The line's own font size, so the values are drawn as large as the text around them."""
    span = _span_at(spans, word)
    if span is not None and 4.0 <= span[2] <= 72.0:
        return round(span[2], 1)
    return _font_size_near(word)


def _spans(page: pymupdf.Page, textpage: pymupdf.TextPage) -> list[_Span]:
    shown = _displayed(page)
    out: list[_Span] = []
    for block in page.get_text("dict", textpage=textpage)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                out.append((shown(*span["bbox"]), span["flags"], float(span["size"])))
    return out


def find_gaps(source: Path | bytes, page_index: int = 0, password: str | None = None, *,
              name: str | None = None) -> tuple[ReservedField, ...]:
    """Locate the number gap after "Số:" and the day/month/year gaps on the page's text layer.
    `name` is the document's in messages, when `source` is a copy under another name."""
    with MUPDF:  # every MuPDF object of the reading is gone when the lock is released
        read = _page_text(source, page_index, password, name)
    if read is None:
        return ()
    words, spans = read
    return _number_gap(words, spans, page_index) + _date_gaps(words, spans, page_index)


def _page_text(source: Path | bytes, page_index: int, password: str | None,
               name: str | None) -> tuple[list[_Word], list[_Span]] | None:
    import pymupdf  # slow to import: only for a document's first signature

    try:
        doc = (pymupdf.open(stream=source, filetype="pdf") if isinstance(source, (bytes, bytearray))
               else pymupdf.open(str(source)))
    except (RuntimeError, ValueError):
        return None
    if name is None:
        name = Path(source).name if isinstance(source, (str, Path)) else "PDF"
    with doc, reading(name):
        if doc.is_encrypted and not (password and doc.authenticate(password)):
            return None
        if page_index >= doc.page_count:
            return None
        page = doc[page_index]
        # One text layer read for both, without the images (a scan's would be copied out whole).
        textpage = page.get_textpage(flags=pymupdf.TEXTFLAGS_WORDS)
        return _words(page, textpage), _spans(page, textpage)


def _number_gap(words: list[_Word], spans: list[_Span], page_index: int) -> tuple[ReservedField, ...]:
    so = next((w for w in words if w[4] in ("Số:", "Số")), None)
    if so is None:
        return ()
    after = sorted((w for w in words if _same_line(so, w) and w[0] > so[2]), key=lambda w: w[0])
    size = _size_at(spans, so)
    if after and after[0][4].startswith("/"):
        x1, symbol = after[0][0] - SLASH_MARGIN, after[0][4]
    else:
        x1, symbol = so[2] + 5 * size, ""
    x0 = so[2] + 1.0
    if x1 - x0 <= size:
        return ()
    return (ReservedField(NUMBER_FIELD, page_index, (x0, so[1], x1, so[3]), size, symbol, _style_at(spans, so)),)


def _date_gaps(words: list[_Word], spans: list[_Span], page_index: int) -> tuple[ReservedField, ...]:
    # The release-date line is the first "ngày … tháng … năm" with blanks (body text may cite dates).
    for ngay in (w for w in words if w[4] == "ngày"):
        line = sorted((w for w in words if _same_line(ngay, w)), key=lambda w: w[0])
        thang = next((w for w in line if w[4] == "tháng" and w[0] > ngay[2]), None)
        nam = next((w for w in line if thang is not None and w[4] == "năm" and w[0] > thang[2]), None)
        if thang is None or nam is None:
            continue
        size = _size_at(spans, ngay)
        style = _style_at(spans, ngay)
        found = []
        for name, left, right in ((DAY_FIELD, ngay, thang), (MONTH_FIELD, thang, nam)):
            filled = any(left[2] < w[0] < right[0] for w in line)
            if right[0] - left[2] > size and not filled:
                found.append(ReservedField(name, page_index, (left[2] + 1.0, left[1], right[0] - 1.0, left[3]),
                                           size, "", style))
        nxt = next((w for w in line if w[0] > nam[2]), None)
        if nxt is None or not nxt[4][:4].isdigit():
            found.append(ReservedField(YEAR_FIELD, page_index, (nam[2] + 1.0, nam[1], nam[2] + 3 * size, nam[3]),
                                       size, "", style))
        if found:
            return tuple(found)
    return ()


def _ensure_dr_font(writer: IncrementalPdfFileWriter, fonts: FontCache) -> None:
    form = writer.root["/AcroForm"]
    dr = form.get("/DR")
    if dr is None:
        dr = generic.DictionaryObject()
        form[pdf_name("/DR")] = dr
    font_dict = dr.get("/Font")
    if font_dict is None:
        font_dict = generic.DictionaryObject()
        dr[pdf_name("/Font")] = font_dict
    eng = fonts.engine("Regular")
    # Digits and the letters a clerk may type, so viewers that redraw the field find the glyphs.
    eng.shape("0123456789/-.ABCDĐEGHIKLMNOPQRSTUVXY")
    font_dict[pdf_name(FONT_RES)] = eng.as_resource()
    writer.update_container(form)


def _field_appearance(writer: IncrementalPdfFileWriter, fonts: FontCache, width: float, height: float, rotate: int,
                      value: str, size: float, style: str = "Regular", flush_right: bool = False
                      ) -> generic.IndirectObject:
    """The value on the line's baseline (the field's box is the text's box) in the line's size and style;
    `flush_right` puts it against what follows (the number against "/QĐ-...": "02/QĐ-STTTT")."""
    lines: tuple[TextLine, ...] = ()
    if value:
        w = fonts.text_width(value, size, style)
        if w > width - 1:
            size = max(4.0, size * (width - 1) / w)
            w = fonts.text_width(value, size, style)
        if height >= size * (ASCENT + DESCENT) * 0.9:
            baseline = height * DESCENT / (ASCENT + DESCENT)
        else:
            baseline = (height - size) / 2 + (1 - ASCENT) * size * 0.9
        x = max(0.0, width - w + SLASH_MARGIN) if flush_right else max(0.0, (width - w) / 2)
        lines = (TextLine(value, x, baseline, size, style=style),)
    return build_form(writer, fonts, width, height, rotate, lines=lines)


def add_reserved_fields(
    writer: IncrementalPdfFileWriter, fonts: FontCache, reserved: tuple[ReservedField, ...]
) -> None:
    fields = acroform_fields(writer)
    _ensure_dr_font(writer, fonts)
    for rf in reserved:
        geom, page_ref = page_geometry(writer, rf.page)
        user = displayed_to_user_space(geom, rf.rect)
        width, height = rf.rect[2] - rf.rect[0], rf.rect[3] - rf.rect[1]
        ap = _field_appearance(writer, fonts, width, height, geom.rotate, "", rf.font_size)
        fld = generic.DictionaryObject({
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(rf.name),
            pdf_name("/TU"): pdf_string(_tooltip(rf.name)),
            pdf_name("/V"): pdf_string(""),
            pdf_name("/DA"): pdf_string(f"{FONT_RES} {rf.font_size:g} Tf 0 g"),
            pdf_name("/Q"): generic.NumberObject(1),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in user),
            pdf_name("/F"): generic.NumberObject(TEXT_FIELD_FLAGS),
            pdf_name("/P"): page_ref,
            pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): ap}),
        })
        if geom.rotate:
            fld[pdf_name("/MK")] = generic.DictionaryObject({pdf_name("/R"): generic.NumberObject(geom.rotate)})
        if rf.printed_symbol:
            fld[pdf_name(SYMBOL_KEY)] = pdf_string(rf.printed_symbol)
        if rf.style != "Regular":
            fld[pdf_name(STYLE_KEY)] = pdf_string(rf.style)
        ref = writer.add_object(fld)
        fields.append(ref)
        writer.register_annotation(page_ref, ref)


FIELD_TOOLTIPS = {
    NUMBER_FIELD: Text("Số văn bản (văn thư điền)", "Document number (filled by the clerk)"),
    DAY_FIELD: Text("Ngày ban hành", "Release day"),
    MONTH_FIELD: Text("Tháng ban hành", "Release month"),
    YEAR_FIELD: Text("Năm ban hành", "Release year"),
}


def _tooltip(name: str) -> str:
    """Written into the document, read by whoever opens it: both languages."""
    tip = FIELD_TOOLTIPS[name]
    return f"{tip.vi} / {tip.en}"


def prepare_draft(in_path: Path, out_path: Path, *, place_name: str = "Bình Định",
                  pdf_password: str | None = None) -> PreparedDraft:
    """Add empty number/date fields in the draft's gaps (an incremental update; input untouched)."""
    check_distinct(Path(in_path), Path(out_path))
    original = read_original(Path(in_path))
    name = original.name
    writer = open_writer(original, pdf_password)
    check_not_locked(writer, name)
    if writer.prev.embedded_signatures:
        raise NoReservedFieldsError(name, detail="the draft is already signed; fields must be reserved before")
    reserved = find_gaps(Path(in_path))
    existing = set(reserved_field_refs(writer))
    reserved = tuple(r for r in reserved if r.name not in existing)
    warnings: list[Text] = []
    if not any(r.name == NUMBER_FIELD for r in reserved) and NUMBER_FIELD not in existing:
        warnings.append(Text("Không tìm thấy chỗ trống sau \"Số:\"", "No gap found after \"Số:\""))
    if not any(r.name == DAY_FIELD for r in reserved) and DAY_FIELD not in existing:
        warnings.append(Text(f"Không tìm thấy dòng \"{place_name}, ngày … tháng … năm …\"",
                             "No release-date line found"))
    if not reserved and not existing:
        raise NoReservedFieldsError(name, detail="no number or date gaps in the text layer")
    fonts = FontCache(writer)
    try:
        if reserved:
            add_reserved_fields(writer, fonts, reserved)
        buf = BytesIO()
        writer.write(buf)
    finally:
        fonts.close()
    write_output(Path(out_path), buf.getvalue())
    return PreparedDraft(Path(out_path), reserved, tuple(warnings))


def reserved_field_refs(writer: IncrementalPdfFileWriter) -> dict[str, generic.IndirectObject]:
    """name -> field reference of the reserved text fields present in the document."""
    out: dict[str, generic.IndirectObject] = {}
    if "/AcroForm" not in writer.root:
        return out
    form = writer.root["/AcroForm"]
    for ref in form.get("/Fields", ()):
        fld = ref.get_object()
        name = fld.get("/T")
        if fld.get("/FT") == "/Tx" and str(name) in RESERVED:
            out[str(name)] = ref
    return out


def values_for(number: str | None, release_date: date | None, symbol: str = "") -> dict[str, str]:
    values: dict[str, str] = {}
    if number is not None:
        value = number.strip()
        # The symbol is already printed after the gap: write only the number in front of it.
        printed = symbol.strip().lstrip("/").strip()
        if printed and "/" in value:
            given = value.split("/", 1)[1].strip()
            if given != printed:
                # The "Số:" line and the register must agree (a citizen's form printed /ĐĐN is not it).
                raise SymbolMismatchError(printed, given)
            value = value.split("/", 1)[0].strip()
        elif symbol and value.endswith(symbol):
            value = value[: -len(symbol)]
        if value.isdigit() and len(value) == 1:
            value = f"0{value}"
        values[NUMBER_FIELD] = value
    if release_date is not None:
        values[DAY_FIELD] = day_text(release_date)
        values[MONTH_FIELD] = month_text(release_date)
        values[YEAR_FIELD] = str(release_date.year)
    return values


def fill_in_writer(
    writer: IncrementalPdfFileWriter, fonts: FontCache, number: str | None, release_date: date | None, name: str
) -> dict[str, str]:
    """Set the reserved fields' values and appearances in the writer's pending revision."""
    refs, values = _planned_values(writer, number, release_date, name)
    symbol = str(refs[NUMBER_FIELD].get_object().get(SYMBOL_KEY, "")) if NUMBER_FIELD in refs else ""
    filled = {}
    for field_name, value in values.items():
        ref = refs.get(field_name)
        if ref is None:
            continue
        fld = ref.get_object()
        x0, y0, x1, y1 = (float(v) for v in fld["/Rect"])
        page_index = _page_of(writer, fld)
        geom, _ = page_geometry(writer, page_index)
        w, h = abs(x1 - x0), abs(y1 - y0)
        if geom.rotate in (90, 270):
            w, h = h, w
        size = _da_size(fld)
        fld[pdf_name("/V")] = pdf_string(value)
        fld[pdf_name("/AP")] = generic.DictionaryObject(
            {pdf_name("/N"): _field_appearance(writer, fonts, w, h, geom.rotate, value, size,
                                               str(fld.get(STYLE_KEY, "Regular")),
                                               flush_right=field_name == NUMBER_FIELD and bool(symbol))}
        )
        writer.update_container(fld)
        filled[field_name] = value
    return filled


def _planned_values(
    writer: IncrementalPdfFileWriter, number: str | None, release_date: date | None, name: str
) -> tuple[dict[str, generic.IndirectObject], dict[str, str]]:
    """The reserved fields and the values they would take; raises when the document cannot take them."""
    refs = reserved_field_refs(writer)
    if not refs:
        raise NoReservedFieldsError(name)
    symbol = ""
    if NUMBER_FIELD in refs:
        symbol = str(refs[NUMBER_FIELD].get_object().get(SYMBOL_KEY, ""))
    values = values_for(number, release_date, symbol)
    if values and not set(values) & set(refs):
        raise NoReservedFieldsError(name, detail=f"no field for {sorted(values)}")
    return refs, values


def check_fillable(
    in_path: Path, number: str | None, release_date: date | None, pdf_password: str | None = None
) -> None:
    """Refuse, before a number is taken from the register, a file that could not show it: no reserved
    fields, or a symbol printed after "Số:" other than the number's. Nothing is written."""
    original = read_original(Path(in_path))
    name = original.name
    writer = open_writer(original, pdf_password)
    check_not_locked(writer, name)
    _planned_values(writer, number, release_date, name)


def _da_size(fld: generic.DictionaryObject) -> float:
    parts = str(fld.get("/DA", "")).split()
    try:
        return float(parts[parts.index("Tf") - 1])
    except (ValueError, IndexError):
        return 13.0


def _page_of(writer: IncrementalPdfFileWriter, fld: generic.DictionaryObject) -> int:
    target = fld.raw_get("/P").reference if "/P" in fld else None
    n = int(writer.root["/Pages"]["/Count"])
    for i in range(n):
        if writer.find_page_for_modification(i)[0].reference == target:
            return i
    return 0


def reserve_if_first_signature(
    writer: IncrementalPdfFileWriter, fonts: FontCache, original: Original, password: str | None
) -> tuple[ReservedField, ...]:
    """Reserve the number/date fields in the revision of a document's first signature.

    Fields added in the same revision as the first signature are covered by it, so the clerk can
    fill them later with nothing but form filling; added after a signature they would be a change.
    """
    if writer.prev.embedded_signatures or reserved_field_refs(writer):
        return ()
    reserved = find_gaps(original.source(), 0, password, name=original.name)
    if reserved:
        add_reserved_fields(writer, fonts, reserved)
    return reserved


def filler_for(request: SigningRequest) -> FieldFiller:
    """The hook sign_document runs inside the seal's revision when a number or date is given."""
    name = Path(request.input_path).name

    def fill(writer: IncrementalPdfFileWriter, fonts: FontCache) -> None:
        fill_in_writer(writer, fonts, request.number, request.release_date, name)

    return fill


def fill_number_and_date(
    in_path: Path, out_path: Path, *, number: str | None, release_date: date | None, pdf_password: str | None = None
) -> FillResult:
    """Only fill the number and date ("Chỉ điền số KH, ngày tháng năm"), as its own incremental update."""
    check_distinct(Path(in_path), Path(out_path))
    original = read_original(Path(in_path))
    name = original.name
    writer = open_writer(original, pdf_password)
    check_not_locked(writer, name)
    fonts = FontCache(writer)
    try:
        filled = fill_in_writer(writer, fonts, number, release_date, name)
        buf = BytesIO()
        writer.write(buf)
    finally:
        fonts.close()
    digest = write_output(Path(out_path), buf.getvalue())
    return FillResult(Path(out_path), filled, digest)
