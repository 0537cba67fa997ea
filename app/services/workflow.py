"""The iDesk signing workflow rules, without Qt: the GUI's actions and `lienthong doc` both call them.

Decree 30/2020 order: the specialist initials the main document, the leader signs it, the clerk
gives it a number and date from the register, signs it with the organization's certificate
(the seal) and releases it; releasing attaches that same file as the dossier's result. Every
step acts on one chosen file of the draft: the main document unless the officer picks another
PDF, and a file picked for a main-document step becomes the main document, so the choice
travels with the draft. Dossier material (the citizen's files) is never signed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterable, Protocol, Sequence

from app.config import ServerProfile
from app.domain import (
    Attachment,
    AttachmentRole,
    DocumentStatus,
    IDeskDocument,
    IDeskDocumentSummary,
    Role,
)
from app.errors import BadInputError, WrongStepError
from app.services.digo.idesk import IDeskClient
from app.services.word_drafts import word_main
from app.text import Text

GOVERNMENT_TSA = "http://tsa.ca.gov.vn"
BATCH_LIMIT = 50  # documents fetched for one batch


class Action(Enum):
    INITIALS = "initials"
    LEADER = "sign"
    POSITION = "position"
    FORWARD_CLERK = "forward"
    NUMBER = "number"
    SEAL = "seal"
    RELEASE = "release"
    APPENDIX = "appendix"
    COPY = "copy"


S = DocumentStatus
# Which document step allows which action.
STEPS: dict[Action, tuple[DocumentStatus, ...]] = {
    Action.INITIALS: (S.DRAFT, S.INITIALED),
    Action.LEADER: (S.DRAFT, S.INITIALED, S.SIGNED),
    Action.POSITION: tuple(S),
    Action.FORWARD_CLERK: (S.SIGNED,),
    Action.NUMBER: (S.SIGNED, S.WITH_CLERK),
    Action.SEAL: (S.SIGNED, S.WITH_CLERK),
    Action.RELEASE: (S.SIGNED, S.WITH_CLERK),
    Action.APPENDIX: (S.SIGNED, S.WITH_CLERK, S.RELEASED),
    Action.COPY: (S.SIGNED, S.WITH_CLERK, S.RELEASED),
}
ROLE_OF: dict[Action, Role] = {
    Action.INITIALS: Role.SPECIALIST,
    Action.LEADER: Role.LEADER,
    Action.POSITION: Role.LEADER,
    Action.FORWARD_CLERK: Role.LEADER,
    Action.NUMBER: Role.CLERK,
    Action.SEAL: Role.CLERK,
    Action.RELEASE: Role.CLERK,
    Action.APPENDIX: Role.CLERK,
    Action.COPY: Role.CLERK,
}
# The actions that act on the main document (the one that is released).
MAIN_ACTIONS = (Action.INITIALS, Action.LEADER, Action.POSITION, Action.NUMBER, Action.SEAL, Action.COPY)
FILE_ACTIONS = MAIN_ACTIONS + (Action.APPENDIX,)

# iDesk reads the leading word of a version's note to move the document along
# ("signed" -> signed by the leader, "initialed", "sealed" -> the organization's signature).
NOTE_INITIALS = "initialed: Ký nháy"
NOTE_LEADER = "signed: Lãnh đạo ký số"
NOTE_SEAL = "sealed: Văn thư ký số, số {number}"
NOTE_APPENDIX = "sealed: Ký số phụ lục"
NOTE_NUMBER = "numbered: Điền số {number}"


# What an officer reads for a note that carries only iDesk's keyword (or a bare "signed:leader").
NOTE_LABELS = {
    "initialed": Text("Ký nháy", "Initials"),
    "signed": Text("Lãnh đạo ký số", "Signed by the leader"),
    "sealed": Text("Văn thư ký số", "Organization's seal"),
    "numbered": Text("Điền số", "Number filled in"),
}


def note_for_reading(note: str) -> Text | str:
    """A version note as officers read it: iDesk's leading keyword ("signed: …") is for iDesk."""
    keyword, _sep, rest = note.partition(":")
    label = NOTE_LABELS.get(keyword.strip())
    if label is None:
        return note
    rest = rest.strip()
    if not rest or re.fullmatch(r"[a-z_-]+", rest):
        return label
    return rest


