"""Appearance streams drawn with the embedded Liberation Serif (full Vietnamese coverage).

pyHanko's default font has no Vietnamese glyphs, so text goes through pyHanko's OpenType engine
(HarfBuzz shaping, an embedded subset and a ToUnicode map) and extracts exactly as written.
Every appearance is laid out in DISPLAYED space (width x height as the officer sees the box);
the form's /Matrix turns it so it stays upright on a page with /Rotate.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font import opentype
from pyhanko.pdf_utils.font.api import FontEngine
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name

from app.resources import font_path
from app.signing import fontcache
from app.signing.geometry import appearance_matrix
from app.signing.imagecache import prepared_image

if TYPE_CHECKING:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from pyhanko.pdf_utils.writer import BasePdfFileWriter

BLACK = (0.0, 0.0, 0.0)
# Ascent and descent of Liberation Serif as a share of the font size, for line layout.
ASCENT = 0.891
DESCENT = 0.216


# Latin, Vietnamese (Latin Extended Additional, combining marks), punctuation and the dong sign.
_RANGES = ((0x20, 0x7F), (0xA0, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20AB, 0x20AC))


def _source_key(style: str, *extra: str) -> str:
    import fontTools

    return fontcache.key(font_path(style).read_bytes(), fontTools.version, repr(_RANGES), *extra)


@functools.lru_cache(maxsize=4)
def font_program(style: str = "Regular") -> bytes:
    """Liberation Serif reduced to the scripts we write and rescaled to 1000 units per em; cut
    once and then read from the app's cache folder (cutting takes about half a second)."""
    name = f"LiberationSerif-{style}-{_source_key(style)}.ttf"
    return fontcache.cached(name, lambda: cut_font_program(style))


