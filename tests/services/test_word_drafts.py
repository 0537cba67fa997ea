"""A draft whose main document is a Word file, through iDesk: converted, initialled, signed, numbered
and sealed as a PDF kept beside the untouched .docx; a changed source is converted again."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import DocumentStatus
from app.fileio import sha256_file
from app.sandbox.server import Sandbox
from app.services.word_drafts import (
    needs_conversion,
    pdf_attachment,
    version_note,
    word_main,
)
from app.services.workflow import main_pdf
from app.signing.autoplace import initials_placements, propose_placement
from app.signing.convert import (
    LibreOfficeConverter,
    PdfConversions,
    available_converters,
    converted_by,
)
from app.signing.doctext import normalise, pdf_text, source_paragraphs
from app.signing.options import Profile, SigningRequest
from app.signing.pades import sign_document
from tests.fixtures.pki import pdfsig, simple_signer, validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.worddocs import decree30_docx

pytestmark = pytest.mark.skipif(LibreOfficeConverter.find_program() is None,
                                reason="LibreOffice is not installed (bash .ci/setup installs it)")

NOTE_INITIALS, NOTE_LEADER, NOTE_SEAL = "initialed: Ký nháy", "signed: Lãnh đạo ký số", "sealed: Văn thư ký số"


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("word-sandbox")).start()
    yield box
    box.stop()


def _draft_with_docx(idesk, docx, key):
    ref = idesk.upload_file(docx)
    return idesk.create_draft("Kế hoạch trồng cây 2026", "", [(ref, "draft")], key=key, form="Kế hoạch")


def _pdf_to_sign(idesk, document, conversions, folder):
    """What a signing step does first: convert the Word main document when needed, else download the PDF."""
    main = needs_conversion(document)
    if main is not None:
        source = main.source.latest.file
        local = idesk.download_file(source, folder / "source.docx")
        return main, conversions.pdf_for(local, main.source.name)
    attachment = main_pdf(document)
    return None, idesk.download_file(attachment.latest.file, folder / f"v{attachment.latest.version}.pdf")


def _upload(idesk, document, main, conversion, signed, note):
    if main is not None:
        attachment = pdf_attachment(idesk, document, main, conversion)
        note = version_note(note, main, conversion)
    else:
        attachment = main_pdf(document)
    return idesk.upload_version(document.id, attachment.id, signed, note,
                                key=f"{document.id}-{attachment.id}-{sha256_file(signed)[:16]}")


def _content_words(pdf) -> list[str]:
    import pymupdf

    with pymupdf.open(str(pdf)) as doc:
        for page in doc:
            for widget in list(page.widgets()):
                page.delete_widget(widget)
            for annot in list(page.annots()):
                page.delete_annot(annot)
        return normalise("\n".join(page.get_text() for page in doc)).split()


def test_docx_draft_story(box, connect_as, demo_pki, demo_nssdb, tmp_path):
    docx = decree30_docx(tmp_path / "Kế hoạch trồng cây 2026.docx")
    original = sha256_file(docx)
    source_words = normalise(" ".join(source_paragraphs(docx)[0])).split()
    conversions = PdfConversions(tmp_path / "converted", available_converters(tmp_path))

    # ---- the specialist drafts in Word and initials the converted PDF -------------------
    specialist = connect_as(box, "hoant")
    draft = _draft_with_docx(specialist.idesk, docx, "word-story")
    main, conversion = _pdf_to_sign(specialist.idesk, draft, conversions, tmp_path)
    assert main is not None and main.pdf is None and conversion.converter.startswith("LibreOffice")
    assert normalise(pdf_text(conversion.pdf_path)[0]).split() == source_words
    initialled = tmp_path / "initialled.pdf"
    sign_document(SigningRequest(conversion.pdf_path, initialled, Profile.INITIALS,
                                 initials_placements(conversion.pdf_path)), simple_signer(demo_pki, "specialist"))
    version = _upload(specialist.idesk, draft, main, conversion, initialled, NOTE_INITIALS)
    assert "LibreOffice" in version.note and "Kế hoạch trồng cây 2026.docx" in version.note
    document = specialist.idesk.get_document(draft.id)
    assert document.summary.status is DocumentStatus.INITIALED
    # The PDF sits beside the Word file, which keeps its single, unchanged version.
    word = word_main(document)
    assert word.current and word.pdf.name == "Kế hoạch trồng cây 2026.pdf"
    assert [v.file.sha256 for v in word.source.versions] == [original]
    assert main_pdf(document).id == word.pdf.id
    assert [v.file.sha256 for v in word.pdf.versions] == [conversion.pdf_sha256, sha256_file(initialled)]

    # ---- the leader signs between the title and the name, found on the converted page ---
    leader = connect_as(box, "tuanlv")
    document = leader.idesk.get_document(draft.id)
    main, path = _pdf_to_sign(leader.idesk, document, conversions, tmp_path)
    assert main is None
    placement = propose_placement(path)
    assert placement is not None
    signed = tmp_path / "signed.pdf"
    sign_document(SigningRequest(path, signed, Profile.LEADER, (placement,)), simple_signer(demo_pki, "leader"))
    _upload(leader.idesk, document, None, None, signed, NOTE_LEADER)
    assert leader.idesk.get_document(draft.id).summary.status is DocumentStatus.SIGNED

    # ---- the clerk numbers and seals ----------------------------------------------------
    clerk = connect_as(box, "maipt")
    document = clerk.idesk.get_document(draft.id)
    _, path = _pdf_to_sign(clerk.idesk, document, conversions, tmp_path)
    number = clerk.idesk.next_number("KH-STTTT", date.today().year)
    sealed = tmp_path / "sealed.pdf"
    sign_document(SigningRequest(path, sealed, Profile.SEAL, number=number.split("/")[0],
                                 release_date=date(2026, 2, 5)), simple_signer(demo_pki, "seal"))
    _upload(clerk.idesk, document, None, None, sealed, NOTE_SEAL)
    released = clerk.idesk.release(draft.id, number, date(2026, 2, 5))
    assert released.summary.status is DocumentStatus.RELEASED

    # ---- what iDesk holds: the .docx untouched beside a PDF with three valid signatures ---
    final_doc = clerk.idesk.get_document(draft.id)
    word = word_main(final_doc)
    assert [v.file.sha256 for v in word.source.versions] == [original]
    final = clerk.idesk.download_file(word.pdf.latest.file, tmp_path / "final.pdf")
    assert_all_valid(final, 3, vc=validation_context(demo_pki))
    if demo_nssdb is not None:
        assert pdfsig(final, demo_nssdb).count("Signature is Valid.") == 3
    # Every signature is an incremental update of exactly the converted bytes ...
    assert final.read_bytes().startswith(conversion.pdf_path.read_bytes())
    # ... and the page text is still the source's, word for word (stamps and the clerk's
    # number and date live in annotations and form fields).
    assert _content_words(final) == source_words
    assert converted_by(final).startswith("LibreOffice")
    assert sha256_file(docx) == original


def test_a_changed_source_is_converted_again_and_signatures_do_not_carry_over(box, connect_as, demo_pki, tmp_path):
    conversions = PdfConversions(tmp_path / "converted", available_converters(tmp_path))
    specialist = connect_as(box, "hoant")
    first_docx = decree30_docx(tmp_path / "Tờ trình.docx")
    draft = _draft_with_docx(specialist.idesk, first_docx, "word-renewed")
    main, conversion = _pdf_to_sign(specialist.idesk, draft, conversions, tmp_path)
    initialled = tmp_path / "initialled.pdf"
    sign_document(SigningRequest(conversion.pdf_path, initialled, Profile.INITIALS,
                                 initials_placements(conversion.pdf_path)), simple_signer(demo_pki, "specialist"))
    _upload(specialist.idesk, draft, main, conversion, initialled, NOTE_INITIALS)

    # The specialist edits the Word file: a new version of the source attachment.
    edited = decree30_docx(tmp_path / "edited.docx", symbol="KH-VP")
    document = specialist.idesk.get_document(draft.id)
    source = word_main(document).source
    specialist.idesk.upload_version(draft.id, source.id, edited, "Sửa dự thảo", key="edit-1")
    document = specialist.idesk.get_document(draft.id)
    main, again = _pdf_to_sign(specialist.idesk, document, conversions, tmp_path)
    assert main is not None and main.renewed and again.source_sha256 == sha256_file(edited)
    assert again.pdf_sha256 != conversion.pdf_sha256
    # The new PDF carries no signature of the earlier one.
    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf

    assert len(verify_pdf(again.pdf_path, TrustStore.default(())).signatures) == 0
    initialled_again = tmp_path / "initialled-again.pdf"
    sign_document(SigningRequest(again.pdf_path, initialled_again, Profile.INITIALS,
                                 initials_placements(again.pdf_path)), simple_signer(demo_pki, "specialist"))
    version = _upload(specialist.idesk, document, main, again, initialled_again, NOTE_INITIALS)
    assert "chữ ký trên bản PDF trước không được giữ" in version.note
    document = specialist.idesk.get_document(draft.id)
    assert word_main(document).current and word_main(document).pdf.id == main.pdf.id
    assert "/KH-VP" in pdf_text(initialled_again)[0]
