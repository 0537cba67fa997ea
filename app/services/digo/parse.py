"""JSON of the DIGO-style iGate and of iDesk into app.domain types.

Optional fields may be missing or null in real answers; only identifiers and the dossier status
are required. Nothing outside app.services.digo sees these field names.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Callable, TypeVar

from app.domain import (
    Attachment,
    AttachmentRole,
    AttachmentVersion,
    AuditEntry,
    DocumentFolder,
    DocumentStatus,
    Dossier,
    DossierComponent,
    DossierState,
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
E = TypeVar("E", bound=Enum)


class UnexpectedAnswerError(ServiceError):
    code = "unexpected_answer"

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(
            f"{system} trả về dữ liệu không đúng định dạng mong đợi.",
            f"{system} returned data in an unexpected shape.",
            detail=detail,
        )


def _d(obj: Any) -> dict[str, Any]:
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


def _require(obj: dict[str, Any], key: str, system: str) -> Any:
    if obj.get(key) in (None, ""):
        raise UnexpectedAnswerError(system, f"missing {key!r} in {sorted(obj)}")
    return obj[key]


# -- iGate -------------------------------------------------------------------------------------

VI, EN = 228, 46
# Linkage flags of a BPM task that allow handing the dossier to the e-office.
IDESK_FLAGS = ("canConnectedIOffice", "canConnectedIOfficeV4", "canConnectedQLVB", "canSendDocument")
RESULT_FLAGS = ("canUploadResult", "mustAttachResultsFile")
# The dossierFormFile entry this adapter keeps result files in (see docs/api/igate.yaml: unverified).
RESULT_FORM_ID = "5f9a0c3e1d2b4c5a6e7f8091"
RESULT_FORM_NAME = "Kết quả giải quyết hồ sơ"


def localized(value: Any, lang: int = VI) -> str:
    """A name that is plain text, {languageId, name}, or a list of those: the wanted language,
    else Vietnamese, else the first one."""
    if isinstance(value, dict):
        return _s(value.get("name")) if "name" in value else ""
    if isinstance(value, list):
        names = {_int(_d(v).get("languageId"), -1): _s(_d(v).get("name")) for v in value}
        return names.get(lang) or names.get(VI) or next((n for n in names.values() if n), "")
    return _s(value)


def _name(obj: Any) -> str:
    """`obj.name` whichever way it is localized."""
    return localized(_d(obj).get("name"))


def procedure_name(procedure: Any) -> str:
    # Officer search sends translate as an object, other lists and the apply body as an array.
    p = _d(procedure)
    return localized(p.get("translate")) or localized(p.get("name"))


def applicant_name(applicant: Any) -> str:
    data = _d(_d(applicant).get("data"))
    return _s(data.get("fullname") or data.get("organization") or data.get("ownerFullname"))


def _current_task(d: dict[str, Any]) -> dict[str, Any]:
    # An array in every observed answer; one client also copes with a bare object.
    tasks = d.get("currentTask")
    if isinstance(tasks, dict):
        return tasks
    return next((_d(t) for t in tasks or () if isinstance(t, dict)), {})


def dossier_state(d: Any) -> DossierState:
    d = _d(d)
    status = _d(d.get("dossierStatus"))
    task_status = _d(d.get("dossierTaskStatus"))
    task = _current_task(d)
    definition = _d(task.get("bpmProcessDefinitionTask"))
    flags = _d(definition.get("variable"))
    status_id = status.get("id")
    if status_id is None and not task:
        raise UnexpectedAnswerError("iGate", f"no dossierStatus nor currentTask in {sorted(d)}")
    return DossierState(
        status_id=_int(status_id, -1),
        status_name=localized(status.get("name")),
        task_status_name=localized(task_status.get("name")),
        step_name=localized(_d(definition.get("name")).get("name")) or _s(d.get("statusCurrentTask")),
        can_send_to_idesk=any(flags.get(f) is True for f in IDESK_FLAGS),
        can_attach_results=any(flags.get(f) is True for f in RESULT_FLAGS),
        finished=bool(d.get("completedDate")) or (not task and "currentTask" in d),
    )


def igate_file(f: Any) -> FileRef:
    f = _d(f)
    return FileRef(
        id=_s(_require(f, "id", "iGate")),
        name=_s(f.get("filename") or f.get("name")),
        size=_int(f.get("size")),
        # Not sent by real servers as far as public code shows; the sandbox adds it.
        sha256=_s(f.get("sha256")).lower(),
        mime_type=_s(f.get("mimeType")) or "application/octet-stream",
    )


def dossier_summary(d: Any) -> DossierSummary:
    d = _d(d)
    task = _current_task(d)
    return DossierSummary(
        id=_s(_require(d, "id", "iGate")),
        code=_s(_require(d, "code", "iGate")),
        procedure_name=procedure_name(d.get("procedure")),
        applicant_name=applicant_name(d.get("applicant")),
        status=dossier_state(d),
        appointment_date=parse_datetime(d.get("appointmentDate")),
        accepted_date=parse_datetime(d.get("acceptedDate")),
        assignee_name=_s(_d(task.get("assignee")).get("fullname")),
        nation_code=_s(d.get("nationCode")),
        agency_name=_name(d.get("agency")),
    )


def is_result_form(entry: Any) -> bool:
    return _d(_d(entry).get("procedureForm")).get("id") == RESULT_FORM_ID


def _form_name(entry: dict[str, Any]) -> str:
    return localized(_d(entry.get("procedureForm")).get("name")) or _s(entry.get("formName"))


def _files(values: Any) -> tuple[FileRef, ...]:
    return tuple(igate_file(f) for f in values or () if isinstance(f, dict) and f.get("id"))


def dossier(d: Any) -> Dossier:
    d = _d(d)
    forms = [f for f in d.get("dossierFormFile") or () if isinstance(f, dict)]
    results = [f for f in forms if is_result_form(f)]
    return Dossier(
        summary=dossier_summary(d),
        components=tuple(
            DossierComponent(id=_s(f.get("id")), name=_form_name(f), files=_files(f.get("file")))
            for f in forms
            if not is_result_form(f)
        ),
        step_files=tuple(
            StepFile(step=localized(_d(_d(t.get("bpmProcessDefinitionTask")).get("name")).get("name")), file=ref)
            for t in map(_d, d.get("task") or ())
            for ref in _files(t.get("attachment"))
        ),
        result_files=tuple(ref for f in results for ref in _files(f.get("file"))),
    )


def _rows(body: Any, item: Callable[[Any], T]) -> tuple[T, ...]:
    """`content` rows; a row the adapter cannot read is left out and logged, not fatal."""
    items = []
    for row in _d(body).get("content") or ():
        try:
            items.append(item(row))
        except UnexpectedAnswerError as exc:
            log.warning("skipped a row: %s", exc.detail)
    return tuple(items)


def dossier_page(body: Any, page: int, size: int) -> Page[DossierSummary]:
    """A `spec=page` answer (totalPages, pageable.pageNumber) or a `spec=slice` one (last).

    Neither is known to carry totalElements, so the total is exact only on the last page and
    otherwise an upper bound that keeps a pager asking for the next one."""
    body = _d(body)
    if not isinstance(body.get("content"), list):
        raise UnexpectedAnswerError("iGate", f"no content list in {sorted(body)}")
    items = _rows(body, dossier_summary)
    number = _int(_d(body.get("pageable")).get("pageNumber", body.get("number")), page)
    seen = number * size + len(body["content"])
    if body.get("totalElements") is not None:
        total = _int(body.get("totalElements"), seen)
    elif body.get("totalPages") is not None:
        pages = _int(body.get("totalPages"))
        total = seen if number + 1 >= pages else pages * size
    else:
        total = seen if body.get("last", True) else seen + 1
    return Page(items=items, total=total, page=number, size=size)


@dataclass(frozen=True)
class IGateOfficer:
    """The signed-in officer as iGate knows them; `ancestor_agency_id` scopes dossier lists."""

    user_id: str
    user: UserInfo
    agency_id: str
    ancestor_agency_id: str


def igate_officer(u: Any) -> IGateOfficer:
    u = _d(u)
    user_id = _s(_require(u, "id", "iGate"))
    experiences = [_d(e) for e in u.get("experience") or () if isinstance(e, dict)]
    primary = next((e for e in experiences if e.get("primary") is True), experiences[0] if experiences else {})
    agency = _d(primary.get("agency"))
    parent = _d(agency.get("parent"))
    usernames = _d(u.get("account")).get("username")
    username = usernames if isinstance(usernames, str) else next(
        (_s(_d(v).get("value")) for v in usernames or () if _d(v).get("value")), ""
    )
    emails = u.get("email")
    email = emails if isinstance(emails, str) else next((_s(_d(v).get("value")) for v in emails or ()), "")
    return IGateOfficer(
        user_id=user_id,
        user=UserInfo(
            subject=user_id,
            username=username,
            full_name=_s(u.get("fullname")),
            email=email,
            title=_name(primary.get("position")),
            organization=_name(parent) or _name(agency),
        ),
        agency_id=_s(agency.get("id")),
        ancestor_agency_id=_s(parent.get("id") or agency.get("id")),
    )


def history(body: Any) -> tuple[HistoryEntry, ...]:
    """lo/history items (their fields are not in any public client: read loosely)."""
    entries = []
    for row in _d(body).get("content") or ():
        row = _d(row)
        user = _d(row.get("user"))
        changes = [_d(a) for a in row.get("action") or () if isinstance(a, dict)]
        note = "; ".join(
            f"{_s(a.get('originalValue'))} → {_s(a.get('newValue'))}"
            if a.get("originalValue")
            else _s(a.get("newValue"))
            for a in changes
        )
        entries.append(
            HistoryEntry(
                time=parse_datetime(row.get("createdDate")) or datetime.min,
                actor=_s(user.get("fullname") or user.get("name")),
                action=", ".join(_s(a.get("fieldNameRbk")) for a in changes) or _s(row.get("type")),
                note=note,
            )
        )
    return tuple(entries)


AUDIT_MARK = "[lienthong]"


def audit_entry(comment: Any) -> AuditEntry | None:
    """A transfer recorded as a dossier comment (None for other comments)."""
    c = _d(comment)
    content = _s(c.get("content"))
    mark = content.rfind("\n" + AUDIT_MARK + " ")
    if mark < 0:
        return None
    try:
        record = _d(json.loads(content[mark + len(AUDIT_MARK) + 2 :]))
    except ValueError:
        return None
    user = _d(c.get("user"))
    return AuditEntry(
        officer=_s(user.get("fullname") or user.get("name")),
        time=parse_datetime(c.get("createdDate")) or datetime.min,
        dossier_code=_s(record.get("dossierCode")),
        action=_s(record.get("action")),
        detail=_d(record.get("detail")) | {"key": _s(record.get("key"))},
    )


def raise_integration_error(body: Any, system: str) -> None:
    """DIGO integration endpoints answer HTTP 200 with {status, title, errors} when they fail."""
    if not isinstance(body, dict) or "content" in body or "id" in body:
        return
    status = body.get("status")
    if not isinstance(status, int) or status < 300 or "title" not in body:
        return
    errors = body.get("errors")
    if isinstance(errors, dict):
        text = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items())
    else:
        text = _s(errors)
    raise IntegrationError(system, _s(body.get("title")), text, status)


class IntegrationError(ServiceError):
    code = "integration"

    def __init__(self, system: str, title: str, errors: str, status: int) -> None:
        super().__init__(
            f"{system} báo lỗi: {title or 'Có lỗi xảy ra.'}",
            f"{system} reported an error.",
            detail=f"status={status} title={title!r} errors={errors!r}",
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


def _enum(enum_type: type[E], value: Any, default: E) -> E:
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
    kind = _s(a.get("kind")) or "draft"
    return Attachment(
        id=_s(_require(a, "id", "iDesk")),
        name=name,
        kind=kind,
        versions=tuple(attachment_version(v, name) for v in a.get("versions") or ()),
        role=_enum(
            AttachmentRole, a.get("role"), AttachmentRole.MATERIAL if kind == "source" else AttachmentRole.REFERENCE
        ),
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