def version_note(action: Action, number: str = "") -> str | None:
    """The note of the version an action uploads; None: the result stays on this computer (a copy)."""
    return {
        Action.INITIALS: NOTE_INITIALS,
        Action.LEADER: NOTE_LEADER,
        Action.SEAL: NOTE_SEAL.format(number=number),
        Action.APPENDIX: NOTE_APPENDIX,
        Action.NUMBER: NOTE_NUMBER.format(number=number),
    }.get(action)


@dataclass(frozen=True)
class Refusal:
    """Why an action cannot run now, in both languages."""

    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        return self.en if lang.startswith("en") else self.vi


def signable(attachment: Attachment) -> bool:
    """A PDF that is not dossier material (the citizen's files are never signed)."""
    return attachment.is_pdf and attachment.role is not AttachmentRole.MATERIAL


def file_choices(document: IDeskDocument, action: Action) -> list[Attachment]:
    """The PDFs the officer may pick for the action, the preselected one first. A file with the same
    content as the preselected one (the released result is the main document's copy) is not offered twice."""
    first = preselected(document, action)
    same = _sha256(first) if first is not None else None
    others = [a for a in document.attachments
              if signable(a) and a is not first and not (same and _sha256(a) == same)]
    return ([first] if first is not None else []) + others


def main_pdf(document: IDeskDocument) -> Attachment | None:
    """The PDF that is the main document: the main document itself, or for a Word main document
    the PDF made from it (app.services.word_drafts), which is what gets signed and released."""
    main = document.main_document
    if main is not None and main.is_pdf:
        return main
    word = word_main(document)
    if word is not None and word.pdf is not None and (main is None or main.id == word.source.id):
        return word.pdf
    return None


def preselected(document: IDeskDocument, action: Action) -> Attachment | None:
    """The file an action proposes: the main document (the first appendix for "Ký số phụ lục").

    None when the draft has no such PDF: the officer must choose, nothing is guessed.
    """
    if action is Action.APPENDIX:
        return next((a for a in document.attachments if a.is_pdf and a.role is AttachmentRole.APPENDIX), None)
    return main_pdf(document)


NO_DOCUMENT = Refusal("Chọn một văn bản iDesk trước.", "Select an iDesk document first.")


def refusal(action: Action, document: IDeskDocument | None) -> Refusal | None:
    """Why the action cannot run on the document at its step; None when it can."""
    if document is None:
        return NO_DOCUMENT
    status = document.summary.status
    # A Word main document counts: its PDF is made when a signing step starts.
    if action in FILE_ACTIONS and not any(signable(a) for a in document.attachments) \
            and word_main(document) is None:
        return Refusal("Văn bản đang chọn không có tệp PDF để ký.", "The selected document has no PDF to sign.")
    if status not in STEPS[action]:
        return Refusal(f"Không làm được ở bước \"{status.label_vi}\" của văn bản.",
                       f"Not possible at the document's step \"{status.label_en}\".")
    return None


def choose_file(document: IDeskDocument, action: Action, attachment_id: str | None = None) -> Attachment:
    """The file the action acts on: the one picked, else the preselected one; never a guess."""
    if attachment_id:
        chosen = document.attachment(attachment_id)
        if chosen is None:
            raise BadInputError("Không tìm thấy tệp đã chọn trong văn bản.",
                                "The chosen file is not in the document.", detail=attachment_id)
        if not signable(chosen):
            raise BadInputError(
                f"Không ký được tệp \"{chosen.name}\": chỉ ký tệp PDF, không ký hồ sơ kèm theo của công dân.",
                f"Cannot sign \"{chosen.name}\": only PDFs, never the citizen's dossier material.",
                detail=f"role={chosen.role.value}")
        return chosen
    chosen = preselected(document, action)
    if chosen is None:
        raise BadInputError(
            "Văn bản chưa có văn bản chính (văn bản dự thảo); hãy chọn tệp PDF cần ký.",
            "The document has no main document yet; choose the PDF to sign.")
    return chosen


