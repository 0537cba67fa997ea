"""The document's bytes as a signing reads them: read once, hashed, and never read from the
officer's file again, so the bytes hashed (and compared with the preview's) are the bytes signed.

A file to sign is copied into the output's temp file and mapped from there: the signature is then
appended to that copy in place, as an incremental update is. Read into the process instead, a
50 MB scan took 50 MB of fresh memory for every signature besides the output's 50 MB of file
cache, which costs more than the signature itself on a virtual machine that backs its memory on
first use (bench/bench_signing.py). Bytes signed in memory (`sign_bytes`) stay in memory.

The copy is private: no other program writes to it, and it cannot be cut short under the mapping
(a mapped file truncated by someone else kills the process on Linux).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from contextlib import contextmanager
from io import BufferedReader, BytesIO, RawIOBase
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from app.signing.errors import CorruptPdfError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_COPY_CHUNK = 1 << 20
_READ_BUFFER = 1 << 16


class Original:
    """The read-only bytes of the document being signed, in memory or mapped from a private copy.

    Read it through these methods: an `mmap` answers `b"x" in m` with False whatever it holds."""

    def __init__(self, data: bytes | mmap.mmap, name: str = "PDF", path: Path | None = None,
                 host: BinaryIO | None = None) -> None:
        self._data = data
        self.name = name
        self.path = path  # the private copy, when mapped
        self.host = host  # the open file holding that copy, where the signature is appended

    def __len__(self) -> int:
        return len(self._data)

    def head(self, size: int) -> bytes:
        return self._data[:size]

    def buffer(self) -> bytes | mmap.mmap:
        """For hashing and writing out whole; a mapping cannot close while a view of it is held."""
        return self._data

    def stream(self) -> BinaryIO:
        """A reader over the bytes that copies nothing up front (a BytesIO of a mapping would)."""
        if isinstance(self._data, bytes):
            return BytesIO(self._data)
        return BufferedReader(_MappedReader(self._data), _READ_BUFFER)

    def source(self) -> Path | bytes:
        """What MuPDF opens: the private copy by name (MuPDF reads it itself; only before anything
        is appended to it), or the bytes."""
        if self.path is not None:
            return self.path
        assert isinstance(self._data, bytes)
        return self._data

    def to_bytes(self) -> bytes:
        return self._data if isinstance(self._data, bytes) else self._data[:]

    def reset_host(self) -> None:
        """Cut the host file back to the copy alone, for another attempt at signing it. The mapping
        is closed around the cut (Windows and wine refuse to shorten a mapped file), so nothing may
        hold a view of it: wait for the hashing first."""
        if self.host is None or not isinstance(self._data, mmap.mmap):
            return
        length = len(self._data)
        self.host.flush()  # what the last attempt left in the file object's buffer counts too
        if os.fstat(self.host.fileno()).st_size == length:
            return
        self._data.close()
        self.host.truncate(length)
        self._data = mmap.mmap(self.host.fileno(), length, access=mmap.ACCESS_READ)

    def close(self) -> None:
        """Close the mapping, if any (the one `reset_host` made, after one)."""
        if isinstance(self._data, mmap.mmap):
            self._data.close()


class _MappedReader(RawIOBase):
    """Raw reads from a mapping, each through a view released before it returns."""

    def __init__(self, data: mmap.mmap) -> None:
        super().__init__()
        self._data = data
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as target, memoryview(self._data) as view:
            count = max(0, min(target.nbytes, len(view) - self._pos))
            target[:count] = view[self._pos:self._pos + count]
        self._pos += count
        return count

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._data)}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos


def read_original(path: Path) -> Original:
    """The whole file in memory."""
    path = Path(path)
    try:
        return Original(path.read_bytes(), path.name)
    except OSError as exc:
        raise CorruptPdfError(path.name, detail=f"cannot read: {exc!r}") from exc


def open_input(path: Path) -> BufferedReader:
    """The file to sign, opened before anything is written for it."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CorruptPdfError(Path(path).name, detail=f"cannot read: {exc!r}") from exc


@contextmanager
def original_in(output: BinaryIO, src: BufferedReader, name: str) -> Iterator[Original]:
    """The bytes of `src` (the file `name`, see `open_input`) for a signing into `output`, a temp
    file that becomes the signed file.

    The file is copied into `output` (replacing what it held) and closed: the officer's file is
    not held open while the signing waits for the token's PIN. The copy is mapped from there: the
    Original's `host` is `output`, and the signing appends to it. The mapping is closed when the
    block ends, before `output` can be renamed (Windows renames no mapped file). An empty file,
    which cannot be mapped, is an empty Original in memory."""
    with src:
        length = _copy(src, output, name)
    if not length:
        yield Original(b"", name)
        return
    original = Original(mmap.mmap(output.fileno(), length, access=mmap.ACCESS_READ), name,
                        Path(output.name), host=output)
    try:
        yield original
    finally:
        original.close()


def _copy(src: BufferedReader, dst: BinaryIO, name: str) -> int:
    """Through one reused buffer. A read error is the input's (CorruptPdfError); a write error
    stays an OSError, which the caller reports for the output it names."""
    buffer = bytearray(_COPY_CHUNK)
    total = 0
    dst.seek(0)
    dst.truncate()
    with memoryview(buffer) as view:
        while True:
            try:
                count = src.readinto(view)
            except OSError as exc:
                raise CorruptPdfError(name, detail=f"cannot read: {exc!r}") from exc
            if not count:
                break
            dst.write(view[:count])
            total += count
    dst.flush()
    return total
