"""iGate adapter for the VNPT "DIGO" API as provinces' servers speak it.

Shapes follow the catalogue of what public integration code does (docs/api/igate.yaml gives the
confidence of each call). Three things no public client shows are kept here, behind this class:
attaching result files (by updating the dossier's dossierFormFile), the transfer audit (a
dossier comment, since lo/history is read-only) and the files of earlier steps (task[].attachment).
"""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

from app.domain import AuditEntry, Dossier, DossierSummary, FileRef, HistoryEntry, Page, UserInfo
from app.errors import AccountNotLinkedError, NotFoundError, ServiceError, WrongStepError
from app.services.digo import parse
from app.services.digo.base import DigoClient, seg
from app.services.http import Progress, RetryPolicy, Tokens
from app.services.httpclient import HttpClient

SYSTEM = "iGate"
ACTIONS = ("send-to-idesk", "fetch-from-idesk", "transfer-to-igate")
DOSSIER_GROUP = 1  # lo/ and me/ group id of dossiers
ACTION_TEXT = {
    "send-to-idesk": "Gửi sang iDesk",
    "fetch-from-idesk": "Lấy kết quả từ iDesk",
    "transfer-to-igate": "Chuyển từ iDesk sang iGate",
}


def _token_claims(token: str) -> dict[str, Any]:
    """The access token's payload, read (not verified: the server does that) for `user_id`."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


class IGateClient(DigoClient):
    SYSTEM = SYSTEM

    def __init__(
        self,
        base_url: str,
        tokens: Tokens,
        *,
        http: HttpClient | None = None,
        timeout: float = 30.0,
        verify: bool | str = True,
        max_upload_bytes: int = 100 * 1024 * 1024,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        super().__init__(
            base_url, tokens, http=http, timeout=timeout, verify=verify, max_upload_bytes=max_upload_bytes, retry=retry
        )
        self.api.server_messages = False
        self.api.refresh_on_any_401 = True
        self._officer: parse.IGateOfficer | None = None
        self._officer_lock = threading.Lock()

    # -- the officer ----------------------------------------------------------------------------

    def officer(self) -> parse.IGateOfficer:
        """The signed-in officer's iGate user (cached): id, name, agency scope."""
        with self._officer_lock:
            if self._officer is None:
                user_id = str(_token_claims(self.api.tokens.get()).get("user_id") or "")
                if not user_id:
                    raise AccountNotLinkedError(detail="the access token has no user_id claim")
                self._officer = parse.igate_officer(self._checked(self.api.get_json(f"hu/user/{seg(user_id)}/--fully")))
            return self._officer

    def me(self) -> UserInfo:
        return self.officer().user

    # -- dossiers -------------------------------------------------------------------------------

    def search_dossiers(
        self,
        *,
        code: str | None = None,
        dossier_status: Iterable[int] = (),
        task_status_id: str | None = None,
        assignee: str | None = None,
        page: int = 0,
        size: int = 50,
    ) -> Page[DossierSummary]:
        """The officer's agency's dossiers, newest change first (`page` is 0-based).

        `assignee="me"` keeps the dossiers whose current task is the officer's."""
        officer = self.officer()
        if assignee == "me":
            assignee = officer.user_id
        body = self._checked(self.api.get_json(
            "pa/dossier/search",
            {
                "spec": "page",
                "page": page,
                "size": size,
                "sort": "updatedDate,desc",
                "ancestor-agency-id": officer.ancestor_agency_id,
                "isAgencySearch": "true",
                "code": code,
                "dossier-status": ",".join(str(int(s)) for s in dossier_status),
                "task-status-id": task_status_id,
                "task-assignee-id": assignee,
            },
        ))
        return parse.dossier_page(body, page, size)

    def get_dossier(self, dossier_id: str) -> Dossier:
        return parse.dossier(self._checked(self.api.get_json(f"pa/dossier/{seg(dossier_id)}/--online")))

    def get_dossier_by_code(self, code: str) -> Dossier:
        code = (code or "").strip()
        if not code:
            raise NotFoundError(
                "Văn bản chưa gắn mã hồ sơ iGate nên không tìm được hồ sơ.",
                "The document has no iGate dossier code, so no dossier can be found.",
                detail="empty dossier code",
            )
        body = self._checked(self.api.get_json(
            "pa/dossier/search", {"spec": "slice", "page": 0, "size": 2, "code-match": code}
        ))
        found = [row for row in parse.dossier_page(body, 0, 2).items if row.code == code]
        if not found:
            raise NotFoundError(
                f"Không tìm thấy hồ sơ có mã {code} trên iGate.",
                f"No dossier with code {code} was found in iGate.",
                detail="code-match search: no hit",
            )
        if len(found) > 1:
            raise ServiceError(
                f"iGate có nhiều hồ sơ cùng mã {code}; hãy mở hồ sơ trên iGate để kiểm tra.",
                f"iGate has several dossiers with code {code}; check it in iGate.",
                detail="code-match search: several hits",
            )
        return self.get_dossier(found[0].id)

    def history(self, dossier_id: str, size: int = 100) -> tuple[HistoryEntry, ...]:
        body = self._checked(self.api.get_json(
            "lo/history", {"group-id": DOSSIER_GROUP, "item-id": dossier_id, "page": 0, "size": size}
        ))
        return parse.history(body)

    # -- files ----------------------------------------------------------------------------------

    def upload_files(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        *,
        names: Sequence[str] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[FileRef]:
        """One multipart request (field `files` repeated); the answer lists the stored files in order."""
        body = self._checked(
            self.api.upload("fi/file/--multiple", "files", paths, names=names, progress=progress, cancel=cancel)
        )
        refs = [parse.igate_file(f) for f in body or ()] if isinstance(body, list) else []
        if len(refs) != len(paths):
            raise ServiceError(
                "iGate không nhận đủ các tệp đã gửi.",
                "iGate did not store every file sent.",
                detail=f"sent {len(paths)}, stored {len(refs)}",
            )
        return refs

    def upload_file(
        self, path: Path, progress: Progress | None = None, *, name: str | None = None,
        cancel: threading.Event | None = None,
    ) -> FileRef:
        """The single-file route (field `file`)."""
        path = Path(path)
        body = self._checked(
            self.api.upload("fi/file/", "file", [path], names=[name or path.name], progress=progress, cancel=cancel)
        )
        return parse.igate_file(body)

    def file_info(self, file_id: str) -> FileRef:
        body = _d(self._checked(self.api.get_json(f"fi/file/{seg(file_id)}/filename+size")))
        return parse.igate_file({"id": file_id, **body})

    def download_file(
        self,
        file_ref: FileRef,
        dest_path: Path,
        progress: Progress | None = None,
        *,
        cancel: threading.Event | None = None,
    ) -> Path:
        self.api.download(
            f"fi/file/{seg(file_ref.id)}",
            Path(dest_path),
            name=file_ref.name,
            expected_sha256=file_ref.sha256 or None,
            progress=progress,
            cancel=cancel,
        )
        return Path(dest_path)

    # -- result files ---------------------------------------------------------------------------

    def attach_result_files(self, dossier_id: str, files: Sequence[FileRef]) -> tuple[FileRef, ...]:
        """Put stored files into the dossier's result entry of dossierFormFile and save the dossier.

        Files already there (same id) are skipped, so a repeat changes nothing. No public client
        shows how iGate attaches results: this read-modify-write of the dossier is the adapter's
        guess, kept here so a province's real call replaces only this method.
        """
        raw = _d(self._checked(self.api.get_json(f"pa/dossier/{seg(dossier_id)}/--online")))
        state = parse.dossier_state(raw)
        if not state.can_attach_results:
            raise WrongStepError(
                f"Bước \"{state.label}\" của hồ sơ không cho phép đính kèm kết quả.",
                f"The dossier's step \"{state.label}\" does not allow attaching results.",
                detail=f"dossier {dossier_id}",
            )
        forms = [f for f in raw.get("dossierFormFile") or () if isinstance(f, dict)]
        entry = next((f for f in forms if parse.is_result_form(f)), None)
        if entry is None:
            entry = {"procedureForm": {"id": parse.RESULT_FORM_ID, "name": parse.RESULT_FORM_NAME}, "file": []}
            forms.append(entry)
        present = {_d(f).get("id") for f in entry.get("file") or ()}
        added = [ref for ref in files if ref.id not in present]
        if added:
            entry["file"] = list(entry.get("file") or ()) + [
                {"id": ref.id, "filename": ref.name, "size": ref.size} for ref in added
            ]
            raw["dossierFormFile"] = forms
            # The whole dossier goes back: a server replacing the document keeps every other field.
            self._checked(self.api.put_json(f"pa/dossier/{seg(dossier_id)}", raw, idempotent=True))
        return tuple(parse.igate_file(f) for f in entry.get("file") or ())

    # -- the transfer audit ---------------------------------------------------------------------

    def append_log(
        self, dossier_id: str, dossier_code: str, action: str, detail: dict[str, Any], key: str
    ) -> AuditEntry:
        """Record a transfer as a comment on the dossier (lo/history has no client-side write).

        The comment carries the key; an entry already recorded under it is returned as is."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        for entry in self.list_log(dossier_id):
            if entry.detail.get("key") == key:
                return entry
        names = ", ".join(str(f.get("name", "")) for f in detail.get("files") or ())
        record = {"action": action, "dossierCode": dossier_code, "key": key, "detail": detail}
        content = f"Liên Thông Desk: {ACTION_TEXT[action]}" + (f": {names}" if names else "")
        content += "\n" + parse.AUDIT_MARK + " " + json.dumps(record, ensure_ascii=False)
        body = self._checked(self.api.post_json(
            "me/comment", {"groupId": DOSSIER_GROUP, "itemId": dossier_id, "content": content}
        ))
        written = parse.audit_entry(body) or parse.audit_entry({"content": content})
        if written is None:  # the content written above always parses back
            raise parse.UnexpectedAnswerError(SYSTEM, "the audit comment does not parse")
        return written

    def list_log(self, dossier_id: str) -> list[AuditEntry]:
        body = self._checked(self.api.get_json("me/comment", {"group-id": DOSSIER_GROUP, "item-id": dossier_id}))
        rows = body if isinstance(body, list) else _d(body).get("content") or ()
        return [e for e in map(parse.audit_entry, rows) if e is not None]

    # -- helpers --------------------------------------------------------------------------------

    def _checked(self, body: Any) -> Any:
        """DIGO integration endpoints report failures inside an HTTP 200 answer."""
        parse.raise_integration_error(body, SYSTEM)
        return body

    # Calls made by this adapter, for the contract test against docs/api/igate.yaml.
    ENDPOINTS: tuple[tuple[str, str], ...] = (
        ("GET", "/hu/user/{id}/--fully"),
        ("GET", "/pa/dossier/search"),
        ("GET", "/pa/dossier/{id}/--online"),
        ("PUT", "/pa/dossier/{id}"),
        ("POST", "/fi/file/--multiple"),
        ("POST", "/fi/file/"),
        ("GET", "/fi/file/{id}"),
        ("GET", "/fi/file/{id}/filename+size"),
        ("GET", "/lo/history"),
        ("POST", "/me/comment"),
        ("GET", "/me/comment"),
    )


def _d(obj: object) -> dict[str, Any]:
    return obj if isinstance(obj, dict) else {}
