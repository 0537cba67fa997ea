"""The iDesk workflow rules without Qt: which file each step acts on, which step allows what,
the number register, the release guard; the last tests talk to the sandbox iDesk."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from app.config import ServerProfile, training_profile
from app.domain import (
    Attachment,
    AttachmentRole,
    AttachmentVersion,
    DocumentFolder,
    DocumentStatus,
    FileRef,
    IDeskDocument,
    IDeskDocumentSummary,
    Role,
)
from app.errors import BadInputError, NumberTakenError, WrongStepError
from app.sandbox.server import Sandbox
from app.services import workflow
from app.services.workflow import Action


def _att(att_id: str, name: str, role: AttachmentRole, kind: str = "draft") -> Attachment:
    ref = FileRef(id=f"f-{att_id}", name=name, size=10, sha256=att_id.encode().hex().ljust(64, "0"))
    return Attachment(id=att_id, name=name, kind=kind, versions=(AttachmentVersion(1, ref),), role=role)


FORM = _att("a1", "don-de-nghi.pdf", AttachmentRole.MATERIAL, "source")
MAIN = _att("a2", "to-trinh.pdf", AttachmentRole.MAIN)
APPENDIX = _att("a3", "phu-luc.pdf", AttachmentRole.APPENDIX)
NOTES = _att("a4", "ghi-chu.docx", AttachmentRole.REFERENCE)


def _doc(status=DocumentStatus.DRAFT, attachments=(FORM, MAIN, APPENDIX, NOTES), form="Kế hoạch", number=""):
    summary = IDeskDocumentSummary(id="d1", summary="Kế hoạch chuyển đổi số", form=form, dossier_code="X",
                                   status=status, folder=DocumentFolder.DRAFTS, number=number)
    return IDeskDocument(summary=summary, attachments=tuple(attachments))


def test_every_step_acts_on_the_main_document_never_the_first_attachment():
    document = _doc()
    for action in workflow.MAIN_ACTIONS:
        assert workflow.choose_file(document, action) is MAIN
        assert workflow.file_choices(document, action) == [MAIN, APPENDIX]
    assert workflow.choose_file(document, Action.APPENDIX) is APPENDIX
    assert workflow.choose_file(document, Action.LEADER, "a3") is APPENDIX


def test_no_main_document_means_the_officer_chooses():
    document = _doc(attachments=(FORM, replace(MAIN, role=AttachmentRole.REFERENCE)))
    with pytest.raises(BadInputError) as caught:
        workflow.choose_file(document, Action.INITIALS)
    assert "văn bản chính" in caught.value.message_vi
    assert workflow.file_choices(document, Action.INITIALS)[0].id == "a2"


def test_the_citizens_form_and_non_pdfs_are_never_signed():
    document = _doc()
    for att_id in ("a1", "a4"):
        with pytest.raises(BadInputError):
            workflow.choose_file(document, Action.SEAL, att_id)
    with pytest.raises(BadInputError):
        workflow.choose_file(document, Action.SEAL, "missing")
    only_form = _doc(attachments=(FORM,))
    assert workflow.refusal(Action.INITIALS, only_form).en == "The selected document has no PDF to sign."


@pytest.mark.parametrize("status, allowed", [
    (DocumentStatus.DRAFT, {Action.INITIALS, Action.LEADER, Action.POSITION}),
    (DocumentStatus.INITIALED, {Action.INITIALS, Action.LEADER, Action.POSITION}),
    (DocumentStatus.SIGNED, {Action.LEADER, Action.POSITION, Action.FORWARD_CLERK, Action.NUMBER, Action.SEAL,
                             Action.RELEASE, Action.APPENDIX, Action.COPY}),
    (DocumentStatus.WITH_CLERK, {Action.POSITION, Action.NUMBER, Action.SEAL, Action.RELEASE, Action.APPENDIX,
                                 Action.COPY}),
    (DocumentStatus.RELEASED, {Action.POSITION, Action.APPENDIX, Action.COPY}),
])
def test_which_step_allows_which_action(status, allowed):
    document = _doc(status)
    assert {a for a in Action if workflow.refusal(a, document) is None} == allowed
    for action in set(Action) - allowed:
        assert status.label_vi in workflow.refusal(action, document).vi
    assert workflow.refusal(Action.SEAL, None).vi == "Chọn một văn bản iDesk trước."


def test_version_notes_iDesk_parses():
    assert workflow.version_note(Action.LEADER).startswith("signed:")
    assert workflow.version_note(Action.INITIALS).startswith("initialed:")
    assert workflow.version_note(Action.SEAL, "06/KH-STTTT") == "sealed: Văn thư ký số, số 06/KH-STTTT"
    assert workflow.version_note(Action.COPY) is None


def test_symbols_numbers_and_province_from_the_profile():
    province = workflow.Province.of(training_profile("i", "g", "d"))
    assert province == workflow.Province("Bình Định", "STTTT")
    other = ServerProfile.from_dict("daknong", {"issuer": "i", "igate_url": "g", "idesk_url": "d",
                                                "place_name": "Đắk Nông", "unit_symbol": "UBND"})
    assert workflow.Province.of(other).place_name == "Đắk Nông"
    assert workflow.symbol_for("Kế hoạch", "STTTT") == "KH-STTTT"
    assert workflow.symbol_for("Quyết định", "UBND") == "QĐ-UBND"
    assert workflow.symbol_for("Công văn", "STTTT") == "STTTT"
    assert workflow.normalize_number("6 / KH-STTTT") == "06/KH-STTTT"
    assert workflow.normalize_number("112/QĐ-UBND") == "112/QĐ-UBND"
    for bad in ("", "abc", "0/KH", "06/", "06/KH/X"):
        with pytest.raises(BadInputError):
            workflow.parse_number(bad)


class _Register:
    def __init__(self):
        self.asked = []

    def next_number(self, symbol, year):
        self.asked.append((symbol, year))
        return f"07/{symbol}"


def test_the_proposal_comes_from_the_register_for_the_form_and_unit():
    register, day = _Register(), date(2026, 1, 1)
    province = workflow.Province("Bình Định", "STTTT")
    proposal = workflow.propose_number(register, _doc(DocumentStatus.SIGNED), province, day)
    assert proposal == workflow.NumberProposal("07/KH-STTTT", "KH-STTTT", day)
    assert register.asked == [("KH-STTTT", 2026)]
    # A document already numbered keeps its number (the seal after "Chỉ điền số").
    numbered = _doc(DocumentStatus.SIGNED, number="05/KH-STTTT")
    assert workflow.propose_number(register, numbered, workflow.Province("", ""), day).number == "05/KH-STTTT"
    with pytest.raises(BadInputError):
        workflow.propose_number(register, _doc(form="Lạ"), workflow.Province("", ""), day)


def test_release_guard():
    signed = _doc(DocumentStatus.WITH_CLERK)
    assert "Chưa có số" in workflow.release_refusal(signed).vi
    numbered = _doc(DocumentStatus.WITH_CLERK, number="05/KH-STTTT")
    assert workflow.release_refusal(numbered) is None
    assert "chưa gửi lên iDesk" in workflow.release_refusal(numbered, ["d1"]).vi
    assert workflow.release_refusal(_doc(DocumentStatus.RELEASED, number="05/KH-STTTT")) is not None
    with pytest.raises(WrongStepError):
        workflow.release(object(), signed)


def test_tsa_choice_and_batch_selection():
    training = training_profile("i", "g", "d")
    assert workflow.tsa_url_for(training) == ""
    assert workflow.tsa_url_for(replace(training, tsa_url="http://127.0.0.1:1/tsa")) == "http://127.0.0.1:1/tsa"
    assert workflow.tsa_url_for(replace(training, name="binhdinh")) == workflow.GOVERNMENT_TSA
    rows = [_doc(s).summary for s in DocumentStatus] * 30
    assert {d.status for d in workflow.batch_candidates(rows, [Role.LEADER])} == {
        DocumentStatus.DRAFT,
        DocumentStatus.INITIALED,
    }
    assert len(workflow.batch_candidates(rows, [Role.LEADER])) == workflow.BATCH_LIMIT
    assert {d.status for d in workflow.batch_candidates(rows, [Role.SPECIALIST])} == {DocumentStatus.DRAFT}
    assert workflow.batch_candidates(rows, [Role.CLERK]) == []


# ---- against the sandbox iDesk ------------------------------------------------------------------


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("workflow-sandbox")).start()
    yield box
    box.stop()


def _real_draft(api, tmp_path) -> IDeskDocument:
    """A draft whose FIRST attachment is the citizen's form and whose main document is the specialist's."""
    form, own = tmp_path / "don-de-nghi.pdf", tmp_path / "to-trinh.pdf"
    form.write_bytes(b"%PDF-1.4 citizen " + uuid.uuid4().bytes)
    own.write_bytes(b"%PDF-1.4 specialist " + uuid.uuid4().bytes)
    refs = [api.upload_file(form), api.upload_file(own)]
    return api.create_draft(
        "Kế hoạch chuyển đổi số",
        "000.00.20.H09-261201-0001",
        [(refs[0], "source"), (refs[1], "draft", AttachmentRole.MAIN)],
        key=uuid.uuid4().hex,
        form="Kế hoạch",
    )


def _sign_version(api, document, attachment, tmp_path, note) -> None:
    path = tmp_path / f"v-{uuid.uuid4().hex}.pdf"
    path.write_bytes(b"%PDF-1.4 signed " + uuid.uuid4().bytes)
    api.upload_version(document.id, attachment.id, path, note, key=uuid.uuid4().hex)


def test_a_picked_file_becomes_the_main_document(box, connect_as, tmp_path):
    hoa = connect_as(box, "hoant").idesk
    document = _real_draft(hoa, tmp_path)
    first, main = document.attachments
    assert (first.role, main.role) == (AttachmentRole.MATERIAL, AttachmentRole.MAIN)
    assert workflow.choose_file(document, Action.INITIALS) == main
    assert workflow.adopt(hoa, document, Action.INITIALS, main) is False
    extra = hoa.add_attachment(document.id, main.latest.file.id, "to-trinh-v2.pdf", "draft", key=uuid.uuid4().hex)
    assert extra.role is AttachmentRole.REFERENCE
    assert workflow.adopt(hoa, document, Action.LEADER, extra) is True
    after = hoa.get_document(document.id)
    assert after.main_document.id == extra.id and after.attachment(main.id).role is AttachmentRole.REFERENCE
    assert workflow.adopt(hoa, after, Action.COPY, after.attachment(main.id)) is False


def test_number_register_and_release_of_the_main_document(box, connect_as, tmp_path):
    hoa, mai = connect_as(box, "hoant").idesk, connect_as(box, "maipt").idesk
    document = _real_draft(hoa, tmp_path)
    main = document.main_document
    with pytest.raises(WrongStepError):
        workflow.register_number(mai, document, "01/KH-STTTT", date.today())
    _sign_version(hoa, document, main, tmp_path, workflow.NOTE_LEADER)
    document = hoa.forward(document.id, "clerk")
    province = workflow.Province.of(training_profile("i", "g", "d"))
    day = date.today()
    proposal = workflow.propose_number(mai, document, province, day)
    assert proposal.symbol == "KH-STTTT" and proposal.number == mai.next_number("KH-STTTT", day.year)
    numbered = workflow.register_number(mai, document, proposal.number, day)
    assert numbered.summary.number == proposal.number and numbered.summary.release_date == day
    # Another draft cannot take the same number.
    other = _real_draft(hoa, tmp_path)
    _sign_version(hoa, other, other.main_document, tmp_path, workflow.NOTE_LEADER)
    other = hoa.forward(other.id, "clerk")
    with pytest.raises(NumberTakenError):
        workflow.register_number(mai, other, proposal.number, day)
    _sign_version(mai, numbered, main, tmp_path, workflow.version_note(Action.SEAL, proposal.number))
    sealed = mai.get_document(document.id)
    before = {r.file.id for r in mai.result_files(document.summary.dossier_code)}

    released = workflow.release(mai, sealed)

    assert released.summary.status is DocumentStatus.RELEASED and released.summary.number == proposal.number
    results = [r for r in mai.result_files(document.summary.dossier_code) if r.file.id not in before]
    assert [(r.document_id, r.file.sha256) for r in results] == [(document.id, sealed.main_document.latest.file.sha256)]
    assert released.attachments[0].latest.file.sha256 == document.attachments[0].latest.file.sha256
    # A repeat after a lost answer adds no second result.
    workflow.attach_result(mai, mai.get_document(document.id))
    assert len([r for r in mai.result_files(document.summary.dossier_code) if r.file.id not in before]) == 1


def test_version_notes_read_without_iDesk_keyword():
    from app.text import render

    def read(note, lang="vi"):
        return render(workflow.note_for_reading(note), lang)

    assert read(workflow.version_note(Action.INITIALS)) == "Ký nháy"
    assert read(workflow.version_note(Action.SEAL, "06/KH-STTTT")) == "Văn thư ký số, số 06/KH-STTTT"
    assert read("signed:leader") == "Lãnh đạo ký số" and read("signed:leader", "en") == "Signed by the leader"
    assert read("initialed") == "Ký nháy"
    assert read("iGate") == "iGate" and read("Ghi chú: xem lại") == "Ghi chú: xem lại"
