"""Read, open and write PDFs, turning every way it can fail into a clear error."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.crypt.permissions import StandardPermissions
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import read_certification_data

from app.fileio import same_file
from app.signing import hexstrings
from app.signing.damage import decode_limits, reading
from app.signing.errors import (
    CertificationLockedError,
    CorruptPdfError,
    NotAPdfError,
    OutputWriteError,
    PasswordRequiredError,
    SameFileError,
    SigningNotPermittedError,
    UnsupportedEncryptionError,
    WrongPdfPasswordError,
)
from app.signing.original import Original

# The readers and writers opened here read a signature's /Contents in one pass (see hexstrings).
hexstrings.install()


def check_distinct(src: Path, dst: Path) -> None:
    """The input is never overwritten: the signed file always goes elsewhere."""
    if same_file(Path(src), Path(dst)):
        raise SameFileError(str(src))


def write_output(path: Path, data: bytes) -> str:
    """Write atomically (temp file, fsync, rename); returns the SHA-256 of what was written."""
    from app.fileio import atomic_write_chunks

    try:
        return atomic_write_chunks(Path(path), (data,))
    except OSError as exc:
        raise OutputWriteError(str(path), detail=repr(exc)) from exc


def check_header(head: bytes, name: str) -> None:
    """`head`: the file's first 1024 bytes."""
    # The header may follow some junk bytes (ISO 32000-1, 7.5.2 tolerance used by viewers).
    if b"%PDF-" not in head[:1024]:
        raise NotAPdfError(name, detail="no %PDF- header in the first 1024 bytes")


def open_writer(original: Original, password: str | None, stream: BinaryIO | None = None) -> IncrementalPdfFileWriter:
    """An incremental writer over the original bytes, authenticated if encrypted. It reads them from
    `stream` when given: the file holding them, to which the update is then appended in place."""
    name = original.name
    check_header(original.head(1024), name)
    with reading(name):
        # Not strict: hybrid-reference files (both xref tables and streams) are common in scans.
        writer = IncrementalPdfFileWriter(stream if stream is not None else original.stream(), strict=False,
                                          decode_limits=decode_limits())
        check_trailer(writer, len(original), name)
        if writer.prev.encrypted:
            _authenticate(writer, name, password)
        # Touch the page tree and the catalog now so a damaged body fails here, not mid-signing.
        writer.root.get("/AcroForm")
        _ = writer.prev.root["/Pages"]["/Count"]
        writer.find_page_for_modification(0)
    return writer


def check_trailer(writer: IncrementalPdfFileWriter, length: int, name: str) -> None:
    """Refuse what would make the update unreadable for other viewers: new objects are numbered
    from the trailer's /Size, and an /Encrypt dictionary must name its security handler."""
    size = writer.prev.trailer.raw_get("/Size")
    # Every object takes bytes (a few, even compressed in an object stream), so a /Size far above
    # the file length is a lie; numbers near 2**31 overflow other readers.
    if not isinstance(size, int) or not 0 < size <= min(4 * length + 65536, 1 << 30):
        raise CorruptPdfError(name, detail=f"trailer /Size {size!r} for a file of {length} bytes")
    if "/Encrypt" in writer.prev.trailer:
        encrypt = writer.prev.trailer["/Encrypt"]
        if not isinstance(encrypt, generic.DictionaryObject) or "/Filter" not in encrypt:
            raise CorruptPdfError(name, detail="/Encrypt without a security handler (/Filter)")


def _authenticate(writer: IncrementalPdfFileWriter, name: str, password: str | None) -> None:
    encrypt = writer.prev.trailer.raw_get("/Encrypt")
    if not isinstance(encrypt, generic.IndirectObject):
        # pyHanko's incremental writer numbers the /Encrypt dictionary to leave it unencrypted;
        # PyMuPDF and others write it inline. The update's trailer carries the same dictionary
        # as a new indirect object, which every reader accepts.
        if not isinstance(encrypt, generic.DictionaryObject):
            raise UnsupportedEncryptionError(name, detail="/Encrypt is not a dictionary")
    # Many files carry only an owner password: the empty user password opens them, as viewers do.
    for candidate in ([password] if password is not None else []) + ([""] if password != "" else []):
        try:
            result = writer.encrypt(candidate)
        except misc.PdfError as exc:
            raise UnsupportedEncryptionError(name, detail=repr(exc)) from exc
        if result.status != AuthStatus.FAILED:
            if result.status == AuthStatus.USER and not _may_sign(result.permission_flags):
                raise SigningNotPermittedError(name, detail=f"user permissions {result.permission_flags}")
            if not isinstance(encrypt, generic.IndirectObject):
                writer._encrypt = writer.add_object(encrypt)  # noqa: SLF001 - no public setter
            return
    if password is None:
        raise PasswordRequiredError(name)
    raise WrongPdfPasswordError(name)


def _may_sign(flags: object) -> bool:
    """Adding a signature is form filling (ISO 32000-2, Table 22, bits 6 and 9)."""
    if not isinstance(flags, StandardPermissions):
        return True
    return bool(flags & (StandardPermissions.ALLOW_FORM_FILLING | StandardPermissions.ALLOW_ANNOTS_FORM_FILLING))


def check_not_locked(writer: IncrementalPdfFileWriter, name: str) -> None:
    info = read_certification_data(writer.prev)
    if info is not None and info.permission == MDPPerm.NO_CHANGES:
        raise CertificationLockedError(name, detail="DocMDP /P 1 in the certification signature")


def is_certified(writer: IncrementalPdfFileWriter) -> bool:
    """True when a certification (DocMDP) signature governs the document."""
    return read_certification_data(writer.prev) is not None


def open_reader(data: bytes | BinaryIO, password: str | None) -> PdfFileReader:
    stream = BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    reader = PdfFileReader(stream, strict=False, decode_limits=decode_limits())
    if reader.encrypted:
        reader.decrypt(password if password is not None else "")
    return reader


def page_count(writer: IncrementalPdfFileWriter) -> int:
    return int(writer.root["/Pages"]["/Count"])
