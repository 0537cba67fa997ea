"""PAdES signing (ETSI.CAdES.detached) as an incremental update, with any pyHanko Signer.

Stages, with the cancel flag checked between them: read and open the input, plan the
appearances, (optionally) fill the clerk's reserved fields, sign (TSA, revocation data), check
the new signature, write the output atomically. The input file is never modified.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import weakref
from dataclasses import replace
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable

from pyhanko.pdf_utils import misc
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from app.errors import CancelledError, LienThongError
from app.fileio import atomic_output
from app.signing.appearance import FontCache
from app.signing.damage import describe, parse_errors
from app.signing.errors import (
    BackendFailure,
    CorruptPdfError,
    OutputWriteError,
    SignerError,
    TsaError,
)
from app.signing.fields import FieldFiller, filler_for, reserve_if_first_signature
from app.signing.options import Level, Profile, SigningRequest, SigningResult, TsaConfig
from app.signing.original import Original, open_input, original_in, read_original
from app.signing.pdfopen import (
    check_distinct,
    check_not_locked,
    is_certified,
    open_writer,
    page_count,
)
from app.signing.profiles import SignerIdentity, build_widgets, layouts_for
from app.signing.readback import ReadBackError
from app.signing.repair import REPAIRED_NOTE, repaired_copy
from app.signing.selfcheck import (
    Appended,
    PrefixDigest,
    SecondReader,
    check_earlier_signatures,
    check_input_signatures,
    check_unchanged,
    verify_appended_signature,
    verify_new_signature,
)
from app.signing.stamps import PrebuiltAppearanceStyle, create_signature_field
from app.text import Text
from app.vntime import VN_TZ

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.writer import BasePdfFileWriter
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession, PreSignValidationStatus
    from pyhanko.sign.timestamps import TimeStamper
    from pyhanko.stamp import BaseStampStyle
    from pyhanko_certvalidator import ValidationContext

Progress = Callable[[Text], None]
log = logging.getLogger(__name__)

# pyHanko hashes the signed byte ranges in 4 KiB reads by default; large reads halve the time
# spent hashing a big file read back from disk.
DIGEST_CHUNK = 1 << 20
COPY_CHUNK = 1 << 20

LTV_FALLBACK_WARNING = Text(
    "Không lấy được dữ liệu thu hồi chứng thư (OCSP/CRL) nên chữ ký ở mức PAdES B-T thay vì B-LT.",
    "Revocation data (OCSP/CRL) could not be fetched, so the signature is PAdES B-T instead of B-LT.",
)
CERTIFIED_INVISIBLE = Text(
    "Tài liệu đã được chứng thực (DocMDP) nên chữ ký được thêm ở dạng không hiển thị để chữ ký chứng thực "
    "vẫn hợp lệ.",
    "The document is certified (DocMDP), so the signature is invisible to keep the certification valid.",
)
LTV_NEEDS_TSA_WARNING = Text(
    "Mức B-LT cần dấu thời gian: hãy cấu hình máy chủ TSA để nhúng dữ liệu thu hồi chứng thư.",
    "B-LT needs a timestamp: configure a TSA to embed revocation data.",
)
NO_TSA_WARNING = Text(
    "Chưa cấu hình máy chủ dấu thời gian (TSA): chữ ký ở mức PAdES B-B, thời gian ký do máy tính tự khai.",
    "No time-stamping server configured: the signature is PAdES B-B and its time is self-declared.",
)
SIGNING = Text("Đang ký số…", "Signing…")
CHECKING = Text("Đang kiểm tra chữ ký…", "Checking the signature…")
SAVING = Text("Đang lưu tệp đã ký…", "Saving the signed file…")


# pyHanko sizes the signature container by building a dummy one first: a whole CMS structure in
# asn1crypto, about a quarter of a small document's signing time. Without revocation data the
# size depends only on the signer (its certificates and key), the digest and the TSA, so it is
# worked out once per signer object and TSA (pyHanko's 50 % margin covers a timestamp's jitter).
# signer -> TSA URLs -> tight -> estimated size
_CONTAINER_SIZES: weakref.WeakKeyDictionary[signers.Signer, dict[tuple[str, ...], dict[bool, int]]] = (
    weakref.WeakKeyDictionary()
)
_SIZES_LOCK = threading.Lock()
# Held while a size is estimated: the other document of a batch waits for it, not estimates it too.
_ESTIMATING = threading.Lock()


def _size_memo(signer: signers.Signer, tsa: TsaConfig | None) -> dict[bool, int] | None:
    key = tuple(tsa.urls) if tsa is not None else ()
    try:
        with _SIZES_LOCK:
            return _CONTAINER_SIZES.setdefault(signer, {}).setdefault(key, {})
    except TypeError:  # a signer that cannot be weakly referenced: estimated each time
        return None


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner whose claimed signing time (/M) is the time drawn in the appearance, and whose
    container size estimate is remembered in `size_memo` when there is no revocation data."""

    def __init__(
        self,
        signature_meta: signers.PdfSignatureMetadata,
        signer: signers.Signer,
        *,
        signing_time: datetime,
        size_memo: dict[bool, int] | None = None,
        timestamper: TimeStamper | None = None,
        stamp_style: BaseStampStyle | None = None,
    ) -> None:
        super().__init__(signature_meta, signer, timestamper=timestamper, stamp_style=stamp_style)
        self._signing_time = signing_time
        self._size_memo = size_memo

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        memo = self._size_memo
        if memo is not None:
            estimate = session.estimate_signature_container_size

            async def remembered(validation_info: PreSignValidationStatus | None, tight: bool = False) -> int:
                if validation_info is not None:
                    size: int = await estimate(validation_info, tight)
                    return size
                if tight not in memo:
                    with _ESTIMATING:
                        if tight not in memo:
                            memo[tight] = await estimate(validation_info, tight)
                return memo[tight]

            # pyHanko offers no hook for the size estimate: the session's method is replaced.
            session.estimate_signature_container_size = remembered  # type: ignore[method-assign]
        return session


