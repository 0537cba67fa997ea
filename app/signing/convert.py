"""Word drafts: turn a .doc/.docx/.odt/.rtf main document into the PDF that gets signed.

Converters sit behind one small interface and are tried in the order the machine has them:
Microsoft Word through COM automation (Windows, when Word is installed: the officer's own layout
and fonts, exported as PDF/A-1b) and LibreOffice headless (everywhere; Times New Roman becomes
the metric-compatible Liberation Serif, so lines and pages break at the same places).

A conversion is cached by the source's SHA-256: initials, signature and seal all act on the same
converted bytes. A changed source is a new conversion, a different PDF: signatures made on the
earlier PDF do not carry over to it.

The source is never touched: the converter works on a private copy in a private folder, in a
private LibreOffice profile (so a LibreOffice the officer has open is never disturbed), under a
timeout that kills the converter's whole process tree. The PDF lands in the cache atomically.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from xml.etree import ElementTree as ET

from app.errors import BadInputError, CancelledError
from app.fileio import atomic_write_bytes, sha256_file
from app.signing.doctext import TextCheck, check_text

WORD_SUFFIXES = (".doc", ".docx", ".odt", ".rtf")
DEFAULT_TIMEOUT = 180.0
# Bounds what a hostile document can make us read before conversion.
MAX_SOURCE_BYTES = 100 * 1024 * 1024

_KIND = {".doc": "Word 97-2003", ".docx": "Word", ".odt": "OpenDocument", ".rtf": "RTF"}


def is_word_document(name: str) -> bool:
    return Path(name).suffix.lower() in WORD_SUFFIXES


class ConversionError(BadInputError):
    """The main document could not be turned into a PDF; the source is unchanged."""

    code = "conversion"


class NoConverterError(ConversionError):
    code = "conversion_unavailable"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Không chuyển được \"{name}\" sang PDF để ký: máy chưa cài LibreOffice hoặc Microsoft Word. "
            "Hãy cài LibreOffice rồi thử lại, hoặc lưu văn bản thành PDF trong Word và đính kèm bản PDF.",
            f"Cannot turn \"{name}\" into a PDF to sign: neither LibreOffice nor Microsoft Word is installed. "
            "Install LibreOffice and try again, or save the document as PDF in Word and attach the PDF.",
            detail=detail,
        )


class NotAWordDocumentError(ConversionError):
    code = "conversion_bad_source"

    def __init__(self, name: str, detail: str = "") -> None:
        kind = _KIND.get(Path(name).suffix.lower(), "Word")
        super().__init__(
            f"Tệp \"{name}\" không phải là văn bản {kind} hợp lệ (có thể bị hỏng hoặc tải về chưa xong). "
            "Tệp gốc không bị thay đổi. Hãy mở tệp trong Word để kiểm tra rồi tải lên lại.",
            f"File \"{name}\" is not a valid {kind} document (perhaps damaged or a partial download). "
            "The source is unchanged. Open it in Word to check it, then upload it again.",
            detail=detail,
        )


class ConversionFailedError(ConversionError):
    code = "conversion_failed"

    def __init__(self, name: str, converter: str, detail: str = "") -> None:
        super().__init__(
            f"{converter} không chuyển được \"{name}\" sang PDF: tệp có thể bị hỏng. Tệp gốc không bị thay đổi. "
            "Hãy mở tệp trong Word để kiểm tra, hoặc lưu thành PDF trong Word và đính kèm bản PDF.",
            f"{converter} could not turn \"{name}\" into a PDF: the file may be damaged. The source is unchanged. "
            "Open it in Word to check it, or save it as PDF in Word and attach the PDF.",
            detail=detail,
        )


class ConversionTimeoutError(ConversionError):
    code = "conversion_timeout"

    def __init__(self, name: str, converter: str, seconds: float, detail: str = "") -> None:
        super().__init__(
            f"{converter} chuyển \"{name}\" sang PDF quá {seconds:.0f} giây nên đã bị dừng. "
            "Tệp gốc không bị thay đổi. Hãy đóng bớt chương trình rồi thử lại, hoặc lưu thành PDF trong Word.",
            f"{converter} took more than {seconds:.0f} seconds to turn \"{name}\" into a PDF and was stopped. "
            "The source is unchanged. Close some programs and try again, or save it as PDF in Word.",
            detail=detail,
        )


class ConversionTextMismatchError(ConversionError):
    """The PDF's text layer lacks words of the source: what would be signed is not what was drafted."""

    code = "conversion_text_mismatch"

    def __init__(self, name: str, converter: str, missing: Sequence[str], detail: str = "") -> None:
        sample = ", ".join(f"\"{w}\"" for w in list(missing)[:5])
        super().__init__(
            f"Bản PDF do {converter} chuyển từ \"{name}\" thiếu hoặc sai {len(missing)} từ so với tệp gốc "
            f"(ví dụ: {sample}). Không ký bản này. Hãy kiểm tra phông chữ của văn bản, "
            "hoặc lưu thành PDF trong Word và đính kèm bản PDF.",
            f"The PDF {converter} made from \"{name}\" lacks or garbles {len(missing)} words of the source "
            f"(for example: {sample}). Do not sign it. Check the document's fonts, "
            "or save it as PDF in Word and attach the PDF.",
            detail=detail,
        )


