"""Seed the sandbox: iGate dossiers with files (here), iDesk documents (seed_idesk.py), the files
themselves (seed_pdfs.py); keep it seeded with the current version of the data.

Seeding is deterministic (fixed random seed) and relative to "now" so some appointments are
always overdue. Generated PDFs are cached per process: a second sandbox seeds in milliseconds.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from app.sandbox import accounts, seed_data
from app.sandbox.blobs import BlobStore
from app.sandbox.db import SCHEMA_VERSION, Database, write_transaction
from app.sandbox.seed_base import VN, hexid, iso
from app.sandbox.seed_idesk import seed_documents
from app.sandbox.seed_pdfs import application_pdf, check_record_pdf, leader_signer, receipt_pdf, result_pdf
from app.sandbox.text import fold

DB_NAME = "sandbox.db"
PROCESSING, WAITING, RETURNED = seed_data.PROCESSING, seed_data.WAITING, seed_data.RETURNED
SEED_DOSSIERS = 45
# Bumped whenever the seeded data changes (here, in seed_idesk.py, seed_pdfs.py or documents.py's
# layout): a training database seeded by an older version is seeded again on the next start (its
# practice data goes with it).
SEED_VERSION = "4"
PKI_DIR = "pki"  # the demo PKI inside the sandbox's data folder


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(seed_data.FAMILY)} {rng.choice(seed_data.MIDDLE_M)} {rng.choice(seed_data.GIVEN_M)}"
    return f"{rng.choice(seed_data.FAMILY)} {rng.choice(seed_data.MIDDLE_F)} {rng.choice(seed_data.GIVEN_F)}"


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
        "id": hexid(rng),
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
        comp_id = hexid(rng)
        conn.execute(
            "INSERT INTO components (id, dossier_id, name, ord) VALUES (?,?,?,?)", (comp_id, dossier["id"], name, i)
        )
        slug = fold(name).replace(" ", "-")[:40]
        f = blobs.save_bytes(conn, application_pdf(procedure.id, name), f"{slug}.pdf", system="igate")
        conn.execute("INSERT INTO component_files (component_id, file_id, ord) VALUES (?,?,0)", (comp_id, f["id"]))
    receipt = blobs.save_bytes(conn, receipt_pdf(), "giay-tiep-nhan-hen-tra-ket-qua.pdf", system="igate")
    conn.execute(
        "INSERT INTO step_files (dossier_id, step, file_id, ord) VALUES (?,?,?,0)",
        (dossier["id"], "Tiếp nhận hồ sơ", receipt["id"]),
    )
    if rng.random() < 0.5:
        check = blobs.save_bytes(
            conn, check_record_pdf(procedure.id), "bien-ban-tham-dinh.pdf", system="igate"
        )
        conn.execute(
            "INSERT INTO step_files (dossier_id, step, file_id, ord) VALUES (?,?,?,1)",
            (dossier["id"], "Thẩm định hồ sơ", check["id"]),
        )
    _seed_history(conn, rng, dossier)
    if dossier["status"] == RETURNED:
        result = blobs.save_bytes(conn, result_pdf(procedure.id), "quyet-dinh-cap-phep.pdf", system="igate")
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
        seed_documents(conn, blobs, rng, now, dossiers, leader_sign)
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
                    (hexid(rng), dossier["id"], name, i),
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
    _drop_tables(data_dir / DB_NAME)
    shutil.rmtree(data_dir / "blobs", ignore_errors=True)
    Database(data_dir / DB_NAME).create_schema()
    seed(data_dir, extra_dossiers=extra_dossiers)


def _drop_tables(path: Path) -> None:
    """Empty the database in place: running servers, here or in another process, keep connections
    to the file (Windows refuses to delete it then; elsewhere they would go on reading the deleted
    one). A file SQLite cannot read is deleted instead."""
    if not path.exists():
        return
    try:
        with Database(path).connection() as conn, write_transaction(conn):
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            for name in tables:
                conn.execute(f'DROP TABLE "{name}"')
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


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