def cut_font_program(style: str) -> bytes:
    """pyHanko's OpenType engine writes glyph widths and kerning in font units as if they were
    thousandths of an em; Liberation Serif has 2048 units per em, so unscaled text would be
    spaced twice too wide and overflow its box."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(font_path(style)))
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[c for lo, hi in _RANGES for c in range(lo, hi)])
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    sub.subset(font)
    scale_upem(font, 1000)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


_pyhanko_read_ps_name = opentype._read_ps_name


def _read_ps_name(tt: TTFont) -> str:
    """pyHanko's reading of the PostScript name (the first name record with ID 6), straight from the
    table's bytes: fontTools' name table class imports its OpenType layout tables (otTables, about
    a tenth of a `lienthong sign`) to read a single string. Anything but a well-formed Unicode
    record is left to pyHanko, and a table fontTools has parsed already is read there."""
    if "name" in tt.tables or tt.reader is None or "name" not in tt.reader:
        return _pyhanko_read_ps_name(tt)
    data: bytes = tt.reader["name"]
    _, count, string_offset = struct.unpack(">HHH", data[:6])
    if string_offset != 6 + 12 * count or len(data) < string_offset:
        return _pyhanko_read_ps_name(tt)
    for index in range(count):
        platform, encoding, _, name_id, length, offset = struct.unpack_from(">6H", data, 6 + 12 * index)
        if name_id != 6:
            continue
        raw = data[string_offset + offset:string_offset + offset + length]
        if (platform == 0 or (platform, encoding) == (3, 1)) and len(raw) == length and length % 2 == 0:
            return raw.decode("utf_16_be")
        break
    return _pyhanko_read_ps_name(tt)


opentype._read_ps_name = _read_ps_name


# Every embedded subset covers this alphabet whatever the appearance says, so the subset of a
# style is cut once and then reused by every signature (a batch, the rest of the GUI session)
# instead of again for each document; text outside it (a rare letter in a name) gets its own.
# It costs about 14 kB per style in each signed file.
ALPHABET = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "ĂÂĐÊÔƠƯăâđêôơư"
    + "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    + "–—…“”‘’°·₫"
)


@functools.lru_cache(maxsize=4)
def _alphabet_glyphs(style: str) -> tuple[int, ...]:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_program(style)))
    cmap = font.getBestCmap()
    return tuple(sorted({font.getGlyphID(cmap[ord(c)]) for c in ALPHABET if ord(c) in cmap}))


@functools.lru_cache(maxsize=16)
def embedded_program(style: str, glyph_ids: tuple[int, ...]) -> bytes:
    """The font program cut down to `glyph_ids` (kept at their ids), Flate-compressed: what
    pyHanko's GlyphAccumulator embeds for the same glyphs, made once per glyph set. The cut for
    ALPHABET alone (nearly every signature) is kept in the cache folder too."""
    if glyph_ids == _alphabet_glyphs(style):
        name = f"LiberationSerif-{style}-alphabet-{_source_key(style, ALPHABET)}.ttf"
        return zlib.compress(fontcache.cached(name, lambda: cut_subset(font_program(style), glyph_ids)))
    return zlib.compress(cut_subset(font_program(style), glyph_ids))


def prepare_fonts(styles: tuple[str, ...] = ("Regular",)) -> None:
    """Cut (or read back) the programs nearly every signature embeds, ahead of the first one."""
    for style in styles:
        embedded_program(style, _alphabet_glyphs(style))


def cut_subset(program: bytes, glyph_ids: tuple[int, ...]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program))
    opts = subset.Options(layout_closure=False)
    opts.drop_tables += ["GPOS", "GDEF", "GSUB"]
    opts.retain_gids = True
    sub = subset.Subsetter(options=opts)
    sub.populate(gids=list(glyph_ids))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


class _PreparedCIDFont(CIDFontType2):
    """A TrueType CID font whose program comes ready-made instead of from saving the parsed font."""

    def __init__(self, tt: TTFont, base_ps_name: str, subset_prefix: str, program: Callable[[], bytes]) -> None:
        super().__init__(tt, base_ps_name, subset_prefix)
        self._program = program

    def set_font_file(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        stream = generic.StreamObject({pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=self._program())
        ref: generic.IndirectObject = writer.add_object(stream)
        self._font_descriptor[pdf_name("/FontFile2")] = ref
        return ref


# MuPDF takes a font whose name starts with "DF" or "DLC" for a DynaLab font and hints its glyphs,
# so one in 676 random subset tags ("DFQZKA+LiberationSerif") made the same appearance draw a
# little differently in MuPDF-based viewers, and in the app's own preview.
_HINTED_TAG_STARTS = ("DF", "DLC")


def _plain_subset_tag(engine: FontEngine, writer: BasePdfFileWriter, base_ps_name: str) -> None:
    """Give `engine` another subset tag, registered with `writer` as pyHanko's own, if its random
    one starts like a name viewers treat specially."""
    old = engine.subset_prefix
    if old is None or not old.startswith(_HINTED_TAG_STARTS):
        return
    collection = writer.get_subset_collection(base_ps_name)
    new = old
    while new.startswith(_HINTED_TAG_STARTS):
        new = collection.add_subset()
    del collection.subsets[old]
    collection.subsets[new] = engine
    engine.subset_prefix = new


class PreparedGlyphAccumulator(GlyphAccumulator):
    """pyHanko's OpenType engine (shaping, widths, ToUnicode) embedding a subset that covers
    ALPHABET plus the glyphs used, taken from `embedded_program`'s cache. `for_writer` gives one
    without parsing the font again."""

    def __init__(self, writer: BasePdfFileWriter, style: str) -> None:
        super().__init__(writer, io.BytesIO(font_program(style)), font_size=1)
        self.style = style
        self._base_ps_name = self.cidfont_obj.name.split("+", 1)[1]
        _plain_subset_tag(self, writer, self._base_ps_name)
        self.cidfont_obj = _PreparedCIDFont(self.tt, self._base_ps_name, self.subset_prefix, self._program)

    @classmethod
    def for_writer(cls, writer: BasePdfFileWriter, style: str) -> PreparedGlyphAccumulator:
        """An engine of its own for `writer` (its subset, widths and ToUnicode map), sharing the
        style's parsed font and HarfBuzz face: parsing them took longer than the whole appearance.
        The shared font is only read: the subset is cut from a fresh copy (`embedded_program`)."""
        template = _template(style)
        eng = copy.copy(template)
        # The writer's own subset tag and registration, as pyHanko's constructor makes them.
        FontEngine.__init__(eng, writer, template._base_ps_name, embedded_subset=True, font_size=1)
        _plain_subset_tag(eng, writer, template._base_ps_name)
        eng._font_ref = writer.allocate_placeholder()
        eng.cidfont_obj = _PreparedCIDFont(eng.tt, eng._base_ps_name, eng.subset_prefix, eng._program)
        eng._glyphs = dict(template._glyphs)
        eng._cid_to_unicode = {}
        eng._subset_created = eng._write_prepared = False
        return eng

    def _extract_subset(self, options: subset.Options | None = None) -> None:
        # The subset is cut from a fresh copy by embedded_program; this engine's font stays whole.
        for gid in _alphabet_glyphs(self.style):
            self._get_cid_and_width(gid)

    def _program(self) -> bytes:
        return embedded_program(self.style, tuple(sorted(self._glyphs)))


@functools.lru_cache(maxsize=4)
def _template(style: str) -> PreparedGlyphAccumulator:
    """The style's engine on a writer of its own, with what the copies read already loaded:
    fontTools parses a table on first use, and the engines of a batch may run on two threads.
    (The tables pyHanko reads for the font descriptor are parsed by the constructor.)"""
    from pyhanko.pdf_utils.writer import PdfFileWriter

    eng = PreparedGlyphAccumulator(PdfFileWriter(), style)
    eng._extract_subset()
    _ = eng._reverse_cmap
    return eng


class FontCache:
    """One embedded font subset per writer and style, shared by every appearance in a revision."""

    def __init__(self, writer: BasePdfFileWriter) -> None:
        self.writer = writer
        self._engines: dict[str, GlyphAccumulator] = {}

    def engine(self, style: str = "Regular") -> GlyphAccumulator:
        eng = self._engines.get(style)
        if eng is None:
            eng = PreparedGlyphAccumulator.for_writer(self.writer, style)
            self._engines[style] = eng
        return eng

    def text_width(self, text: str, size: float, style: str = "Regular") -> float:
        eng = self.engine(style)
        return eng.shape(nfc(text), with_actual_text=False).x_advance * size

    def close(self) -> None:
        self._engines.clear()


def nfc(text: str) -> str:
    # Precomposed Vietnamese letters map to single glyphs, so extraction gives the same string.
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class TextLine:
    text: str
    x: float  # left of the baseline, in displayed box coordinates (bottom-left origin)
    y: float
    size: float
    color: tuple[float, float, float] = BLACK
    style: str = "Regular"


@dataclass(frozen=True)
class ImageItem:
    path: Path
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 inside the box, bottom-left origin


def fit_image(
    img_size: tuple[int, int], box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The largest rectangle with the image's aspect ratio centred in `box`."""
    iw, ih = img_size
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    if iw <= 0 or ih <= 0 or bw <= 0 or bh <= 0:
        return box
    scale = min(bw / iw, bh / ih)
    w, h = iw * scale, ih * scale
    cx, cy = x0 + (bw - w) / 2, y0 + (bh - h) / 2
    return (cx, cy, cx + w, cy + h)