class RoleSetter(Protocol):
    def set_attachment_role(self, doc_id: str, attachment_id: str, role: AttachmentRole) -> Attachment: ...


def adopt_needed(document: IDeskDocument, action: Action, attachment: Attachment) -> bool:
    if action not in MAIN_ACTIONS or action is Action.COPY:
        return False
    current = main_pdf(document)
    return attachment.role is not AttachmentRole.MAIN and (current is None or current.id != attachment.id)


def adopt(idesk: RoleSetter, document: IDeskDocument, action: Action, attachment: Attachment) -> bool:
    """A file picked for a main-document step becomes the draft's main document (True when changed),
    so the next officer finds it preselected."""
    if not adopt_needed(document, action, attachment):
        return False
    idesk.set_attachment_role(document.id, attachment.id, AttachmentRole.MAIN)
    return True


# ---- the number register --------------------------------------------------------------------

# Decree 30/2020 Appendix III: abbreviations of the document forms.
FORM_ABBREVIATIONS = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
}
NUMBER_RE = re.compile(r"^(\d+)/([^/\s]+)$")


@dataclass(frozen=True)
class Province:
    """The server profile's settings for what is printed: the place on the date line, the unit's symbol."""

    place_name: str
    unit_symbol: str

    @classmethod
    def of(cls, profile: ServerProfile) -> "Province":
        return cls(profile.place_name, profile.unit_symbol)


def symbol_for(form: str, unit_symbol: str) -> str:
    """"KH-STTTT" for a Kế hoạch of the STTTT; a Công văn carries the unit's symbol alone."""
    abbreviation = FORM_ABBREVIATIONS.get(form.strip(), "")
    if not unit_symbol:
        return abbreviation
    return f"{abbreviation}-{unit_symbol}" if abbreviation else unit_symbol


def format_number(seq: int, symbol: str) -> str:
    """"05/KH-STTTT": Arabic digits, a leading zero below 10."""
    if seq < 1:
        raise ValueError("document numbers start at 01")
    return f"{seq:02d}/{symbol}"


def parse_number(text: str) -> tuple[int, str]:
    """(sequence, symbol) of a number the clerk typed; BadInputError when it is not "06/KH-STTTT"."""
    cleaned = re.sub(r"\s*/\s*", "/", (text or "").strip())
    match = NUMBER_RE.match(cleaned)
    if match is None or int(match.group(1)) < 1:
        raise BadInputError(f"Số văn bản \"{text}\" không hợp lệ; hãy nhập dạng 06/KH-STTTT.",
                            f"Document number \"{text}\" is not valid; use the form 06/KH-STTTT.")
    return int(match.group(1)), match.group(2)


def normalize_number(text: str) -> str:
    """The register's form of a typed number: "6 / KH-STTTT" -> "06/KH-STTTT"."""
    seq, symbol = parse_number(text)
    return format_number(seq, symbol)


@dataclass(frozen=True)
class NumberProposal:
    number: str
    symbol: str
    day: date


class Register(Protocol):
    def next_number(self, symbol: str, year: int) -> str: ...


def propose_number(idesk: Register, document: IDeskDocument, province: Province, day: date,
                   symbol: str | None = None) -> NumberProposal:
    """The number the clerk's dialog proposes: the document's own if it has one, else the register's
    next free number for the symbol and the date's year. Nothing is reserved."""
    if document.summary.number:
        seq, own_symbol = parse_number(document.summary.number)
        return NumberProposal(document.summary.number, own_symbol, document.summary.release_date or day)
    symbol = (symbol or symbol_for(document.summary.form, province.unit_symbol)).strip().strip("/")
    if not symbol:
        raise BadInputError("Chưa có ký hiệu văn bản; hãy nhập ký hiệu (ví dụ KH-STTTT).",
                            "No document symbol; enter one (e.g. KH-STTTT).")
    return NumberProposal(idesk.next_number(symbol, day.year), symbol, day)


class NumberRegistrar(Protocol):
    def register_number(self, doc_id: str, number: str, date: date) -> IDeskDocument: ...


