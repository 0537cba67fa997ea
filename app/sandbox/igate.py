"""The sandbox iGate API (DIGO style: path-prefixed services, 0-based Spring pages)."""

from __future__ import annotations

import json
import math
import sqlite3

from flask import Flask, g, request, send_file

from app.sandbox import accounts, seed_data
from app.sandbox.api_common import ApiError, error_response, int_arg, json_body, json_response, setup_api
from app.sandbox.bearer import AccessTokenVerifier
from app.sandbox.blobs import BlobStore, TooLarge, get_file, new_id, now_iso
from app.sandbox.db import Database, write_transaction
from app.sandbox.seed import STATUS_NAMES
from app.sandbox.text import fold

MAX_UPLOAD = 100 * 1024 * 1024
LOG_ACTIONS = ("send-to-idesk", "fetch-from-idesk", "transfer-to-igate")
RESULT_STEPS = (2, 9)
_OFFICER_NAMES = dict(seed_data.OTHER_OFFICERS) | {a.igate_id: a.full_name for a in accounts.ACCOUNTS}


def file_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "filename": row["filename"], "size": row["size"],
            "sha256": row["sha256"], "mimeType": row["mime_type"]}


def dossier_json(row: sqlite3.Row) -> dict:
    assignee = row["assignee_id"]
    return {
        "id": row["id"],
        "code": row["code"],
        "procedure": {"id": row["procedure_id"], "code": row["procedure_code"], "name": row["procedure_name"]},
        "applicant": {"fullname": row["applicant_name"], "phone": row["applicant_phone"],
                      "address": row["applicant_address"]},
        "appointmentDate": row["appointment_date"],
        "acceptedDate": row["accepted_date"],
        "dossierStatus": {"id": row["status"], "name": STATUS_NAMES[row["status"]]},
        "currentTask": {
            "name": row["task_name"],
            "assignee": {"id": assignee, "fullname": _OFFICER_NAMES.get(assignee, "")} if assignee else None,
        },
    }


def dossier_detail(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    body = dossier_json(row)
    components = []
    for comp in conn.execute("SELECT * FROM components WHERE dossier_id = ? ORDER BY ord", (row["id"],)):
        files = conn.execute(
            "SELECT f.* FROM component_files cf JOIN files f ON f.id = cf.file_id"
            " WHERE cf.component_id = ? ORDER BY cf.ord", (comp["id"],)).fetchall()
        components.append({"id": comp["id"], "name": comp["name"], "files": [file_json(f) for f in files]})
    body["components"] = components
    body["stepFiles"] = [
        {"step": r["step"], "file": file_json(r)}
        for r in conn.execute(
            "SELECT s.step, f.* FROM step_files s JOIN files f ON f.id = s.file_id"
            " WHERE s.dossier_id = ? ORDER BY s.ord", (row["id"],))
    ]
    body["resultFiles"] = _result_files(conn, row["id"])
    return body


def _result_files(conn: sqlite3.Connection, dossier_id: str) -> list[dict]:
    return [file_json(r) for r in conn.execute(
        "SELECT f.* FROM result_files r JOIN files f ON f.id = r.file_id WHERE r.dossier_id = ?"
        " ORDER BY r.ord", (dossier_id,))]


def _log_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "officer": {"id": row["officer_id"], "fullname": row["officer_name"]},
            "time": row["time"], "dossierCode": row["dossier_code"], "action": row["action"],
            "detail": json.loads(row["detail"])}