def build_form(
    writer: BasePdfFileWriter,
    fonts: FontCache,
    width: float,
    height: float,
    rotate: int,
    *,
    images: tuple[ImageItem, ...] = (),
    lines: tuple[TextLine, ...] = (),
    image_cache: dict[str, generic.IndirectObject] | None = None,
) -> generic.IndirectObject:
    """Register a form XObject of the given displayed size and return its reference."""
    ops: list[bytes] = [b"q"]
    xobjects = generic.DictionaryObject()
    font_res = generic.DictionaryObject()
    cache = image_cache if image_cache is not None else {}
    for n, item in enumerate(images):
        key = str(Path(item.path).resolve())
        ref = cache.get(key)
        if ref is None:
            ref = prepared_image(Path(item.path)).embed(writer)
            cache[key] = ref
        name = f"/Im{n}"
        xobjects[pdf_name(name)] = ref
        x0, y0, x1, y1 = item.rect
        ops.append(b"q %.4f 0 0 %.4f %.4f %.4f cm %s Do Q" % (x1 - x0, y1 - y0, x0, y0, name.encode()))
    font_names: dict[str, str] = {}
    for line in lines:
        eng = fonts.engine(line.style)
        fname = font_names.setdefault(line.style, f"/F{len(font_names)}")
        font_res[pdf_name(fname)] = eng.as_resource()
        eng.font_size = line.size  # type: ignore[assignment]  # pyHanko annotates an int; it computes in floats
        shaped = eng.shape(nfc(line.text))
        r, g, b = line.color
        ops.append(
            b"BT %s %.3f Tf %.3f %.3f %.3f rg %.3f %.3f Td %s ET"
            % (fname.encode(), line.size, r, g, b, line.x, line.y, shaped.graphics_ops)
        )
    ops.append(b"Q")
    resources = generic.DictionaryObject()
    if xobjects:
        resources[pdf_name("/XObject")] = xobjects
    if font_res:
        resources[pdf_name("/Font")] = font_res
    stream = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(
                [generic.FloatObject(0), generic.FloatObject(0),
                 generic.FloatObject(round(width, 4)), generic.FloatObject(round(height, 4))]
            ),
            pdf_name("/Matrix"): generic.ArrayObject(
                [generic.NumberObject(v) for v in appearance_matrix(rotate)]
            ),
            pdf_name("/Resources"): resources,
        },
        stream_data=b" ".join(ops),
    )
    stream.compress()
    form: generic.IndirectObject = writer.add_object(stream)
    return form
