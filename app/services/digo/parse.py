"""JSON of the DIGO-style iGate and of iDesk into app.domain types.

Optional fields may be missing or null in real answers; only identifiers and the dossier status
are required. Nothing outside app.services.digo sees these field names.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Callable, TypeVar

from app.domain import (
    Attachment,
    AttachmentVersion,
    AuditEntry,
    DocumentFolder,
    DocumentStatus,
    Dossier,
    DossierComponent,
    DossierStatus,
    DossierSummary,
    FileRef,
    HistoryEntry,
    IDeskDocument,
    IDeskDocumentSummary,
    Page,
    ResultFile,
    Role,
    StepFile,
    UserInfo,
)
from app.errors import ServiceError

log = logging.getLogger(__name__)
T = TypeVar("T")


class UnexpectedAnswerError(ServiceError):
    code = "unexpected_answer"

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(
            f"{system} trả về dữ liệu không đúng định dạng mong đợi.",
            f"{system} returned data in an unexpected shape.",
            detail=detail,
        )


def _d(obj: Any) -> dict:
    return obj if isinstance(obj, dict) else {}


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        log.debug("unparsable date-time %r", value)
        return None


def parse_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _require(obj: dict, key: str, system: str) -> Any:
    if obj.get(key) in (None, ""):
        raise UnexpectedAnswerError(system, f"missing {key!r} in {sorted(obj)}")
    return obj[key]


# -- iGate -------------------------------------------------------------------------------------


def igate_file(f: Any) -> FileRef:
    f = _d(f)
    return FileRef(
        id=_s(_require(f, "id", "iGate")),
        name=_s(f.get("filename") or f.get("name")),
        size=_int(f.get("size")),
        sha256=_s(f.get("sha256")).lower(),
        mime_type=_s(f.get("mimeType")) or "application/octet-stream",
    )


def dossier_status(value: Any) -> DossierStatus:
    raw = _d(value).get("id") if isinstance(value, dict) else value
    try:
        return DossierStatus(_int(raw, -1))
    except ValueError:
        raise UnexpectedAnswerError("iGate", f"unsupported dossier status {value!r}") from None


def dossier_summary(d: Any) -> DossierSummary:
    d = _d(d)
    task = _d(d.get("currentTask"))
    return DossierSummary(
        id=_s(_require(d, "id", "iGate")),
        code=_s(_require(d, "code", "iGate")),
        procedure_name=_s(_d(d.get("procedure")).get("name")),
        applicant_name=_s(_d(d.get("applicant")).get("fullname")),
        status=dossier_status(d.get("dossierStatus")),
        appointment_date=parse_datetime(d.get("appointmentDate")),
        accepted_date=parse_datetime(d.get("acceptedDate")),
        assignee_name=_s(_d(task.get("assignee")).get("fullname")),
    )


def dossier(d: Any) -> Dossier:
    d = _d(d)
    return Dossier(
        summary=dossier_summary(d),
        components=tuple(
            DossierComponent(
                id=_s(c.get("id")),
                name=_s(c.get("name")),
                files=tuple(igate_file(f) for f in c.get("files") or ()),
            )
            for c in map(_d, d.get("components") or ())
        ),
        step_files=tuple(
            StepFile(step=_s(s.get("step")), file=igate_file(s.get("file")))
            for s in map(_d, d.get("stepFiles") or ())
            if s.get("file")
        ),
        result_files=tuple(igate_file(f) for f in d.get("resultFiles") or ()),
    )


def spring_page(body: Any, item: Callable[[Any], T], *, skip: type[Exception] | None = None) -> Page[T]:
    """A Spring Data page (0-based `number`); rows failing with `skip` are left out, not fatal."""
    body = _d(body)
    items = []
    for row in body.get("content") or ():
        try:
            items.append(item(row))
        except Exception as exc:
            if skip is None or not isinstance(exc, skip):
                raise
            log.warning("skipped a row: %s", exc)
    size = _int(body.get("size"), len(items))
    return Page(
        items=tuple(items),
        total=_int(body.get("totalElements"), len(items)),
        page=_int(body.get("number")),
        size=size,
    )


def igate_user(u: Any) -> UserInfo:
    u = _d(u)
    org = u.get("organization")
    return UserInfo(
        subject=_s(u.get("id")),
        username=_s(u.get("ssoAccount") or u.get("account")),
        full_name=_s(u.get("fullname")),
        title=_s(u.get("title")),
        # Some deployments send the agency as {"id", "name"}, others as plain text.
        organization=_s(org.get("name") if isinstance(org, dict) else org),
    )


def audit_entry(e: Any) -> AuditEntry:
    e = _d(e)
    officer = e.get("officer")
    return AuditEntry(
        officer=_s(_d(officer).get("fullname") if isinstance(officer, dict) else officer),
        time=parse_datetime(e.get("time")) or datetime.min,
        dossier_code=_s(e.get("dossierCode")),
        action=_s(e.get("action")),
        detail=_d(e.get("detail")),
    )


# -- iDesk -------------------------------------------------------------------------------------


def idesk_file(f: Any, name: str = "") -> FileRef:
    f = _d(f)
    return FileRef(
        id=_s(_require(f, "fileId", "iDesk")),
        name=_s(f.get("filename")) or name,
        size=_int(f.get("size")),
        sha256=_s(f.get("sha256")).lower(),
        mime_type=_s(f.get("mimeType")) or "application/pdf",
    )


def _enum(enum_type, value: Any, default):
    try:
        return enum_type(value)
    except ValueError:
        return default


def document_summary(s: Any) -> IDeskDocumentSummary:
    s = _d(s)
    return IDeskDocumentSummary(
        id=_s(_require(s, "id", "iDesk")),
        summary=_s(s.get("summary")),
        form=_s(s.get("form")),
        dossier_code=_s(s.get("dossierCode")),
        status=_enum(DocumentStatus, s.get("status"), DocumentStatus.DRAFT),
        folder=_enum(DocumentFolder, s.get("folder"), DocumentFolder.DRAFTS),
        urgency=_s(s.get("urgency")) or "Thường",
        drafting_unit=_s(s.get("draftingUnit")),
        created_at=parse_datetime(s.get("createdAt")),
        number=_s(s.get("number")),
        release_date=parse_date(s.get("releaseDate")),
    )


def attachment_version(v: Any, name: str = "") -> AttachmentVersion:
    v = _d(v)
    return AttachmentVersion(
        version=_int(v.get("version"), 1),
        file=idesk_file(v, name),
        created_at=parse_datetime(v.get("createdAt")),
        created_by=_s(v.get("createdBy")),
        note=_s(v.get("note")),
    )


def attachment(a: Any) -> Attachment:
    a = _d(a)
    name = _s(a.get("filename"))
    return Attachment(
        id=_s(_require(a, "id", "iDesk")),
        name=name,
        kind=_s(a.get("kind")) or "draft",
        versions=tuple(attachment_version(v, name) for v in a.get("versions") or ()),
    )


def document(d: Any) -> IDeskDocument:
    d = _d(d)
    return IDeskDocument(
        summary=document_summary(d),
        attachments=tuple(attachment(a) for a in d.get("attachments") or ()),
        history=tuple(
            HistoryEntry(
                time=parse_datetime(h.get("time")) or datetime.min,
                actor=_s(h.get("actor")),
                action=_s(h.get("action")),
                note=_s(h.get("note")),
            )
            for h in map(_d, d.get("history") or ())
        ),
    )


def idesk_page(body: Any, item: Callable[[Any], T]) -> Page[T]:
    body = _d(body)
    items = tuple(item(x) for x in body.get("items") or ())
    return Page(
        items=items,
        total=_int(body.get("total"), len(items)),
        page=_int(body.get("page"), 1),
        size=_int(body.get("size"), len(items)),
    )


def result_file(r: Any) -> ResultFile:
    r = _d(r)
    return ResultFile(
        document_id=_s(r.get("documentId")),
        document_summary=_s(r.get("documentSummary")),
        attachment_id=_s(r.get("attachmentId")),
        version=_int(r.get("version"), 1),
        file=idesk_file(r),
    )


def idesk_user(u: Any) -> UserInfo:
    u = _d(u)
    known = {r.value: r for r in Role}
    return UserInfo(
        subject=_s(u.get("id")),
        username=_s(u.get("username")),
        full_name=_s(u.get("fullname")),
        roles=tuple(known[r] for r in u.get("roles") or () if r in known),
        title=_s(u.get("title")),
        organization=_s(u.get("organization")),
    )