class Converter(Protocol):
    """One way of turning a document into a PDF. `convert` writes `out_pdf` or raises."""

    name: str

    def convert(self, source: Path, out_pdf: Path, *, timeout: float,
                cancel: threading.Event | None = None) -> None: ...


@dataclass(frozen=True)
class Conversion:
    """A source document and the PDF made from it: the PDF is what the officer previews and signs."""

    source_name: str
    source_sha256: str
    pdf_path: Path
    pdf_sha256: str
    converter: str  # "LibreOffice 7.4", "Microsoft Word": said in the version note and verification panel
    pages: int
    seconds: float
    from_cache: bool = False
    text: TextCheck | None = None

    def notes(self, lang: str = "vi") -> tuple[str, ...]:
        """What the officer should look at in the preview before signing the converted PDF."""
        en = lang.startswith("en")
        out = [f"Converted from \"{self.source_name}\" by {self.converter}." if en
               else f"Chuyển từ \"{self.source_name}\" bằng {self.converter}."]
        if self.text is None:
            out.append("The text was not compared with the source (this format has no reader here)." if en
                       else "Chưa đối chiếu được chữ với tệp gốc (định dạng này chưa đọc được).")
        if self.text is not None and self.text.page_mismatch:
            out.append(f"The source was saved with {self.text.source_pages} pages, the PDF has "
                       f"{self.text.pdf_pages}: check where the pages break." if en else
                       f"Tệp gốc được lưu với {self.text.source_pages} trang, bản PDF có {self.text.pdf_pages} "
                       "trang: hãy kiểm tra chỗ ngắt trang.")
        if self.text is not None and self.text.tracked_changes:
            out.append("The source still holds tracked changes not accepted: they may show in the PDF." if en
                       else "Tệp gốc còn thay đổi được theo dõi chưa chấp nhận: có thể hiện trong bản PDF.")
        return tuple(out)


