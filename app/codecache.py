"""The methods of dataclasses, compiled once and kept with the app's bytecode for the next process.

`dataclasses` writes the source of every dataclass's __init__, __repr__, __eq__... and compiles it
each time a module defining one is imported: for the hundreds of dataclasses in pyHanko,
pyhanko-certvalidator and the app, that compiling is about a third of the imports of
`lienthong sign` and `lienthong verify` (0.1 to 0.2 s). `install()` makes `dataclasses` run code
compiled from the same source by an earlier process. The file sits where Python writes the app's
own bytecode (beside `app/__pycache__`, or under PYTHONPYCACHEPREFIX), so it is trusted exactly as
that bytecode is, and it is not written where Python would not write bytecode either.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import importlib.util
import logging
import marshal
import sys
import types
from pathlib import Path
from typing import Mapping

from app.fileio import atomic_write_bytes

log = logging.getLogger(__name__)

# Beyond this many entries (several versions of the libraries seen), keep only what a process used.
MAX_ENTRIES = 20_000
# Version 2: each code object marshalled on its own, unmarshalled when first used (a process that
# imports a few of the libraries, the GUI on its way to the main window, reads no more).
_HEADER = b"lienthong-dataclass-code 2\n" + importlib.util.MAGIC_NUMBER


def cache_file() -> Path | None:
    """Where the app's compiled bytecode goes, or None when it has none (a frozen build)."""
    import app

    source = getattr(app, "__file__", None)
    if getattr(sys, "frozen", False) or not source or not source.endswith(".py"):
        return None
    try:
        folder = Path(importlib.util.cache_from_source(source)).parent
    except (NotImplementedError, ValueError):
        return None
    return folder / f"dataclass-code.{sys.implementation.cache_tag}.bin"


def _key(source: str) -> bytes:
    return hashlib.sha256(source.encode("utf-8")).digest()[:16]


def read(path: Path) -> dict[bytes, bytes]:
    """The stored code objects, each still marshalled, or none when the file is missing, damaged
    or from another Python."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_HEADER):
        return {}
    try:
        codes = marshal.loads(data[len(_HEADER):])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(codes, dict):
        return {}
    return {k: v for k, v in codes.items() if isinstance(k, bytes) and isinstance(v, bytes)}


def write(path: Path, codes: Mapping[bytes, bytes]) -> None:
    atomic_write_bytes(path, _HEADER + marshal.dumps(dict(codes)))


def _load(data: bytes | None) -> types.CodeType | None:
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


class _Cache:
    def __init__(self, path: Path, codes: dict[bytes, bytes]) -> None:
        self.path = path
        self.codes = codes
        self.used: set[bytes] = set()
        self.added = False

    def exec(self, source: str | types.CodeType, globals: dict[str, object] | None = None,
             locals: Mapping[str, object] | None = None) -> None:
        """`exec` as dataclasses calls it, with the compiled form of a source seen before."""
        if isinstance(source, str):
            key = _key(source)
            code = _load(self.codes.get(key))
            if code is None:
                # As exec compiles it inside dataclasses: no __future__ flags of ours.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.codes[key] = marshal.dumps(code)
                self.added = True
            self.used.add(key)
            source = code
        exec(source, globals, locals)  # noqa: S102 - the code dataclasses generated, as before

    def save(self) -> None:
        if not self.added or sys.dont_write_bytecode:
            return
        codes = self.codes
        if len(codes) > MAX_ENTRIES:
            codes = {k: v for k, v in codes.items() if k in self.used}
        try:
            write(self.path, codes)
        except OSError as exc:
            log.info("dataclass code not kept (%s): %r", self.path, exc)


def install() -> None:
    """Have dataclasses reuse code compiled by earlier processes, and keep what this one compiles."""
    if isinstance(getattr(dataclasses, "exec", None), types.MethodType):
        return
    path = cache_file()
    if path is None:
        return
    cache = _Cache(path, read(path))
    # dataclasses looks `exec` up in its own globals before the builtins.
    setattr(dataclasses, "exec", cache.exec)  # noqa: B010
    atexit.register(cache.save)