def register_number(idesk: NumberRegistrar, document: IDeskDocument, number: str, day: date) -> IDeskDocument:
    """Register the clerk's number and date before anything is printed, so the "Số:" line and the
    register agree; a number another document holds raises NumberTakenError."""
    status = document.summary.status
    if status not in STEPS[Action.NUMBER]:
        raise WrongStepError(f"Chưa cấp số được ở bước \"{status.label_vi}\" của văn bản.",
                             f"Cannot number the document at its step \"{status.label_en}\".")
    return idesk.register_number(document.id, normalize_number(number), day)


# ---- release ----------------------------------------------------------------------------------

def release_refusal(document: IDeskDocument, pending_document_ids: Iterable[str] = ()) -> Refusal | None:
    """Why the document cannot be released yet (the release guard)."""
    general = refusal(Action.RELEASE, document)
    if general is not None:
        return general
    if not document.summary.number:
        return Refusal("Chưa có số văn bản: hãy cấp số hoặc đóng dấu trước khi phát hành.",
                       "No document number yet: number or seal the document before releasing.")
    if document.id in set(pending_document_ids):
        # Releasing now would publish the version before the seal.
        return Refusal("Tệp đã ký của văn bản chưa gửi lên iDesk; hãy gửi xong rồi phát hành.",
                       "The document's signed file is not on iDesk yet; finish the upload, then release.")
    if release_file(document) is None:
        return Refusal("Văn bản chưa có văn bản chính để phát hành.", "The document has no main document to release.")
    return None


def release_file(document: IDeskDocument) -> Attachment | None:
    """The file released as the result: the main document's PDF (numbered, signed and sealed)."""
    main = main_pdf(document)
    return main if main is not None and main.latest is not None else None


def _sha256(attachment: Attachment) -> str | None:
    latest = attachment.latest
    return latest.file.sha256 if latest is not None else None


def attach_result(idesk: IDeskClient, document: IDeskDocument) -> IDeskDocument:
    """Attach the main document's latest version as the document's result ("Lấy từ iDesk" lists it).
    The idempotency key names the exact version, so a repeat adds nothing."""
    main = release_file(document)
    if main is None or main.latest is None or main.kind == "result":
        return document
    latest = main.latest
    idesk.add_attachment(document.id, latest.file.id, latest.file.name, "result",
                         key=f"release-result-{document.id}-{main.id}-{latest.version}",
                         role=AttachmentRole.REFERENCE)
    return idesk.get_document(document.id)


def release(idesk: IDeskClient, document: IDeskDocument, pending_document_ids: Iterable[str] = ()) -> IDeskDocument:
    """Release with the registered number and date, then attach the main document as the result."""
    why = release_refusal(document, pending_document_ids)
    if why is not None:
        raise WrongStepError(why.vi, why.en)
    day = document.summary.release_date or date.today()
    return attach_result(idesk, idesk.release(document.id, document.summary.number, day))


# ---- TSA and batch ----------------------------------------------------------------------------

def tsa_url_for(profile: ServerProfile) -> str:
    """The profile's TSA; the government one only for real servers (training has its own or none)."""
    if profile.tsa_url:
        return profile.tsa_url
    return "" if profile.is_training else GOVERNMENT_TSA


def batch_action(roles: Iterable[Role]) -> Action | None:
    """What a batch signs for these roles: the leader's signature, else initials; None for a clerk."""
    roles = set(roles)
    if Role.LEADER in roles:
        return Action.LEADER
    if Role.SPECIALIST in roles:
        return Action.INITIALS
    return None


def batch_candidates(summaries: Sequence[IDeskDocumentSummary], roles: Iterable[Role],
                     limit: int = BATCH_LIMIT) -> list[IDeskDocumentSummary]:
    """The documents waiting for the officer's signature (at most `limit`)."""
    action = batch_action(roles)
    if action is None:
        return []
    steps = (S.DRAFT, S.INITIALED) if action is Action.LEADER else (S.DRAFT,)
    return [d for d in summaries if d.status in steps][:limit]
