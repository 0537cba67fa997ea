"""The sandbox iDesk API (e-office): drafts, attachments with versions, numbering, release."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date

from flask import Flask, g, request

from app.sandbox import accounts
from app.sandbox.api_common import ApiError, error_response, int_arg, json_body, json_response, setup_api
from app.sandbox.bearer import AccessTokenVerifier
from app.sandbox.blobs import BlobStore, TooLarge, get_file, new_id, now_iso
from app.sandbox.db import Database, write_transaction
from app.sandbox.igate import MAX_UPLOAD, send_blob
from app.sandbox.text import fold

FOLDERS = ("drafts", "outgoing-processing", "outgoing-tracking", "archive")
KINDS = ("source", "draft", "result")
ROLES = ("main", "appendix", "material", "reference")
NUMBER_RE = re.compile(r"^(\d{2,})/([^/\s]+)$")
_NAMES = {a.username: a.full_name for a in accounts.ACCOUNTS}


def _summary_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "summary": row["summary"], "form": row["form"], "urgency": row["urgency"],
            "dossierCode": row["dossier_code"], "status": row["status"], "folder": row["folder"],
            "draftingUnit": row["drafting_unit"], "createdAt": row["created_at"], "number": row["number"],
            "releaseDate": row["release_date"]}


def _version_json(row: sqlite3.Row) -> dict:
    return {"version": row["version"], "fileId": row["file_id"], "size": row["size"], "sha256": row["sha256"],
            "createdAt": row["created_at"], "createdBy": _NAMES.get(row["created_by"], row["created_by"]),
            "note": row["note"]}


def _attachment_json(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    versions = conn.execute(
        "SELECT v.*, f.size, f.sha256 FROM versions v JOIN files f ON f.id = v.file_id"
        " WHERE v.attachment_id = ? ORDER BY v.version", (row["id"],)).fetchall()
    return {"id": row["id"], "filename": row["filename"], "kind": row["kind"], "role": row["role"],
            "versions": [_version_json(v) for v in versions]}


def document_detail(conn: sqlite3.Connection, doc_id: str) -> dict:
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    body = _summary_json(row)
    body["attachments"] = [_attachment_json(conn, a) for a in conn.execute(
        "SELECT * FROM attachments WHERE document_id = ? ORDER BY ord", (doc_id,))]
    body["history"] = [
        {"time": h["time"], "actor": h["actor"], "action": h["action"], "note": h["note"]}
        for h in conn.execute("SELECT * FROM history WHERE document_id = ? ORDER BY time, id", (doc_id,))
    ]
    return body


def _history(conn, doc_id: str, action: str, note: str = "") -> None:
    conn.execute(
        "INSERT INTO history (document_id, time, actor, action, note) VALUES (?,?,?,?,?)",
        (doc_id, now_iso(), g.user.full_name, action, note),
    )


def _idempotent(conn, scope: str) -> tuple[str | None, str | None]:
    """(key, earlier result id) for the request's Idempotency-Key within `scope`."""
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is None:
        return None, None
    row = conn.execute("SELECT result_id FROM idempotency WHERE scope = ? AND idem_key = ?", (scope, key)).fetchone()
    return key, (row["result_id"] if row else None)


def _remember(conn, scope: str, key: str | None, result_id: str) -> None:
    if key:
        conn.execute("INSERT INTO idempotency (scope, idem_key, result_id) VALUES (?,?,?)", (scope, key, result_id))


