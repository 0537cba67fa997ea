"""Checks on a freshly signed output before it is written: the new signature, and the old ones."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from asn1crypto import cms
from pyhanko.pdf_utils import misc
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.general import byte_range_digest, extract_certificate_info, extract_signer_info
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.status import SignatureCoverageLevel

from app.signing.damage import PARSE_ERRORS, reading
from app.signing.errors import (
    BrokenSignatureError,
    ChangedSincePreviewError,
    CorruptPdfError,
    SignatureCheckError,
    WouldInvalidateSignatureError,
)
from app.signing.original import Original
from app.signing.pdfopen import open_reader
from app.signing.readback import ReadBackError, read_appended_signature

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

QPDF_TIMEOUT_S = 60
# Python opens every descriptor non-inheritable (PEP 446), so qpdf needs none closed for it: left
# open, POSIX systems start it with posix_spawn (about half a millisecond) instead of a fork that
# closes every descriptor first (several, in the signing thread, for every document of a batch).
_CLOSE_FDS = os.name != "posix"
CHUNK = 1 << 20
# The changes an approval signature permits after it: filling forms and adding signatures.
PERMITTED = ModificationLevel.FORM_FILLING


def verify_new_signature(out: BinaryIO, field_name: str, password: str | None, name: str = "PDF") -> str:
    """Re-open the output and check the new signature's digest, value and coverage; returns the
    SHA-256 of the whole output, hashed in the same read as the signed byte ranges.

    The output is the original plus our update: when it cannot be parsed, the original's body is
    what is damaged (a bad signature value still parses), so that is a damaged input, not exit 4."""
    with reading(name):
        reader = open_reader(out, password)
        sig = next((s for s in reader.embedded_signatures if s.field_name == field_name), None)
        if sig is None:
            raise CorruptPdfError(name, detail=f"the new field {field_name} is not found when re-read")
        coverage = sig.evaluate_signature_coverage()
        file_digest, digest = _digests(out, list(sig.byte_range), sig.external_md_algorithm)
    try:
        intact, valid = validate_sig_integrity(sig.signer_info, sig.signer_cert, "data", digest)
    except (misc.PdfError, ValueError, KeyError) as exc:
        raise SignatureCheckError(detail=repr(exc)) from exc
    # B-LT appends a DSS revision after the signature, so the whole signed revision suffices.
    if not (intact and valid) or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        raise SignatureCheckError(detail=f"intact={intact} valid={valid} coverage={coverage}")
    return file_digest


class PrefixDigest:
    """SHA-256 of the original bytes, hashed on another core while the update is being written
    (hashlib releases the GIL): the output begins with them, so its digests go on from there."""

    IN_THREAD_FROM = 1 << 20

    def __init__(self, original: Original) -> None:
        self.length = len(original)
        self._hash = hashlib.sha256()
        self._thread: threading.Thread | None = None
        data = original.buffer()
        if len(data) < self.IN_THREAD_FROM:
            self._hash.update(data)
        else:
            self._thread = threading.Thread(target=self._hash.update, args=(data,), name="lienthong-digest",
                                            daemon=True)
            self._thread.start()

    def copy(self) -> hashlib._Hash:
        self.wait()
        return self._hash.copy()

    def wait(self) -> None:
        """Until the bytes are hashed: a mapped original cannot close while they are being read."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None


@dataclass(frozen=True)
class Appended:
    """What the signing knows of the update it wrote over the original."""

    field_name: str
    field_number: int
    prev_startxref: int
    prev_size: int
    encrypted: bool


