"""A multipart/form-data body read from disk piece by piece, so a 100 MB upload never sits in memory.

requests streams any iterable body that also has a length, sending Content-Length (servers and
proxies that refuse chunked uploads still accept it).
"""

from __future__ import annotations

import mimetypes
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from app.errors import CancelledError

READ_SIZE = 1 << 18


@dataclass(frozen=True)
class Part:
    """A file to upload in a multipart form: the form field, the file on disk, the name sent."""

    field: str
    path: Path
    filename: str
    content_type: str = ""

    def mime(self) -> str:
        return self.content_type or mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


def _quote(value: str) -> str:
    # Browsers send the UTF-8 name as is and percent-escape only these (WHATWG multipart encoding).
    return value.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


class MultipartBody:
    """File-like and iterable; `progress(sent, total)` counts every byte; `cancel` stops it."""

    def __init__(
        self,
        parts: list[Part],
        *,
        boundary: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.boundary = boundary or self.new_boundary()
        self._progress = progress
        self._cancel = cancel
        self._segments: list[bytes | Path] = []
        for part in parts:
            head = (
                f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{_quote(part.field)}"; filename="{_quote(part.filename)}"\r\n'
                f"Content-Type: {part.mime()}\r\n\r\n"
            ).encode("utf-8")
            self._segments += [head, Path(part.path), b"\r\n"]
        self._segments.append(f"--{self.boundary}--\r\n".encode("ascii"))
        self._length = sum(s.stat().st_size if isinstance(s, Path) else len(s) for s in self._segments)
        self._index = 0
        self._offset = 0
        self._fh: BinaryIO | None = None
        self._sent = 0

    @staticmethod
    def new_boundary() -> str:
        return "lienthong-" + secrets.token_hex(16)

    @staticmethod
    def content_type_for(boundary: str) -> str:
        return f"multipart/form-data; boundary={boundary}"

    @property
    def content_type(self) -> str:
        return self.content_type_for(self.boundary)

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        if self._cancel is not None and self._cancel.is_set():
            raise CancelledError("upload cancelled")
        size = READ_SIZE if size < 0 else size
        while self._index < len(self._segments):
            seg = self._segments[self._index]
            if isinstance(seg, bytes):
                data = seg[self._offset : self._offset + size]
                self._offset += len(data)
            else:
                if self._fh is None:
                    self._fh = open(seg, "rb")
                data = self._fh.read(size)
            if data:
                self._sent += len(data)
                if self._progress is not None:
                    self._progress(self._sent, self._length)
                return data
            self._next_segment()
        return b""

    def _next_segment(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._index += 1
        self._offset = 0

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(READ_SIZE):
            yield chunk

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