def create_idesk_app(db: Database, blobs: BlobStore, verifier: AccessTokenVerifier) -> Flask:
    app = Flask("lienthong-sandbox-idesk")
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD + 1024 * 1024
    prefix = "/api/v1"

    def resolve(claims: dict):
        account = accounts.by_subject(claims.get("sub", ""))
        if account is None:
            raise ApiError(401, "unauthenticated", "Tài khoản không tồn tại trên iDesk.")
        return account

    setup_api(app, db, verifier, resolve)

    def load_document(doc_id: str) -> sqlite3.Row:
        row = g.db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy văn bản.")
        return row

    def require_clerk() -> None:
        if g.user.role != "clerk":
            raise ApiError(403, "forbidden", "Chỉ văn thư được cấp số và phát hành văn bản.")

    def check_file(file_id: str | None) -> sqlite3.Row:
        row = get_file(g.db, str(file_id or ""), "idesk")
        if row is None:
            raise ApiError(400, "bad_request", f"Không tìm thấy tệp '{file_id}' trên iDesk; hãy tải tệp lên trước.")
        return row

    def check_role(role, kind: str) -> str:
        role = role or ("material" if kind == "source" else "reference")
        if role not in ROLES:
            raise ApiError(400, "bad_request", "Vai trò tệp ('role') phải là main, appendix, material hoặc reference.")
        return role

    def has_main(doc_id: str, other_than: str = "") -> bool:
        return (
            g.db.execute(
                "SELECT 1 FROM attachments WHERE document_id = ? AND role = 'main' AND id != ?", (doc_id, other_than)
            ).fetchone()
            is not None
        )

    def add_attachment(
        doc_id: str, file_id: str | None, filename: str | None, kind: str, note: str = "", role: str | None = None
    ) -> str:
        if kind not in KINDS:
            raise ApiError(400, "bad_request", "Loại tệp ('kind') phải là source, draft hoặc result.")
        role = check_role(role, kind)
        if role == "main" and has_main(doc_id):
            raise ApiError(409, "main_exists", "Dự thảo đã có văn bản chính; hãy đổi vai trò tệp thay vì thêm.")
        file_row = check_file(file_id)
        att_id = new_id()
        order = g.db.execute("SELECT COUNT(*) FROM attachments WHERE document_id = ?", (doc_id,)).fetchone()[0]
        g.db.execute(
            "INSERT INTO attachments (id, document_id, filename, kind, ord, role) VALUES (?,?,?,?,?,?)",
            (att_id, doc_id, filename or file_row["filename"], kind, order, role),
        )
        g.db.execute(
            "INSERT INTO versions (attachment_id, version, file_id, created_at, created_by, note) VALUES (?,1,?,?,?,?)",
            (att_id, file_id, now_iso(), g.user.username, note),
        )
        return att_id

    @app.get(prefix + "/me")
    def me():
        a = g.user
        return json_response(
            {
                "id": a.idesk_id,
                "username": a.username,
                "fullname": a.full_name,
                "roles": [a.role],
                "title": a.title,
                "organization": accounts.ORGANIZATION,
            }
        )

    @app.get(prefix + "/documents")
    def list_documents():
        page = int_arg("page", 1, minimum=1, maximum=1_000_000)
        size = int_arg("size", 50, minimum=1, maximum=200)
        where, params = [], []
        folder = request.args.get("folder", "")
        if folder:
            if folder not in FOLDERS:
                raise ApiError(400, "bad_request", "Thư mục không hợp lệ.")
            if folder == "drafts":
                where.append("created_by = ? AND status != 'released'")
                params.append(g.user.username)
            else:
                where.append("folder = ?")
                params.append(folder)
        if request.args.get("dossierCode"):
            where.append("dossier_code = ?")
            params.append(request.args["dossierCode"].strip())
        for word in fold(request.args.get("q", "")).split():
            where.append("search_text LIKE ?")
            params.append(f"%{word}%")
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = g.db.execute(f"SELECT COUNT(*) FROM documents{clause}", params).fetchone()[0]
        rows = g.db.execute(
            f"SELECT * FROM documents{clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            [*params, size, (page - 1) * size],
        ).fetchall()
        return json_response({"items": [_summary_json(r) for r in rows], "total": total, "page": page, "size": size})

    @app.get(prefix + "/documents/<doc_id>")
    def get_document(doc_id):
        load_document(doc_id)
        return json_response(document_detail(g.db, doc_id))

    @app.post(prefix + "/files")
    def upload():
        part = request.files.get("file")
        if part is None:
            raise ApiError(400, "bad_request", "Thiếu tệp (phần 'file').")
        try:
            row = blobs.save_stream(
                g.db,
                part.stream,
                part.filename or "tep-tin",
                system="idesk",
                owner=g.user.username,
                max_bytes=MAX_UPLOAD,
            )
        except TooLarge:
            return error_response(413, "file_too_large", "Tệp quá lớn; giới hạn là 100 MB.")
        return json_response(
            {"fileId": row["id"], "filename": row["filename"], "size": row["size"], "sha256": row["sha256"]}, 201
        )

    @app.get(prefix + "/files/<file_id>")
    def download(file_id):
        row = get_file(g.db, file_id, "idesk")
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy tệp.")
        return send_blob(blobs, row)

    @app.post(prefix + "/documents")
    def create_document():
        body = json_body()
        summary = (body.get("summary") or "").strip()
        if not summary:
            raise ApiError(400, "bad_request", "Trích yếu ('summary') không được để trống.")
        attachments = body.get("attachments") or []
        if not isinstance(attachments, list):
            raise ApiError(400, "bad_request", "'attachments' phải là một danh sách.")
        scope = f"documents:{g.user.username}"
        with write_transaction(g.db):
            key, earlier = _idempotent(g.db, scope)
            if earlier:
                return json_response(document_detail(g.db, earlier), 200)
            doc_id = new_id()
            code = (body.get("dossierCode") or "").strip()
            g.db.execute(
                "INSERT INTO documents (id, summary, form, urgency, dossier_code, status, folder, drafting_unit,"
                " created_at, created_by, search_text) VALUES (?,?,?,?,?,'draft','drafts',?,?,?,?)",
                (
                    doc_id,
                    summary,
                    body.get("form") or "Công văn",
                    body.get("urgency") or "Thường",
                    code,
                    g.user.unit,
                    now_iso(),
                    g.user.username,
                    fold(f"{summary} {code}"),
                ),
            )
            for item in attachments:
                if not isinstance(item, dict):
                    raise ApiError(400, "bad_request", "Mỗi tệp đính kèm phải là một đối tượng.")
                add_attachment(
                    doc_id,
                    item.get("fileId"),
                    item.get("filename"),
                    item.get("kind") or "source",
                    role=item.get("role"),
                )
            _history(g.db, doc_id, "Tạo dự thảo", f"Nhận từ iGate, hồ sơ {code}" if code else "")
            _remember(g.db, scope, key, doc_id)
            detail = document_detail(g.db, doc_id)
        return json_response(detail, 201)

    @app.post(prefix + "/documents/<doc_id>/attachments")
    def create_attachment(doc_id):
        body = json_body()
        scope = f"attachments:{doc_id}"
        with write_transaction(g.db):
            load_document(doc_id)
            key, earlier = _idempotent(g.db, scope)
            if earlier:
                row = g.db.execute("SELECT * FROM attachments WHERE id = ?", (earlier,)).fetchone()
                return json_response(_attachment_json(g.db, row), 200)
            att_id = add_attachment(
                doc_id, body.get("fileId"), body.get("filename"), body.get("kind") or "draft", role=body.get("role")
            )
            _history(g.db, doc_id, "Thêm tệp đính kèm", body.get("filename") or "")
            _remember(g.db, scope, key, att_id)
            row = g.db.execute("SELECT * FROM attachments WHERE id = ?", (att_id,)).fetchone()
            result = _attachment_json(g.db, row)
        return json_response(result, 201)

    @app.patch(prefix + "/documents/<doc_id>/attachments/<att_id>")
    def change_attachment(doc_id, att_id):
        body = json_body()
        with write_transaction(g.db):
            doc = load_document(doc_id)
            row = g.db.execute(
                "SELECT * FROM attachments WHERE id = ? AND document_id = ?", (att_id, doc_id)
            ).fetchone()
            if row is None:
                raise ApiError(404, "not_found", "Không tìm thấy tệp đính kèm.")
            role = check_role(body.get("role"), row["kind"])
            if role != row["role"] and doc["status"] == "released":
                raise ApiError(409, "wrong_step", "Văn bản đã phát hành, không đổi được vai trò tệp.")
            if role == "main":
                # One main document: the earlier one stays in the draft as a reference.
                g.db.execute(
                    "UPDATE attachments SET role = 'reference' WHERE document_id = ? AND role = 'main' AND id != ?",
                    (doc_id, att_id),
                )
            g.db.execute("UPDATE attachments SET role = ? WHERE id = ?", (role, att_id))
            if role != row["role"]:
                _history(g.db, doc_id, "Đổi vai trò tệp", f"{row['filename']}: {role}")
            result = _attachment_json(
                g.db, g.db.execute("SELECT * FROM attachments WHERE id = ?", (att_id,)).fetchone()
            )
        return json_response(result)

    @app.post(prefix + "/documents/<doc_id>/number")
    def register_number(doc_id):
        require_clerk()
        body = json_body()
        number, released_on, match = _number_and_date(body)
        with write_transaction(g.db):
            doc = load_document(doc_id)
            if doc["status"] == "released":
                raise ApiError(409, "wrong_step", "Văn bản đã được phát hành.")
            if doc["status"] not in ("signed", "with-clerk"):
                raise ApiError(409, "wrong_step", "Văn bản chưa được lãnh đạo ký, chưa thể cấp số.")
            _check_free(g.db, number, released_on.year, doc_id)
            _check_in_sequence(g.db, doc, number, released_on.year, match)
            # Before release the clerk may correct the number; the earlier one is free again.
            _free_earlier(g.db, doc, number, released_on.year)
            g.db.execute(
                "UPDATE documents SET number = ?, number_year = ?, release_date = ?,"
                " search_text = search_text || ' ' || ? WHERE id = ?",
                (number, released_on.year, released_on.isoformat(), fold(number), doc_id),
            )
            _bump_register(g.db, match.group(2), released_on.year, int(match.group(1)))
            if doc["number"] != number:
                _history(g.db, doc_id, "Cấp số", f"{number}, ngày {released_on.strftime('%d/%m/%Y')}")
            detail = document_detail(g.db, doc_id)
        return json_response(detail)

    @app.post(prefix + "/documents/<doc_id>/attachments/<att_id>/versions")
    def create_version(doc_id, att_id):
        body = json_body()
        note = str(body.get("note") or "")
        scope = f"versions:{att_id}"
        with write_transaction(g.db):
            doc = load_document(doc_id)
            if (
                g.db.execute("SELECT 1 FROM attachments WHERE id = ? AND document_id = ?", (att_id, doc_id)).fetchone()
                is None
            ):
                raise ApiError(404, "not_found", "Không tìm thấy tệp đính kèm.")
            key, earlier = _idempotent(g.db, scope)
            if earlier:
                return json_response(_version_row(g.db, att_id, int(earlier)), 200)
            check_file(body.get("fileId"))
            version = g.db.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE attachment_id = ?", (att_id,)
            ).fetchone()[0]
            g.db.execute(
                "INSERT INTO versions (attachment_id, version, file_id, created_at, created_by, note)"
                " VALUES (?,?,?,?,?,?)",
                (att_id, version, body["fileId"], now_iso(), g.user.username, note),
            )
            _apply_signing_note(g.db, doc, note)
            _remember(g.db, scope, key, str(version))
            result = _version_row(g.db, att_id, version)
        return json_response(result, 201)

    @app.get(prefix + "/result-files")
    def result_files():
        code = request.args.get("dossierCode", "").strip()
        rows = g.db.execute(
            "SELECT d.id AS document_id, d.summary, a.id AS attachment_id, a.filename, v.version, v.file_id,"
            " f.size, f.sha256 FROM documents d JOIN attachments a ON a.document_id = d.id"
            " JOIN versions v ON v.attachment_id = a.id JOIN files f ON f.id = v.file_id"
            " WHERE d.dossier_code = ? AND a.kind = 'result'"
            " AND v.version = (SELECT MAX(version) FROM versions WHERE attachment_id = a.id)"
            " ORDER BY d.created_at, a.ord",
            (code,),
        ).fetchall()
        return json_response(
            {
                "items": [
                    {
                        "documentId": r["document_id"],
                        "documentSummary": r["summary"],
                        "attachmentId": r["attachment_id"],
                        "version": r["version"],
                        "fileId": r["file_id"],
                        "filename": r["filename"],
                        "size": r["size"],
                        "sha256": r["sha256"],
                    }
                    for r in rows
                ]
            }
        )

    @app.post(prefix + "/documents/<doc_id>/forward")
    def forward(doc_id):
        body = json_body()
        to, note = body.get("to"), str(body.get("note") or "")
        if to not in ("leader", "clerk"):
            raise ApiError(400, "bad_request", "'to' phải là leader hoặc clerk.")
        with write_transaction(g.db):
            doc = load_document(doc_id)
            if doc["status"] == "released":
                raise ApiError(409, "wrong_step", "Văn bản đã phát hành, không thể chuyển tiếp.")
            if to == "clerk":
                g.db.execute(
                    "UPDATE documents SET status = 'with-clerk', folder = 'outgoing-processing' WHERE id = ?", (doc_id,)
                )
                _history(g.db, doc_id, "Chuyển Văn thư", note)
            else:
                g.db.execute("UPDATE documents SET folder = 'outgoing-processing' WHERE id = ?", (doc_id,))
                _history(g.db, doc_id, "Chuyển lãnh đạo ký", note)
            detail = document_detail(g.db, doc_id)
        return json_response(detail)

    @app.get(prefix + "/numbers/next")
    def next_number():
        require_clerk()
        symbol = request.args.get("symbol", "").strip()
        if not symbol or "/" in symbol:
            raise ApiError(400, "bad_request", "Thiếu ký hiệu văn bản ('symbol').")
        year = int_arg("year", date.today().year, minimum=2000, maximum=2100)
        row = g.db.execute("SELECT seq FROM numbers WHERE symbol = ? AND year = ?", (symbol, year)).fetchone()
        seq = (row["seq"] if row else 0) + 1
        return json_response({"number": f"{seq:02d}/{symbol}", "seq": seq})

    @app.post(prefix + "/documents/<doc_id>/release")
    def release(doc_id):
        require_clerk()
        number, released_on, match = _number_and_date(json_body())
        with write_transaction(g.db):
            doc = load_document(doc_id)
            if doc["status"] == "released":
                raise ApiError(409, "wrong_step", "Văn bản đã được phát hành.")
            if doc["status"] not in ("signed", "with-clerk"):
                raise ApiError(409, "wrong_step", "Văn bản chưa được lãnh đạo ký, chưa thể phát hành.")
            _check_free(g.db, number, released_on.year, doc_id)
            if doc["number"] and doc["number"] != number:
                raise ApiError(409, "already_numbered", f"Văn bản đã được cấp số {doc['number']}.")
            _check_in_sequence(g.db, doc, number, released_on.year, match)
            g.db.execute(
                "UPDATE documents SET status = 'released', folder = 'outgoing-tracking', number = ?,"
                " number_year = ?, release_date = ?, search_text = search_text || ' ' || ? WHERE id = ?",
                (number, released_on.year, released_on.isoformat(), fold(number), doc_id),
            )
            _bump_register(g.db, match.group(2), released_on.year, int(match.group(1)))
            _history(g.db, doc_id, "Phát hành", number)
            detail = document_detail(g.db, doc_id)
        return json_response(detail)

    @app.post(prefix + "/documents/<doc_id>/igate-transfers")
    def igate_transfer(doc_id):
        body = json_body()
        code = (body.get("dossierCode") or "").strip()
        att_ids = body.get("attachmentIds") or []
        file_ids = body.get("igateFileIds") or []
        if not code or not isinstance(att_ids, list) or not isinstance(file_ids, list):
            raise ApiError(400, "bad_request", "Cần 'dossierCode', 'attachmentIds' và 'igateFileIds'.")
        scope = f"transfers:{doc_id}"
        with write_transaction(g.db):
            load_document(doc_id)
            key, earlier = _idempotent(g.db, scope)
            if earlier:
                return json_response(_transfer_json(g.db, earlier), 200)
            for att in att_ids:
                if (
                    g.db.execute("SELECT 1 FROM attachments WHERE id = ? AND document_id = ?", (att, doc_id)).fetchone()
                    is None
                ):
                    raise ApiError(404, "not_found", f"Không tìm thấy tệp đính kèm {att}.")
            transfer_id = new_id()
            g.db.execute(
                "INSERT INTO igate_transfers (id, document_id, dossier_code, attachment_ids, igate_file_ids,"
                " time, actor) VALUES (?,?,?,?,?,?,?)",
                (transfer_id, doc_id, code, json.dumps(att_ids), json.dumps(file_ids), now_iso(), g.user.username),
            )
            _history(g.db, doc_id, "Chuyển đến phần mềm iGate", f"Hồ sơ {code}: {len(att_ids)} tệp")
            _remember(g.db, scope, key, transfer_id)
            result = _transfer_json(g.db, transfer_id)
        return json_response(result, 201)

    return app


