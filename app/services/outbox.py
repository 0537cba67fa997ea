"""Signed files waiting to reach iDesk. A signed PDF is kept on disk until iDesk confirms it holds
the same bytes (its SHA-256 equals ours); only then is the local copy deleted.

Layout: <directory>/<item id>/item.json and <directory>/<item id>/<file name>.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from app.domain import AttachmentVersion, FileRef
from app.errors import BadInputError, IntegrityError, LienThongError
from app.fileio import atomic_write_bytes, atomic_write_chunks, iter_file
from app.safe_names import safe_file_name
from app.services.digo.idesk import IDeskClient
from app.text import Text

log = logging.getLogger(__name__)

ITEM_FILE = "item.json"


@dataclass(frozen=True)
class OutboxItem:
    """A signed file waiting to be uploaded to an iDesk attachment, with its checksum and size."""

    id: str
    document_id: str
    attachment_id: str
    path: Path
    note: str
    sha256: str
    size: int
    created_at: datetime
    uploaded_file_id: str = ""  # set once the file is stored, so a retry does not upload it again

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class OutboxReport:
    """What one pass over the outbox did: the files iDesk confirmed, and those that failed and why."""

    uploaded: tuple[tuple[OutboxItem, AttachmentVersion], ...]
    failed: tuple[tuple[OutboxItem, LienThongError], ...]


def _to_json(item: OutboxItem) -> bytes:
    data = asdict(item)
    data["path"] = item.path.name
    data["created_at"] = item.created_at.isoformat()
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _from_json(folder: Path, raw: str) -> OutboxItem:
    data = json.loads(raw)
    data["path"] = folder / safe_file_name(data["path"])
    data["created_at"] = datetime.fromisoformat(data["created_at"])
    return OutboxItem(**data)


class Outbox:
    """Thread-safe; one upload per item at a time."""

    def __init__(self, directory: Path, idesk: IDeskClient) -> None:
        self.directory = Path(directory)
        self.idesk = idesk
        self._lock = threading.Lock()
        self._busy: set[str] = set()

    def put(self, document_id: str, attachment_id: str, signed_path: Path, note: str) -> OutboxItem:
        """Copy the signed file in (atomically) and record where it must go."""
        signed_path = Path(signed_path)
        if not signed_path.is_file():
            raise BadInputError(
                f"Không tìm thấy tệp đã ký \"{signed_path.name}\".",
                f"The signed file \"{signed_path.name}\" was not found.",
                detail=str(signed_path),
            )
        import uuid  # here: with `platform`, a few milliseconds of the GUI's start otherwise

        item_id = uuid.uuid4().hex
        folder = self.directory / item_id
        target = folder / signed_path.name
        with open(signed_path, "rb") as fh:
            sha = atomic_write_chunks(target, iter_file(fh))
        item = OutboxItem(
            id=item_id,
            document_id=document_id,
            attachment_id=attachment_id,
            path=target,
            note=note,
            sha256=sha,
            size=target.stat().st_size,
            created_at=datetime.now(timezone.utc),
        )
        atomic_write_bytes(folder / ITEM_FILE, _to_json(item))
        return item

    def pending(self) -> list[OutboxItem]:
        items: list[OutboxItem] = []
        if not self.directory.is_dir():
            return items
        for meta in self.directory.glob(f"*/{ITEM_FILE}"):
            try:
                item = _from_json(meta.parent, meta.read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError, KeyError) as exc:
                log.warning("unreadable outbox item %s: %s", meta, exc)
                continue
            if item.path.is_file():
                items.append(item)
        return sorted(items, key=lambda i: i.created_at)

    def upload(self, item: OutboxItem, progress: Callable[[int, int], None] | None = None) -> AttachmentVersion:
        """Upload as a new version (Idempotency-Key = item id); delete the copy once confirmed."""
        with self._lock:
            if item.id in self._busy:
                raise BadInputError(
                    "Tệp này đang được gửi.", "This file is already being uploaded.", detail=item.id
                )
            self._busy.add(item.id)
        try:
            current = self._reload(item)
            if current.uploaded_file_id:
                stored = FileRef(current.uploaded_file_id, current.name, current.size, current.sha256)
            else:
                stored = self.idesk.upload_file(current.path, progress)
                if stored.sha256 != current.sha256:
                    raise IntegrityError(current.name, detail=f"iDesk stored {stored.sha256}, local {current.sha256}")
                current = replace(current, uploaded_file_id=stored.id)
                atomic_write_bytes(current.path.parent / ITEM_FILE, _to_json(current))
            version = self.idesk.upload_version(
                current.document_id, current.attachment_id, current.path, current.note, current.id, file_ref=stored
            )
            if version.file.sha256 != current.sha256:
                raise IntegrityError(current.name, detail=f"version {version.file.sha256}, local {current.sha256}")
            shutil.rmtree(current.path.parent, ignore_errors=True)
            return version
        finally:
            with self._lock:
                self._busy.discard(item.id)

    def upload_all(self, progress: Callable[[int, int, Text], None] | None = None) -> OutboxReport:
        """Try every pending item; one failure does not stop the others."""
        items = self.pending()
        uploaded, failed = [], []
        for n, item in enumerate(items):
            if progress is not None:
                step = Text(f'Đang gửi "{item.name}" lên iDesk', f'Uploading "{item.name}" to iDesk')
                progress(n, len(items), step)
            try:
                uploaded.append((item, self.upload(item)))
            except LienThongError as exc:
                log.warning("outbox upload of %s failed: %s", item.id, exc)
                failed.append((item, exc))
        if progress is not None:
            progress(len(items), len(items), Text("Hoàn tất", "Done"))
        return OutboxReport(tuple(uploaded), tuple(failed))

    def _reload(self, item: OutboxItem) -> OutboxItem:
        meta = self.directory / item.id / ITEM_FILE
        try:
            return _from_json(meta.parent, meta.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BadInputError(
                "Tệp này không còn trong hàng chờ gửi (có thể đã gửi xong).",
                "This file is no longer waiting to be sent (it may have been sent already).",
                detail=item.id,
            ) from None