def verify_appended_signature(out: BinaryIO, prefix: PrefixDigest, update: Appended) -> str:
    """Check the new signature's digest, value and coverage by reading back only what was
    appended to the original (see readback.py); returns the SHA-256 of the whole output.

    The digest is the original's (as previewed, hashed from memory) followed by the appended bytes
    as written: it matches the one the signature carries only if the file holds exactly those.
    Raises ReadBackError when the appended part is not what this reader expects (the caller then
    checks with `verify_new_signature`), SignatureCheckError when the signature is wrong."""
    base = prefix.length
    size = out.seek(0, os.SEEK_END)
    out.seek(base)
    tail = out.read()
    if len(tail) != size - base or size <= base:
        raise ReadBackError("the output is shorter than the original")
    sig = read_appended_signature(tail, base, prev_startxref=update.prev_startxref, prev_size=update.prev_size,
                                  field_number=update.field_number, field_name=update.field_name,
                                  encrypted=update.encrypted)
    try:
        signed_data = cms.ContentInfo.load(sig.contents)["content"]
        signer_info = extract_signer_info(signed_data)
        signer_cert = extract_certificate_info(signed_data).signer_cert
        md_algorithm = signer_info["digest_algorithm"]["algorithm"].native.lower()
    except (misc.PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignatureCheckError(detail=f"the new signature's CMS: {exc!r}") from exc
    if md_algorithm != "sha256" or signed_data["encap_content_info"]["content_type"].native != "data" \
            or signer_cert is None:
        raise ReadBackError(f"a {md_algorithm} signature or no signer certificate: pyHanko reads it")
    _, start, end, length = sig.byte_range
    signed = prefix.copy()
    signed.update(tail[:start - base])
    signed.update(tail[end - base:end + length - base])
    whole = prefix.copy()
    whole.update(tail)
    try:
        intact, valid = validate_sig_integrity(signer_info, signer_cert, "data", signed.digest())
    except (misc.PdfError, ValueError, KeyError) as exc:
        raise SignatureCheckError(detail=repr(exc)) from exc
    if not (intact and valid):
        raise SignatureCheckError(detail=f"intact={intact} valid={valid}")
    return whole.hexdigest()


def _digests(stream: BinaryIO, byte_range: list[int], md_algorithm: str) -> tuple[str, bytes]:
    """(SHA-256 hex of the whole stream, `md_algorithm` digest of the byte ranges) in one read.

    A large output is read once instead of twice: each chunk feeds the file's hash, and the part of
    it inside a signed range also feeds the signature's. Ranges out of order (never ours) are
    hashed by pyHanko separately."""
    ranges = [(byte_range[i], byte_range[i] + byte_range[i + 1]) for i in range(0, len(byte_range) - 1, 2)]
    ordered = all(0 <= lo <= hi for lo, hi in ranges) and \
        all(ranges[i][1] <= ranges[i + 1][0] for i in range(len(ranges) - 1))
    whole = hashlib.sha256()
    try:
        signed = hashlib.new(md_algorithm)
    except ValueError:  # a name hashlib does not know: pyHanko's digest below
        ordered, signed = False, hashlib.sha256()
    stream.seek(0)
    pos = 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        whole.update(chunk)
        if ordered:
            end = pos + len(chunk)
            view = memoryview(chunk)
            for lo, hi in ranges:
                if lo < end and hi > pos:
                    signed.update(view[max(lo, pos) - pos:min(hi, end) - pos])
            pos = end
    if not ordered or pos < max((hi for _, hi in ranges), default=0):
        # Ranges beyond the end or out of order: pyHanko's own digest decides (and fails).
        _, digest = byte_range_digest(stream, byte_range=byte_range, md_algorithm=md_algorithm, chunk_size=CHUNK)
        return whole.hexdigest(), digest
    return whole.hexdigest(), signed.digest()


def _levels(
    data: bytes | BinaryIO, password: str | None, names: set[str] | None = None
) -> dict[str, ModificationLevel | None]:
    """Field name -> modification level (None when suspicious) of each embedded signature."""
    reader = open_reader(data, password)
    out: dict[str, ModificationLevel | None] = {}
    for sig in reader.embedded_signatures:
        if names is not None and sig.field_name not in names:
            continue
        sig.compute_integrity_info()
        diff = sig.diff_result
        out[sig.field_name] = None if isinstance(diff, SuspiciousModification) or diff is None \
            else diff.modification_level
    return out


def _ok(level: ModificationLevel | None) -> bool:
    return level is not None and level <= PERMITTED


def check_earlier_signatures(original: Original, out: bytes | BinaryIO, password: str | None) -> None:
    """Refuse an output that turns an earlier, clean signature into one with unpermitted changes."""
    with reading(original.name):
        after = _levels(out, password)
    broken = {name for name, level in after.items() if not _ok(level)}
    if not broken:
        return
    # Only what we changed counts: a signature that was already damaged stays the caller's concern.
    try:
        before = _levels(original.stream(), password, broken)
    except PARSE_ERRORS:
        return
    made_worse = sorted(name for name in broken if name in before and _ok(before[name]))
    if made_worse:
        raise WouldInvalidateSignatureError(", ".join(made_worse), detail="difference analysis after the update")


def _qpdf_args(qpdf: str, path: str) -> list[str]:
    """What another reader needs from our update is structure: the xref sections and streams, the
    trailer, the object numbers, the encryption dictionary and the page tree. qpdf reads all of
    them to count the pages; `--check` would also decode every stream of the document (images
    included), which costs more than the signature itself on a scanned file."""
    return [qpdf, "--show-npages", "--password=", path]


def _qpdf_verdict(returncode: int, stdout: str, stderr: str) -> str | None:
    """qpdf's complaints about the file, or None when it reads it without errors."""
    if returncode in (0, 3):  # 3: warnings only, which qpdf itself recovers from
        return None
    return (stderr.strip() or stdout.strip())[-500:]


def _qpdf_errors(path: str, qpdf: str) -> str | None:
    done = subprocess.run(_qpdf_args(qpdf, path), capture_output=True, text=True, timeout=QPDF_TIMEOUT_S,
                          stdin=subprocess.DEVNULL, close_fds=_CLOSE_FDS)
    return _qpdf_verdict(done.returncode, done.stdout, done.stderr)


class SecondReader:
    """Read the output with an independent parser (qpdf, where installed) besides pyHanko.

    pyHanko reads some damaged files that other viewers cannot, and an update written on top of
    them may be readable by pyHanko alone. The output must read at least as well as the input.

    qpdf reads the output file where it lies, in its own process: `start` as soon as the document
    is written (its structure is final then; only the signature value is filled in later), so it
    runs while pyHanko hashes and signs; `finish` waits for its verdict. Always `close`."""

    def __init__(self, original: Original, password: str | None) -> None:
        self._original = original
        self._name = original.name
        self._qpdf = None if password else shutil.which("qpdf")
        self._proc: subprocess.Popen[str] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    @property
    def started(self) -> bool:
        return self._proc is not None

    def start(self, out: BinaryIO) -> None:
        if self._qpdf is None:
            return
        self._stop()
        try:
            path = _file_of(out)
            if path is None:  # in memory: qpdf reads a copy
                if self._folder is None:
                    self._folder = tempfile.TemporaryDirectory(prefix="lienthong-check-")
                path = os.path.join(self._folder.name, "out.pdf")
                at = out.tell()  # pyHanko goes on from where it wrote
                out.seek(0)
                with open(path, "wb") as fh:
                    shutil.copyfileobj(out, fh, CHUNK)
                out.seek(at)
            self._proc = subprocess.Popen(_qpdf_args(self._qpdf, path), stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                                          close_fds=_CLOSE_FDS)
        except OSError:
            self._proc = None  # the checker could not run: pyHanko's check still holds
            self._qpdf = None

    def finish(self, out: BinaryIO) -> None:
        """Raise CorruptPdfError when qpdf cannot read the output but can read the input."""
        if self._qpdf is None:
            return
        if self._proc is None:
            self.start(out)
        proc = self._proc
        if proc is None:
            return
        try:
            stdout, stderr = proc.communicate(timeout=QPDF_TIMEOUT_S)
            problem = _qpdf_verdict(proc.returncode, stdout, stderr)
            if problem is None:
                return
            if self._input_errors(self._qpdf) is not None:
                return  # no worse than what the sender gave: pyHanko's reading is what we have
        except (OSError, subprocess.SubprocessError):
            return  # the checker could not run: pyHanko's check still holds
        finally:
            self._stop()
        raise CorruptPdfError(self._name, detail=f"the signed file would not open in other PDF software: {problem}")

    def _input_errors(self, qpdf: str) -> str | None:
        # Not the original's private copy by name: the update is appended to it by now.
        with tempfile.TemporaryDirectory(prefix="lienthong-check-") as folder:
            in_path = os.path.join(folder, "in.pdf")
            with open(in_path, "wb") as fh:
                fh.write(self._original.buffer())
            return _qpdf_errors(in_path, qpdf)

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            proc.communicate()

    def close(self) -> None:
        self._stop()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def _file_of(out: BinaryIO) -> str | None:
    """The path of the file `out` writes to (flushed, so another process reads it all), if any."""
    path = getattr(out, "name", None)
    if not isinstance(path, str) or not os.path.isfile(path):
        return None
    out.flush()
    return path


def check_unchanged(prefix: PrefixDigest, expected_sha256: str | None, name: str) -> None:
    """The bytes about to be signed (hashed by `prefix`) are the bytes the officer previewed."""
    if expected_sha256 is None:
        return
    actual = prefix.copy().hexdigest()
    if actual != expected_sha256.lower():
        raise ChangedSincePreviewError(name, detail=f"previewed {expected_sha256} != now {actual}")


def check_input_signatures(reader: PdfFileReader) -> None:
    """Refuse to add a signature to a document whose earlier signatures are broken or show
    changes they do not permit; the error names the signature and why. `reader` is the one the
    update is written over (already opened and decrypted): the input is parsed once."""
    try:
        signatures = list(reader.embedded_signatures)
    except PARSE_ERRORS:
        return  # unreadable: the signing itself reports it with its own message
    for sig in signatures:
        name = sig.field_name
        try:
            _, digest = byte_range_digest(reader.stream, byte_range=sig.byte_range,
                                          md_algorithm=sig.external_md_algorithm, chunk_size=1 << 20)
            intact, valid = validate_sig_integrity(sig.signer_info, sig.signer_cert, "data", digest)
        except PARSE_ERRORS as exc:
            raise BrokenSignatureError(name, "không đọc được", "cannot be read", detail=repr(exc)) from exc
        if not intact:
            raise BrokenSignatureError(name, "không còn nguyên vẹn (nội dung đã ký bị sửa)",
                                       "is broken (the signed content was altered)", detail="digest mismatch")
        if not valid:
            raise BrokenSignatureError(name, "có giá trị chữ ký không hợp lệ", "has an invalid signature value",
                                       detail="signature value")
        try:
            sig.compute_integrity_info()
            diff = sig.diff_result
        except PARSE_ERRORS as exc:
            raise BrokenSignatureError(name, "không kiểm tra được các thay đổi sau khi ký",
                                       "cannot be checked for changes made after it", detail=repr(exc)) from exc
        level = None if isinstance(diff, SuspiciousModification) or diff is None else diff.modification_level
        if not _ok(level):
            raise BrokenSignatureError(name, "có thay đổi sau khi ký mà chữ ký không cho phép",
                                       "shows changes made after it that it does not permit",
                                       detail=f"modification level {level}")
