"""Read, open and write PDFs, turning every way it can fail into a clear error."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import read_certification_data
from pyhanko.sign.fields import MDPPerm

from app.signing.errors import (
    CertificationLockedError,
    CorruptPdfError,
    NotAPdfError,
    OutputWriteError,
    PasswordRequiredError,
    SameFileError,
    UnsupportedEncryptionError,
    WrongPdfPasswordError,
)


def check_distinct(src: Path, dst: Path) -> None:
    """The input is never overwritten: the signed file always goes elsewhere."""
    if Path(src).resolve() == Path(dst).resolve():
        raise SameFileError(str(src))


def read_input(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CorruptPdfError(Path(path).name, detail=f"cannot read: {exc!r}") from exc


def write_output(path: Path, data: bytes) -> str:
    """Write atomically (temp file, fsync, rename); returns the SHA-256 of what was written."""
    from app.fileio import atomic_write_chunks

    try:
        return atomic_write_chunks(Path(path), (data,))
    except OSError as exc:
        raise OutputWriteError(str(path), detail=repr(exc)) from exc


def check_header(data: bytes, name: str) -> None:
    # The header may follow some junk bytes (ISO 32000-1, 7.5.2 tolerance used by viewers).
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(name, detail="no %PDF- header in the first 1024 bytes")


def open_writer(data: bytes, name: str, password: str | None) -> IncrementalPdfFileWriter:
    """An incremental writer over the original bytes (never modified), authenticated if encrypted."""
    check_header(data, name)
    try:
        # Not strict: hybrid-reference files (both xref tables and streams) are common in scans.
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except (misc.PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise CorruptPdfError(name, detail=repr(exc)) from exc
    if writer.prev.encrypted:
        if not isinstance(writer.prev.trailer.raw_get("/Encrypt"), generic.IndirectObject):
            # pyHanko's incremental writer needs the /Encrypt dictionary as an indirect object.
            raise UnsupportedEncryptionError(name, detail="direct /Encrypt dictionary in the trailer")
        if password is None:
            raise PasswordRequiredError(name)
        try:
            result = writer.encrypt(password)
        except misc.PdfError as exc:
            raise CorruptPdfError(name, detail=repr(exc)) from exc
        if result.status == AuthStatus.FAILED:
            raise WrongPdfPasswordError(name)
    try:
        # Touch the page tree and the catalog now so a damaged body fails here, not mid-signing.
        writer.root.get("/AcroForm")
        _ = writer.prev.root["/Pages"]["/Count"]
        writer.find_page_for_modification(0)
    except (misc.PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise CorruptPdfError(name, detail=repr(exc)) from exc
    return writer


def check_not_locked(writer: IncrementalPdfFileWriter, name: str) -> None:
    info = read_certification_data(writer.prev)
    if info is not None and info.permission == MDPPerm.NO_CHANGES:
        raise CertificationLockedError(name, detail="DocMDP /P 1 in the certification signature")


def is_certified(writer: IncrementalPdfFileWriter) -> bool:
    """True when a certification (DocMDP) signature governs the document."""
    return read_certification_data(writer.prev) is not None


def open_reader(data: bytes | BinaryIO, password: str | None) -> PdfFileReader:
    stream = BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    reader = PdfFileReader(stream, strict=False)
    if reader.encrypted and password is not None:
        reader.decrypt(password)
    return reader


def page_count(writer: IncrementalPdfFileWriter) -> int:
    return int(writer.root["/Pages"]["/Count"])
