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

from app.domain import FileRef
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


def file_to_json(ref: FileRef) -> dict:
    return asdict(ref)


def file_from_json(data: dict) -> FileRef:
    return FileRef(**data)


class JournalEntry:
    """The mutable record of one transfer; every change is saved before the method returns."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def action(self) -> str:
        return self.data["action"]

    @property
    def plan(self) -> dict[str, Any]:
        return self.data["plan"]

    @property
    def steps(self) -> dict[str, Any]:
        return self.data["steps"]

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
        sources = self.plan.get("sources", [])
        return PendingTransfer(
            key=self.key,
            action=self.action,
            dossier_code=self.plan.get("dossierCode", ""),
            started_at=datetime.fromisoformat(self.data["startedAt"]),
            files_total=len(sources),
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
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("unreadable transfer journal %s: %s", path, exc)
            return None
        return JournalEntry(path, data)

    def create(self, key: str, action: str, plan: dict[str, Any]) -> JournalEntry:
        entry = JournalEntry(
            self._path(key),
            {
                "key": key,
                "action": action,
                "startedAt": datetime.now(timezone.utc).isoformat(),
                "plan": plan,
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
