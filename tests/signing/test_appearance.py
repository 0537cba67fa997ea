"""What the visible signatures show: exact Vietnamese text, ISO 8601 +07:00, images, Decree 30 layouts."""

from __future__ import annotations

import re
from io import BytesIO

import pymupdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing.geometry import Placement
from app.signing.options import AppearanceOptions, Profile, SigningRequest
from app.signing.pades import sign_document
from app.signing.profiles import iso_vn, vn_time
from app.vntime import VN_TZ
from tests.fixtures.pki import simple_signer, validation_context
from tests.signing import render
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf

BOX = Placement(0, (330.0, 560.0, 560.0, 650.0))
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00")


@pytest.fixture(scope="module")
def signers(demo_pki):
    return {n: simple_signer(demo_pki, n) for n in ("leader", "seal")}


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    return admin_pdf(tmp_path_factory.mktemp("appearance") / "draft.pdf", pages=2)


def _spans(path, page=0):
    with pymupdf.open(str(path)) as doc:
        out = []
        for block in doc[page].get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                text = "".join(s["text"] for s in line["spans"])
                out.append((text, line["spans"][0], pymupdf.Rect(line["bbox"])))
        return out


def test_leader_text_lines_extract_exactly(tmp_path, signers, draft, demo_pki):
    out = tmp_path / "leader.pdf"
    res = sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,),
                                       options=AppearanceOptions(show_org=True, show_email=True)),
                        signers["leader"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    texts = [t for t, _, r in _spans(out) if pymupdf.Rect(BOX.rect).contains(r)]
    # The leader's stamp reads as officers write the time: 22:25:03 01/12/2026 (Vietnam time).
    stamp = vn_time(res.signing_time, "%H:%M:%S %d/%m/%Y")
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2} \d{2}/\d{2}/\d{4}", stamp)
    assert stamp == res.signing_time.astimezone(VN_TZ).strftime("%H:%M:%S %d/%m/%Y")
    assert texts == [
        "Ký bởi: Lê Văn Tuấn",
        "Cơ quan: Sở Thông tin và Truyền thông tỉnh Bình Định",
        "Email: tuanlv@stttt.binhdinh.gov.vn",
        f"Thời gian ký: {stamp}",
    ]
    # The appearance font is embedded (subset) with a ToUnicode map, in Poppler's view too.
    import subprocess

    reader = PdfFileReader(BytesIO(out.read_bytes()))
    widget = next(a.get_object() for a in reader.root["/Pages"]["/Kids"][0].get_object()["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    font = list(widget["/AP"]["/N"]["/Resources"]["/Font"].values())[0].get_object()
    assert "/ToUnicode" in font and "LiberationSerif" in str(font["/BaseFont"])
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    row = next(line for line in fonts.splitlines() if "LiberationSerif" in line.replace(" ", ""))
    assert row.split()[-5:-2] == ["yes", "yes", "yes"]


def test_options_turn_lines_off_and_set_the_size(tmp_path, signers, draft, demo_pki):
    out = tmp_path / "plain.pdf"
    sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,),
                                 options=AppearanceOptions(show_signer=False, show_time=True, font_size=7.0)),
                  signers["leader"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    lines = [(t, s) for t, s, r in _spans(out) if pymupdf.Rect(BOX.rect).contains(r)]
    assert len(lines) == 1 and lines[0][0].startswith("Thời gian ký: ")
    assert lines[0][1]["size"] == pytest.approx(7.0, abs=0.05)


def test_image_keeps_transparency(tmp_path, signers, draft, demo_pki):
    # Over the body text: the text under the box must stay visible through the PNG.
    box = Placement(0, (60.0, 215.0, 330.0, 300.0))
    out = tmp_path / "over-text.pdf"
    sign_document(SigningRequest(draft, out, Profile.LEADER, (box,),
                                 options=AppearanceOptions(show_signer=False, show_time=False)), signers["leader"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    with pymupdf.open(str(out)) as doc:
        pix = doc[0].get_pixmap(clip=pymupdf.Rect(box.rect), alpha=False)
    s, n = pix.samples, pix.n
    dark = sum(1 for i in range(0, len(s), n) if s[i] < 60 and s[i + 1] < 60 and s[i + 2] < 60)
    blue = sum(1 for i in range(0, len(s), n) if render.is_blue(s[i], s[i + 1], s[i + 2]))
    assert dark > 200 and blue > 200


@pytest.mark.parametrize("profile", [Profile.APPENDIX, Profile.COPY])
def test_appendix_and_copy_top_right_times_10_black(tmp_path, signers, draft, demo_pki, profile):
    out = tmp_path / f"{profile.value}.pdf"
    opts = AppearanceOptions(document_number="05/KH-STTTT", copy_form="SAO Y",
                             copy_org="Văn phòng Sở Thông tin và Truyền thông")
    res = sign_document(SigningRequest(draft, out, profile, options=opts), signers["seal"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    stamp = iso_vn(res.signing_time)
    expected = (["05/KH-STTTT", stamp] if profile is Profile.APPENDIX
                else ["SAO Y", "Văn phòng Sở Thông tin và Truyền thông", stamp])
    lines = [(t, s, r) for t, s, r in _spans(out) if t in expected]
    assert [t for t, _, _ in lines] == expected
    for _, span, rect in lines:
        assert span["size"] == pytest.approx(10.0, abs=0.05)
        assert span["color"] == 0
        assert "LiberationSerif" in span["font"].replace(" ", "")
        # Top right of the first page.
        assert rect.x1 > 595 - 60 and rect.y0 < 80
    # No image anywhere.
    assert render.bbox(render.blue_mask_mupdf(out)) is None
    assert render.bbox(render.red_mask_mupdf(out)) is None


def _font_programs(path) -> dict[str, bytes]:
    """Base font name (without the subset tag) -> embedded program, for the last signature's appearance."""
    with open(path, "rb") as fh:
        reader = PdfFileReader(BytesIO(fh.read()))
        sig = reader.embedded_signatures[-1]
        fonts = sig.sig_field["/AP"]["/N"]["/Resources"]["/Font"]
        out = {}
        for ref in fonts.values():
            cid = ref.get_object()["/DescendantFonts"][0].get_object()
            name = str(cid["/BaseFont"]).split("+", 1)[1]
            out[name] = cid["/FontDescriptor"]["/FontFile2"].get_object().data
        return out


def test_the_font_subset_is_prepared_once_for_different_signers(tmp_path, signers, draft, demo_pki):
    # Different names and times, same embedded program: the subset is cut once and reused
    # by every later signature instead of again for each document.
    programs = []
    for name in ("leader", "seal"):
        out = tmp_path / f"{name}.pdf"
        sign_document(SigningRequest(draft, out, Profile.LEADER, (BOX,), options=AppearanceOptions(show_org=True)),
                      signers[name])
        assert_all_valid(out, 1, vc=validation_context(demo_pki))
        programs.append(_font_programs(out))
    assert programs[0] and programs[0].keys() == programs[1].keys()
    for name, program in programs[0].items():
        assert program == programs[1][name], name


def test_cut_fonts_are_kept_in_the_cache_folder_for_the_next_process(tmp_path, signers, draft, demo_pki,
                                                                   monkeypatch):
    from app.signing import appearance, fontcache

    def clear() -> None:
        for cached in (appearance.font_program, appearance._alphabet_glyphs, appearance.embedded_program):
            cached.cache_clear()

    folder = tmp_path / "cache" / "fonts"
    clear()
    monkeypatch.setattr(fontcache, "_folder", [folder])
    first = tmp_path / "first.pdf"
    sign_document(SigningRequest(draft, first, Profile.LEADER, (BOX,)), signers["leader"])
    assert len(list(folder.glob("LiberationSerif-Regular-*.ttf"))) == 2
    # A new process: nothing in memory, everything read back instead of cut again.
    clear()
    monkeypatch.setattr(appearance, "cut_font_program", lambda style: pytest.fail("font cut again"))
    monkeypatch.setattr(appearance, "cut_subset", lambda program, gids: pytest.fail("subset cut again"))
    second = tmp_path / "second.pdf"
    sign_document(SigningRequest(draft, second, Profile.LEADER, (BOX,)), signers["seal"])
    assert_all_valid(second, 1, vc=validation_context(demo_pki))
    assert _font_programs(first) == _font_programs(second)
    clear()


def test_a_damaged_cache_file_is_cut_again_not_embedded(tmp_path, monkeypatch):
    from app.signing import fontcache

    monkeypatch.setattr(fontcache, "_folder", [tmp_path])
    made = []

    def make() -> bytes:
        made.append(1)
        return b"font program " * 100

    first = fontcache.cached("f.ttf", make)
    assert fontcache.cached("f.ttf", make) == first and len(made) == 1
    damaged = bytearray((tmp_path / "f.ttf").read_bytes())
    damaged[10] ^= 0xFF
    (tmp_path / "f.ttf").write_bytes(bytes(damaged))
    assert fontcache.cached("f.ttf", make) == first and len(made) == 2
    (tmp_path / "f.ttf").write_bytes(b"")  # truncated
    assert fontcache.cached("f.ttf", make) == first and len(made) == 3
    assert fontcache.cached("f.ttf", make) == first and len(made) == 3


def test_the_font_is_parsed_once_and_each_document_gets_its_own_subset(tmp_path, signers, draft, demo_pki,
                                                                       monkeypatch):
    """A batch parses the font once; each document still gets an engine of its own: a letter
    outside the prepared alphabet in one document is embedded there, and not in the next one."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    def sign(n: int, org: str):
        out = tmp_path / f"doc-{n}.pdf"
        sign_document(SigningRequest(draft, out, Profile.COPY, options=AppearanceOptions(copy_form="SAO Y",
                                                                                       copy_org=org)),
                      signers["seal"])
        assert_all_valid(out, 1, vc=validation_context(demo_pki))
        return out

    sign(0, "Văn phòng")  # the first signature of the process prepares the font
    parsed = []
    real_init = GlyphAccumulator.__init__

    def counting(self, *args, **kwargs):
        parsed.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(GlyphAccumulator, "__init__", counting)
    rare = "Ǹ"  # Latin, outside the prepared alphabet
    outs = [sign(1, f"Phường {rare}"), sign(2, "Phường An")]
    assert parsed == []
    assert f"Phường {rare}" in [t for t, _, _ in _spans(outs[0])]
    assert "Phường An" in [t for t, _, _ in _spans(outs[1])]
    sizes = [len(_font_programs(out)["LiberationSerif"]) for out in outs]
    assert sizes[0] > sizes[1]


@pytest.mark.parametrize("style", ["Regular", "Italic", "Bold"])
def test_the_postscript_name_is_read_as_pyhanko_reads_it(style):
    """Read from the name table's bytes (fontTools' name table loads its layout tables): the same
    string as pyHanko's own reading, for the cut program and for the shipped font (whose first
    record is a Macintosh one, left to pyHanko)."""
    from fontTools.ttLib import TTFont

    from app.resources import font_path
    from app.signing import appearance

    for program in (appearance.font_program(style), font_path(style).read_bytes()):
        direct = appearance._read_ps_name(TTFont(BytesIO(program)))
        assert direct == appearance._pyhanko_read_ps_name(TTFont(BytesIO(program)))
        assert direct.startswith("LiberationSerif")


def _font_tags(path) -> set[str]:
    """The subset tags of every font name in the file (BaseFont, FontName)."""
    tags = set()
    with pymupdf.open(str(path)) as doc:
        for xref in range(1, doc.xref_length()):
            for key in ("BaseFont", "FontName"):
                try:
                    kind, value = doc.xref_get_key(xref, key)
                except (RuntimeError, pymupdf.mupdf.FzErrorBase):  # a free entry
                    break
                if kind == "name" and "+" in value:
                    tags.add(value.lstrip("/").split("+", 1)[0])
    return tags


def test_subset_tags_never_start_like_a_font_that_viewers_hint(tmp_path, signers, draft, monkeypatch):
    """MuPDF hints fonts whose name starts with "DF" or "DLC" (DynaLab's): a tag drawn at random
    to start so would make the same appearance look different in the preview and in viewers."""
    import itertools

    from pyhanko.pdf_utils.font import api

    drawn: list[str] = []
    # Every other tag drawn starts like a DynaLab font's.
    tags = (t for n in itertools.count() for t in (f"DF{n:04d}", f"DLC{n:03d}", f"QW{n:04d}"))

    def draw() -> str:
        drawn.append(next(tags))
        return drawn[-1]

    monkeypatch.setattr(api, "generate_subset_prefix", draw)
    found = []
    for n in range(2):  # the process's first engine, then one made for the next writer
        out = tmp_path / f"doc-{n}.pdf"
        sign_document(SigningRequest(draft, out, Profile.LEADER, placements=(BOX,)), signers["leader"])
        found.append(_font_tags(out))
    assert all(found) and not [t for tags_ in found for t in tags_ if t.startswith(("DF", "DLC"))], found
    assert sum(t.startswith("DF") for t in drawn) >= 2  # both documents were offered one
