"""The clerk's step: reserved number/date fields, filled with the seal after the leader signed."""

from __future__ import annotations

from datetime import date

import pymupdf
import pytest
from pyhanko.sign.diff_analysis import ModificationLevel

from app.fileio import sha256_file
from app.resources import font_path
from app.signing.errors import NoLeaderSignatureError, NoReservedFieldsError
from app.signing.fields import (
    DAY_FIELD,
    MONTH_FIELD,
    NUMBER_FIELD,
    fill_number_and_date,
    find_gaps,
    format_number,
    format_release_date,
    prepare_draft,
)
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest, TsaConfig
from app.signing.pades import sign_document
from tests.fixtures.pki import pdfsig, simple_signer, validation_context
from tests.signing import render
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import admin_pdf, upright_rotated_pdf

LEADER_BOX = Placement(0, (345.0, 560.0, 495.0, 640.0))


def test_number_and_date_formats():
    assert format_number(5, "KH-STTTT") == "05/KH-STTTT"
    assert format_number(12, "QĐ-UBND") == "12/QĐ-UBND"
    assert format_release_date("Đắk Nông", date(2022, 5, 5)) == "Đắk Nông, ngày 05 tháng 5 năm 2022"
    assert format_release_date("Bình Định", date(2026, 2, 14)) == "Bình Định, ngày 14 tháng 02 năm 2026"
    assert format_release_date("Bình Định", date(2026, 11, 21)) == "Bình Định, ngày 21 tháng 11 năm 2026"
    with pytest.raises(ValueError):
        format_number(0, "KH")


@pytest.fixture(scope="module")
def signers(demo_pki):
    return simple_signer(demo_pki, "leader"), simple_signer(demo_pki, "seal")


@pytest.fixture(scope="module")
def leader_signed(tmp_path_factory, signers):
    folder = tmp_path_factory.mktemp("clerk")
    src = admin_pdf(folder / "draft.pdf")
    prepared = prepare_draft(src, folder / "prepared.pdf", place_name="Bình Định")
    assert {f.name for f in prepared.fields} >= {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD}
    signed = folder / "leader.pdf"
    sign_document(SigningRequest(prepared.output_path, signed, Profile.LEADER, (LEADER_BOX,)), signers[0])
    return signed


