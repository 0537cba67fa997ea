"""Displayed placements on rotated pages and offset boxes: the math, the /Rect, and what viewers draw."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.signing.geometry import (
    PageGeometry,
    Placement,
    displayed_to_user_space,
    user_to_displayed_space,
)
from app.signing.options import AppearanceOptions, Profile, SigningRequest
from app.signing.pades import sign_document
from tests.fixtures.pki import validation_context
from tests.signing import render
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf

MEDIA = (50.0, 100.0, 645.0, 942.0)
CROP = (80.0, 120.0, 600.0, 900.0)
CASES = [(r, None, None) for r in (0, 90, 180, 270)] + [(r, MEDIA, CROP) for r in (0, 90, 180, 270)]
RECT = (300.0, 250.0, 470.0, 330.0)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_round_trip_and_corners(rotate):
    geom = PageGeometry.of(MEDIA, CROP, rotate)
    dw, dh = geom.displayed_size
    assert (dw, dh) == ((520, 780) if rotate in (0, 180) else (780, 520))
    for rect in [(10, 20, 110, 70), (0, 0, dw, dh), (dw - 5, dh - 7, dw, dh)]:
        back = user_to_displayed_space(geom, displayed_to_user_space(geom, rect))
        assert back == pytest.approx(rect)
    # The displayed top-left corner is the CropBox corner the viewer turns to the top left.
    expected_top_left = {0: (80, 900), 90: (80, 120), 180: (600, 120), 270: (600, 900)}[rotate]
    assert geom.displayed_to_user_point(0, 0) == pytest.approx(expected_top_left)


def test_whole_page_maps_to_cropbox():
    for rotate in (0, 90, 180, 270):
        geom = PageGeometry.of(MEDIA, CROP, rotate)
        dw, dh = geom.displayed_size
        assert displayed_to_user_space(geom, (0, 0, dw, dh)) == pytest.approx(CROP)


@pytest.fixture(scope="module")
def reference_crop(tmp_path_factory, leader, demo_pki):
    """The box as drawn on an ordinary page, to compare the rotated ones against."""
    folder = tmp_path_factory.mktemp("geomref")
    src = admin_pdf(folder / "r0.pdf")
    out = folder / "r0-signed.pdf"
    sign_document(SigningRequest(src, out, Profile.LEADER, (Placement(0, RECT),),
                                 options=AppearanceOptions(show_signer=False, show_time=False)), leader)
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    return render.crop(render.blue_mask_mupdf(out), RECT)


@pytest.mark.parametrize("rotate,media,crop", CASES)
def test_signed_box_sits_where_asked_and_upright(tmp_path, leader, demo_pki, reference_crop, rotate, media, crop):
    src = admin_pdf(tmp_path / "in.pdf", rotate=rotate, mediabox=media, cropbox=crop)
    out = tmp_path / "out.pdf"
    placement = Placement(0, RECT)
    sign_document(SigningRequest(src, out, Profile.LEADER, (placement,),
                                 options=AppearanceOptions(show_signer=False, show_time=False)), leader)
    assert_all_valid(out, 1, vc=validation_context(demo_pki))

    # The widget's /Rect, read back and converted to displayed space, is the requested box.
    reader = PdfFileReader(BytesIO(out.read_bytes()))
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig")
    geom = PageGeometry.from_pyhanko_page(page)
    assert geom.rotate == rotate
    assert user_to_displayed_space(geom, [float(v) for v in widget["/Rect"]]) == pytest.approx(RECT, abs=0.01)

    # Both MuPDF and Poppler draw the blue signature inside the box and nowhere else.
    for mask in (render.blue_mask_mupdf(out), render.blue_mask_poppler(out, tmp=tmp_path)):
        assert render.count_in(mask, RECT) > 300
        assert render.count_in(mask, RECT, inside=False) == 0
    # Upright: the picture matches the one drawn on an unrotated page.
    got = render.crop(render.blue_mask_mupdf(out), RECT)
    assert render.iou(got, reference_crop) > 0.8


@pytest.mark.parametrize("rotate", [90, 270])
def test_text_lines_read_left_to_right_on_rotated_pages(tmp_path, leader, demo_pki, rotate):
    src = admin_pdf(tmp_path / "in.pdf", rotate=rotate)
    out = tmp_path / "out.pdf"
    sign_document(SigningRequest(src, out, Profile.LEADER, (Placement(0, RECT),),
                                 options=AppearanceOptions(show_image=False)), leader)
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    lines = [t for t in render.displayed_text_lines(out) if t[0].startswith(("Ký bởi", "Thời gian ký"))]
    assert len(lines) == 2
    for text, direction, box in lines:
        assert direction == pytest.approx((1.0, 0.0), abs=1e-3), text
        assert RECT[0] - 1 <= box[0] and box[2] <= RECT[2] + 1
        assert RECT[1] - 1 <= box[1] and box[3] <= RECT[3] + 1


def test_placement_json_round_trip():
    p = Placement(2, (1.5, 2.0, 30.0, 40.25))
    assert Placement.from_json(p.to_json()) == p