def check_source(path: Path, name: str | None = None) -> None:
    """Refuse what is not the document its name says (a damaged or truncated download)."""
    name = name or Path(path).name
    suffix = Path(name).suffix.lower()
    try:
        size = Path(path).stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise NotAWordDocumentError(name, detail=f"cannot read: {exc!r}") from exc
    if size == 0 or size > MAX_SOURCE_BYTES:
        raise NotAWordDocumentError(name, detail=f"size={size}")
    if suffix == ".doc":
        # A .doc is an OLE2 compound file; RTF saved under .doc is common and LibreOffice reads it.
        ok = head.startswith((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf"))
    elif suffix == ".rtf":
        ok = head.startswith(b"{\\rtf")
    elif suffix in (".docx", ".odt"):
        ok = _zip_has(path, "word/document.xml" if suffix == ".docx" else "content.xml")
    else:
        ok = False
    if not ok:
        raise NotAWordDocumentError(name, detail=f"header {head!r}")


def _zip_has(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(member)
            with zf.open(info) as fh:
                fh.read(16)
            return zf.testzip() is None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        return False


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill the converter and everything it started (soffice starts oosplash, which starts soffice.bin)."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False,
                       creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def run_bounded(args: Sequence[str], *, timeout: float, cancel: threading.Event | None,
                name: str, converter: str, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> tuple[int, str]:
    """Run a converter in its own process group; kill the whole group on timeout or cancel."""
    kwargs: dict[str, Any] = {}
    if os.name == "nt":
        kwargs["creationflags"] = (getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
                                   | getattr(subprocess, "CREATE_NO_WINDOW", 0))
    else:
        kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env, cwd=cwd, **kwargs)
    except OSError as exc:
        raise ConversionFailedError(name, converter, detail=f"cannot start {args[0]}: {exc!r}") from exc
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        try:
            # Short waits so a cancel is noticed while the converter runs.
            out, _ = proc.communicate(timeout=max(0.01, min(0.25, remaining)))
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                _kill_tree(proc)
                raise CancelledError(detail=f"conversion of {name} cancelled") from None
            if time.monotonic() >= deadline:
                _kill_tree(proc)
                raise ConversionTimeoutError(name, converter, timeout, detail=f"{args[0]} killed after {timeout}s") \
                    from None
    if os.name != "nt":
        # Helpers a converter left behind in its group die with it.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return proc.returncode, out.decode("utf-8", "replace")[-2000:]


# LibreOffice import filters: forcing the filter makes a damaged file fail instead of being
# imported as plain text.
_LO_FILTERS = {".docx": "MS Word 2007 XML", ".doc": "MS Word 97", ".odt": "writer8", ".rtf": "Rich Text Format"}


class LibreOfficeConverter:
    """`soffice --headless --convert-to pdf` in a private profile, one conversion at a time."""

    name = "LibreOffice"

    def __init__(self, program: Path | str, profile_dir: Path) -> None:
        self.program = str(program)
        self.profile_dir = Path(profile_dir)
        self._lock = threading.Lock()

    @staticmethod
    def find_program() -> str | None:
        found = shutil.which("soffice") or shutil.which("libreoffice")
        if found or os.name != "nt":
            return found
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base and (Path(base) / "LibreOffice" / "program" / "soffice.exe").is_file():
                return str(Path(base) / "LibreOffice" / "program" / "soffice.exe")
        return None

    def convert(self, source: Path, out_pdf: Path, *, timeout: float,
                cancel: threading.Event | None = None) -> None:
        source, out_pdf = Path(source), Path(out_pdf)
        suffix = source.suffix.lower()
        work = Path(tempfile.mkdtemp(prefix=".convert-", dir=out_pdf.parent))
        try:
            # A private copy under a plain name: LibreOffice's lock file and any server-given name
            # stay out of the source's folder.
            copy = work / f"document{suffix}"
            shutil.copyfile(source, copy)
            outdir = work / "out"
            args = [
                self.program, f"-env:UserInstallation={self.profile_dir.resolve().as_uri()}",
                "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                *([f"--infilter={_LO_FILTERS[suffix]}"] if suffix in _LO_FILTERS else []),
                # Writer's PDF export for text documents; other files (previews) pick their own.
                "--convert-to", "pdf:writer_pdf_Export" if suffix in WORD_SUFFIXES else "pdf",
                "--outdir", str(outdir), str(copy),
            ]
            env = dict(os.environ)
            env.pop("DISPLAY", None)
            env.pop("WAYLAND_DISPLAY", None)
            with self._lock:
                try:
                    code, output = run_bounded(args, timeout=timeout, cancel=cancel, name=source.name,
                                               converter=self.name, env=env, cwd=work)
                except (ConversionTimeoutError, CancelledError):
                    # A killed LibreOffice can leave its profile locked: start the next one afresh.
                    shutil.rmtree(self.profile_dir, ignore_errors=True)
                    raise
            produced = outdir / "document.pdf"
            if code != 0 or not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionFailedError(source.name, self.name, detail=f"exit {code}: {output.strip()}")
            atomic_write_bytes(out_pdf, produced.read_bytes())
        finally:
            shutil.rmtree(work, ignore_errors=True)


# Word through COM, driven by a PowerShell child so a hung Word is bounded by the same timeout.
# Paths travel in environment variables, never spliced into the script. A bogus password makes an
# encrypted document fail instead of opening a password prompt nobody sees.
_WORD_SCRIPT = r"""
$ErrorActionPreference = 'Stop'
$word = New-Object -ComObject Word.Application
try {
  $word.Visible = $false
  $word.DisplayAlerts = 0
  $doc = $word.Documents.Open($env:LT_SOURCE, $false, $true, $false, 'lt-no-password')
  try {
    # 17 = PDF; UseISO19005_1 = PDF/A-1b; DocStructureTags for a tagged PDF.
    $doc.ExportAsFixedFormat($env:LT_OUTPUT, 17, $false, 0, 0, 1, 1, 0, $true, $true, 0, $true, $true, $true)
  } finally { $doc.Close(0) }
} finally {
  $word.Quit(0)
  [void][System.Runtime.InteropServices.Marshal]::ReleaseComObject($word)
}
"""


class WordConverter:
    """Microsoft Word's own PDF/A export (Windows only; not exercised by the Linux test suite)."""

    name = "Microsoft Word"

    @staticmethod
    def installed() -> bool:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID"):
                    return True
            except OSError:
                return False
        return False

    def convert(self, source: Path, out_pdf: Path, *, timeout: float,
                cancel: threading.Event | None = None) -> None:
        source, out_pdf = Path(source), Path(out_pdf)
        work = Path(tempfile.mkdtemp(prefix=".convert-", dir=out_pdf.parent))
        try:
            copy = work / f"document{source.suffix.lower()}"
            shutil.copyfile(source, copy)
            produced = work / "document.pdf"
            env = dict(os.environ, LT_SOURCE=str(copy), LT_OUTPUT=str(produced))
            code, output = run_bounded(
                ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", _WORD_SCRIPT],
                timeout=timeout, cancel=cancel, name=source.name, converter=self.name, env=env, cwd=work)
            if code != 0 or not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionFailedError(source.name, self.name, detail=f"exit {code}: {output.strip()}")
            atomic_write_bytes(out_pdf, produced.read_bytes())
        finally:
            shutil.rmtree(work, ignore_errors=True)


def available_converters(cache_dir: Path) -> list[Converter]:
    """Word first where installed (the drafter's own renderer and fonts), then LibreOffice."""
    found: list[Converter] = []
    if WordConverter.installed():
        found.append(WordConverter())
    program = LibreOfficeConverter.find_program()
    if program:
        found.append(LibreOfficeConverter(program, Path(cache_dir) / "libreoffice-profile"))
    return found


def _pdf_facts(path: Path) -> tuple[int, str]:
    """(page count, producer) of a converted PDF; a PDF that does not open is a failed conversion."""
    from app.mupdf import MUPDF

    with MUPDF:
        return _read_facts(path)


def _read_facts(path: Path) -> tuple[int, str]:
    import pymupdf  # slow to import: the file opener imports this module on the GUI's start path

    with pymupdf.open(str(path)) as doc:
        if doc.page_count < 1:
            raise ValueError("no pages")
        return doc.page_count, (doc.metadata or {}).get("producer") or ""


def _label(converter: Converter, producer: str) -> str:
    # The producer names the version ("LibreOffice 7.4", "Microsoft® Word for Microsoft 365").
    if producer and converter.name.split()[-1].lower() in producer.lower():
        return producer.strip()[:80]
    return converter.name


class PdfConversions:
    """Converted PDFs cached by the source's SHA-256, so every signing step acts on the same bytes."""

    def __init__(self, cache_dir: Path, converters: Sequence[Converter], *,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.cache_dir = Path(cache_dir)
        self.converters = list(converters)
        self.timeout = timeout

    def _entry(self, sha: str) -> Path:
        return self.cache_dir / sha

    def cached(self, source_sha256: str) -> Conversion | None:
        folder = self._entry(source_sha256)
        try:
            meta = json.loads((folder / "conversion.json").read_text(encoding="utf-8"))
            pdf = folder / "document.pdf"
            if sha256_file(pdf) != meta["pdf_sha256"]:
                return None
            text = meta.get("text")
            return Conversion(
                source_name=meta["source_name"], source_sha256=source_sha256, pdf_path=pdf,
                pdf_sha256=meta["pdf_sha256"], converter=meta["converter"], pages=int(meta["pages"]),
                seconds=float(meta["seconds"]), from_cache=True, text=TextCheck(**text) if text else None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def pdf_for(self, source: Path, name: str | None = None, *,
                cancel: threading.Event | None = None) -> Conversion:
        """The PDF to preview and sign for `source`: from the cache when the same bytes were converted."""
        source = Path(source)
        name = name or source.name
        check_source(source, name)
        sha = sha256_file(source)
        hit = self.cached(sha)
        if hit is not None:
            return hit
        if not self.converters:
            raise NoConverterError(name)
        folder = self._entry(sha)
        folder.mkdir(parents=True, exist_ok=True)
        pdf = folder / "document.pdf"
        failure: ConversionError | None = None
        for converter in self.converters:
            started = time.monotonic()
            try:
                converter.convert(source, pdf, timeout=self.timeout, cancel=cancel)
                pages, producer = _pdf_facts(pdf)
            except ConversionError as exc:
                failure = exc
                continue
            except (RuntimeError, ValueError) as exc:
                failure = ConversionFailedError(name, converter.name, detail=f"output does not open: {exc!r}")
                continue
            seconds = time.monotonic() - started
            label = _label(converter, producer)
            if sha256_file(source) != sha:
                # The source changed while it was converted: this PDF matches neither version.
                raise ConversionFailedError(name, label, detail="source changed during the conversion")
            try:
                check = check_text(source, pdf)
            except (zipfile.BadZipFile, ET.ParseError, ValueError, OSError) as exc:
                pdf.unlink(missing_ok=True)
                raise NotAWordDocumentError(name, detail=f"text not readable: {exc!r}") from exc
            if check is not None and check.missing:
                pdf.unlink(missing_ok=True)
                raise ConversionTextMismatchError(name, label, check.missing,
                                                  detail=f"{len(check.missing)} of {check.source_words} words")
            conversion = Conversion(name, sha, pdf, sha256_file(pdf), label, pages, seconds, False, check)
            meta = {
                "source_name": name, "pdf_sha256": conversion.pdf_sha256, "converter": label,
                "pages": pages, "seconds": round(seconds, 3),
                "text": check.as_dict() if check is not None else None,
            }
            atomic_write_bytes(folder / "conversion.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            return conversion
        assert failure is not None
        raise failure


def converted_by(pdf: Path) -> str | None:
    """The word processor that made a PDF ("LibreOffice 7.4", "Microsoft® Word …"), read from its
    Producer/Creator (pyHanko appends itself to the Producer, so signed copies keep the name).

    Read with pyHanko, not PyMuPDF: the verification panel calls this on a worker thread while the
    preview's render thread may be using MuPDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    from app.signing.damage import decode_limits

    try:
        with open(pdf, "rb") as fh:
            info = PdfFileReader(fh, strict=False, decode_limits=decode_limits()).trailer_view.get("/Info")
            info = info.get_object() if info is not None else None
            values = [str(info.get(key) or "") for key in ("/Producer", "/Creator")] if info is not None else []
    except (PdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for value in values:
        first = value.split(";")[0].strip()
        if "libreoffice" in first.lower() or "word" in first.lower():
            return first[:80]
    return None