def _check_cancel(cancel: threading.Event | None, stage: str) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError(detail=f"before {stage}")


def timestamper_for(tsa: TsaConfig) -> TimeStamper:
    # requests and the TSA clients load only when a TSA is used.
    from app.signing.tsa import timestamper_for as make

    return make(tsa)


def next_field_name(writer: IncrementalPdfFileWriter, profile: Profile) -> str:
    existing = {name for name, _, _ in enumerate_sig_fields(writer.prev)}
    n = 1
    while f"{profile.value}_{n}" in existing:
        n += 1
    return f"{profile.value}_{n}"


def _sign_into(output: BinaryIO, original: Original, request: SigningRequest, signer: signers.Signer, *, name: str,
               when: datetime, validation_context: ValidationContext | None, ltv: bool,
               fill_fields: FieldFiller | None, notes: list[Text],
               on_written: Callable[[], None] | None = None) -> tuple[Appended, bool]:
    # The original was copied into the output: the update is appended to it there. The reader
    # finds the end of the file first, so a second attempt starts from the copy alone.
    in_place = original.host is output
    if in_place:
        original.reset_host()
    writer = open_writer(original, request.pdf_password, stream=output if in_place else None)
    # pyHanko copies the original into the output in 4 KiB pieces by default.
    writer.IO_CHUNK_SIZE = COPY_CHUNK
    check_input_signatures(writer.prev)
    check_not_locked(writer, name)
    certified = is_certified(writer)
    pages = page_count(writer)
    # Earlier signatures need the (costly) difference analysis afterwards; most drafts have none.
    has_signatures = next(enumerate_sig_fields(writer.prev, filled_status=True), None) is not None
    fonts = FontCache(writer)
    try:
        if fill_fields is not None:
            fill_fields(writer, fonts)
        elif request.reserve_number_fields and request.profile in (Profile.LEADER, Profile.INITIALS) \
                and not certified:
            reserve_if_first_signature(writer, fonts, original, request.pdf_password)
        who = SignerIdentity.from_cert(signer.signing_cert)
        layouts = layouts_for(writer, fonts, request, who, when, pages, name)
        if certified and layouts:
            # A certified document permits filling and signing but no new visible fields
            # (pyHanko's reading of DocMDP P=2): sign invisibly rather than break the certification.
            notes.append(CERTIFIED_INVISIBLE)
            layouts = []
        widgets = build_widgets(writer, fonts, layouts, pages)
        field_name = next_field_name(writer, request.profile)
        field_ref = create_signature_field(writer, field_name, widgets, label=_label(request, who))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=request.reason or None,
            location=request.location or None,
            embed_validation_info=ltv,
            validation_context=validation_context if ltv else None,
        )
        pdf_signer = _TimedPdfSigner(
            meta,
            signer,
            timestamper=timestamper_for(request.tsa) if request.tsa else None,
            stamp_style=PrebuiltAppearanceStyle(),
            signing_time=when,
            size_memo=None if ltv else _size_memo(signer, request.tsa),
        )
        if on_written is not None:
            _after_write(writer, on_written, in_place=in_place)
        if in_place:
            pdf_signer.sign_pdf(writer, in_place=True, existing_fields_only=True, chunk_size=DIGEST_CHUNK)
        else:
            output.seek(0)
            output.truncate()
            pdf_signer.sign_pdf(writer, output=output, existing_fields_only=True, chunk_size=DIGEST_CHUNK)
        prev = writer.prev
        appended = Appended(field_name=field_name, field_number=field_ref.idnum,
                            prev_startxref=prev.last_startxref or -1, prev_size=int(prev.trailer["/Size"]),
                            encrypted=prev.encrypted)
        return appended, has_signatures
    finally:
        fonts.close()


