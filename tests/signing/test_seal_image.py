"""The training seal and the appearance fonts draw every Vietnamese letter (the trial's seal showed
boxes for Ỉ, Ị, Ở): glyph coverage of the fonts, and the rendered seal image itself."""

from __future__ import annotations

import pymupdf
import pytest

from app.resources import font_path, resource
from app.signing.seal_image import missing_glyphs, seal_png

VIETNAMESE = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
    + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
)
SEAL_UPPER, SEAL_LOWER = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "TỈNH BÌNH ĐỊNH"


@pytest.mark.parametrize("style", ["Regular", "Bold", "Italic"])
def test_the_fonts_cover_every_vietnamese_letter(style):
    assert missing_glyphs(VIETNAMESE + VIETNAMESE.upper(), font_path(style)) == []
    font = pymupdf.Font(fontfile=str(font_path(style)))
    assert all(font.has_glyph(ord(ch)) for ch in VIETNAMESE)


def test_a_font_without_the_letters_is_caught(tmp_path):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    ttf = TTFont(str(font_path("Bold")))
    subsetter = subset.Subsetter()
    subsetter.populate(text="SONGTHIVATRUYENBDH ")
    subsetter.subset(ttf)
    poor = tmp_path / "poor.ttf"
    ttf.save(str(poor))
    missing = missing_glyphs(SEAL_UPPER + SEAL_LOWER, poor)
    assert {"Ỉ", "Ị", "Ở"} <= set(missing)
    assert missing == sorted(set(SEAL_UPPER + SEAL_LOWER) - set("SONGTHIVATRUYENBDH "))


def _red_pixels(png: bytes) -> int:
    pix = pymupdf.Pixmap(png)
    samples, n = pix.samples, pix.n
    return sum(
        1 for i in range(0, len(samples), n) if samples[i] > 150 and samples[i + 1] < 90 and samples[i + 3] > 128
    )


def test_the_shipped_seal_sample_is_the_generated_one_with_every_letter():
    png = seal_png(SEAL_UPPER, SEAL_LOWER)
    shipped = resource("images", "seal-sample.png").read_bytes()
    # The shipped sample is this generator's output (regenerate it with app.signing.seal_image.write_seal).
    ours, theirs = pymupdf.Pixmap(png), pymupdf.Pixmap(shipped)
    assert (theirs.width, theirs.height, theirs.alpha) == (ours.width, ours.height, 1)
    assert abs(_red_pixels(png) - _red_pixels(shipped)) < 0.01 * _red_pixels(png)
    # Transparent corners (the seal lies over the leader's signature).
    assert theirs.pixel(0, 0)[3] == 0 and theirs.pixel(theirs.width - 1, theirs.height - 1)[3] == 0
    with pytest.raises(ValueError):
        seal_png("SỞ \u0e01", "X")  # a letter the font lacks is refused, never drawn as a box


def test_the_seal_text_is_drawn_as_glyphs_not_boxes(tmp_path):
    # Draw the seal's letters with the seal font on a page and read them back: a missing glyph
    # would come back as a different character (or nothing).
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="seal", fontfile=str(font_path("Bold")))
    page.insert_text((40, 100), SEAL_UPPER + " " + SEAL_LOWER, fontname="seal", fontsize=14)
    assert page.get_text().strip() == SEAL_UPPER + " " + SEAL_LOWER
    pix = page.get_pixmap(clip=pymupdf.Rect(30, 80, 560, 110))
    assert pix.is_unicolor is False
    doc.close()
