"""File blobs on disk (streamed in and out) with their metadata row in the `files` table."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

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

    def path(self, file_id: str) -> Path:
        return self.root / file_id

    def save_stream(
        self,
        conn: sqlite3.Connection,
        stream: BinaryIO,
        filename: str,
        *,
        system: str,
        owner: str | None,
        max_bytes: int,
    ) -> sqlite3.Row:
        """Copy `stream` to a new blob chunk by chunk, hashing as it goes."""
        file_id = new_id()
        target = self.path(file_id)
        tmp = target.with_suffix(".part")
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
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return self._insert(conn, file_id, system, filename, size, digest.hexdigest(), owner)

    def save_bytes(
        self, conn: sqlite3.Connection, data: bytes, filename: str, *, system: str, owner: str | None = None
    ) -> sqlite3.Row:
        file_id = new_id()
        self.path(file_id).write_bytes(data)
        return self._insert(conn, file_id, system, filename, len(data), hashlib.sha256(data).hexdigest(), owner)

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
