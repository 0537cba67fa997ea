"""Files officers really get: not PDFs, truncated downloads, passwords, hybrid xrefs, signed, certified."""

from __future__ import annotations

import os

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

from app.errors import BadInputError, LienThongError
from app.fileio import sha256_file
from app.signing.errors import (
    CertificationLockedError,
    CorruptPdfError,
    NotAPdfError,
    OutputWriteError,
    PasswordRequiredError,
    PlacementOutOfPageError,
    WrongPdfPasswordError,
)
from app.signing.geometry import Placement
from app.signing.options import Profile, SigningRequest
from app.signing.pades import sign_document
from tests.fixtures.pki import simple_signer, validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.pdfs import encrypted_pdf, hybrid_xref_pdf

BOX = Placement(0, (330.0, 560.0, 500.0, 640.0))


def _sign(src, out, signer, **kw):
    return sign_document(SigningRequest(src, out, Profile.LEADER, (BOX,), **kw), signer)


def _only(folder, *names):
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_not_a_pdf(tmp_path, leader):
    src = tmp_path / "letter.pdf"
    src.write_bytes(b"PK\x03\x04 this is a docx renamed to pdf" * 20)
    with pytest.raises(NotAPdfError) as info:
        _sign(src, tmp_path / "out.pdf", leader)
    assert isinstance(info.value, BadInputError)
    assert "không phải" in info.value.message_vi and info.value.message_en
    _only(tmp_path, "letter.pdf")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_download(tmp_path, leader, draft, keep):
    data = draft.read_bytes()
    src = tmp_path / "partial.pdf"
    src.write_bytes(data[: int(len(data) * keep)])
    before = sha256_file(src)
    with pytest.raises(CorruptPdfError):
        _sign(src, tmp_path / "out.pdf", leader)
    assert sha256_file(src) == before
    _only(tmp_path, "partial.pdf")


def test_missing_file(tmp_path, leader):
    with pytest.raises(CorruptPdfError):
        _sign(tmp_path / "nope.pdf", tmp_path / "out.pdf", leader)
    _only(tmp_path)


def test_encrypted_asks_for_password_then_signs(tmp_path, leader, draft, demo_pki):
    src = encrypted_pdf(draft, tmp_path / "locked.pdf", user_pw="matkhau")
    before = sha256_file(src)
    out = tmp_path / "out.pdf"
    with pytest.raises(PasswordRequiredError) as info:
        _sign(src, out, leader)
    assert not isinstance(info.value, WrongPdfPasswordError)
    with pytest.raises(WrongPdfPasswordError):
        _sign(src, out, leader, pdf_password="sai")
    _only(tmp_path, "locked.pdf")
    res = _sign(src, out, leader, pdf_password="matkhau")
    assert res.level == "B-B"
    assert sha256_file(src) == before
    assert out.read_bytes().startswith(src.read_bytes())
    assert_all_valid(out, 1, vc=validation_context(demo_pki), password="matkhau")
    # Without a chosen position the box is still proposed: the password opens the text layer.
    auto = tmp_path / "auto.pdf"
    res = sign_document(SigningRequest(src, auto, Profile.LEADER, pdf_password="matkhau"), leader)
    assert any("chức danh" in w.vi for w in res.warnings) and not any("không hiển thị" in w.vi for w in res.warnings)
    assert_all_valid(auto, 1, vc=validation_context(demo_pki), password="matkhau")


def test_direct_encrypt_dictionary_signs_and_validates(tmp_path, leader, draft, demo_pki):
    import pymupdf

    src = tmp_path / "mupdf-locked.pdf"
    with pymupdf.open(str(draft)) as doc:
        doc.save(str(src), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="matkhau", owner_pw="chu")
    # MuPDF writes /Encrypt as a direct dictionary; the update carries it as an indirect one.
    before = sha256_file(src)
    out = tmp_path / "out.pdf"
    _sign(src, out, leader, pdf_password="matkhau")
    assert sha256_file(src) == before
    assert_all_valid(out, 1, vc=validation_context(demo_pki), password="matkhau")


@pytest.mark.parametrize("permissions, signs", [(4, False), (4 | 256, True), (4 | 32, True)])
def test_empty_user_password_opens_and_the_author_permissions_hold(tmp_path, leader, draft, demo_pki,
                                                                   permissions, signs):
    import pymupdf

    from app.signing.errors import SigningNotPermittedError

    src = tmp_path / "owner-only.pdf"
    with pymupdf.open(str(draft)) as doc:
        doc.save(str(src), encryption=pymupdf.PDF_ENCRYPT_AES_128, user_pw="", owner_pw="chu",
                 permissions=permissions)
    out = tmp_path / "out.pdf"
    if signs:
        _sign(src, out, leader)
        assert_all_valid(out, 1, vc=validation_context(demo_pki), password="")
    else:
        with pytest.raises(SigningNotPermittedError) as info:
            _sign(src, out, leader)
        assert "quyền" in info.value.message_vi
        _only(tmp_path, "owner-only.pdf")