def create_igate_app(db: Database, blobs: BlobStore, verifier: AccessTokenVerifier) -> Flask:
    app = Flask("lienthong-sandbox-igate")
    # Multipart overhead on top of the 100 MB file limit; bigger bodies get 413 unread.
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD + 1024 * 1024

    def resolve(claims: dict):
        account = accounts.by_subject(claims.get("sub", ""))
        if account is None or not account.igate_linked:
            raise ApiError(401, "unauthenticated", "ERR: Không thể xác thực người dùng!")
        return account

    setup_api(app, db, verifier, resolve)

    def load_dossier(dossier_id: str) -> sqlite3.Row:
        row = g.db.execute("SELECT * FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy hồ sơ.")
        return row

    @app.get("/us/user/me")
    def me():
        a = g.user
        return json_response({"id": a.igate_id, "fullname": a.full_name, "account": a.username,
                              "ssoAccount": a.username, "title": a.title, "organization": accounts.ORGANIZATION})

    @app.get("/pa/dossier/search")
    def search():
        page = int_arg("page", 0, minimum=0, maximum=1_000_000)
        size = int_arg("size", 20, minimum=1, maximum=200)
        where, params = [], []
        args = request.args
        if args.get("code"):
            where.append("code LIKE ?")
            params.append(f"%{args['code'].strip()}%")
        for name in ("keyword", "applicant", "procedure"):
            value = fold(args.get(name, "")).strip()
            if not value:
                continue
            column = {"keyword": "search_text", "applicant": "applicant_fold", "procedure": "procedure_fold"}[name]
            for word in value.split():
                where.append(f"{column} LIKE ?")
                params.append(f"%{word}%")
        statuses = args.get("dossier-status", "")
        if statuses:
            try:
                ids = [int(s) for s in statuses.split(",") if s.strip()]
            except ValueError:
                raise ApiError(400, "bad_request", "Tham số 'dossier-status' không hợp lệ.") from None
            where.append(f"status IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        assignee = args.get("assignee", "")
        if assignee:
            where.append("assignee_id = ?")
            params.append(g.user.igate_id if assignee == "me" else assignee)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = g.db.execute(f"SELECT COUNT(*) FROM dossiers{clause}", params).fetchone()[0]
        rows = g.db.execute(
            f"SELECT * FROM dossiers{clause} ORDER BY accepted_date DESC, code DESC LIMIT ? OFFSET ?",
            [*params, size, page * size]).fetchall()
        return json_response({"content": [dossier_json(r) for r in rows], "totalElements": total,
                              "totalPages": math.ceil(total / size), "number": page, "size": size})

    @app.get("/pa/dossier/<dossier_id>/--online")
    def dossier_online(dossier_id):
        return json_response(dossier_detail(g.db, load_dossier(dossier_id)))

    @app.get("/pa/dossier/--by-code")
    def dossier_by_code():
        row = g.db.execute("SELECT * FROM dossiers WHERE code = ?", (request.args.get("code", "").strip(),)).fetchone()
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy hồ sơ có mã này.")
        return json_response(dossier_detail(g.db, row))

    @app.post("/fi/file/--multiple")
    def upload():
        parts = request.files.getlist("files")
        if not parts:
            raise ApiError(400, "bad_request", "Thiếu tệp (phần 'files').")
        saved = []
        for part in parts:
            try:
                row = blobs.save_stream(g.db, part.stream, part.filename or "tep-tin", system="igate",
                                        owner=g.user.username, max_bytes=MAX_UPLOAD)
            except TooLarge:
                return error_response(413, "file_too_large", "Tệp quá lớn; giới hạn là 100 MB.")
            saved.append(file_json(row))
        return json_response(saved)

    @app.get("/fi/file/<file_id>")
    def download(file_id):
        row = get_file(g.db, file_id, "igate")
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy tệp.")
        return send_blob(blobs, row)

    @app.post("/pa/dossier/<dossier_id>/result-files")
    def add_result_files(dossier_id):
        body = json_body()
        entries = body.get("files")
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("fileId") for e in entries):
            raise ApiError(400, "bad_request", "Danh sách 'files' phải gồm các mục có 'fileId'.")
        with write_transaction(g.db):
            row = load_dossier(dossier_id)
            if row["status"] not in RESULT_STEPS:
                raise ApiError(409, "wrong_step",
                               f"Hồ sơ không ở bước cho phép đính kèm kết quả (hiện tại: {STATUS_NAMES[row['status']]}).")
            existing = g.db.execute("SELECT file_id, source_ref FROM result_files WHERE dossier_id = ?",
                                    (dossier_id,)).fetchall()
            files = {r["file_id"] for r in existing}
            refs = {r["source_ref"] for r in existing if r["source_ref"]}
            order = len(existing)
            for entry in entries:
                ref = entry.get("sourceRef") or None
                if entry["fileId"] in files or (ref and ref in refs):
                    continue
                if get_file(g.db, entry["fileId"], "igate") is None:
                    raise ApiError(404, "not_found", f"Không tìm thấy tệp {entry['fileId']} trên iGate.")
                g.db.execute("INSERT INTO result_files (dossier_id, file_id, source_ref, ord, created_at)"
                             " VALUES (?,?,?,?,?)", (dossier_id, entry["fileId"], ref, order, now_iso()))
                files.add(entry["fileId"])
                if ref:
                    refs.add(ref)
                order += 1
        return json_response({"resultFiles": _result_files(g.db, dossier_id)})

    @app.post("/lo/log")
    def add_log():
        body = json_body()
        code, action, key = body.get("dossierCode"), body.get("action"), body.get("key")
        detail = body.get("detail", {})
        if not code or action not in LOG_ACTIONS or not isinstance(detail, dict):
            raise ApiError(400, "bad_request",
                           "Cần 'dossierCode', 'action' (send-to-idesk|fetch-from-idesk|transfer-to-igate) và 'detail'.")
        with write_transaction(g.db):
            if key:
                found = g.db.execute("SELECT * FROM logs WHERE idem_key = ?", (key,)).fetchone()
                if found is not None:
                    return json_response(_log_json(found), 200)
            if g.db.execute("SELECT 1 FROM dossiers WHERE code = ?", (code,)).fetchone() is None:
                raise ApiError(404, "not_found", "Không tìm thấy hồ sơ có mã này.")
            log_id = new_id()
            g.db.execute(
                "INSERT INTO logs (id, idem_key, officer_id, officer_name, time, dossier_code, action, detail)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (log_id, key or None, g.user.igate_id, g.user.full_name, now_iso(), code, action,
                 json.dumps(detail, ensure_ascii=False)))
            row = g.db.execute("SELECT * FROM logs WHERE id = ?", (log_id,)).fetchone()
        return json_response(_log_json(row), 201)

    @app.get("/lo/log")
    def list_log():
        rows = g.db.execute("SELECT * FROM logs WHERE dossier_code = ? ORDER BY time, rowid",
                            (request.args.get("dossierCode", ""),)).fetchall()
        return json_response({"content": [_log_json(r) for r in rows]})

    return app


def send_blob(blobs: BlobStore, row: sqlite3.Row):
    """Stream a stored file with its size, type and SHA-256 in the headers."""
    response = send_file(blobs.path_for(row), mimetype=row["mime_type"], as_attachment=True,
                         download_name=row["filename"], conditional=False, etag=False)
    response.headers["X-Checksum-SHA256"] = row["sha256"]
    response.headers["Content-Length"] = str(row["size"])
    return response
