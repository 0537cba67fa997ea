"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> str:
    """Write chunks to `path` atomically; return the SHA-256 hex digest of what was written."""
    digest = hashlib.sha256()
    with atomic_output(path) as out:
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    with open(path, "rb") as fh:
        return sha256_stream(fh, chunk_size)


def sha256_stream(fh: BinaryIO, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()


def iter_file(fh: BinaryIO, chunk_size: int = 1 << 20):
    yield from iter(lambda: fh.read(chunk_size), b"")


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A read-write temp file beside `path`; renamed over it (after fsync) only if the block
    succeeds, removed otherwise. For writers that seek back into what they wrote."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
