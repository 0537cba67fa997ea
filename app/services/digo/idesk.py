"""iDesk (e-office) adapter: documents, attachments and their versions, result files."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Sequence

from app.domain import (
    Attachment,
    AttachmentRole,
    AttachmentVersion,
    DocumentFolder,
    FileRef,
    IDeskDocument,
    IDeskDocumentSummary,
    Page,
    ResultFile,
    UserInfo,
)
from app.errors import IntegrityError
from app.fileio import sha256_file
from app.services.digo import parse
from app.services.digo.base import DigoClient, seg
from app.services.http import Progress

SYSTEM = "iDesk"
FORWARD_TARGETS = ("leader", "clerk")


class IDeskClient(DigoClient):
    SYSTEM = SYSTEM

    def me(self) -> UserInfo:
        return parse.idesk_user(self.api.get_json("me"))

    def list_documents(
        self,
        *,
        folder: DocumentFolder | str | None = None,
        dossier_code: str | None = None,
        q: str | None = None,
        page: int = 1,
        size: int = 50,
    ) -> Page[IDeskDocumentSummary]:
        folder_value = folder.value if isinstance(folder, DocumentFolder) else folder
        body = self.api.get_json(
            "documents",
            {"folder": folder_value, "dossierCode": dossier_code, "q": q, "page": page, "size": size},
        )
        return parse.idesk_page(body, parse.document_summary)

    def get_document(self, doc_id: str) -> IDeskDocument:
        return parse.document(self.api.get_json(f"documents/{seg(doc_id)}"))

    def upload_file(
        self,
        path: Path,
        progress: Progress | None = None,
        *,
        name: str | None = None,
        cancel: threading.Event | None = None,
    ) -> FileRef:
        path = Path(path)
        name = name or path.name
        body = self.api.upload("files", "file", [path], names=[name], progress=progress, cancel=cancel)
        return parse.idesk_file(body, name)

    def download_file(
        self,
        file_ref: FileRef,
        dest: Path,
        progress: Progress | None = None,
        *,
        cancel: threading.Event | None = None,
    ) -> Path:
        self.api.download(
            f"files/{seg(file_ref.id)}",
            Path(dest),
            name=file_ref.name,
            expected_sha256=file_ref.sha256 or None,
            progress=progress,
            cancel=cancel,
        )
        return Path(dest)

    def create_draft(
        self,
        summary: str,
        dossier_code: str,
        attachments: Sequence[FileRef | tuple[FileRef, str] | tuple[FileRef, str, AttachmentRole]],
        key: str,
        form: str = "Công văn",
        urgency: str = "Thường",
    ) -> IDeskDocument:
        """Create the draft; the same `key` again returns the same draft, never a second one.

        Each attachment is a file, (file, kind) or (file, kind, role); at most one is the main document.
        """
        items = []
        for a in attachments:
            parts = a if isinstance(a, tuple) else (a,)
            ref = parts[0]
            kind = parts[1] if len(parts) > 1 else "source"
            role = parts[2] if len(parts) > 2 else None
            item = {"fileId": ref.id, "filename": ref.name, "kind": kind}
            if role is not None:
                item["role"] = role.value
            items.append(item)
        body = self.api.post_json(
            "documents",
            {"summary": summary, "dossierCode": dossier_code, "form": form, "urgency": urgency, "attachments": items},
            idempotency_key=key,
        )
        return parse.document(body)

    def add_attachment(
        self, doc_id: str, file_id: str, filename: str, kind: str, key: str, role: AttachmentRole | None = None
    ) -> Attachment:
        item = {"fileId": file_id, "filename": filename, "kind": kind}
        if role is not None:
            item["role"] = role.value
        body = self.api.post_json(f"documents/{seg(doc_id)}/attachments", item, idempotency_key=key)
        return parse.attachment(body)

    def set_attachment_role(self, doc_id: str, attachment_id: str, role: AttachmentRole) -> Attachment:
        """Mark a file's role; marking the main document demotes the earlier one to a reference."""
        body = self.api.patch_json(f"documents/{seg(doc_id)}/attachments/{seg(attachment_id)}", {"role": role.value})
        return parse.attachment(body)

    def upload_version(
        self,
        doc_id: str,
        attachment_id: str,
        path: Path,
        note: str,
        key: str,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        file_ref: FileRef | None = None,
    ) -> AttachmentVersion:
        """Upload `path` (unless `file_ref` says it is already stored) and add it as a new version.

        The server's digest of the stored version must equal the local file's.
        """
        path = Path(path)
        local_sha = sha256_file(path)
        ref = file_ref or self.upload_file(path, progress, cancel=cancel)
        if ref.sha256 and ref.sha256 != local_sha:
            raise IntegrityError(path.name, detail=f"uploaded {ref.sha256} != local {local_sha}")
        body = self.api.post_json(
            f"documents/{seg(doc_id)}/attachments/{seg(attachment_id)}/versions",
            {"fileId": ref.id, "note": note},
            idempotency_key=key,
        )
        version = parse.attachment_version(body, path.name)
        if version.file.sha256 and version.file.sha256 != local_sha:
            raise IntegrityError(path.name, detail=f"version {version.file.sha256} != local {local_sha}")
        return version

    def result_files(self, dossier_code: str) -> list[ResultFile]:
        body = self.api.get_json("result-files", {"dossierCode": dossier_code})
        return [parse.result_file(r) for r in (body or {}).get("items") or ()]

    def forward(self, doc_id: str, to: str, note: str = "") -> IDeskDocument:
        if to not in FORWARD_TARGETS:
            raise ValueError(f"forward target must be one of {FORWARD_TARGETS}")
        return parse.document(self.api.post_json(f"documents/{seg(doc_id)}/forward", {"to": to, "note": note}))

    def next_number(self, symbol: str, year: int) -> str:
        """The register's next free number for the symbol and year (a proposal: nothing is reserved)."""
        body = self.api.get_json("numbers/next", {"symbol": symbol, "year": year})
        return str((body or {}).get("number") or "")

    def register_number(self, doc_id: str, number: str, date: dt.date) -> IDeskDocument:
        """Give the document its number and date in the register; NumberTakenError when the number is used."""
        body = self.api.post_json(
            f"documents/{seg(doc_id)}/number", {"number": number, "date": date.isoformat()}, idempotent=True
        )
        return parse.document(body)

    def release(self, doc_id: str, number: str, date: dt.date | str) -> IDeskDocument:
        """Release (clerk only; others get ForbiddenError) with the given number and date."""
        day = date.isoformat() if isinstance(date, dt.date) else str(date)
        body = self.api.post_json(f"documents/{seg(doc_id)}/release", {"number": number, "date": day})
        return parse.document(body)

    def record_igate_transfer(
        self, doc_id: str, dossier_code: str, attachment_ids: Sequence[str], igate_file_ids: Sequence[str], key: str
    ) -> None:
        self.api.post_json(
            f"documents/{seg(doc_id)}/igate-transfers",
            {"dossierCode": dossier_code, "attachmentIds": list(attachment_ids), "igateFileIds": list(igate_file_ids)},
            idempotency_key=key,
        )

    # Calls made by this adapter, for the contract test against docs/api/idesk.yaml.
    ENDPOINTS: tuple[tuple[str, str], ...] = (
        ("GET", "/me"),
        ("GET", "/documents"),
        ("GET", "/documents/{id}"),
        ("POST", "/files"),
        ("GET", "/files/{fileId}"),
        ("POST", "/documents"),
        ("POST", "/documents/{id}/attachments"),
        ("PATCH", "/documents/{id}/attachments/{attId}"),
        ("POST", "/documents/{id}/number"),
        ("POST", "/documents/{id}/attachments/{attId}/versions"),
        ("GET", "/result-files"),
        ("POST", "/documents/{id}/forward"),
        ("GET", "/numbers/next"),
        ("POST", "/documents/{id}/release"),
        ("POST", "/documents/{id}/igate-transfers"),
    )
