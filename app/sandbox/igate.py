"""The sandbox iGate API, in the dialect provinces' DIGO servers speak (docs/api/igate.yaml).

Service-prefixed paths (`pa/`, `fi/`, `hu/`, `lo/`, `me/`), 0-based pages in the `spec=page` or
`spec=slice` form, ObjectIds, localized names, two status axes and BPM task flags. Where public
code shows nothing (attaching results, the files of earlier steps, comment fields) the sandbox
follows the adapter's documented guess.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any, Mapping

from flask import Flask, g, request, send_file

from app.sandbox import accounts, seed_data
from app.sandbox.api_common import ApiError, error_response, int_arg, json_body, json_response, setup_api
from app.sandbox.bearer import AccessTokenVerifier
from app.sandbox.blobs import BlobStore, TooLarge, get_file, new_id, now_iso
from app.sandbox.db import Database, write_transaction
from app.sandbox.seed import officer_name
from app.sandbox.text import fold

MAX_UPLOAD = 100 * 1024 * 1024
DOSSIER_GROUP = 1
SORTABLE = {"updatedDate": "updated_date", "appointmentDate": "appointment_date",
            "acceptedDate": "accepted_date", "code": "code"}
AGENCY = {"id": seed_data.AGENCY_ID, "code": seed_data.AGENCY_CODE, "name": accounts.ORGANIZATION}
AGENCY_LOCALIZED = [{"languageId": 228, "name": accounts.ORGANIZATION},
                    {"languageId": 46, "name": seed_data.AGENCY_NAME_EN}]


def digo_time(value: str | None) -> str | None:
    """ISO text as DIGO writes it: milliseconds and an offset without a colon (…000+0700)."""
    if not value:
        return None
    date, _, rest = value.partition("T")
    clock, sign, offset = rest[:8], rest[8:9], rest[9:].replace(":", "")
    return f"{date}T{clock}.000{sign}{offset}" if sign else f"{date}T{clock}.000+0000"


def file_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "filename": row["filename"], "size": row["size"], "uuid": "", "additionalFlag": 0,
            "updateCount": 0, "downloadURL": "",
            # Sandbox extensions: real servers were not seen sending a digest or a type.
            "sha256": row["sha256"], "mimeType": row["mime_type"]}


def _officer(officer_id: str | None) -> dict | None:
    if not officer_id:
        return None
    account = accounts.by_igate_id(officer_id)
    user: dict[str, Any] = {"id": officer_id, "fullname": officer_name(officer_id)}
    if account is not None:
        user["account"] = {"id": officer_id, "username": [{"value": account.username}]}
    return user


def _current_task(row: sqlite3.Row) -> list[dict]:
    stage = seed_data.STAGES[row["status"]]
    if not stage.step_name:
        return []
    return [{
        "id": row["id"][:16] + f"{row['status']:08x}",
        "isCurrent": 1, "isFirst": 0, "isLast": 0,
        "assignee": _officer(row["assignee_id"]),
        "agency": {"id": seed_data.AGENCY_ID, "code": seed_data.AGENCY_CODE, "name": AGENCY_LOCALIZED},
        "createdDate": digo_time(row["updated_date"]),
        "bpmProcessDefinitionTask": {
            "id": stage.step_id,
            "name": {"id": stage.step_id, "name": stage.step_name},
            "variable": dict(stage.variable),
        },
    }]


def dossier_json(row: sqlite3.Row) -> dict:
    stage = seed_data.STAGES[row["status"]]
    return {
        "id": row["id"],
        "code": row["code"],
        "nationCode": row["nation_code"],
        "procedure": {"id": row["procedure_id"], "code": row["procedure_code"],
                      "translate": {"languageId": 228, "name": row["procedure_name"]}},
        "applicant": {"eformId": seed_data.EFORM_ID,
                      "data": {"fullname": row["applicant_name"], "phoneNumber": row["applicant_phone"],
                               "address": row["applicant_address"]}},
        "agency": AGENCY,
        "applyMethod": seed_data.APPLY_METHOD,
        "acceptedDate": digo_time(row["accepted_date"]),
        "appointmentDate": digo_time(row["appointment_date"]),
        "dueDate": digo_time(row["appointment_date"]),
        "completedDate": digo_time(row["completed_date"]),
        "updatedDate": digo_time(row["updated_date"]),
        "dossierStatus": {"id": stage.status_id, "name": stage.status_name},
        "dossierTaskStatus": {"id": stage.task_status_id, "name": stage.task_status_name},
        "statusCurrentTask": stage.task_status_name,
        "currentTask": _current_task(row),
    }


def dossier_detail(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    body = dossier_json(row)
    stage = seed_data.STAGES[row["status"]]
    # The stored dossier names its task status in every language.
    body["dossierTaskStatus"]["name"] = [{"languageId": 228, "name": stage.task_status_name},
                                         {"languageId": 46, "name": stage.task_status_name_en}]
    forms = []
    for comp in conn.execute("SELECT * FROM components WHERE dossier_id = ? ORDER BY ord", (row["id"],)):
        files = conn.execute(
            "SELECT f.* FROM component_files cf JOIN files f ON f.id = cf.file_id"
            " WHERE cf.component_id = ? ORDER BY cf.ord", (comp["id"],)).fetchall()
        forms.append({"id": comp["id"], "procedureForm": {"id": comp["id"], "name": comp["name"]},
                      "requirement": {"typeName": "Bản chính", "quantity": 1}, "case": seed_data.CASE_ID,
                      "file": [file_json(f) for f in files]})
    results = _result_files(conn, row["id"])
    if results:
        forms.append({"id": row["id"][:20] + "0kq0", "procedureForm": dict(seed_data.RESULT_FORM), "file": results})
    body["dossierFormFile"] = forms
    steps: dict[str, list[dict]] = {}
    for r in conn.execute("SELECT s.step, f.* FROM step_files s JOIN files f ON f.id = s.file_id"
                          " WHERE s.dossier_id = ? ORDER BY s.ord", (row["id"],)):
        steps.setdefault(r["step"], []).append(file_json(r))
    body["task"] = [
        {"id": f"{row['id'][:20]}{i:04x}", "isCurrent": 0, "isFirst": int(i == 0),
         "bpmProcessDefinitionTask": {"name": {"name": step}}, "attachment": files}
        for i, (step, files) in enumerate(steps.items())
    ] + body["currentTask"]
    body["eForm"] = {"id": seed_data.EFORM_ID, "data": {"noidungyeucaugiaiquyet": row["procedure_name"]}}
    return body


def _result_files(conn: sqlite3.Connection, dossier_id: str) -> list[dict]:
    return [file_json(r) for r in conn.execute(
        "SELECT f.* FROM result_files r JOIN files f ON f.id = r.file_id WHERE r.dossier_id = ?"
        " ORDER BY r.ord", (dossier_id,))]


def _comment_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "groupId": row["group_id"], "itemId": row["item_id"],
            "user": {"id": row["user_id"], "fullname": row["user_name"]}, "content": row["content"],
            "createdDate": digo_time(row["created_date"])}


def _spring_page(content: list, page: int, size: int, total: int, spec: str) -> dict:
    last = (page + 1) * size >= total
    body = {"content": content, "pageable": {"pageNumber": page, "pageSize": size, "offset": page * size,
                                             "paged": True, "unpaged": False},
            "last": last, "first": page == 0, "numberOfElements": len(content), "size": size, "number": page,
            "empty": not content}
    if spec == "page":
        body["totalPages"] = math.ceil(total / size)
    return body


def search_terms(args: Mapping[str, str]) -> tuple[str, str, list[str | int]]:
    """The WHERE clause (with its leading space, or empty), the ORDER BY terms and the parameters
    of a `pa/dossier/search` request; ApiError for a parameter DIGO would refuse."""
    where: list[str] = []
    params: list[str | int] = []
    scope = args.get("ancestor-agency-id", "")
    if scope and scope not in (seed_data.AGENCY_ID, seed_data.PROVINCE_AGENCY["id"]):
        where.append("0")  # another agency's tree: nothing of ours
    if args.get("code"):
        where.append("code LIKE ?")
        params.append(f"%{args['code'].strip()}%")
    for name, column in (("code-match", "code"), ("nation-code-match", "nation_code")):
        if args.get(name):
            where.append(f"{column} = ?")
            params.append(args[name].strip())
    for word in fold(args.get("applicant-name", "")).split():
        where.append("applicant_fold LIKE ?")
        params.append(f"%{word}%")
    statuses = args.get("dossier-status", "")
    if statuses:
        try:
            ids = [int(s) for s in statuses.split(",") if s.strip()]
        except ValueError:
            raise ApiError(400, "bad_request", "Tham số 'dossier-status' không hợp lệ.") from None
        where.append(f"status IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    task_status = args.get("task-status-id", "")
    if task_status:
        ids = [s.status_id for s in seed_data.STAGES.values() if s.task_status_id == task_status]
        where.append(f"status IN ({','.join('?' * len(ids))})" if ids else "0")
        params.extend(ids)
    assignee = args.get("task-assignee-id") or args.get("assignee-id") or ""
    if assignee:
        where.append("assignee_id = ?")
        params.append(assignee)
    field, _, direction = args.get("sort", "updatedDate,desc").partition(",")
    if field not in SORTABLE or direction.lower() not in ("", "asc", "desc"):
        raise ApiError(400, "bad_request", "Tham số 'sort' không hợp lệ.")
    order = f"{SORTABLE[field]} {direction.upper() or 'ASC'}, code DESC"
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return clause, order, params


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

    @app.get("/hu/user/<user_id>/--fully")
    def user_fully(user_id):
        account = accounts.by_igate_id(user_id)
        name = officer_name(user_id)
        if not name:
            raise ApiError(404, "not_found", "Không tìm thấy người dùng.")
        unit = account.unit if account else "Bộ phận Một cửa"
        return json_response({
            "id": user_id, "fullname": name, "type": 3,
            "account": {"id": user_id, "username": [{"value": account.username if account else "", "type": 3}]},
            "email": [{"value": account.email}] if account else [],
            "experience": [{
                "agency": {"id": seed_data.UNIT_IDS[unit], "name": unit,
                           "parent": {"id": seed_data.AGENCY_ID, "code": seed_data.AGENCY_CODE,
                                      "name": accounts.ORGANIZATION}},
                "position": {"id": seed_data.UNIT_IDS[unit][:-2] + "99",
                             "name": account.title if account else "Công chức tiếp nhận hồ sơ và TKQ"},
                "primary": True,
            }],
        })

    @app.get("/pa/dossier/search")
    def search():
        spec = request.args.get("spec", "page")
        if spec not in ("page", "slice"):
            raise ApiError(400, "bad_request", "Tham số 'spec' phải là 'page' hoặc 'slice'.")
        page = int_arg("page", 0, minimum=0, maximum=1_000_000)
        size = int_arg("size", 20, minimum=1, maximum=200)
        clause, order, params = search_terms(request.args)
        total = g.db.execute(f"SELECT COUNT(*) FROM dossiers{clause}", params).fetchone()[0]
        rows = g.db.execute(f"SELECT * FROM dossiers{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*params, size, page * size]).fetchall()
        return json_response(_spring_page([dossier_json(r) for r in rows], page, size, total, spec))

    @app.get("/pa/dossier/<dossier_id>/--online")
    def dossier_online(dossier_id):
        return json_response(dossier_detail(g.db, load_dossier(dossier_id)))

    @app.put("/pa/dossier/<dossier_id>")
    def update_dossier(dossier_id):
        """Only new files in the result entry of dossierFormFile are taken; the rest is ignored."""
        body = json_body()
        forms = body.get("dossierFormFile")
        if not isinstance(forms, list) or not all(isinstance(f, dict) for f in forms):
            raise ApiError(400, "bad_request", "'dossierFormFile' phải là một danh sách.")
        wanted = [f for form in forms if _d(form.get("procedureForm")).get("id") == seed_data.RESULT_FORM["id"]
                  for f in form.get("file") or ()]
        if not all(isinstance(f, dict) and f.get("id") for f in wanted):
            raise ApiError(400, "bad_request", "Mỗi tệp trong 'file' phải có 'id'.")
        with write_transaction(g.db):
            row = load_dossier(dossier_id)
            present = {r["file_id"] for r in g.db.execute(
                "SELECT file_id FROM result_files WHERE dossier_id = ?", (dossier_id,))}
            new = [f for f in dict((f["id"], f) for f in wanted).values() if f["id"] not in present]
            stage = seed_data.STAGES[row["status"]]
            if new and not dict(stage.variable).get("canUploadResult"):
                raise ApiError(409, "wrong_step", "Bước xử lý hiện tại không cho phép đính kèm kết quả "
                                                  f"(hồ sơ đang: {stage.status_name}).")
            order = len(present)
            for f in new:
                if get_file(g.db, f["id"], "igate") is None:
                    raise ApiError(404, "not_found", f"Không tìm thấy tệp {f['id']} trên iGate.")
                g.db.execute("INSERT INTO result_files (dossier_id, file_id, source_ref, ord, created_at)"
                             " VALUES (?,?,?,?,?)", (dossier_id, f["id"], None, order, now_iso()))
                g.db.execute(
                    "INSERT INTO igate_history (dossier_id, time, user_id, user_name, field, original, value)"
                    " VALUES (?,?,?,?,?,?,?)", (dossier_id, now_iso(), g.user.igate_id, g.user.full_name,
                                                "lang.word.result-file", "", str(f.get("filename") or f["id"])))
                order += 1
            if new:
                g.db.execute("UPDATE dossiers SET updated_date = ? WHERE id = ?", (now_iso(), dossier_id))
            row = load_dossier(dossier_id)
        return json_response(dossier_detail(g.db, row))

    @app.post("/fi/file/--multiple")
    def upload_multiple():
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

    @app.post("/fi/file/")
    def upload_single():
        part = request.files.get("file")
        if part is None:
            raise ApiError(400, "bad_request", "Thiếu tệp (phần 'file').")
        try:
            row = blobs.save_stream(g.db, part.stream, part.filename or "tep-tin", system="igate",
                                    owner=g.user.username, max_bytes=MAX_UPLOAD)
        except TooLarge:
            return error_response(413, "file_too_large", "Tệp quá lớn; giới hạn là 100 MB.")
        return json_response(file_json(row))

    @app.get("/fi/file/<file_id>")
    def download(file_id):
        row = get_file(g.db, file_id, "igate")
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy tệp.")
        return send_blob(blobs, row)

    @app.get("/fi/file/<file_id>/filename+size")
    def file_meta(file_id):
        row = get_file(g.db, file_id, "igate")
        if row is None:
            raise ApiError(404, "not_found", "Không tìm thấy tệp.")
        return json_response({"filename": row["filename"], "size": row["size"]})

    @app.get("/lo/history")
    def history():
        page = int_arg("page", 0, minimum=0, maximum=1_000_000)
        size = int_arg("size", 20, minimum=1, maximum=200)
        if int_arg("group-id", 0, minimum=0, maximum=1_000) != DOSSIER_GROUP:
            return json_response(_spring_page([], page, size, 0, "slice"))
        item = request.args.get("item-id", "")
        total = g.db.execute("SELECT COUNT(*) FROM igate_history WHERE dossier_id = ?", (item,)).fetchone()[0]
        rows = g.db.execute("SELECT * FROM igate_history WHERE dossier_id = ? ORDER BY time, id LIMIT ? OFFSET ?",
                            (item, size, page * size)).fetchall()
        content = [{"id": f"{r['id']:024x}", "groupId": DOSSIER_GROUP, "itemId": r["dossier_id"],
                    "user": {"id": r["user_id"], "name": r["user_name"]}, "createdDate": digo_time(r["time"]),
                    "action": [{"fieldNameRbk": r["field"], "originalValue": r["original"], "newValue": r["value"]}]}
                   for r in rows]
        return json_response(_spring_page(content, page, size, total, "slice"))

    @app.post("/me/comment")
    def add_comment():
        body = json_body()
        group, item, content = body.get("groupId"), body.get("itemId"), body.get("content")
        if group != DOSSIER_GROUP or not isinstance(item, str) or not isinstance(content, str) or not content.strip():
            raise ApiError(400, "bad_request", "Cần 'groupId' (1 = hồ sơ), 'itemId' và 'content'.")
        with write_transaction(g.db):
            load_dossier(item)
            comment_id = new_id()
            g.db.execute("INSERT INTO comments (id, group_id, item_id, user_id, user_name, content, created_date)"
                         " VALUES (?,?,?,?,?,?,?)",
                         (comment_id, group, item, g.user.igate_id, g.user.full_name, content, now_iso()))
            row = g.db.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()
        return json_response(_comment_json(row), 201)

    @app.get("/me/comment")
    def list_comments():
        rows = g.db.execute("SELECT * FROM comments WHERE group_id = ? AND item_id = ? ORDER BY created_date, rowid",
                            (int_arg("group-id", 0, minimum=0, maximum=1_000), request.args.get("item-id", ""))
                            ).fetchall()
        return json_response({"content": [_comment_json(r) for r in rows], "last": True})

    return app


def _d(obj) -> dict:
    return obj if isinstance(obj, dict) else {}


def send_blob(blobs: BlobStore, row: sqlite3.Row):
    """Stream a stored file with its size, type and SHA-256 in the headers."""
    response = send_file(blobs.path_for(row), mimetype=row["mime_type"], as_attachment=True,
                         download_name=row["filename"], conditional=False, etag=False)
    response.headers["X-Checksum-SHA256"] = row["sha256"]
    response.headers["Content-Length"] = str(row["size"])
    return response
