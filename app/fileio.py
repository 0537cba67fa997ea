"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import hashlib
import os
import sys
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


def iter_file(fh: BinaryIO, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    yield from iter(lambda: fh.read(chunk_size), b"")


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` name one existing file: the same path, a link, another case on NTFS.

    By identity (os.stat), not by comparing resolved names: that also catches hard links, and it
    works where resolving fails (wine's GetFinalPathNameByHandleW refuses paths beyond MAX_PATH).
    A path that does not exist yet cannot be the same file as one that does. Where the file system
    has no file ids (some network shares report 0 for every file), the absolute names decide.
    """
    try:
        first, second = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    if first.st_ino and second.st_ino:
        return os.path.samestat(first, second)
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # not os.name: type checkers then skip this block elsewhere
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_parts(path: Path) -> None:
    """Temp files of ours beside `path` left by a process that died (power cut, kill -9)."""
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".part")):
            continue
        pid_text = name[len(prefix):-len(".part")].split(".", 1)[0]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A read-write temp file beside `path`; renamed over it (after fsync) only if the block
    succeeds, removed otherwise. For writers that seek back into what they wrote.
    The temp name carries our process id, so the next write cleans what a killed one left."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(path)
    # Imported here: tempfile brings shutil, lzma and bz2, which a process that only reads never uses.
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
    try:
        os.close(fd)
        # Opened by name, so `out.name` tells a checker in another process where to read.
        with open(tmp, "r+b") as out:
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
