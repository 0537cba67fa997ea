"""File blobs on disk (streamed in and out) with their metadata row in the `files` table.

Blobs are content-addressed (named by SHA-256), so identical files share one blob on disk.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

CHUNK = 1 << 20


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def new_id() -> str:
    return uuid.uuid4().hex[:24]


def guess_mime(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def path_for(self, row: sqlite3.Row) -> Path:
        return self.path(row["sha256"])

    def _store(self, tmp: Path, sha256: str) -> None:
        target = self.path(sha256)
        if target.exists():
            tmp.unlink(missing_ok=True)
            return
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp, target)

    def save_stream(
        self,
        conn: sqlite3.Connection,
        stream: IO[bytes],
        filename: str,
        *,
        system: str,
        owner: str | None,
        max_bytes: int,
    ) -> sqlite3.Row:
        """Copy `stream` to a new blob chunk by chunk, hashing as it goes."""
        file_id = new_id()
        tmp = self.root / f"{file_id}.part"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(tmp, "wb") as out:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(size)
                    digest.update(chunk)
                    out.write(chunk)
            self._store(tmp, digest.hexdigest())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return self._insert(conn, file_id, system, filename, size, digest.hexdigest(), owner)

    def save_bytes(
        self, conn: sqlite3.Connection, data: bytes, filename: str, *, system: str, owner: str | None = None
    ) -> sqlite3.Row:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
        return self._insert(conn, new_id(), system, filename, len(data), sha256, owner)

    def _insert(self, conn, file_id, system, filename, size, sha256, owner) -> sqlite3.Row:
        conn.execute(
            "INSERT INTO files (id, system, filename, size, sha256, mime_type, created_at, owner)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (file_id, system, filename, size, sha256, guess_mime(filename), now_iso(), owner),
        )
        return conn.execute("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone()


def get_file(conn: sqlite3.Connection, file_id: str, system: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM files WHERE id = ? AND system = ?", (file_id, system)
    ).fetchone()
