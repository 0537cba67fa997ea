"""Seed the sandbox: iGate dossiers with files, iDesk documents, numbering counters.

Seeding is deterministic (fixed random seed) and relative to "now" so some appointments are
always overdue. Generated PDFs are cached per process: a second sandbox seeds in milliseconds.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable

from app.sandbox import accounts, seed_data
from app.sandbox.blobs import BlobStore
from app.sandbox.db import SCHEMA_VERSION, Database
from app.sandbox.text import fold

VN = timezone(timedelta(hours=7))
DB_NAME = "sandbox.db"
PROCESSING, WAITING, RETURNED = seed_data.PROCESSING, seed_data.WAITING, seed_data.RETURNED
SEED_DOSSIERS = 45
# Bumped whenever the seeded data changes (here or in documents.py's layout): a training database
# seeded by an older version is seeded again on the next start (its practice data goes with it).
SEED_VERSION = "4"
PKI_DIR = "pki"  # the demo PKI inside the sandbox's data folder
# The steps at which the clerk numbers, seals and releases: the leader has signed the draft.
CLERK_STEPS = ("signed", "with-clerk")
LeaderSign = Callable[[bytes], bytes]


def make_admin_pdf(*args, **kwargs) -> bytes:
    # PyMuPDF takes ~0.5 s to import and only seeding needs it, not every sandbox start.
    from app.sandbox.documents import make_admin_pdf as make

    return make(*args, **kwargs)


def iso(moment: datetime) -> str:
    return moment.astimezone(VN).isoformat(timespec="seconds")


# The kinds of citizen's forms (the title printed on them); other components are named for what they are.
_FORM_KINDS = ("Đơn đề nghị", "Giấy đề nghị", "Văn bản đề nghị", "Tờ khai")


def component_title(component: str) -> tuple[str, str]:
    """(title, summary) printed on a dossier component: "Đơn đề nghị" / "cấp giấy phép xây dựng"."""
    kind = next((k for k in _FORM_KINDS if component.startswith(k)), None)
    if kind is None:
        return component, ""
    return kind, component[len(kind):].strip()


@lru_cache(maxsize=None)
def _application_pdf(procedure_id: str, component: str) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    title, what = component_title(component)
    # A citizen's form carries only the national motto: there is no issuing agency.
    return make_admin_pdf(
        None, title=title, summary=f"{what[:1].upper()}{what[1:]}" if what else procedure.name,
        body_paragraphs=seed_data.APPLICATION_PARAGRAPHS, number_symbol="ĐĐN",
        signer_title="NGƯỜI ĐỀ NGHỊ", signer_name="(Ký, ghi rõ họ tên)", organization=None,
    )


@lru_cache(maxsize=None)
def _check_record_pdf(procedure_id: str) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    return make_admin_pdf(
        None, title="Biên bản thẩm định hồ sơ", summary=procedure.name,
        body_paragraphs=("Phòng chuyên môn đã kiểm tra thành phần, nội dung hồ sơ theo quy định.",
                         "Hồ sơ đủ điều kiện; đề nghị Lãnh đạo Sở xem xét, quyết định."),
        number_symbol="BB-STTTT", signer_title="NGƯỜI THẨM ĐỊNH", signer_name="Nguyễn Thị Hoa",
    )


@lru_cache(maxsize=None)
def _receipt_pdf() -> bytes:
    return make_admin_pdf(
        None, title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả", summary="Bộ phận Một cửa",
        body_paragraphs=("Bộ phận Một cửa đã tiếp nhận hồ sơ đầy đủ thành phần theo quy định.",
                         "Thời gian trả kết quả theo ngày hẹn ghi trên hồ sơ điện tử."),
        number_symbol="TNHS", signer_title="NGƯỜI TIẾP NHẬN", signer_name="Võ Thị Lan",
    )


@lru_cache(maxsize=None)
def _result_pdf(procedure_id: str, pages: int = 1) -> bytes:
    procedure = next(p for p in seed_data.PROCEDURES if p.id == procedure_id)
    return make_admin_pdf(
        None, title="Quyết định", summary=f"Về việc {procedure.result_title[0].lower()}{procedure.result_title[1:]}",
        body_paragraphs=seed_data.RESULT_PARAGRAPHS, number_symbol="QĐ-STTTT",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=pages,
    )


@lru_cache(maxsize=None)
def _document_pdf(form: str, summary: str, symbol: str, pages: int) -> bytes:
    paragraphs = (
        seed_data.PLAN_PARAGRAPHS if form in ("Kế hoạch", "Báo cáo", "Tờ trình") else seed_data.LETTER_PARAGRAPHS
    )
    return make_admin_pdf(
        None,
        title=form if form != "Công văn" else "",
        summary=summary,
        body_paragraphs=paragraphs,
        number_symbol=symbol,
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Tuấn",
        pages=pages,
    )


def leader_signer(pki_dir: Path) -> LeaderSign:
    """Signs a draft as the app's leader step does (reserved number/date fields, the signature
    between the signer's title and name) with the demo PKI's leader certificate."""
    # The signing stack and the PKI load only for seeding, not with every sandbox start.
    from pyhanko.sign.signers import SimpleSigner

    from app.sandbox.demo_pki import P12_PASSPHRASE, DemoPki
    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_document

    user = DemoPki.create(pki_dir).user("leader")
    signer = SimpleSigner.load_pkcs12(str(user.p12_path), passphrase=P12_PASSPHRASE.encode())

    def sign(data: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="lienthong-seed-") as folder:
            source, target = Path(folder) / "du-thao.pdf", Path(folder) / "du-thao-ky.pdf"
            source.write_bytes(data)
            request = SigningRequest(input_path=source, output_path=target, profile=Profile.LEADER,
                                     reason="Lãnh đạo ký số", location="Bình Định")
            sign_document(request, signer)
            return target.read_bytes()

    return sign


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(seed_data.FAMILY)} {rng.choice(seed_data.MIDDLE_M)} {rng.choice(seed_data.GIVEN_M)}"
    return f"{rng.choice(seed_data.FAMILY)} {rng.choice(seed_data.MIDDLE_F)} {rng.choice(seed_data.GIVEN_F)}"


def _hexid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def insert_dossier(
    conn,
    rng: random.Random,
    *,
    status: int,
    assignee_id: str | None,
    accepted: datetime,
    seq: int,
    procedure=None,
    applicant: str | None = None,
) -> dict:
    procedure = procedure or rng.choice(seed_data.PROCEDURES)
    applicant = applicant or (
        rng.choice(seed_data.COMPANIES)
        if procedure.code in ("1.003725", "1.003801") and rng.random() < 0.6
        else _person(rng)
    )
    code = f"{seed_data.AGENCY_CODE}-{accepted.astimezone(VN):%y%m%d}-{seq:04d}"
    appointment = (accepted + timedelta(days=procedure.days + 2)).astimezone(VN).replace(hour=17, minute=0, second=0)
    updated = accepted + timedelta(hours=rng.randint(1, 48))
    completed = min(appointment, accepted + timedelta(days=procedure.days)) if status == RETURNED else None
    row = {
        "id": _hexid(rng),
        "code": code,
        "procedure_id": procedure.id,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "applicant_name": applicant,
        "applicant_phone": f"09{rng.randrange(10**7, 10**8)}",
        "applicant_address": (
            f"{rng.randrange(1, 300)} {rng.choice(seed_data.STREETS)}, {rng.choice(seed_data.WARDS)}, tỉnh Bình Định"
        ),
        "appointment_date": iso(appointment),
        "accepted_date": iso(accepted),
        "status": status,
        "task_name": seed_data.STAGES[status].step_name,
        "assignee_id": assignee_id,
        "nation_code": f"G22.{seq % 100:02d}-{accepted.astimezone(VN):%y%m%d}-{seq:06d}",
        "updated_date": iso(updated),
        "completed_date": iso(completed) if completed else None,
    }
    row["search_text"] = fold(f"{code} {applicant} {procedure.name}")
    row["applicant_fold"] = fold(applicant)
    row["procedure_fold"] = fold(procedure.name)
    conn.execute(
        "INSERT INTO dossiers (id, code, procedure_id, procedure_code, procedure_name, applicant_name,"
        " applicant_phone, applicant_address, appointment_date, accepted_date, status, task_name,"
        " assignee_id, search_text, applicant_fold, procedure_fold, nation_code, updated_date, completed_date)"
        " VALUES (:id,:code,:procedure_id,"
        ":procedure_code,:procedure_name,:applicant_name,:applicant_phone,:applicant_address,"
        ":appointment_date,:accepted_date,:status,:task_name,:assignee_id,:search_text,:applicant_fold,"
        ":procedure_fold,:nation_code,:updated_date,:completed_date)",
        row,
    )
    row["procedure"] = procedure
    return row


def _seed_dossier_files(conn, blobs: BlobStore, rng: random.Random, dossier: dict) -> None:
    procedure = dossier["procedure"]
    for i, name in enumerate(procedure.components):
        comp_id = _hexid(rng)
        conn.execute(
            "INSERT INTO components (id, dossier_id, name, ord) VALUES (?,?,?,?)", (comp_id, dossier["id"], name, i)
        )
        slug = fold(name).replace(" ", "-")[:40]
        f = blobs.save_bytes(conn, _application_pdf(procedure.id, name), f"{slug}.pdf", system="igate")
        conn.execute("INSERT INTO component_files (component_id, file_id, ord) VALUES (?,?,0)", (comp_id, f["id"]))
    receipt = blobs.save_bytes(conn, _receipt_pdf(), "giay-tiep-nhan-hen-tra-ket-qua.pdf", system="igate")
    conn.execute(
        "INSERT INTO step_files (dossier_id, step, file_id, ord) VALUES (?,?,?,0)",
        (dossier["id"], "Tiếp nhận hồ sơ", receipt["id"]),
    )
    if rng.random() < 0.5:
        check = blobs.save_bytes(
            conn, _check_record_pdf(procedure.id), "bien-ban-tham-dinh.pdf", system="igate"
        )
        conn.execute(
            "INSERT INTO step_files (dossier_id, step, file_id, ord) VALUES (?,?,?,1)",
            (dossier["id"], "Thẩm định hồ sơ", check["id"]),
        )
    _seed_history(conn, rng, dossier)
    if dossier["status"] == RETURNED:
        result = blobs.save_bytes(conn, _result_pdf(procedure.id), "quyet-dinh-cap-phep.pdf", system="igate")
        conn.execute(
            "INSERT INTO result_files (dossier_id, file_id, source_ref, ord, created_at) VALUES (?,?,?,0,?)",
            (dossier["id"], result["id"], "seed", dossier["accepted_date"]),
        )


def _seed_history(conn, rng: random.Random, dossier: dict) -> None:
    """Server-side history (lo/history) of the status changes the dossier went through."""
    accepted = datetime.fromisoformat(dossier["accepted_date"])
    clerk = seed_data.OTHER_OFFICERS[1]
    steps = [(accepted, clerk, "Mới đăng ký", seed_data.STAGES[PROCESSING].status_name)]
    if dossier["status"] in (WAITING, RETURNED):
        steps.append(
            (
                accepted + timedelta(days=2, hours=3),
                (dossier["assignee_id"], ""),
                seed_data.STAGES[PROCESSING].status_name,
                seed_data.STAGES[WAITING].status_name,
            )
        )
    if dossier["status"] == RETURNED:
        steps.append(
            (
                datetime.fromisoformat(dossier["completed_date"]),
                clerk,
                seed_data.STAGES[WAITING].status_name,
                seed_data.STAGES[RETURNED].status_name,
            )
        )
    for moment, (user_id, user_name), before, after in steps:
        conn.execute(
            "INSERT INTO igate_history (dossier_id, time, user_id, user_name, field, original, value)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                dossier["id"],
                iso(moment),
                user_id,
                user_name or officer_name(user_id),
                "lang.word.status",
                before,
                after,
            ),
        )


def officer_name(igate_id: str) -> str:
    account = accounts.by_igate_id(igate_id)
    return account.full_name if account else dict(seed_data.OTHER_OFFICERS).get(igate_id, "")


def _seed_dossiers(conn, blobs: BlobStore, rng: random.Random, now: datetime) -> list[dict]:
    hoa = accounts.named("hoant").igate_id
    tuan = accounts.named("tuanlv").igate_id
    others = [oid for oid, _ in seed_data.OTHER_OFFICERS]
    statuses = [PROCESSING] * 24 + [WAITING] * 11 + [RETURNED] * 10
    dossiers = []
    per_day: dict[str, int] = {}
    for i, status in enumerate(statuses):
        # Most go to hoant; a few to the leader and to officers without an SSO account.
        assignee = hoa if i % 5 != 4 else (tuan if i % 10 == 4 else others[i % 2])
        days_ago = rng.randint(1, 40) if status == PROCESSING else rng.randint(8, 60)
        if i < 4:
            days_ago = 30 + i  # guaranteed overdue dossiers at the processing step
        accepted = (now - timedelta(days=days_ago)).replace(
            hour=rng.randint(7, 16), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0
        )
        day = f"{accepted:%y%m%d}"
        per_day[day] = per_day.get(day, 0) + 1
        procedure = seed_data.PROCEDURES[i % len(seed_data.PROCEDURES)]
        dossier = insert_dossier(
            conn, rng, status=status, assignee_id=assignee, accepted=accepted, seq=per_day[day], procedure=procedure
        )
        _seed_dossier_files(conn, blobs, rng, dossier)
        dossiers.append(dossier)
    return dossiers


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


def _seed_documents(conn, blobs: BlobStore, rng: random.Random, now: datetime, dossiers: list[dict],
                    leader_sign: LeaderSign) -> None:
    hoa = [d for d in dossiers if d["assignee_id"] == accounts.named("hoant").igate_id]
    processing = [d for d in hoa if d["status"] == PROCESSING]
    waiting = [d for d in hoa if d["status"] == WAITING]
    year = now.year
    # (summary, form, urgency, status, folder, creator, dossier, result_versions, number, pages)
    specs = [
        (
            processing[0]["procedure_name"],
            "Quyết định",
            "Thường",
            "draft",
            "drafts",
            "hoant",
            processing[0],
            0,
            None,
            1,
        ),
        (processing[1]["procedure_name"], "Quyết định", "Khẩn", "draft", "drafts", "hoant", processing[1], 1, None, 2),
        (
            processing[2]["procedure_name"],
            "Quyết định",
            "Thường",
            "initialed",
            "drafts",
            "hoant",
            processing[2],
            2,
            None,
            1,
        ),
        (waiting[0]["procedure_name"], "Quyết định", "Thường", "signed", "drafts", "hoant", waiting[0], 2, None, 2),
        (
            waiting[1]["procedure_name"],
            "Quyết định",
            "Khẩn",
            "with-clerk",
            "outgoing-processing",
            "hoant",
            waiting[1],
            2,
            None,
            1,
        ),
        (
            waiting[2]["procedure_name"],
            "Quyết định",
            "Thường",
            "released",
            "outgoing-tracking",
            "hoant",
            waiting[2],
            3,
            "11/QĐ-STTTT",
            1,
        ),
        (
            f"Kế hoạch triển khai chuyển đổi số trong giải quyết thủ tục hành chính năm {year}",
            "Kế hoạch",
            "Thường",
            "released",
            "outgoing-tracking",
            "hoant",
            None,
            0,
            "05/KH-STTTT",
            3,
        ),
        (
            f"Kế hoạch tuyên truyền cải cách hành chính năm {year}",
            "Kế hoạch",
            "Thường",
            "released",
            "archive",
            "hoant",
            None,
            0,
            "04/KH-STTTT",
            2,
        ),
        (
            "Về việc liên kết tài khoản SSO với tài khoản iGate của cán bộ, công chức",
            "Công văn",
            "Khẩn",
            "draft",
            "drafts",
            "khanhdq",
            None,
            0,
            None,
            1,
        ),
        (
            "Đề nghị phê duyệt danh mục thủ tục hành chính thực hiện liên thông iGate - iDesk",
            "Tờ trình",
            "Thượng khẩn",
            "draft",
            "drafts",
            "hoant",
            None,
            0,
            None,
            2,
        ),
        (
            f"Báo cáo kết quả giải quyết thủ tục hành chính tháng 10 năm {year}",
            "Báo cáo",
            "Thường",
            "draft",
            "outgoing-processing",
            "hoant",
            None,
            0,
            None,
            2,
        ),
        (
            "Về việc cử cán bộ tham gia tập huấn ký số bằng chứng thư số chuyên dùng",
            "Công văn",
            "Hỏa tốc",
            "with-clerk",
            "outgoing-processing",
            "hoant",
            None,
            0,
            None,
            1,
        ),
        (
            "Quyết định thành lập Tổ công tác chuyển đổi số của Sở",
            "Quyết định",
            "Thường",
            "released",
            "archive",
            "tuanlv",
            None,
            0,
            "12/QĐ-STTTT",
            1,
        ),
        (
            f"Thông báo lịch tiếp công dân tháng 12 năm {year}",
            "Thông báo",
            "Thường",
            "draft",
            "drafts",
            "maipt",
            None,
            0,
            None,
            1,
        ),
    ]
    for index, (summary, form, urgency, status, folder, creator, dossier, result_versions, number, pages) in enumerate(
        specs
    ):
        account = accounts.named(creator)
        created = now - timedelta(days=20 - index, hours=rng.randint(0, 6))
        doc_id = _hexid(rng)
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
                urgency,
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
        draft_pdf = _document_pdf(form, summary, symbol, pages)
        draft = blobs.save_bytes(conn, draft_pdf, "du-thao.pdf", system="idesk", owner=creator)
        draft_versions = [(draft["id"], created, creator, "")]
        if status in CLERK_STEPS:
            # What the history says happened: the leader signed the draft (its version 2).
            signed = blobs.save_bytes(conn, leader_sign(draft_pdf), "du-thao.pdf", system="idesk", owner="tuanlv")
            draft_versions.append((signed["id"], created + timedelta(hours=2), "tuanlv", "signed:leader"))
        _attachment(conn, rng, doc_id, "du-thao.pdf", "draft", ord_, draft_versions, "main")
        ord_ += 1
        if result_versions and dossier:
            notes = ["", "initialed", "signed:leader", "sealed"][:result_versions]
            if status == "initialed":
                notes = ["", "initialed"]
            data = _result_pdf(dossier["procedure_id"], pages)
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


def _attachment(conn, rng, doc_id: str, filename: str, kind: str, ord_: int, versions, role: str = "reference") -> None:
    att_id = _hexid(rng)
    conn.execute(
        "INSERT INTO attachments (id, document_id, filename, kind, ord, role) VALUES (?,?,?,?,?,?)",
        (att_id, doc_id, filename, kind, ord_, role),
    )
    for v, (file_id, moment, who, note) in enumerate(versions, start=1):
        conn.execute(
            "INSERT INTO versions (attachment_id, version, file_id, created_at, created_by, note) VALUES (?,?,?,?,?,?)",
            (att_id, v, file_id, iso(moment), who, note),
        )


def seed(data_dir: Path, *, now: datetime | None = None, extra_dossiers: int = 0) -> None:
    """Fill an empty sandbox database (schema must exist). The drafts the leader has signed are
    signed with the demo PKI in `<data_dir>/pki` (created when missing)."""
    now = (now or datetime.now(VN)).astimezone(VN)
    rng = random.Random(2026)
    leader_sign = leader_signer(Path(data_dir) / PKI_DIR)
    db = Database(Path(data_dir) / DB_NAME)
    blobs = BlobStore(Path(data_dir) / "blobs")
    with db.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        dossiers = _seed_dossiers(conn, blobs, rng, now)
        _seed_documents(conn, blobs, rng, now, dossiers, leader_sign)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', ?)", (iso(now),))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seed', ?)", (SEED_VERSION,))
        conn.execute("COMMIT")
    if extra_dossiers:
        add_dossiers(data_dir, extra_dossiers, now=now)


def add_dossiers(data_dir: Path, count: int, *, now: datetime | None = None, seed_value: int = 7) -> int:
    """Add `count` more dossiers (rows and components, no files) for volume benchmarks."""
    now = (now or datetime.now(VN)).astimezone(VN)
    rng = random.Random(seed_value)
    db = Database(Path(data_dir) / DB_NAME)
    assignees = [accounts.named("hoant").igate_id, accounts.named("tuanlv").igate_id] + [
        oid for oid, _ in seed_data.OTHER_OFFICERS
    ]
    with db.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        per_day: dict[str, int] = {}
        for row in conn.execute("SELECT code FROM dossiers"):
            day, seq = row["code"].rsplit("-", 2)[1:]
            per_day[day] = max(per_day.get(day, 0), int(seq))
        for _ in range(count):
            accepted = (now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))).replace(
                second=0, microsecond=0
            )
            day = f"{accepted:%y%m%d}"
            per_day[day] = per_day.get(day, 0) + 1
            dossier = insert_dossier(
                conn,
                rng,
                status=rng.choice((PROCESSING, PROCESSING, WAITING, RETURNED)),
                assignee_id=rng.choice(assignees),
                accepted=accepted,
                seq=per_day[day],
            )
            for i, name in enumerate(dossier["procedure"].components):
                conn.execute(
                    "INSERT INTO components (id, dossier_id, name, ord) VALUES (?,?,?,?)",
                    (_hexid(rng), dossier["id"], name, i),
                )
        conn.execute("COMMIT")
    return count


def _seed_state(data_dir: Path) -> tuple[bool, bool]:
    """(seeded at all, seeded with this schema and this version of the data)."""
    db = Database(Path(data_dir) / DB_NAME)
    db.create_schema()
    with db.connection() as conn:
        done = conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        data_version = conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
    current = version is not None and version[0] == SCHEMA_VERSION
    return bool(done), bool(done and current and data_version is not None and data_version[0] == SEED_VERSION)


def is_seeded(data_dir: Path) -> bool:
    """The training data is there, of this version: `ensure_seeded` would do nothing."""
    return _seed_state(data_dir)[1]


def ensure_seeded(data_dir: Path) -> bool:
    """Create the schema and seed it unless already done; True when it seeded."""
    done, current = _seed_state(data_dir)
    if current:
        return False
    if done:
        reset(data_dir)
    else:
        seed(data_dir)
    return True


def reset(data_dir: Path, *, extra_dossiers: int = 0) -> None:
    """Wipe the sandbox data (database and blobs; the SSO key stays) and seed again."""
    data_dir = Path(data_dir)
    for suffix in ("", "-wal", "-shm"):
        (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "blobs", ignore_errors=True)
    Database(data_dir / DB_NAME).create_schema()
    seed(data_dir, extra_dossiers=extra_dossiers)


def describe(data_dir: Path) -> dict:
    db = Database(Path(data_dir) / DB_NAME)
    with db.connection() as conn:
        return {
            "dossiers": conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0],
            "documents": conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "files": conn.execute("SELECT COUNT(*) FROM files").fetchone()[0],
            "statuses": json.dumps(
                dict(conn.execute("SELECT status, COUNT(*) FROM dossiers GROUP BY status").fetchall())
            ),
        }