def test_hybrid_xref_file_signs_and_validates(tmp_path, leader, demo_pki):
    src = hybrid_xref_pdf(tmp_path / "hybrid.pdf")
    out = tmp_path / "out.pdf"
    _sign(src, out, leader)
    assert out.read_bytes().startswith(src.read_bytes())
    assert_all_valid(out, 1, vc=validation_context(demo_pki))


def test_already_signed_file_gets_a_second_signature(tmp_path, demo_pki, draft):
    first = tmp_path / "one.pdf"
    _sign(draft, first, simple_signer(demo_pki, "specialist"))
    second = tmp_path / "two.pdf"
    res = _sign(first, second, simple_signer(demo_pki, "leader"))
    assert res.field_name == "leader_2"
    statuses = dict(assert_all_valid(second, 2, vc=validation_context(demo_pki)))
    assert set(statuses) == {"leader_1", "leader_2"}


def test_certification_locked_file_is_refused(tmp_path, leader, draft, demo_pki):
    certified = _certify(draft, tmp_path / "certified.pdf", simple_signer(demo_pki, "seal"), MDPPerm.NO_CHANGES)
    with pytest.raises(CertificationLockedError) as info:
        _sign(certified, tmp_path / "out.pdf", leader)
    assert "P=1" in info.value.message_vi
    _only(tmp_path, "certified.pdf")


def _certify(src, dst, signer, perm):
    with open(src, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        meta = signers.PdfSignatureMetadata(field_name="Certification", certify=True, docmdp_permissions=perm,
                                            subfilter=SigSeedSubFilter.PADES)
        with open(dst, "wb") as out:
            signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    return dst


def test_certified_form_filling_document_is_signed_invisibly(tmp_path, leader, draft, demo_pki):
    certified = _certify(draft, tmp_path / "certified.pdf", simple_signer(demo_pki, "seal"), MDPPerm.FILL_FORMS)
    out = tmp_path / "out.pdf"
    res = _sign(certified, out, leader)
    assert any("DocMDP" in w.en for w in res.warnings)
    statuses = dict(assert_all_valid(out, 2, vc=validation_context(demo_pki)))
    assert statuses["Certification"].docmdp_ok


def test_placement_outside_the_page(tmp_path, leader, draft):
    with pytest.raises(PlacementOutOfPageError):
        sign_document(SigningRequest(draft, tmp_path / "o.pdf", Profile.LEADER,
                                     (Placement(0, (500.0, 800.0, 700.0, 900.0)),)), leader)
    with pytest.raises(PlacementOutOfPageError):
        sign_document(SigningRequest(draft, tmp_path / "o.pdf", Profile.LEADER,
                                     (Placement(3, BOX.rect),)), leader)
    _only(tmp_path)


def test_unwritable_output_leaves_nothing(tmp_path, leader, draft):
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"x")
    with pytest.raises(OutputWriteError) as info:
        _sign(draft, blocker / "out.pdf", leader)
    assert isinstance(info.value, LienThongError) and info.value.message_vi
    _only(tmp_path, "not-a-folder")


def test_output_over_the_input_is_refused(tmp_path, leader, draft):
    from app.signing.errors import SameFileError
    from app.signing.fields import fill_number_and_date

    src = tmp_path / "d.pdf"
    src.write_bytes(draft.read_bytes())
    before = sha256_file(src)
    with pytest.raises(SameFileError):
        _sign(src, tmp_path / "." / "d.pdf", leader)
    with pytest.raises(SameFileError):
        fill_number_and_date(src, src, number="05", release_date=None)
    assert sha256_file(src) == before
    _only(tmp_path, "d.pdf")


def test_output_onto_a_hard_link_of_the_input_is_refused(tmp_path, leader, draft):
    """Two names, one file: writing the output there would overwrite the original."""
    from app.signing.errors import SameFileError

    src = tmp_path / "d.pdf"
    src.write_bytes(draft.read_bytes())
    before = sha256_file(src)
    os.link(src, tmp_path / "link.pdf")
    with pytest.raises(SameFileError):
        _sign(src, tmp_path / "link.pdf", leader)
    assert sha256_file(src) == before