def test_dates_already_written_are_not_gaps(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    font = pymupdf.Font(fontfile=str(font_path("Regular")))
    tw = pymupdf.TextWriter(page.rect)
    tw.append((72, 100), "Bình Định, ngày 05 tháng 5 năm 2022", font=font, fontsize=13)
    tw.write_text(page)
    path = tmp_path / "dated.pdf"
    doc.save(str(path))
    assert find_gaps(path) == ()


def test_gaps_found_in_the_text_layer(tmp_path):
    src = admin_pdf(tmp_path / "d.pdf")
    gaps = {g.name: g for g in find_gaps(src)}
    assert gaps[NUMBER_FIELD].printed_symbol == "/KH-STTTT"
    # The number gap lies between "Số:" and the printed symbol, on the same line.
    with pymupdf.open(str(src)) as doc:
        so = doc[0].search_for("Số:")[0]
        sym = doc[0].search_for("/KH-STTTT")[0]
    x0, y0, x1, y1 = gaps[NUMBER_FIELD].rect
    assert so.x1 <= x0 < x1 <= sym.x0
    assert abs((y0 + y1) / 2 - (so.y0 + so.y1) / 2) < 3


def test_clerk_fills_and_seals_in_one_revision(leader_signed, signers, demo_pki, demo_nssdb, tmp_path):
    before = sha256_file(leader_signed)
    out = tmp_path / "released.pdf"
    res = sign_document(
        SigningRequest(leader_signed, out, Profile.SEAL, number="05/KH-STTTT", release_date=date(2026, 5, 5),
                       tsa=TsaConfig(demo_pki.tsa_url, timeout_s=10)),
        signers[1],
    )
    assert res.level == "B-T"
    assert sha256_file(leader_signed) == before
    statuses = dict(assert_all_valid(out, 2, vc=validation_context(demo_pki)))
    # The leader's signature sees only form filling and a new signature after it.
    assert statuses["leader_1"].modification_level == ModificationLevel.FORM_FILLING
    assert statuses["seal_1"].modification_level == ModificationLevel.NONE
    # The values are in the fields and drawn on the page.
    with pymupdf.open(str(out)) as doc:
        values = {
            w.field_name: w.field_value
            for w in doc[0].widgets()
            if w.field_name in (NUMBER_FIELD, DAY_FIELD, MONTH_FIELD)
        }
        text = doc[0].get_text()
    assert values == {NUMBER_FIELD: "05", DAY_FIELD: "05", MONTH_FIELD: "5"}
    assert "05" in text
    if demo_nssdb is not None:
        # Poppler with the demo root trusted: both signatures valid and their certificates trusted.
        report = pdfsig(out, demo_nssdb)
        assert report.count("Signature Validation: Signature is Valid.") == 2
        assert report.count("Certificate Validation: Certificate is Trusted.") == 2, report


def test_fill_only_then_seal_keeps_both_valid(leader_signed, signers, demo_pki, tmp_path):
    filled = tmp_path / "filled.pdf"
    res = fill_number_and_date(leader_signed, filled, number="7", release_date=date(2026, 1, 9))
    assert res.filled == {NUMBER_FIELD: "07", DAY_FIELD: "09", MONTH_FIELD: "01", "nam": "2026"} or res.filled == {
        NUMBER_FIELD: "07",
        DAY_FIELD: "09",
        MONTH_FIELD: "01",
    }
    statuses = dict(assert_all_valid(filled, 1, vc=validation_context(demo_pki)))
    assert statuses["leader_1"].modification_level == ModificationLevel.FORM_FILLING
    sealed = tmp_path / "sealed.pdf"
    sign_document(SigningRequest(filled, sealed, Profile.SEAL), signers[1])
    assert_all_valid(sealed, 2, vc=validation_context(demo_pki))


def test_seal_sits_over_the_left_third_of_the_leader_box(leader_signed, signers, tmp_path, demo_pki):
    out = tmp_path / "sealed.pdf"
    sign_document(SigningRequest(leader_signed, out, Profile.SEAL), signers[1])
    assert_all_valid(out, 2, vc=validation_context(demo_pki))
    red = render.bbox(render.red_mask_mupdf(out))
    assert red is not None
    x0, y0, x1, y1 = LEADER_BOX.rect
    seal_mm = 36.0 * 72 / 25.4
    # Real size (within the drawing's margin) and its right edge at the first third of the box.
    assert abs((red[2] - red[0]) - seal_mm) < 6
    assert abs(red[2] - (x0 + (x1 - x0) / 3)) < 4
    assert abs((red[1] + red[3]) / 2 - (y0 + y1) / 2) < 4


def test_seal_refused_without_leader_signature(tmp_path, signers):
    src = admin_pdf(tmp_path / "d.pdf")
    with pytest.raises(NoLeaderSignatureError) as info:
        sign_document(SigningRequest(src, tmp_path / "out.pdf", Profile.SEAL), signers[1])
    assert "32.2.d" in info.value.message_vi
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.pdf"]


def test_no_reserved_fields_fills_nothing(tmp_path, signers, demo_pki):
    src = admin_pdf(tmp_path / "d.pdf")
    signed = tmp_path / "leader.pdf"
    sign_document(SigningRequest(src, signed, Profile.LEADER, (LEADER_BOX,), reserve_number_fields=False), signers[0])
    with pytest.raises(NoReservedFieldsError):
        fill_number_and_date(signed, tmp_path / "filled.pdf", number="05", release_date=date(2026, 5, 5))
    with pytest.raises(NoReservedFieldsError):
        sign_document(SigningRequest(signed, tmp_path / "sealed.pdf", Profile.SEAL, number="05"), signers[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.pdf", "leader.pdf"]
    assert_all_valid(signed, 1, vc=validation_context(demo_pki))


def test_first_signature_reserves_the_fields_itself(tmp_path, signers, demo_pki):
    """No separate preparation: the leader's own revision reserves the places, the clerk fills them."""
    src = admin_pdf(tmp_path / "d.pdf")
    leader = tmp_path / "leader.pdf"
    sign_document(SigningRequest(src, leader, Profile.LEADER, (LEADER_BOX,)), signers[0])
    with pymupdf.open(str(leader)) as doc:
        names = {w.field_name for w in doc[0].widgets()}
    assert {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD} <= names
    sealed = tmp_path / "sealed.pdf"
    sign_document(
        SigningRequest(leader, sealed, Profile.SEAL, number="12/KH-STTTT", release_date=date(2026, 11, 21)), signers[1]
    )
    statuses = dict(assert_all_valid(sealed, 2, vc=validation_context(demo_pki)))
    assert statuses["leader_1"].modification_level == ModificationLevel.FORM_FILLING
    # Opting out leaves the document without fields.
    plain = tmp_path / "plain.pdf"
    sign_document(SigningRequest(src, plain, Profile.LEADER, (LEADER_BOX,), reserve_number_fields=False), signers[0])
    assert_all_valid(plain, 1, vc=validation_context(demo_pki))
    with pymupdf.open(str(plain)) as doc:
        assert {w.field_name for w in doc[0].widgets()} == {"leader_1"}


def test_sandbox_document_italic_date_line(tmp_path):
    from app.sandbox.documents import make_admin_pdf

    path = tmp_path / "sb.pdf"
    make_admin_pdf(
        path,
        title="KẾ HOẠCH",
        summary="Tết trồng cây",
        body_paragraphs=["Thực hiện Kế hoạch số 222/KH-UBND ngày 05 tháng 5 năm 2022 của UBND tỉnh."],
        number_symbol="KH-STTTT",
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Tuấn",
    )
    gaps = {g.name: g for g in find_gaps(path)}
    assert {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD} <= set(gaps)
    # The release-date line, not the date cited in the body, and drawn in its italic style.
    assert gaps[DAY_FIELD].rect[1] < 150
    assert gaps[DAY_FIELD].style == "Italic" and gaps[NUMBER_FIELD].style == "Regular"


@pytest.mark.parametrize("rotate", [90, 270])
def test_clerk_flow_on_a_rotated_page(tmp_path, signers, demo_pki, rotate):
    from app.signing.autoplace import propose_placement

    src = upright_rotated_pdf(admin_pdf(tmp_path / "a4.pdf"), tmp_path / "rot.pdf", rotate)
    gaps = {g.name: g for g in find_gaps(src)}
    upright = {g.name: g for g in find_gaps(admin_pdf(tmp_path / "plain.pdf"))}
    # Same gaps as on the unrotated original, in displayed space.
    assert gaps[NUMBER_FIELD].rect == pytest.approx(upright[NUMBER_FIELD].rect, abs=1.0)
    box = propose_placement(src)
    assert box is not None
    leader = tmp_path / "leader.pdf"
    sign_document(SigningRequest(src, leader, Profile.LEADER, (box,)), signers[0])
    sealed = tmp_path / "sealed.pdf"
    sign_document(SigningRequest(leader, sealed, Profile.SEAL, number="05", release_date=date(2026, 5, 5)), signers[1])
    statuses = dict(assert_all_valid(sealed, 2, vc=validation_context(demo_pki)))
    assert statuses["leader_1"].modification_level == ModificationLevel.FORM_FILLING
    # The filled number reads left to right inside its gap, as displayed.
    x0, y0, x1, y1 = gaps[NUMBER_FIELD].rect
    lines = [t for t in render.displayed_text_lines(sealed) if t[0] == "05"]
    assert any(d == (1.0, 0.0) and x0 - 1 <= b[0] and b[2] <= x1 + 1 and y0 - 2 <= b[1] for _, d, b in lines), lines
    # The red seal sits over the left third of the leader's box, as displayed.
    red = render.bbox(render.red_mask_mupdf(sealed))
    assert abs(red[2] - (box.rect[0] + box.width / 3)) < 4


def test_a_number_whose_symbol_differs_from_the_printed_one_is_refused(tmp_path):
    # The trial: the citizen's form prints "Số: …/ĐĐN" while iDesk registered 06/KH-STTTT.
    from app.signing.errors import SymbolMismatchError
    from app.signing.fields import values_for

    assert values_for("06/KH-STTTT", None, "/KH-STTTT") == {"so_van_ban": "06"}
    assert values_for("6", None, "/KH-STTTT") == {"so_van_ban": "06"}
    with pytest.raises(SymbolMismatchError) as info:
        values_for("06/KH-STTTT", None, "/ĐĐN")
    assert "/ĐĐN" in info.value.message_vi and "KH-STTTT" in info.value.message_vi


def test_check_fillable_refuses_before_a_number_is_taken(tmp_path):
    # The clerk's number is registered only after this check: a file that cannot show it is refused first.
    from app.signing.errors import SymbolMismatchError
    from app.signing.fields import check_fillable

    plain = admin_pdf(tmp_path / "plain.pdf")
    with pytest.raises(NoReservedFieldsError):
        check_fillable(plain, None, None)
    form = prepare_draft(admin_pdf(tmp_path / "form.pdf", symbol="ĐĐN"), tmp_path / "form_p.pdf").output_path
    digest = sha256_file(form)
    with pytest.raises(SymbolMismatchError):
        check_fillable(form, "01/STTTT", date(2026, 12, 1))
    assert sha256_file(form) == digest
    good = prepare_draft(admin_pdf(tmp_path / "kh.pdf"), tmp_path / "kh_p.pdf").output_path
    check_fillable(good, "01/KH-STTTT", date(2026, 12, 1))


def test_filled_number_and_date_read_as_decree_30_writes_them(tmp_path, signers, demo_pki):
    # The walk-through: "Số: 02 /QĐ-STTTT" and "ngày01 tháng12năm" in a smaller, upright font.
    import subprocess

    from app.sandbox.documents import make_admin_pdf

    src = tmp_path / "qd.pdf"
    make_admin_pdf(src, title="QUYẾT ĐỊNH", summary="Về việc thử", body_paragraphs=["Nội dung."],
                   number_symbol="QĐ-STTTT", signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn")
    prepared = prepare_draft(src, tmp_path / "prepared.pdf").output_path
    signed = tmp_path / "leader.pdf"
    sign_document(SigningRequest(prepared, signed, Profile.LEADER, (LEADER_BOX,)), signers[0])
    day = date.today().replace(month=12, day=1)
    filled = fill_number_and_date(signed, tmp_path / "filled.pdf", number="02/QĐ-STTTT", release_date=day)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(filled.output_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert "Số: 02/QĐ-STTTT" in lines
    assert f"Bình Định, ngày 01 tháng 12 năm {day.year}" in lines
    # Drawn in the line's own size (13 pt) and style (the date line is italic).
    with pymupdf.open(str(filled.output_path)) as doc:
        sizes = {w.field_name: w.text_fontsize for w in doc[0].widgets() if w.field_type_string == "Text"}
    assert sizes == {NUMBER_FIELD: 13.0, DAY_FIELD: 13.0, MONTH_FIELD: 13.0}
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(filled.output_path, "rb") as fh:
        fields = {str(f.get_object()["/T"]): f.get_object() for f in PdfFileReader(fh).root["/AcroForm"]["/Fields"]}
        assert str(fields[DAY_FIELD]["/LTFontStyle"]) == "Italic" and "/LTFontStyle" not in fields[NUMBER_FIELD]
    statuses = dict(assert_all_valid(filled.output_path, 1, vc=validation_context(demo_pki)))
    assert statuses["leader_1"].modification_level == ModificationLevel.FORM_FILLING


def test_gaps_read_the_text_layer_once_without_the_images(tmp_path, monkeypatch):
    """Every first signature looks for the gaps: one text layer, and never the page's images
    (a scanned page's would be copied out whole for nothing)."""
    src = admin_pdf(tmp_path / "a.pdf")
    with pymupdf.open(str(src)) as doc:
        scan = pymupdf.Pixmap(pymupdf.csRGB, (0, 0, 400, 400), False)
        doc[0].insert_image(pymupdf.Rect(60, 600, 260, 800), pixmap=scan)
        doc.save(str(tmp_path / "scan.pdf"))
    made = []
    real = pymupdf.Page.get_textpage

    def counting(self, *args, **kwargs):
        made.append(kwargs.get("flags", args[1] if len(args) > 1 else None))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pymupdf.Page, "get_textpage", counting)
    gaps = find_gaps(tmp_path / "scan.pdf")
    assert {g.name for g in gaps} == {NUMBER_FIELD, DAY_FIELD, MONTH_FIELD}
    assert len(made) == 1 and made[0] is not None and not made[0] & pymupdf.TEXT_PRESERVE_IMAGES
