"""Double-clicked files: download in the background into the cache, then show them.

PDFs go to the preview (the injected `preview(path)`). Office documents are converted to PDF with
LibreOffice (app.signing.convert: private profile, bounded time) when it is installed. Only the
document types in OPENABLE ever reach the program the system associates with them: on Windows
that is ShellExecute, which runs an .exe, .js or .lnk. Any other type is refused (`refused`), and
the officer is offered "Lưu về máy…" instead.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.domain import FileRef
from app.fileio import atomic_write_chunks, iter_file, sha256_file
from app.motw import mark_from_internet
from app.safe_names import file_extension, safe_file_name
from app.views.qt import QObject, Signal
from app.views.tasks import Operation, TaskRunner

if TYPE_CHECKING:
    from app.signing.convert import LibreOfficeConverter

log = logging.getLogger(__name__)

CONVERTIBLE = {".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp"}
# Types the system's program may open: documents without macros, images, plain text. Not here on
# purpose: macro-enabled Office files (.docm…), HTML/SVG (scripts), archives (their content is
# one double-click from running), CSV (formulas run in Excel), and every executable type.
OPENABLE = {".pdf", ".txt", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"} | CONVERTIBLE


def may_open(name: str) -> bool:
    """Whether a file named `name` (by a server) may be handed to the system to open."""
    return file_extension(name) in OPENABLE


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, out_dir: Path, converter: LibreOfficeConverter, timeout: float = 120,
                   cancel=None) -> Path:
    out = out_dir / (source.stem + ".pdf")
    out_dir.mkdir(parents=True, exist_ok=True)
    converter.convert(source, out, timeout=timeout, cancel=cancel)
    return out


def _open_with_system(path: Path) -> bool:
    """The system's program for `path`. Its Qt types load with the first such file, not with the window."""
    from app.views.qt import QDesktopServices, QUrl

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class FileOpener(QObject):
    """`opened(path, how)`: how is "preview", "converted" or "system".
    `refused(name, ref, source)`: a type never opened; ref is None for a local file."""

    opened = Signal(object, str)
    refused = Signal(str, object, str)

    def __init__(
        self,
        runner: TaskRunner,
        cache_dir: Path,
        downloaders: dict[str, Callable],
        preview: Callable[[Path], bool],
        *,
        open_external: Callable[[Path], bool] | None = None,
        soffice: str | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._cache = Path(cache_dir) / "files"
        self._downloaders = downloaders  # source -> download_file(ref, dest, cancel=)
        self._preview = preview
        self._open_external = open_external or _open_with_system
        self._soffice = soffice if soffice is not None else soffice_path()
        # Its own LibreOffice profile: never the officer's, never the one signing conversions use.
        self._profile = Path(cache_dir) / "libreoffice-preview-profile"
        self._made_converter: LibreOfficeConverter | None = None

    @property
    def _converter(self) -> LibreOfficeConverter | None:
        """Made with the first document to convert: the conversion code is not needed to show the window."""
        if self._made_converter is None and self._soffice:
            from app.signing.convert import LibreOfficeConverter

            self._made_converter = LibreOfficeConverter(self._soffice, self._profile)
        return self._made_converter

    def local_path(self, ref: FileRef) -> Path:
        folder = hashlib.sha256(ref.id.encode("utf-8")).hexdigest()[:16]
        return self._cache / folder / safe_file_name(ref.name)

    def _cached(self, ref: FileRef, source: str, cancel) -> Path:
        """Worker side: the cached copy, downloaded first unless the copy there has the server's digest
        (a signed version keeps the size of the file it replaced often enough: never trust the size)."""
        dest = self.local_path(ref)
        if dest.exists() and _same_file(dest, ref):
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        return Path(self._downloaders[source](ref, dest, cancel=cancel))

    def fetch(self, ref: FileRef, source: str, on_ready: Callable[[Path], None],
              on_failure: Callable[[BaseException], None] | None = None) -> Operation:
        """Download (or reuse the cached copy) and hand the path to `on_ready` on the UI thread."""
        return self._runner.run(
            lambda op: self._cached(ref, source, op.cancel_event), receiver=self, on_success=on_ready,
            on_failure=on_failure, label=f"download {ref.name}"
        )

    def save_copy(self, ref: FileRef, source: str, dest: Path, on_saved: Callable[[Path], None]) -> Operation:
        """Download (or reuse the cache) and copy to `dest`, all off the UI thread."""

        def work(op: Operation) -> Path:
            with open(self._cached(ref, source, op.cancel_event), "rb") as fh:
                atomic_write_chunks(Path(dest), iter_file(fh))
            mark_from_internet(Path(dest))
            return Path(dest)

        return self._runner.run(work, receiver=self, on_success=on_saved, label=f"save {ref.name}")

    def open(self, ref: FileRef, source: str) -> Operation | None:
        """Download and show; a type never opened is refused before anything is downloaded."""
        if not may_open(ref.name):
            self.refused.emit(ref.name, ref, source)
            return None
        return self.fetch(ref, source, self.show)

    def show(self, path: Path) -> None:
        path = Path(path)
        if not may_open(path.name):
            self.refused.emit(path.name, None, "")
            return
        if path.suffix.lower() == ".pdf" and self._preview(path):
            self.opened.emit(path, "preview")
            return
        if path.suffix.lower() in CONVERTIBLE and self._converter is not None:
            converter = self._converter

            def converted(pdf: Path) -> None:
                if self._preview(pdf):
                    self.opened.emit(pdf, "converted")
                else:
                    self._external(pdf)

            self._runner.run(
                lambda op: convert_to_pdf(path, path.parent / "pdf", converter, cancel=op.cancel_event),
                receiver=self,
                on_success=converted,
                label=f"convert {path.name}",
            )
            return
        self._external(path)

    def _external(self, path: Path) -> None:
        self._open_external(path)
        self.opened.emit(path, "system")


def _same_file(path: Path, ref: FileRef) -> bool:
    if ref.sha256:
        return sha256_file(path) == ref.sha256
    return bool(ref.size) and path.stat().st_size == ref.size
