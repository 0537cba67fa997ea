"""iGate (DIGO one-stop-shop) adapter: dossiers, files, result files and the audit log."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Sequence

from app.domain import AuditEntry, Dossier, DossierStatus, DossierSummary, FileRef, Page, UserInfo
from app.errors import NotFoundError, ServiceError
from app.services.digo import parse
from app.services.digo.base import DigoClient, seg
from app.services.http import Progress

SYSTEM = "iGate"
ACTIONS = ("send-to-idesk", "fetch-from-idesk", "transfer-to-igate")


class IGateClient(DigoClient):
    SYSTEM = SYSTEM

    def me(self) -> UserInfo:
        return parse.igate_user(self.api.get_json("us/user/me"))

    def search_dossiers(
        self,
        *,
        keyword: str | None = None,
        code: str | None = None,
        statuses: Iterable[DossierStatus | int] = (),
        assignee: str | None = None,
        page: int = 0,
        size: int = 50,
    ) -> Page[DossierSummary]:
        status_ids = ",".join(str(s.value if isinstance(s, DossierStatus) else int(s)) for s in statuses)
        body = self.api.get_json(
            "pa/dossier/search",
            {
                "code": code,
                "keyword": keyword,
                "dossier-status": status_ids,
                "assignee": assignee,
                "page": page,
                "size": size,
            },
        )
        return parse.spring_page(body, parse.dossier_summary, skip=parse.UnexpectedAnswerError)

    def get_dossier(self, dossier_id: str) -> Dossier:
        return parse.dossier(self.api.get_json(f"pa/dossier/{seg(dossier_id)}/--online"))

    def get_dossier_by_code(self, code: str) -> Dossier:
        if not code:
            raise NotFoundError(
                "Văn bản chưa gắn mã hồ sơ iGate nên không tìm được hồ sơ.",
                "The document has no iGate dossier code, so no dossier can be found.",
                detail="empty dossier code",
            )
        try:
            return parse.dossier(self.api.get_json("pa/dossier/--by-code", {"code": code}))
        except NotFoundError as exc:
            raise NotFoundError(
                f"Không tìm thấy hồ sơ có mã {code} trên iGate.",
                f"No dossier with code {code} was found in iGate.",
                detail=exc.detail,
            ) from exc

    def upload_files(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        *,
        names: Sequence[str] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[FileRef]:
        """One multipart request; the answer lists the stored files in the same order."""
        body = self.api.upload("fi/file/--multiple", "files", paths, names=names, progress=progress, cancel=cancel)
        refs = [parse.igate_file(f) for f in body or ()]
        if len(refs) != len(paths):
            raise ServiceError(
                "iGate không nhận đủ các tệp đã gửi.",
                "iGate did not store every file sent.",
                detail=f"sent {len(paths)}, stored {len(refs)}",
            )
        return refs

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

    def attach_result_files(self, dossier_id: str, files: Sequence[tuple[str, str]]) -> tuple[FileRef, ...]:
        """Attach (file id, source reference) pairs; the server skips pairs already attached."""
        body = self.api.post_json(
            f"pa/dossier/{seg(dossier_id)}/result-files",
            {"files": [{"fileId": fid, "sourceRef": ref} for fid, ref in files]},
            idempotent=True,
        )
        return tuple(parse.igate_file(f) for f in (body or {}).get("resultFiles") or ())

    def append_log(self, dossier_code: str, action: str, detail: dict, key: str) -> AuditEntry:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        body = self.api.post_json(
            "lo/log",
            {"dossierCode": dossier_code, "action": action, "detail": detail, "key": key},
            idempotent=True,  # the server answers a repeated key with the existing entry
        )
        return parse.audit_entry(body)

    def list_log(self, dossier_code: str) -> list[AuditEntry]:
        body = self.api.get_json("lo/log", {"dossierCode": dossier_code})
        return [parse.audit_entry(e) for e in (body or {}).get("content") or ()]

    # Calls made by this adapter, for the contract test against docs/api/igate.yaml.
    ENDPOINTS: tuple[tuple[str, str], ...] = (
        ("GET", "/us/user/me"),
        ("GET", "/pa/dossier/search"),
        ("GET", "/pa/dossier/{id}/--online"),
        ("GET", "/pa/dossier/--by-code"),
        ("POST", "/fi/file/--multiple"),
        ("GET", "/fi/file/{id}"),
        ("POST", "/pa/dossier/{id}/result-files"),
        ("POST", "/lo/log"),
        ("GET", "/lo/log"),
    )

