"""The transfer journal: one JSON file per transfer, rewritten atomically after every step.

A transfer that stopped half-way (crash, cancel, network) is finished later from what its
journal says was already done, with the same idempotency key, so nothing is sent twice.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from app.domain import AttachmentRole, FileRef
from app.fileio import atomic_write_bytes

log = logging.getLogger(__name__)

ACTION_LABELS = {
    "send-to-idesk": ("Gửi sang iDesk", "Send to iDesk"),
    "fetch-from-idesk": ("Lấy từ iDesk", "Fetch from iDesk"),
    "transfer-to-igate": ("Chuyển đến phần mềm iGate", "Transfer to iGate"),
}


@dataclass(frozen=True)
class PendingTransfer:
    """A transfer that has started and not finished; `resume(key)` completes it."""

    key: str
    action: str
    dossier_code: str
    started_at: datetime
    files_total: int
    files_done: int

    @property
    def label_vi(self) -> str:
        return ACTION_LABELS.get(self.action, (self.action, self.action))[0]

    @property
    def label_en(self) -> str:
        return ACTION_LABELS.get(self.action, (self.action, self.action))[1]


def file_to_json(ref: FileRef) -> dict[str, Any]:
    return asdict(ref)


def file_from_json(data: dict[str, Any]) -> FileRef:
    return FileRef(**data)


@dataclass(frozen=True)
class PlanSource:
    """One file of a transfer: where it comes from and, for a send, its role in the draft."""

    src: str  # "igate:<file id>", "local:<sha256>" or "idesk:<document>:<attachment>:v<version>"
    origin: str  # "igate", "local" or "idesk"
    file: FileRef
    role: AttachmentRole | None = None  # send: its role in the draft
    staged: str = ""  # a local file: its copy's name in the journal's staging folder
    document_id: str = ""  # fetch: the iDesk document the result file belongs to
    attachment_id: str = ""  # transfer: the iDesk attachment

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"src": self.src, "origin": self.origin, "file": file_to_json(self.file)}
        optional = {"role": self.role.value if self.role else "", "staged": self.staged,
                    "documentId": self.document_id, "attachmentId": self.attachment_id}
        return data | {k: v for k, v in optional.items() if v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanSource:
        return cls(
            src=str(data["src"]),
            origin=str(data["origin"]),
            file=file_from_json(data["file"]),
            role=AttachmentRole(data["role"]) if data.get("role") else None,
            staged=str(data.get("staged", "")),
            document_id=str(data.get("documentId", "")),
            attachment_id=str(data.get("attachmentId", "")),
        )


@dataclass(frozen=True)
class TransferPlan:
    """What a transfer is to do, fixed when it starts; stored in its journal under "plan"."""

    dossier_id: str
    dossier_code: str
    sources: tuple[PlanSource, ...]
    summary: str = ""  # send: the draft's summary
    into: str = ""  # send: the id of the dossier's existing draft the files are added to
    document_id: str = ""  # transfer: the iDesk document whose files go to iGate

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"dossierId": self.dossier_id, "dossierCode": self.dossier_code,
                                "sources": [s.to_json() for s in self.sources]}
        optional = {"summary": self.summary, "into": self.into, "documentId": self.document_id}
        return data | {k: v for k, v in optional.items() if v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TransferPlan:
        return cls(
            dossier_id=str(data["dossierId"]),
            dossier_code=str(data["dossierCode"]),
            sources=tuple(PlanSource.from_json(s) for s in data["sources"]),
            summary=str(data.get("summary", "")),
            into=str(data.get("into", "")),
            document_id=str(data.get("documentId", "")),
        )


class JournalEntry:
    """The mutable record of one transfer; every change is saved before the method returns.
    A journal that does not parse raises KeyError, TypeError or ValueError."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.plan = TransferPlan.from_json(data["plan"])

    @property
    def key(self) -> str:
        return str(self.data["key"])

    @property
    def action(self) -> str:
        return str(self.data["action"])

    @property
    def steps(self) -> dict[str, Any]:
        steps: dict[str, Any] = self.data["steps"]
        return steps

    @property
    def done(self) -> bool:
        return bool(self.data.get("done"))

    @property
    def staging_dir(self) -> Path:
        return self.path.with_suffix(".files")

    def mark(self, step: str, value: Any) -> None:
        self.steps[step] = value
        self.save()

    def mark_file(self, step: str, src: str, value: Any) -> None:
        self.steps.setdefault(step, {})[src] = value
        self.save()

    def finish(self) -> None:
        self.data["done"] = True
        self.data["finishedAt"] = datetime.now(timezone.utc).isoformat()
        self.save()
        shutil.rmtree(self.staging_dir, ignore_errors=True)

    def save(self) -> None:
        atomic_write_bytes(self.path, json.dumps(self.data, ensure_ascii=False, indent=1).encode("utf-8"))

    def to_pending(self) -> PendingTransfer:
        return PendingTransfer(
            key=self.key,
            action=self.action,
            dossier_code=self.plan.dossier_code,
            started_at=datetime.fromisoformat(self.data["startedAt"]),
            files_total=len(self.plan.sources),
            files_done=len(self.steps.get("uploaded", {})),
        )


class Journal:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError(f"bad transfer key {key!r}")
        return self.directory / f"{key}.json"

    def load(self, key: str) -> JournalEntry | None:
        path = self._path(key)
        try:
            return JournalEntry(path, json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("unreadable transfer journal %s: %s", path, exc)
            return None

    def create(self, key: str, action: str, plan: TransferPlan) -> JournalEntry:
        entry = JournalEntry(
            self._path(key),
            {
                "key": key,
                "action": action,
                "startedAt": datetime.now(timezone.utc).isoformat(),
                "plan": plan.to_json(),
                "steps": {},
                "done": False,
            },
        )
        entry.save()
        return entry

    def entries(self) -> list[JournalEntry]:
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob("*.json")):
            entry = self.load(path.stem)
            if entry is not None:
                found.append(entry)
        return found

    def prune_finished(self, older_than: timedelta) -> int:
        """Delete journals of transfers finished before now - `older_than`; return how many."""
        limit = datetime.now(timezone.utc) - older_than
        removed = 0
        for entry in self.entries():
            finished = entry.data.get("finishedAt")
            if entry.done and finished and datetime.fromisoformat(finished) < limit:
                self.discard(entry.key)
                removed += 1
        return removed

    def discard(self, key: str) -> None:
        path = self._path(key)
        shutil.rmtree(path.with_suffix(".files"), ignore_errors=True)
        path.unlink(missing_ok=True)