def _number_and_date(body: dict) -> tuple[str, date, re.Match]:
    number = str(body.get("number") or "").strip()
    match = NUMBER_RE.match(number)
    try:
        released_on = date.fromisoformat(str(body.get("date") or ""))
    except ValueError:
        raise ApiError(400, "bad_request", "Ngày phát hành ('date') phải có dạng YYYY-MM-DD.") from None
    if not match:
        raise ApiError(400, "bad_request", "Số văn bản phải có dạng 06/KH-STTTT.")
    return number, released_on, match


def _check_free(conn, number: str, year: int, doc_id: str) -> None:
    taken = conn.execute(
        "SELECT 1 FROM documents WHERE number = ? AND number_year = ? AND id != ?", (number, year, doc_id)
    ).fetchone()
    if taken:
        raise ApiError(409, "number_taken", f"Số {number} đã được dùng trong năm {year}.")


def _check_in_sequence(conn, doc, number: str, year: int, match: re.Match) -> None:
    """The register gives numbers in order: the next one, or one a correction gave back; never one
    behind the counter that was skipped or used, nor one that leaves a gap."""
    if doc["number"] == number and doc["number_year"] == year:
        return
    seq, symbol = int(match.group(1)), match.group(2)
    row = conn.execute("SELECT seq FROM numbers WHERE symbol = ? AND year = ?", (symbol, year)).fetchone()
    current = row["seq"] if row else 0
    if seq == current + 1:
        return
    freed = conn.execute(
        "SELECT 1 FROM freed_numbers WHERE symbol = ? AND year = ? AND seq = ?", (symbol, year, seq)
    ).fetchone()
    if seq <= current and freed:
        conn.execute("DELETE FROM freed_numbers WHERE symbol = ? AND year = ? AND seq = ?", (symbol, year, seq))
        return
    raise ApiError(
        409, "number_out_of_sequence",
        f"Số {number} không theo thứ tự của sổ đăng ký năm {year}: số tiếp theo là {current + 1:02d}/{symbol}.",
    )


