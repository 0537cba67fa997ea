"""Font programs cut for the appearance, kept between runs in the app's cache folder.

Cutting Liberation Serif to the Vietnamese ranges and rescaling it takes about half a second,
and every `lienthong sign` process would pay it again. The entry points name the folder
(`use`); a file is keyed by what it is cut from, so a changed font, alphabet or fontTools makes
a new one. Without a folder, or when it cannot be read or written, the font is cut as before.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Callable

from app.fileio import atomic_write_bytes

log = logging.getLogger(__name__)

_folder: list[Path] = []


def use(folder: Path | None) -> None:
    """Keep cut fonts in `folder` from now on (None: keep none)."""
    _folder[:] = [Path(folder)] if folder is not None else []


def key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


def cached(name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes stored under `name`, else `make()`'s, stored for the next run. A file is stored
    with the SHA-256 of its content after it: a damaged one is made again, never embedded."""
    if not _folder:
        return make()
    path = _folder[0] / name
    try:
        stored = path.read_bytes()
    except OSError:
        stored = b""
    data, digest = stored[:-32], stored[-32:]
    if len(stored) > 32 and hashlib.sha256(data).digest() == digest:
        return data
    data = make()
    try:
        atomic_write_bytes(path, data + hashlib.sha256(data).digest())
    except OSError as exc:
        log.info("font cache not written (%s): %r", path, exc)
    return data