def _after_write(writer: IncrementalPdfFileWriter, then: Callable[[], None], *, in_place: bool) -> None:
    """Call `then` once the document is written, before pyHanko hashes and signs it.

    pyHanko has no hook there; the writer's `write` (or `write_in_place`) is wrapped on this one
    instance."""
    if in_place:
        write_in_place: Callable[[], None] = writer.write_in_place

        def write_in_place_then() -> None:
            write_in_place()
            then()

        writer.write_in_place = write_in_place_then  # type: ignore[method-assign]
        return
    write: Callable[[BinaryIO], None] = writer.write

    def write_then(stream: BinaryIO) -> None:
        write(stream)
        then()

    writer.write = write_then  # type: ignore[method-assign]


class _BackgroundSync:
    """fsync the output in the background: once the document is written (when it is large) while
    pyHanko hashes and signs it, and once it is complete while the checks run. The fsync before
    the rename then finds nothing left to write: the officer does not wait for the disk twice."""

    LARGE = 4 << 20

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def start(self, output: BinaryIO, *, only_large: bool = False) -> None:
        try:
            output.flush()
            if only_large and output.tell() < self.LARGE:
                return  # the final fsync writes it all at once
            fd = output.fileno()
        except (OSError, AttributeError, ValueError):  # in memory: nothing to sync
            return
        thread = threading.Thread(target=_fsync_quietly, args=(fd,), name="lienthong-fsync", daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self) -> None:
        while self._threads:
            self._threads.pop().join()


def _fsync_quietly(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError:
        pass  # the fsync before the rename reports a failing disk


def _label(request: SigningRequest, who: SignerIdentity) -> str:
    """The signature field's name in the document itself, read in either language."""
    return f"{request.profile.label_vi}: {who.holder} / {request.profile.label_en}"


def _is_tsa_failure(exc: BaseException) -> bool:
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TimestampRequestError):
            return True
        current = current.__cause__ or current.__context__
    return False


def sign_into(
    output: BinaryIO,
    original: Original,
    request: SigningRequest,
    signer: signers.Signer,
    *,
    validation_context: ValidationContext | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    fill_fields: FieldFiller | None = None,
    prefix: PrefixDigest | None = None,
) -> tuple[str, Level, datetime, tuple[Text, ...], str]:
    """Sign `original` into the seekable `output` and check the result there. When `original` was
    copied into `output` (its `host`), the signature is appended to that copy; otherwise `output`
    is truncated and written whole. Returns (field name, level, signing time, warnings, SHA-256 of
    the output). `prefix` is the digest of `original` when the caller has started it already."""
    say = progress or (lambda _msg: None)
    name = Path(request.input_path).name
    when = datetime.now(VN_TZ).replace(microsecond=0)
    ltv = validation_context is not None and request.tsa is not None
    _check_cancel(cancel, "signing")
    say(SIGNING)
    if prefix is None:
        prefix = PrefixDigest(original)
    second = SecondReader(original, request.pdf_password)
    sync = _BackgroundSync()
    try:
        return _signed_and_checked(output, original, request, signer, name=name, when=when, ltv=ltv,
                                   validation_context=validation_context, cancel=cancel, say=say,
                                   fill_fields=fill_fields, prefix=prefix, second=second, sync=sync)
    finally:
        sync.join()
        second.close()
        prefix.wait()