def _free_earlier(conn, doc, number: str, year: int) -> None:
    earlier = NUMBER_RE.match(doc["number"] or "")
    if earlier is None or (doc["number"] == number and doc["number_year"] == year):
        return
    conn.execute(
        "INSERT OR IGNORE INTO freed_numbers (symbol, year, seq) VALUES (?,?,?)",
        (earlier.group(2), doc["number_year"], int(earlier.group(1))),
    )


def _bump_register(conn, symbol: str, year: int, seq: int) -> None:
    conn.execute(
        "INSERT INTO numbers (symbol, year, seq) VALUES (?,?,?) ON CONFLICT(symbol, year)"
        " DO UPDATE SET seq = MAX(seq, excluded.seq)",
        (symbol, year, seq),
    )


def _version_row(conn, att_id: str, version: int) -> dict:
    row = conn.execute(
        "SELECT v.*, f.size, f.sha256 FROM versions v JOIN files f ON f.id = v.file_id"
        " WHERE v.attachment_id = ? AND v.version = ?",
        (att_id, version),
    ).fetchone()
    return _version_json(row)


def _apply_signing_note(conn, doc: sqlite3.Row, note: str) -> None:
    """Signing is implied by the upload's note: "signed:..." -> signed, "initialed" -> initialed,
    "sealed" (the clerk's organization signature) leaves the status as it is."""
    label = note.split(":", 1)[0].strip().lower()
    if label == "signed" and doc["status"] in ("draft", "initialed"):
        conn.execute("UPDATE documents SET status = 'signed' WHERE id = ?", (doc["id"],))
        _history(conn, doc["id"], "Ký số", "Lãnh đạo đã ký")
    elif label == "signed":
        _history(conn, doc["id"], "Ký số", note)
    elif label == "initialed":
        if doc["status"] == "draft":
            conn.execute("UPDATE documents SET status = 'initialed' WHERE id = ?", (doc["id"],))
        _history(conn, doc["id"], "Ký nháy", "")
    elif label == "sealed":
        _history(conn, doc["id"], "Ký số tổ chức", "Văn thư đóng dấu số")
    else:
        _history(conn, doc["id"], "Cập nhật tệp", note)


def _transfer_json(conn, transfer_id: str) -> dict:
    row = conn.execute("SELECT * FROM igate_transfers WHERE id = ?", (transfer_id,)).fetchone()
    return {
        "id": row["id"],
        "documentId": row["document_id"],
        "dossierCode": row["dossier_code"],
        "attachmentIds": json.loads(row["attachment_ids"]),
        "igateFileIds": json.loads(row["igate_file_ids"]),
        "time": row["time"],
    }
