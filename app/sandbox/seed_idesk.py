"""The seed's iDesk side: drafts at each step of their way (drafted, initialed, signed, with the
clerk, released), their files and versions, history and numbering counters. The drafts that come
from iGate carry their dossier's files, as "Send to iDesk" leaves them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.sandbox import accounts
from app.sandbox.blobs import BlobStore
from app.sandbox.seed_base import hexid, iso
from app.sandbox.seed_data import PROCESSING, WAITING
from app.sandbox.seed_pdfs import LeaderSign, document_pdf, result_pdf
from app.sandbox.text import fold

# The steps at which the clerk numbers, seals and releases: the leader has signed the draft.
CLERK_STEPS = ("signed", "with-clerk")

_FORM_SYMBOL = {
    "Kế hoạch": "KH-STTTT",
    "Quyết định": "QĐ-STTTT",
    "Tờ trình": "TTr-STTTT",
    "Báo cáo": "BC-STTTT",
    "Thông báo": "TB-STTTT",
    "Công văn": "STTTT-BCVT",
}


def number_symbol(form: str) -> str:
    return _FORM_SYMBOL.get(form, "STTTT")


@dataclass(frozen=True)
class DraftSpec:
    """One seeded iDesk document. `result_versions`: versions of the dossier's result file the
    draft carries (the specialist's, initialed, signed, sealed); `number`: the released number."""

    summary: str
    form: str
    status: str = "draft"
    folder: str = "drafts"
    urgency: str = "Thường"
    creator: str = "hoant"
    dossier: dict | None = None
    result_versions: int = 0
    number: str | None = None
    pages: int = 1


def draft_specs(year: int, processing: list[dict], waiting: list[dict]) -> list[DraftSpec]:
    """The seeded iDesk documents: six from hoant's dossiers (three at the processing step, three
    waiting for their result), then eight of the department's own, at several steps."""

    def for_dossier(dossier: dict, **kw) -> DraftSpec:
        return DraftSpec(dossier["procedure_name"], "Quyết định", dossier=dossier, **kw)

    return [
        for_dossier(processing[0]),
        for_dossier(processing[1], urgency="Khẩn", result_versions=1, pages=2),
        for_dossier(processing[2], status="initialed", result_versions=2),
        for_dossier(waiting[0], status="signed", result_versions=2, pages=2),
        for_dossier(waiting[1], status="with-clerk", folder="outgoing-processing", urgency="Khẩn", result_versions=2),
        for_dossier(waiting[2], status="released", folder="outgoing-tracking", result_versions=3,
                    number="11/QĐ-STTTT"),
        DraftSpec(f"Kế hoạch triển khai chuyển đổi số trong giải quyết thủ tục hành chính năm {year}", "Kế hoạch",
                  status="released", folder="outgoing-tracking", number="05/KH-STTTT", pages=3),
        DraftSpec(f"Kế hoạch tuyên truyền cải cách hành chính năm {year}", "Kế hoạch", status="released",
                  folder="archive", number="04/KH-STTTT", pages=2),
        DraftSpec("Về việc liên kết tài khoản SSO với tài khoản iGate của cán bộ, công chức", "Công văn",
                  urgency="Khẩn", creator="khanhdq"),
        DraftSpec("Đề nghị phê duyệt danh mục thủ tục hành chính thực hiện liên thông iGate - iDesk", "Tờ trình",
                  urgency="Thượng khẩn", pages=2),
        DraftSpec(f"Báo cáo kết quả giải quyết thủ tục hành chính tháng 10 năm {year}", "Báo cáo",
                  folder="outgoing-processing", pages=2),
        DraftSpec("Về việc cử cán bộ tham gia tập huấn ký số bằng chứng thư số chuyên dùng", "Công văn",
                  status="with-clerk", folder="outgoing-processing", urgency="Hỏa tốc"),
        DraftSpec("Quyết định thành lập Tổ công tác chuyển đổi số của Sở", "Quyết định", status="released",
                  folder="archive", creator="tuanlv", number="12/QĐ-STTTT"),
        DraftSpec(f"Thông báo lịch tiếp công dân tháng 12 năm {year}", "Thông báo", creator="maipt"),
    ]


def seed_documents(conn, blobs: BlobStore, rng: random.Random, now: datetime, dossiers: list[dict],
                   leader_sign: LeaderSign) -> None:
    hoa = [d for d in dossiers if d["assignee_id"] == accounts.named("hoant").igate_id]
    processing = [d for d in hoa if d["status"] == PROCESSING]
    waiting = [d for d in hoa if d["status"] == WAITING]
    year = now.year
    for index, spec in enumerate(draft_specs(year, processing, waiting)):
        summary, form, status, folder, creator = spec.summary, spec.form, spec.status, spec.folder, spec.creator
        dossier, number, pages = spec.dossier, spec.number, spec.pages
        account = accounts.named(creator)
        created = now - timedelta(days=20 - index, hours=rng.randint(0, 6))
        doc_id = hexid(rng)
        symbol = number_symbol(form)
        release = (created + timedelta(days=3)).date().isoformat() if number else None
        conn.execute(
            "INSERT INTO documents (id, summary, form, urgency, dossier_code, status, folder, drafting_unit,"
            " created_at, created_by, number, number_year, release_date, search_text)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id,
                summary,
                form,
                spec.urgency,
                dossier["code"] if dossier else "",
                status,
                folder,
                account.unit,
                iso(created),
                creator,
                number or "",
                year if number else None,
                release,
                fold(f"{summary} {dossier['code'] if dossier else ''} {number or ''}"),
            ),
        )
        history = [(created, account.full_name, "Tạo dự thảo", "")]
        ord_ = 0
        if dossier:
            for comp in conn.execute(
                "SELECT c.name, f.id, f.sha256, f.filename FROM components c JOIN component_files cf"
                " ON cf.component_id = c.id JOIN files f ON f.id = cf.file_id"
                " WHERE c.dossier_id = ? ORDER BY c.ord",
                (dossier["id"],),
            ):
                data = blobs.path(comp["sha256"]).read_bytes()
                f = blobs.save_bytes(conn, data, comp["filename"], system="idesk", owner=creator)
                _attachment(
                    conn,
                    rng,
                    doc_id,
                    comp["filename"],
                    "source",
                    ord_,
                    [(f["id"], created, creator, "iGate")],
                    "material",
                )
                ord_ += 1
            history[0] = (created, account.full_name, "Nhận từ iGate", f"Hồ sơ {dossier['code']}")
        draft_pdf = document_pdf(form, summary, symbol, pages)
        draft = blobs.save_bytes(conn, draft_pdf, "du-thao.pdf", system="idesk", owner=creator)
        draft_versions = [(draft["id"], created, creator, "")]
        if status in CLERK_STEPS:
            # What the history says happened: the leader signed the draft (its version 2).
            signed = blobs.save_bytes(conn, leader_sign(draft_pdf), "du-thao.pdf", system="idesk", owner="tuanlv")
            draft_versions.append((signed["id"], created + timedelta(hours=2), "tuanlv", "signed:leader"))
        _attachment(conn, rng, doc_id, "du-thao.pdf", "draft", ord_, draft_versions, "main")
        ord_ += 1
        if spec.result_versions and dossier:
            notes = ["", "initialed", "signed:leader", "sealed"][:spec.result_versions]
            if status == "initialed":
                notes = ["", "initialed"]
            data = result_pdf(dossier["procedure_id"], pages)
            versions = []
            for v, note in enumerate(notes):
                f = blobs.save_bytes(conn, data, "ket-qua.pdf", system="idesk", owner=creator)
                who = {"signed:leader": "tuanlv", "sealed": "maipt"}.get(note, creator)
                versions.append((f["id"], created + timedelta(hours=v + 1), who, note))
            _attachment(conn, rng, doc_id, "ket-qua.pdf", "result", ord_, versions)
        if status in ("initialed", "signed", "with-clerk", "released"):
            history.append((created + timedelta(hours=1), account.full_name, "Ký nháy", ""))
        if status in ("signed", "with-clerk", "released"):
            history.append((created + timedelta(hours=2), "Lê Văn Tuấn", "Ký số", "Lãnh đạo đã ký"))
        if folder == "outgoing-processing" and status == "draft":
            history.append((created + timedelta(hours=1), account.full_name, "Chuyển lãnh đạo", ""))
        if status in ("with-clerk", "released"):
            history.append((created + timedelta(hours=3), "Lê Văn Tuấn", "Chuyển Văn thư", ""))
        if status == "released":
            history.append((created + timedelta(days=3), "Phạm Thị Mai", "Phát hành", number or ""))
        for moment, actor, action, note in history:
            conn.execute(
                "INSERT INTO history (document_id, time, actor, action, note) VALUES (?,?,?,?,?)",
                (doc_id, iso(moment), actor, action, note),
            )
        if number:
            seq = int(number.split("/", 1)[0])
            conn.execute(
                "INSERT INTO numbers (symbol, year, seq) VALUES (?,?,?) ON CONFLICT(symbol, year)"
                " DO UPDATE SET seq = MAX(seq, excluded.seq)",
                (symbol, year, seq),
            )


def _attachment(conn, rng: random.Random, doc_id: str, filename: str, kind: str, ord_: int, versions,
               role: str = "reference") -> None:
    att_id = hexid(rng)
    conn.execute(
        "INSERT INTO attachments (id, document_id, filename, kind, ord, role) VALUES (?,?,?,?,?,?)",
        (att_id, doc_id, filename, kind, ord_, role),
    )
    for v, (file_id, moment, who, note) in enumerate(versions, start=1):
        conn.execute(
            "INSERT INTO versions (attachment_id, version, file_id, created_at, created_by, note) VALUES (?,?,?,?,?,?)",
            (att_id, v, file_id, iso(moment), who, note),
        )