def _signed_and_checked(output: BinaryIO, original: Original, request: SigningRequest, signer: signers.Signer, *,
                        name: str, when: datetime, ltv: bool, validation_context: ValidationContext | None,
                        cancel: threading.Event | None, say: Progress, fill_fields: FieldFiller | None,
                        prefix: PrefixDigest, second: SecondReader,
                        sync: _BackgroundSync) -> tuple[str, Level, datetime, tuple[Text, ...], str]:
    warnings: list[Text] = []
    notes: list[Text] = []

    def written() -> None:
        # The structure is final once written (only the signature value is filled in later), so
        # the second reader and the disk get to work while pyHanko hashes and signs. A B-LT
        # signature appends another revision afterwards: its second read waits for the end.
        if not ltv:
            second.start(output)
        sync.start(output, only_large=True)

    try:
        try:
            appended, has_signatures = _sign_into(
                output, original, request, signer, name=name, when=when,
                validation_context=validation_context, ltv=ltv, fill_fields=fill_fields, notes=notes,
                on_written=written)
        except (HankoSigningError, misc.PdfError, ValueError, OSError) as exc:
            if not ltv or _is_tsa_failure(exc) or isinstance(exc, LienThongError):
                raise
            # Revocation data could not be gathered: keep the timestamp, drop to B-T.
            warnings.append(LTV_FALLBACK_WARNING.with_detail(f"[{type(exc).__name__}: {exc}]"))
            ltv = False
            _check_cancel(cancel, "signing without revocation data")
            prefix.wait()  # the copy's mapping is remade for the second attempt
            appended, has_signatures = _sign_into(
                output, original, request, signer, name=name, when=when, validation_context=None, ltv=False,
                fill_fields=fill_fields, notes=notes, on_written=written)
    except LienThongError:
        raise
    except BackendFailure as failure:
        raise failure.error from None  # the key backend's own error, with its traceback: a bug to report
    except Exception as exc:  # noqa: BLE001 - classified below, re-raised as expected errors
        if request.tsa is not None and _is_tsa_failure(exc):
            raise TsaError(", ".join(request.tsa.urls), detail=repr(exc)) from exc
        if isinstance(exc, HankoSigningError):
            raise SignerError(detail=repr(exc)) from exc
        # The document is parsed lazily all along the way (page tree, resources, fonts, form):
        # what fails there is the document. Disk and network errors keep their own meaning.
        if isinstance(exc, parse_errors()) and not isinstance(exc, OSError):
            raise CorruptPdfError(name, detail=describe(exc)) from exc
        raise
    if request.tsa is None:
        warnings.append(NO_TSA_WARNING)
        if validation_context is not None:
            warnings.append(LTV_NEEDS_TSA_WARNING)
    level: Level = "B-LT" if ltv else ("B-T" if request.tsa is not None else "B-B")
    _check_cancel(cancel, "checking the signature")
    say(CHECKING)
    sync.start(output)
    field_name = appended.field_name
    try:
        digest = verify_appended_signature(output, prefix, appended)
    except ReadBackError as exc:
        # Not the update this reader expects: pyHanko reads the whole output instead.
        log.debug("reading back the update of %s: %s; the whole output is read again", name, exc)
        digest = verify_new_signature(output, field_name, request.pdf_password, name)
    second.finish(output)
    if has_signatures:
        check_earlier_signatures(original, output, request.pdf_password)
    return field_name, level, when, tuple(dict.fromkeys(notes + warnings)), digest


