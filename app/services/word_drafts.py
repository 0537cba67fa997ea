"""Word main documents in iDesk: the PDF that gets signed is made here and kept BESIDE its source.

The first signing step on a draft whose main document is .doc/.docx/.odt/.rtf converts it
(app.signing.convert), the officer checks the PDF in the preview and signs it; the PDF then goes
to iDesk as a new attachment named after the source, never as a version of the Word file, so the
specialist can still edit the source and the clerk releases the PDF. Every signed version's note
names the converter and the SHA-256 of the source it came from. When the source changes, the next
step converts it again; that PDF is new bytes and the signatures on the earlier PDF do not carry
over to it (the note says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.domain import Attachment, AttachmentVersion, FileRef, IDeskDocument
from app.services.outbox import OutboxItem
from app.signing.convert import Conversion, is_word_document

SOURCE_MARK = "nguồn SHA-256 "


class ConvertedUploader(Protocol):
    def upload_file(self, path: Path, progress: None = None, *, name: str | None = None) -> FileRef: ...

    def add_attachment(self, doc_id: str, file_id: str, filename: str, kind: str, key: str) -> Attachment: ...


@dataclass(frozen=True)
class WordMain:
    """A draft's Word source and the PDF beside it (None before the first conversion)."""

    source: Attachment
    pdf: Attachment | None

    @property
    def source_sha256(self) -> str:
        latest = self.source.latest
        return latest.file.sha256 if latest is not None else ""

    @property
    def pdf_name(self) -> str:
        return pdf_name_for(self.source.name)

    @property
    def current(self) -> bool:
        """The PDF beside the source was made from the source as it is now."""
        return self.pdf is not None and any(source_mark(self.source_sha256) in v.note for v in self.pdf.versions)

    @property
    def renewed(self) -> bool:
        """A PDF exists, made from an earlier version of the source."""
        return self.pdf is not None and not self.current


def pdf_name_for(source_name: str) -> str:
    return f"{Path(source_name).stem}.pdf"


def source_mark(sha256: str) -> str:
    return SOURCE_MARK + sha256[:16]


def word_main(document: IDeskDocument) -> WordMain | None:
    """The draft's Word main document: its newest Word draft file (a result or iGate file is not one)."""
    words = [a for a in document.attachments
             if a.latest is not None and is_word_document(a.latest.file.name) and a.kind == "draft"]
    if not words:
        return None
    source = max(words, key=lambda a: a.latest.version if a.latest is not None else 0)
    name = pdf_name_for(source.name)
    pdf = next((a for a in document.attachments if a.name == name and a.kind == "draft"
                and a.latest is not None and a.latest.file.name.lower().endswith(".pdf")), None)
    return WordMain(source, pdf)


def needs_conversion(document: IDeskDocument) -> WordMain | None:
    """The Word main document to convert before a signing step: none converted yet, or the source
    changed since. None when the draft's PDF is current (or the draft has no Word source)."""
    main = word_main(document)
    if main is None or main.current:
        return None
    return main


def version_note(note: str, main: WordMain, conversion: Conversion) -> str:
    """The signing step's note, then where the PDF came from (iDesk reads the leading word)."""
    version = main.source.latest.version if main.source.latest is not None else 0
    text = (f"{note} — PDF chuyển từ \"{main.source.name}\" (phiên bản {version}, "
            f"{source_mark(conversion.source_sha256)}) bằng {conversion.converter}")
    if main.renewed:
        text += "; tệp Word đã sửa nên chuyển lại: chữ ký trên bản PDF trước không được giữ"
    return text


def pdf_attachment(idesk: ConvertedUploader, document: IDeskDocument, main: WordMain,
                   conversion: Conversion) -> Attachment:
    """The attachment the signed PDF goes to: the one beside the source, created (holding the
    converted, unsigned PDF) the first time. Idempotent: a repeat finds the same attachment."""
    if main.pdf is not None:
        return main.pdf
    ref = idesk.upload_file(conversion.pdf_path, name=main.pdf_name)
    return idesk.add_attachment(document.id, ref.id, main.pdf_name, "draft",
                                key=f"converted-{document.id}-{main.source.id}-{conversion.source_sha256[:32]}")


@dataclass(frozen=True)
class ConvertedTarget:
    """Where a signing step on a Word draft uploads: the PDF beside `word.source` (made on first use)."""

    word: WordMain
    conversion: Conversion

    @property
    def name(self) -> str:
        return self.word.pdf_name


class Outbox(Protocol):
    def put(self, document_id: str, attachment_id: str, signed_path: Path, note: str) -> OutboxItem: ...

    def upload(self, item: OutboxItem) -> AttachmentVersion: ...


def upload_signed(idesk: ConvertedUploader, outbox: Outbox, document: IDeskDocument, target: ConvertedTarget,
                  signed: Path, note: str) -> AttachmentVersion:
    """The signed PDF as a new version of the PDF beside the Word source; the outbox keeps it until
    iDesk confirms."""
    attachment = pdf_attachment(idesk, document, target.word, target.conversion)
    return outbox.upload(outbox.put(document.id, attachment.id, Path(signed),
                                    version_note(note, target.word, target.conversion)))


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def local_stem(server_name: str) -> str:
    """A file-name stem from a server-given name: letters, digits, spaces and - _ ( ) only."""
    stem = Path(server_name.replace("\\", "/").split("/")[-1]).stem
    kept = "".join(c for c in stem if c.isalnum() or c in " -_()").strip(" .")[:80]
    if not kept or kept.upper() in _RESERVED:
        kept = f"van-ban {kept}".strip()
    return kept


def named_copy(conversion: Conversion, folder: Path, source_name: str) -> Path:
    """The converted PDF under the source's name (what the officer sees in the dialog's title),
    byte for byte the cached conversion; written atomically, reused when already there."""
    from app.fileio import atomic_write_bytes, sha256_file
    from app.safe_names import safe_file_name

    # One folder per source version: two drafts with the same file name never share a copy.
    path = Path(folder) / conversion.source_sha256[:16] / safe_file_name(f"{local_stem(source_name)}.pdf")
    if not (path.is_file() and sha256_file(path) == conversion.pdf_sha256):
        atomic_write_bytes(path, conversion.pdf_path.read_bytes())
    return path
