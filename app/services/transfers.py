"""The three interconnection transfers of the iGate–iDesk guide, idempotent and resumable.

Each transfer has a deterministic key (action, dossier code, chosen file ids, local files'
SHA-256). The key is the Idempotency-Key of every server call that creates something, and the
name of its journal; a repeated or resumed transfer skips the steps its journal records.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Sequence

from app.domain import AttachmentRole, Dossier, FileRef, IDeskDocument, ResultFile, UserInfo
from app.errors import (
    BadInputError,
    CancelledError,
    FileTooLargeError,
    IntegrityError,
    NotFoundError,
    WrongStepError,
)
from app.fileio import atomic_write_chunks, iter_file, sha256_file
from app.services.digo.idesk import IDeskClient
from app.services.digo.igate import IGateClient
from app.services.journal import (
    Journal,
    JournalEntry,
    PendingTransfer,
    PlanSource,
    TransferPlan,
    file_from_json,
    file_to_json,
)
from app.services.progress import Meter
from app.text import Text

SEND, FETCH, TRANSFER = "send-to-idesk", "fetch-from-idesk", "transfer-to-igate"
TransferProgress = Callable[[int, int, Text], None]


def transfer_key(action: str, dossier_code: str, file_ids: Sequence[str], local_sha256s: Sequence[str] = ()) -> str:
    """Same inputs, same key: whatever order the files were ticked in."""
    text = "\n".join([action, dossier_code, *sorted(file_ids), "--", *sorted(local_sha256s)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError("transfer cancelled; the journal keeps what was done")


def _idesk_ref(doc_id: str, att_id: str, version: int) -> str:
    return f"idesk:{doc_id}:{att_id}:v{version}"


class Transfers:
    """Thread-safe: transfers with different keys run in parallel; the same key runs once at a time."""

    def __init__(self, igate: IGateClient, idesk: IDeskClient, journal_dir: Path, officer: UserInfo) -> None:
        self.igate = igate
        self.idesk = idesk
        self.officer = officer
        self.journal = Journal(journal_dir)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- the three transfers ---------------------------------------------------------------

    def send_to_idesk(
        self,
        dossier: Dossier,
        summary: str,
        chosen: Sequence[FileRef],
        local_files: Sequence[Path] = (),
        *,
        main: FileRef | Path | None = None,
        appendices: Sequence[FileRef | Path] = (),
        into: str | None = None,
        progress: TransferProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> IDeskDocument:
        """"Gửi sang iDesk": a draft in the officer's iDesk with the chosen files, and an audit entry.

        `main` is the file the specialist marked as the main document (one of the chosen or local
        files); the iGate files are dossier material unless marked. Nothing is marked by guessing.
        `into` adds the files to the dossier's existing draft with that id instead of creating one.
        """
        status = dossier.summary.status
        if not status.allows_send_to_idesk:
            raise WrongStepError(
                f"Bước hiện tại của hồ sơ {dossier.code} (\"{status.label}\") không cho phép gửi sang iDesk.",
                f"The current step of dossier {dossier.code} (\"{status.label}\") does not allow sending to iDesk.",
                detail=f"dossierStatus={status.status_id} step={status.step_name!r}",
            )
        summary = (summary or "").strip()
        if not summary:
            raise BadInputError(
                "Hãy nhập trích yếu (tên dịch vụ công) trước khi gửi.",
                "Enter the summary (the public service name) before sending.",
            )
        if not chosen and not local_files:
            raise BadInputError("Hãy chọn ít nhất một tệp để gửi sang iDesk.",
                                "Tick at least one file to send to iDesk.")
        chosen = list({f.id: f for f in chosen}.values())
        locals_ = list({sha: (p, sha) for p, sha in (self._check_local(Path(p)) for p in local_files)}.values())

        def marker(item: FileRef | Path) -> str:
            if isinstance(item, FileRef):
                return f"igate:{item.id}"
            return next((f"local:{sha}" for p, sha in locals_ if Path(p) == Path(item)), "")

        main_src = marker(main) if main is not None else ""
        if main is not None and not main_src:
            raise BadInputError("Văn bản chính phải là một trong các tệp gửi đi.",
                                "The main document must be one of the files sent.")
        appendix_srcs = {marker(a) for a in appendices} - {"", main_src}
        roles = [f"main={main_src}", f"into={into or ''}"] + sorted(f"appendix={a}" for a in appendix_srcs)
        key = transfer_key(SEND, dossier.code, [f.id for f in chosen] + roles, [sha for _, sha in locals_])
        with self._lock(key):
            entry = self.journal.load(key)
            if entry is None:
                sources = [PlanSource(f"igate:{f.id}", "igate", f) for f in chosen]
                staging = self.journal.directory / f"{key}.files"
                for i, (path, sha) in enumerate(locals_):
                    staged = staging / f"local-{i:02d}"
                    with open(path, "rb") as fh:
                        copied = atomic_write_chunks(staged, iter_file(fh))
                    if copied != sha:
                        raise BadInputError(
                            f"Tệp \"{path.name}\" đang bị thay đổi; hãy thử lại.",
                            f"File \"{path.name}\" changed while being read; try again.",
                            detail=f"{sha} != {copied}",
                        )
                    ref = FileRef(id=f"local:{sha}", name=path.name, size=staged.stat().st_size, sha256=sha)
                    sources.append(PlanSource(ref.id, "local", ref, staged=staged.name))

                def role(source: PlanSource) -> AttachmentRole:
                    if source.src == main_src:
                        return AttachmentRole.MAIN
                    if source.src in appendix_srcs:
                        return AttachmentRole.APPENDIX
                    return AttachmentRole.MATERIAL if source.origin == "igate" else AttachmentRole.REFERENCE

                plan = TransferPlan(
                    dossier.id, dossier.code, tuple(replace(s, role=role(s)) for s in sources), summary=summary,
                    into=into or "",
                )
                entry = self.journal.create(key, SEND, plan)
            self._run(entry, progress, cancel)
            return self._draft(entry)

    def fetch_from_idesk(
        self,
        dossier: Dossier,
        chosen: Sequence[ResultFile],
        *,
        progress: TransferProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> Dossier:
        """"Lấy từ iDesk": the chosen iDesk result files land in the dossier's result files."""
        self._check_result_step(dossier)
        chosen = list({(r.document_id, r.attachment_id, r.version): r for r in chosen}.values())
        if not chosen:
            raise BadInputError("Hãy chọn ít nhất một tệp kết quả.", "Choose at least one result file.")
        key = transfer_key(FETCH, dossier.code, [r.file.id for r in chosen])
        with self._lock(key):
            entry = self.journal.load(key) or self.journal.create(
                key,
                FETCH,
                TransferPlan(
                    dossier.id,
                    dossier.code,
                    tuple(
                        PlanSource(
                            _idesk_ref(r.document_id, r.attachment_id, r.version), "idesk", r.file,
                            document_id=r.document_id,
                        )
                        for r in chosen
                    ),
                ),
            )
            self._run(entry, progress, cancel)
            return self._dossier(entry)

    def transfer_to_igate(
        self,
        document: IDeskDocument,
        attachment_ids: Sequence[str],
        *,
        progress: TransferProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> Dossier:
        """"Chuyển đến phần mềm iGate": the latest versions of the chosen attachments go to the
        dossier whose code the document carries."""
        if not attachment_ids:
            raise BadInputError("Hãy chọn ít nhất một tệp.", "Choose at least one file.")
        dossier = self.igate.get_dossier_by_code(document.summary.dossier_code)
        self._check_result_step(dossier)
        by_id = {a.id: a for a in document.attachments}
        sources: list[PlanSource] = []
        for att_id in dict.fromkeys(attachment_ids):
            att = by_id.get(att_id)
            if att is None or att.latest is None:
                raise NotFoundError(
                    f"Văn bản không có tệp đính kèm {att_id}.",
                    f"The document has no attachment {att_id}.",
                    detail=f"document {document.id}",
                )
            v = att.latest
            ref = FileRef(v.file.id, att.name or v.file.name, v.file.size, v.file.sha256, v.file.mime_type)
            sources.append(PlanSource(_idesk_ref(document.id, att.id, v.version), "idesk", ref, attachment_id=att.id))
        key = transfer_key(TRANSFER, dossier.code, [s.file.id for s in sources])
        with self._lock(key):
            entry = self.journal.load(key) or self.journal.create(
                key,
                TRANSFER,
                TransferPlan(dossier.id, dossier.code, tuple(sources), document_id=document.id),
            )
            self._run(entry, progress, cancel)
            return self._dossier(entry)

    # -- resuming ---------------------------------------------------------------------------

    def pending(self) -> list[PendingTransfer]:
        return [e.to_pending() for e in self.journal.entries() if not e.done]

    def resume(
        self, key: str, *, progress: TransferProgress | None = None, cancel: threading.Event | None = None
    ) -> IDeskDocument | Dossier:
        with self._lock(key):
            entry = self.journal.load(key)
            if entry is None:
                raise NotFoundError(
                    "Không tìm thấy lượt chuyển cần làm tiếp.", "No such transfer to resume.", detail=key
                )
            self._run(entry, progress, cancel)
            return self._result(entry)

    def discard(self, key: str) -> None:
        """Forget a pending transfer (what reached the servers stays there)."""
        with self._lock(key):
            self.journal.discard(key)

    def prune_finished(self, older_than: timedelta = timedelta(days=30)) -> int:
        """Drop journals of long-finished transfers (a repeat after that is deduplicated by the
        servers' idempotency keys alone)."""
        return self.journal.prune_finished(older_than)

    # -- the steps --------------------------------------------------------------------------

    def _run(
        self, entry: JournalEntry, progress: TransferProgress | None, cancel: threading.Event | None
    ) -> None:
        if entry.done:
            return
        plan = entry.plan
        sources = plan.sources
        meter = Meter(progress, sum(s.file.size * (1 if s.origin == "local" else 2) for s in sources),
                      fixed_steps=3)
        uploaded = self._carry(entry, meter, cancel)
        code = plan.dossier_code
        key = entry.key
        refs = [uploaded[s.src] for s in sources]
        _check(cancel)
        if entry.action == SEND:
            if not entry.steps.get("draftId"):
                meter.fixed(Text("Đang tạo dự thảo văn bản trên iDesk", "Creating the draft on iDesk"))
                items = [
                    (r, "source" if s.origin == "igate" else "draft", s.role or AttachmentRole.MATERIAL)
                    for r, s in zip(refs, sources, strict=True)
                ]
                if plan.into:
                    doc_id = self._add_to_draft(plan.into, items, key)
                else:
                    doc_id = self.idesk.create_draft(plan.summary, code, items, key=key).id
                entry.mark("draftId", doc_id)
            detail: dict[str, Any] = {"documentId": entry.steps["draftId"], "summary": plan.summary}
        else:
            if not entry.steps.get("attached"):
                meter.fixed(
                    Text("Đang đính kèm tệp kết quả vào hồ sơ iGate", "Attaching the result files to the iGate dossier")
                )
                self.igate.attach_result_files(plan.dossier_id, refs)
                entry.mark("attached", True)
            detail = {}
            if entry.action == TRANSFER:
                detail["documentId"] = plan.document_id
                if not entry.steps.get("recorded"):
                    _check(cancel)
                    meter.fixed(Text("Đang ghi nhận lượt chuyển trên iDesk", "Recording the transfer on iDesk"))
                    self.idesk.record_igate_transfer(
                        plan.document_id, code, [s.attachment_id for s in sources], [r.id for r in refs], key
                    )
                    entry.mark("recorded", True)
        if not entry.steps.get("logged"):
            _check(cancel)
            meter.fixed(Text("Đang ghi nhật ký trên iGate", "Writing the log on iGate"))
            detail["files"] = [
                {"name": s.file.name, "size": s.file.size, "sha256": s.file.sha256, "from": s.src, "to": r.id}
                for s, r in zip(sources, refs, strict=True)
            ]
            detail["officer"] = self.officer.username
            self.igate.append_log(plan.dossier_id, code, entry.action, detail, key)
            entry.mark("logged", True)
        entry.finish()
        meter.done(Text("Hoàn tất", "Done"))

    def _add_to_draft(self, doc_id: str, items: list[tuple[FileRef, str, AttachmentRole]], key: str) -> str:
        """Add the files to an existing draft; a main document is marked after it is added (which
        demotes the draft's earlier main document to a reference)."""
        for i, (ref, kind, role) in enumerate(items):
            added = self.idesk.add_attachment(
                doc_id,
                ref.id,
                ref.name,
                kind,
                key=f"{key}-att-{i}",
                role=AttachmentRole.REFERENCE if role is AttachmentRole.MAIN else role,
            )
            if role is AttachmentRole.MAIN:
                self.idesk.set_attachment_role(doc_id, added.id, AttachmentRole.MAIN)
        return doc_id

    def _carry(self, entry: JournalEntry, meter: Meter, cancel: threading.Event | None) -> dict[str, FileRef]:
        """Pull every source to the staging folder and push it to the other system, once each."""
        to_idesk = entry.action == SEND
        uploaded = {src: file_from_json(ref) for src, ref in entry.steps.get("uploaded", {}).items()}
        for i, source in enumerate(entry.plan.sources):
            ref = source.file
            pulls = source.origin != "local"
            if source.src in uploaded:
                meter.skip(ref.size * (2 if pulls else 1))
                continue
            _check(cancel)
            staged = entry.staging_dir / (source.staged or f"{i:02d}")
            if pulls and not (staged.is_file() and sha256_file(staged) == ref.sha256):
                client: IGateClient | IDeskClient = self.igate if source.origin == "igate" else self.idesk
                system = "iGate" if client is self.igate else "iDesk"
                label = Text(f'Đang tải tệp "{ref.name}" từ {system}', f'Downloading "{ref.name}" from {system}')
                client.download_file(ref, staged, meter.chunk(ref.size, label), cancel=cancel)
            elif pulls:
                meter.skip(ref.size)
            _check(cancel)
            system = "iDesk" if to_idesk else "iGate"
            label = Text(f'Đang gửi tệp "{ref.name}" lên {system}', f'Uploading "{ref.name}" to {system}')
            cb = meter.chunk(ref.size, label)
            if to_idesk:
                stored = self.idesk.upload_file(staged, cb, name=ref.name, cancel=cancel)
            else:
                stored = self.igate.upload_files([staged], cb, names=[ref.name], cancel=cancel)[0]
            if ref.sha256 and stored.sha256 and stored.sha256 != ref.sha256:
                raise IntegrityError(ref.name, detail=f"stored {stored.sha256} != source {ref.sha256}")
            uploaded[source.src] = stored
            entry.mark_file("uploaded", source.src, file_to_json(stored))
        return uploaded

    def _result(self, entry: JournalEntry) -> IDeskDocument | Dossier:
        return self._draft(entry) if entry.action == SEND else self._dossier(entry)

    def _draft(self, entry: JournalEntry) -> IDeskDocument:
        return self.idesk.get_document(str(entry.steps["draftId"]))

    def _dossier(self, entry: JournalEntry) -> Dossier:
        return self.igate.get_dossier(entry.plan.dossier_id)

    # -- helpers ----------------------------------------------------------------------------

    def _lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def _check_local(self, path: Path) -> tuple[Path, str]:
        if not path.is_file():
            raise BadInputError(
                f'Không đọc được tệp "{path.name}".', f'Cannot read the file "{path.name}".', detail=str(path)
            )
        limit = self.idesk.api.max_upload_bytes
        size = path.stat().st_size
        if size > limit:
            raise FileTooLargeError(path.name, size, limit)
        return path, sha256_file(path)

    @staticmethod
    def _check_result_step(dossier: Dossier) -> None:
        status = dossier.summary.status
        if not status.allows_result_files:
            raise WrongStepError(
                f'Bước hiện tại của hồ sơ {dossier.code} ("{status.label}") không cho phép đính kèm kết quả.',
                f'The current step of dossier {dossier.code} ("{status.label}") does not allow attaching results.',
                detail=f"dossierStatus={status.status_id} step={status.step_name!r}",
            )