def sign_bytes(
    data: bytes,
    request: SigningRequest,
    signer: signers.Signer,
    *,
    validation_context: ValidationContext | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> tuple[bytes, str, Level, datetime, tuple[Text, ...]]:
    """Sign in memory: returns (output bytes, field name, level, signing time, warnings)."""
    out = BytesIO()
    field_name, level, when, warnings, _ = sign_into(
        out, Original(data, Path(request.input_path).name), request, signer,
        validation_context=validation_context, cancel=cancel, progress=progress,
    )
    return out.getvalue(), field_name, level, when, warnings


def sign_document(
    request: SigningRequest,
    signer: signers.Signer,
    *,
    validation_context: ValidationContext | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> SigningResult:
    """Sign `request.input_path` into `request.output_path`; see the module docstring.

    With `request.repair_damaged`, a damaged input without signatures is signed as a repaired
    copy (see repair.py); the original stays untouched and the result's warnings say so. They say
    so too for an input that is a repaired copy the officer previewed (`request.repaired_from`)."""
    _check_cancel(cancel, "reading")
    check_distinct(request.input_path, request.output_path)
    try:
        result = _sign_file(request, signer, validation_context=validation_context, cancel=cancel,
                            progress=progress)
    except CorruptPdfError:
        if not request.repair_damaged:
            raise
    else:
        return replace(result, warnings=(REPAIRED_NOTE, *result.warnings)) if request.repaired_from else result
    original = read_original(request.input_path)
    check_unchanged(PrefixDigest(original), request.expected_sha256, original.name)
    repaired = repaired_copy(original.to_bytes(), original.name)
    with tempfile.TemporaryDirectory(prefix="lienthong-repaired-") as folder:
        copy = Path(folder) / original.name
        copy.write_bytes(repaired)
        result = _sign_file(
            replace(request, input_path=copy, expected_sha256=None), signer,
            validation_context=validation_context, cancel=cancel, progress=progress,
        )
    return replace(result, warnings=(REPAIRED_NOTE, *result.warnings))


def _sign_file(
    request: SigningRequest,
    signer: signers.Signer,
    *,
    validation_context: ValidationContext | None,
    cancel: threading.Event | None,
    progress: Progress | None,
) -> SigningResult:
    request, notes = _with_default_placement(request)
    fill = None
    if request.number is not None or request.release_date is not None:
        fill = filler_for(request)
    # The original is copied into the temp file that becomes the output and signed there: no copy
    # of a large document in memory, and nothing is renamed into place unless every check passed.
    try:
        name = Path(request.input_path).name
        with open_input(request.input_path) as src, atomic_output(Path(request.output_path)) as out, \
                original_in(out, src, name) as original:
            prefix = PrefixDigest(original)
            try:
                check_unchanged(prefix, request.expected_sha256, original.name)
                field_name, level, when, warnings, digest = sign_into(
                    out,
                    original,
                    request,
                    signer,
                    validation_context=validation_context,
                    cancel=cancel,
                    progress=progress,
                    fill_fields=fill,
                    prefix=prefix,
                )
            finally:
                prefix.wait()
            _check_cancel(cancel, "writing")
            if progress:
                progress(SAVING)
    except OSError as exc:
        if exc.errno is None:  # a network error (requests' are OSErrors too), not the disk
            raise
        raise OutputWriteError(str(request.output_path), detail=repr(exc)) from exc
    return SigningResult(
        output_path=Path(request.output_path),
        level=level,
        sha256=digest,
        field_name=field_name,
        signing_time=when,
        warnings=notes + warnings,
        tsa_url=request.tsa.memory.last if request.tsa is not None else "",
    )


AUTO_PLACED = Text(
    "Đã tự đặt chữ ký giữa chức danh và họ tên người ký.",
    "The signature was placed between the signer's title and name.",
)
INVISIBLE = Text(
    "Không tìm thấy chức danh và họ tên người ký nên chữ ký không hiển thị trên trang.",
    "No signer title and name were found, so the signature is not shown on the page.",
)


def _with_default_placement(request: SigningRequest) -> tuple[SigningRequest, tuple[Text, ...]]:
    """A leader's signature without a chosen position goes where Decree 30 puts it, if found."""
    if request.profile is not Profile.LEADER or request.placements:
        return request, ()
    from app.signing.autoplace import propose_placement  # PyMuPDF: only when a place must be found

    proposed = propose_placement(Path(request.input_path), Profile.LEADER, password=request.pdf_password)
    if proposed is None:
        return request, (INVISIBLE,)
    return replace(request, placements=(proposed,)), (AUTO_PLACED,)
