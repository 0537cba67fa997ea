"""Several places, one signature: "show on all pages", chosen pages, initials on every page."""

from __future__ import annotations

import pytest
from pyhanko.sign.diff_analysis import ModificationLevel

from app.signing.geometry import Placement
from app.signing.options import AppearanceOptions, Profile, SigningRequest
from app.signing.pades import sign_document
from tests.fixtures.pki import simple_signer, validation_context
from tests.signing import render
from tests.signing.checks import assert_all_valid, pdfsig_valid_count
from tests.signing.pdfs import admin_pdf

RECT = (330.0, 700.0, 480.0, 770.0)


@pytest.fixture(scope="module")
def signers(demo_pki):
    return {n: simple_signer(demo_pki, n) for n in ("leader", "specialist", "seal")}


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory):
    return admin_pdf(tmp_path_factory.mktemp("multi") / "three.pdf", pages=3)


def test_all_pages_is_one_valid_signature(tmp_path, signers, three_pages, demo_pki):
    out = tmp_path / "all.pdf"
    sign_document(SigningRequest(three_pages, out, Profile.LEADER, (Placement(0, RECT),), all_pages=True,
                                 options=AppearanceOptions(show_signer=False, show_time=False)),
                  signers["leader"])
    statuses = assert_all_valid(out, 1, vc=validation_context(demo_pki))
    assert statuses[0][1].modification_level == ModificationLevel.NONE
    for page in range(3):
        for mask in (render.blue_mask_mupdf(out, page), render.blue_mask_poppler(out, page, tmp_path)):
            assert render.count_in(mask, RECT) > 200, page
            assert render.count_in(mask, RECT, inside=False) == 0, page


def test_chosen_pages(tmp_path, signers, three_pages, demo_pki):
    out = tmp_path / "chosen.pdf"
    placements = (Placement(0, RECT), Placement(2, (60.0, 60.0, 210.0, 130.0)))
    sign_document(SigningRequest(three_pages, out, Profile.LEADER, placements,
                                 options=AppearanceOptions(show_signer=False, show_time=False)), signers["leader"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    assert render.count_in(render.blue_mask_mupdf(out, 0), RECT) > 200
    assert render.bbox(render.blue_mask_mupdf(out, 1)) is None
    assert render.count_in(render.blue_mask_mupdf(out, 2), placements[1].rect) > 200


def test_initials_on_every_page_then_leader_and_seal(tmp_path, signers, three_pages, demo_pki):
    initialed = tmp_path / "initialed.pdf"
    sign_document(SigningRequest(three_pages, initialed, Profile.INITIALS), signers["specialist"])
    assert_all_valid(initialed, 1, vc=validation_context(demo_pki))
    for page in range(3):
        box = render.bbox(render.blue_mask_mupdf(initialed, page))
        # In the right margin: right of the text column, inside the page.
        assert box is not None and box[0] > 520 and box[2] <= 596, (page, box)
    # The leader and the clerk sign after the initials: every signature stays valid.
    leader = tmp_path / "leader.pdf"
    sign_document(SigningRequest(initialed, leader, Profile.LEADER, (Placement(2, (345.0, 560.0, 495.0, 640.0)),),
                                 all_pages=False), signers["leader"])
    sealed = tmp_path / "sealed.pdf"
    sign_document(SigningRequest(leader, sealed, Profile.SEAL), signers["seal"])
    statuses = dict(assert_all_valid(sealed, 3, vc=validation_context(demo_pki)))
    assert statuses["initials_1"].modification_level <= ModificationLevel.FORM_FILLING
    assert statuses["leader_1"].modification_level <= ModificationLevel.FORM_FILLING
    assert pdfsig_valid_count(sealed) == 3


def test_initials_on_chosen_pages(tmp_path, signers, three_pages, demo_pki):
    from app.signing.autoplace import initials_placements

    places = initials_placements(three_pages, (0, 2))
    assert [p.page for p in places] == [0, 2]
    out = tmp_path / "initials.pdf"
    sign_document(SigningRequest(three_pages, out, Profile.INITIALS, places), signers["specialist"])
    assert_all_valid(out, 1, vc=validation_context(demo_pki))
    assert render.bbox(render.blue_mask_mupdf(out, 1)) is None
    for p in places:
        assert render.count_in(render.blue_mask_mupdf(out, p.page), p.rect) > 50
