"""Plain data shared by the services, the signing engine, the views and the CLI (no I/O, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class DossierState:
    """Where a dossier stands, in the server's own words, and what its current task allows.

    iGate has two status axes (the dossier status, a small number, and the task status, keyed by
    an ObjectId) whose names vary per province, plus capability flags on the current BPM task.
    The app shows the names as sent and decides what the officer may do from the flags only.
    """

    status_id: int
    status_name: str
    task_status_name: str = ""
    step_name: str = ""
    can_send_to_idesk: bool = False
    can_attach_results: bool = False
    finished: bool = False

    @property
    def label(self) -> str:
        return self.step_name or self.task_status_name or self.status_name

    # Server text has no translation; both languages show it as sent.
    label_vi = label_en = label

    @property
    def allows_send_to_idesk(self) -> bool:
        return self.can_send_to_idesk

    @property
    def allows_result_files(self) -> bool:
        return self.can_attach_results


class DocumentFolder(Enum):
    """iDesk folders of outgoing documents."""

    DRAFTS = "drafts"
    OUTGOING_PROCESSING = "outgoing-processing"
    OUTGOING_TRACKING = "outgoing-tracking"
    ARCHIVE = "archive"

    @property
    def label_vi(self) -> str:
        return {
            "drafts": "Dự thảo văn bản",
            "outgoing-processing": "Xử lý văn bản đi",
            "outgoing-tracking": "Theo dõi văn bản đi",
            "archive": "Văn bản lưu",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "drafts": "Drafts",
            "outgoing-processing": "Outgoing: processing",
            "outgoing-tracking": "Outgoing: tracking",
            "archive": "Archive",
        }[self.value]


class DocumentStatus(Enum):
    DRAFT = "draft"
    INITIALED = "initialed"
    SIGNED = "signed"
    WITH_CLERK = "with-clerk"
    RELEASED = "released"

    @property
    def label_vi(self) -> str:
        return {
            "draft": "Dự thảo",
            "initialed": "Đã ký nháy",
            "signed": "Lãnh đạo đã ký",
            "with-clerk": "Chờ văn thư phát hành",
            "released": "Đã phát hành",
        }[self.value]

    @property
    def label_en(self) -> str:
        return {
            "draft": "Draft",
            "initialed": "Initialed",
            "signed": "Signed by the leader",
            "with-clerk": "Waiting for the clerk",
            "released": "Released",
        }[self.value]


class Role(Enum):
    SPECIALIST = "specialist"
    LEADER = "leader"
    CLERK = "clerk"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a server's list: the items, the total across all pages, this page's number and size."""

    items: tuple[T, ...]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1


@dataclass(frozen=True)
class FileRef:
    """A file stored on a server; `sha256` is the hex digest the server reports."""

    id: str
    name: str
    size: int
    sha256: str
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class UserInfo:
    """The signed-in officer as the SSO provider or iGate describes them, with their roles."""

    subject: str
    username: str
    full_name: str
    email: str = ""
    roles: tuple[Role, ...] = ()
    title: str = ""
    organization: str = ""


@dataclass(frozen=True)
class DossierSummary:
    """An iGate dossier as its list shows it: code, procedure, applicant, state and dates."""

    id: str
    code: str
    procedure_name: str
    applicant_name: str
    status: DossierState
    appointment_date: datetime | None = None
    accepted_date: datetime | None = None
    assignee_name: str = ""
    nation_code: str = ""
    agency_name: str = ""

    def is_overdue(self, now: datetime) -> bool:
        return self.appointment_date is not None and not self.status.finished and self.appointment_date < now


@dataclass(frozen=True)
class DossierComponent:
    """A part of the dossier (thành phần hồ sơ) with the files submitted for it."""

    id: str
    name: str
    files: tuple[FileRef, ...] = ()


@dataclass(frozen=True)
class StepFile:
    """A file attached at an earlier processing step."""

    step: str
    file: FileRef


@dataclass(frozen=True)
class Dossier:
    """An iGate dossier with its files: each component's, those of earlier steps and the results
    ("Tập tin kết quả")."""

    summary: DossierSummary
    components: tuple[DossierComponent, ...] = ()
    step_files: tuple[StepFile, ...] = ()
    result_files: tuple[FileRef, ...] = ()

    @property
    def code(self) -> str:
        return self.summary.code

    @property
    def id(self) -> str:
        return self.summary.id


@dataclass(frozen=True)
class AttachmentVersion:
    """One version of an iDesk attachment: its file, when and by whom it was added, and why."""

    version: int
    file: FileRef
    created_at: datetime | None = None
    created_by: str = ""
    note: str = ""


class AttachmentRole(Enum):
    """What a file is to its draft: the one main document (văn bản dự thảo) that is signed and
    released, an appendix (signed by the organization, Decree 30), dossier material (never
    signed) or a reference."""

    MAIN = "main"
    APPENDIX = "appendix"
    MATERIAL = "material"
    REFERENCE = "reference"

    @property
    def label_vi(self) -> str:
        return {"main": "Văn bản dự thảo", "appendix": "Phụ lục", "material": "Hồ sơ kèm theo",
                "reference": "Tài liệu tham khảo"}[self.value]

    @property
    def label_en(self) -> str:
        return {"main": "Main document", "appendix": "Appendix", "material": "Dossier material",
                "reference": "Reference"}[self.value]


@dataclass(frozen=True)
class Attachment:
    """A file of an iDesk document; `kind` is where it came from ("source": iGate, "draft",
    "result"), `role` what it is to the draft."""

    id: str
    name: str
    kind: str
    versions: tuple[AttachmentVersion, ...] = ()
    role: AttachmentRole = AttachmentRole.REFERENCE

    @property
    def latest(self) -> AttachmentVersion | None:
        return max(self.versions, key=lambda v: v.version) if self.versions else None

    @property
    def is_pdf(self) -> bool:
        latest = self.latest
        return latest is not None and latest.file.name.lower().endswith(".pdf")


@dataclass(frozen=True)
class HistoryEntry:
    """One step of an iDesk document's processing history: when, who, what."""

    time: datetime
    actor: str
    action: str
    note: str = ""


@dataclass(frozen=True)
class IDeskDocumentSummary:
    """An iDesk draft as its list shows it: summary, form, linked dossier code, status, folder."""

    id: str
    summary: str
    form: str
    dossier_code: str
    status: DocumentStatus
    folder: DocumentFolder
    urgency: str = "Thường"
    drafting_unit: str = ""
    created_at: datetime | None = None
    number: str = ""
    release_date: date | None = None


@dataclass(frozen=True)
class IDeskDocument:
    """An iDesk draft with its attachments (each with its versions) and its history."""

    summary: IDeskDocumentSummary
    attachments: tuple[Attachment, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def main_document(self) -> Attachment | None:
        return next((a for a in self.attachments if a.role is AttachmentRole.MAIN), None)

    def attachment(self, attachment_id: str) -> Attachment | None:
        return next((a for a in self.attachments if a.id == attachment_id), None)


@dataclass(frozen=True)
class ResultFile:
    """A result file of an iDesk document, as offered to "Lấy từ iDesk"."""

    document_id: str
    document_summary: str
    attachment_id: str
    version: int
    file: FileRef


@dataclass(frozen=True)
class LocalFile:
    """A file chosen from the officer's computer ("Chọn tệp tin")."""

    path: str
    name: str = ""


@dataclass(frozen=True)
class AuditEntry:
    """A transfer recorded on a dossier by this app (a comment on iGate): who, when, what, and
    the transfer's key, so that a retried transfer finds it instead of recording it twice."""

    officer: str
    time: datetime
    dossier_code: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)
