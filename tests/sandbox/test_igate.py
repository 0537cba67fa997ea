"""The sandbox iGate API against the contract."""

from __future__ import annotations

import hashlib
import re
import socket
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from app.sandbox import accounts, seed_data
from app.sandbox.igate import SORTABLE, search_terms

CODE_RE = re.compile(r"^000\.00\.20\.H09-\d{6}-\d{4}$")
DIGO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000[+-]\d{4}$")
HOA = accounts.by_username("hoant").igate_id
PROCESSING, WAITING, RETURNED = seed_data.PROCESSING, seed_data.WAITING, seed_data.RETURNED


def _time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


def test_unlinked_account_is_refused_by_igate_but_not_idesk(igate_as, idesk_as):
    answer = igate_as("khanhdq").get(f"hu/user/{HOA}/--fully")
    assert answer.status_code == 401
    assert answer.json() == {"error": "unauthenticated", "message": "ERR: Không thể xác thực người dùng!"}
    assert idesk_as("khanhdq").get("me").status_code == 200


def test_invalid_token_is_401_with_header(sandbox):
    import requests

    for headers in ({}, {"Authorization": "Bearer abc.def.ghi"}):
        answer = requests.get(sandbox.igate_url + "pa/dossier/search", headers=headers, timeout=10)
        assert answer.status_code == 401
        assert answer.json()["error"] == "invalid_token"
        assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_user_fully_gives_the_agency_scope(igate_as):
    me = igate_as("hoant").get(f"hu/user/{HOA}/--fully").json()
    assert me["id"] == HOA and me["fullname"] == "Nguyễn Thị Hoa"
    assert me["account"]["username"] == [{"value": "hoant", "type": 3}]
    [experience] = me["experience"]
    assert experience["primary"] and experience["position"]["name"] == "Chuyên viên"
    assert experience["agency"]["parent"]["id"] == seed_data.AGENCY_ID
    other = igate_as("hoant").get(f"hu/user/{seed_data.OTHER_OFFICERS[0][0]}/--fully").json()
    assert other["fullname"] == "Trần Minh Đức"
    assert igate_as("hoant").get("hu/user/6541a2c0e4b0a1d2c3f4ffff/--fully").status_code == 404


def test_seed_has_realistic_dossiers(igate_as):
    api = igate_as("hoant")
    page = api.get("pa/dossier/search", params={"spec": "page", "size": 200}).json()
    assert "totalElements" not in page and page["totalPages"] == 1 and page["last"]
    dossiers = page["content"]
    assert len(dossiers) >= 40
    assert {d["dossierStatus"]["id"] for d in dossiers} == {PROCESSING, WAITING, RETURNED}
    assert {d["dossierTaskStatus"]["name"] for d in dossiers} == {"Đang xử lý", "Chờ trả kết quả", "Đã trả kết quả"}
    assert all(CODE_RE.match(d["code"]) and re.match(r"^[0-9a-f]{24}$", d["id"]) for d in dossiers)
    assert all(DIGO_TIME.match(d["acceptedDate"]) and d["acceptedDate"].endswith("+0700") for d in dossiers)
    names = {d["procedure"]["translate"]["name"] for d in dossiers}
    assert {"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Đăng ký hộ kinh doanh", "Cấp phép hoạt động in"} <= names
    assert all(d["applicant"]["data"]["fullname"] and d["agency"]["id"] == seed_data.AGENCY_ID for d in dossiers)
    steps = {d["currentTask"][0]["bpmProcessDefinitionTask"]["name"]["name"] for d in dossiers if d["currentTask"]}
    assert steps == {"Chuyên viên thụ lý hồ sơ", "Một cửa trả kết quả"}
    processing = [d for d in dossiers if d["dossierStatus"]["id"] == PROCESSING]
    assert all(d["currentTask"][0]["bpmProcessDefinitionTask"]["variable"]["canConnectedIOffice"] for d in processing)
    returned = [d for d in dossiers if d["dossierStatus"]["id"] == RETURNED]
    assert all(d["currentTask"] == [] and d["completedDate"] for d in returned)
    mine = [d for d in dossiers if d["currentTask"] and d["currentTask"][0]["assignee"]["id"] == HOA]
    assert len(mine) > len(dossiers) / 3
    now = datetime.now().astimezone()
    overdue = [d for d in dossiers if not d["completedDate"] and _time(d["appointmentDate"]) < now]
    assert overdue


def test_search_filters_by_status_task_status_and_assignee(igate_as):
    api = igate_as("hoant")
    page = api.get("pa/dossier/search", params={"dossier-status": f"{PROCESSING},{WAITING}",
                                               "task-assignee-id": HOA, "size": 200}).json()
    assert page["content"]
    assert all(d["dossierStatus"]["id"] in (PROCESSING, WAITING) for d in page["content"])
    assert all(d["currentTask"][0]["assignee"]["fullname"] == "Nguyễn Thị Hoa" for d in page["content"])
    everyone = api.get("pa/dossier/search", params={"dossier-status": f"{PROCESSING},{WAITING}", "size": 200}).json()
    assert len(everyone["content"]) > len(page["content"])
    waiting_task = seed_data.STAGES[WAITING].task_status_id
    by_task = api.get("pa/dossier/search", params={"task-status-id": waiting_task, "size": 200}).json()["content"]
    assert by_task and all(d["dossierTaskStatus"]["id"] == waiting_task for d in by_task)
    elsewhere = api.get("pa/dossier/search", params={"ancestor-agency-id": "6541a2c0e4b0a1d2c3f4ffff"}).json()
    assert elsewhere["content"] == []
    ours = api.get("pa/dossier/search", params={"ancestor-agency-id": seed_data.AGENCY_ID, "isAgencySearch": "true"})
    assert ours.json()["content"]


def test_search_by_code_code_match_and_applicant(igate_as):
    api = igate_as("hoant")
    some = api.get("pa/dossier/search", params={"size": 1}).json()["content"][0]
    exact = api.get("pa/dossier/search", params={"spec": "slice", "size": 2, "code-match": some["code"]}).json()
    assert [d["id"] for d in exact["content"]] == [some["id"]] and exact["last"] and "totalPages" not in exact
    assert api.get("pa/dossier/search", params={"code-match": some["code"][:-1]}).json()["content"] == []
    partial = api.get("pa/dossier/search", params={"code": some["code"][:-1], "size": 200}).json()["content"]
    assert some["id"] in {d["id"] for d in partial}
    national = api.get("pa/dossier/search", params={"nation-code-match": some["nationCode"]}).json()["content"]
    assert [d["id"] for d in national] == [some["id"]]
    applicant = some["applicant"]["data"]["fullname"]
    found = api.get("pa/dossier/search", params={"applicant-name": applicant, "size": 200}).json()
    assert some["id"] in {d["id"] for d in found["content"]}
    assert api.get("pa/dossier/search", params={"code": "khong-co-ma-nay"}).json()["content"] == []


def test_search_paging_is_zero_based_and_complete(igate_as):
    api = igate_as("hoant")
    first = api.get("pa/dossier/search", params={"spec": "page", "page": 0, "size": 7}).json()
    assert first["pageable"]["pageNumber"] == 0 and first["size"] == 7 and not first["last"]
    seen = []
    for page in range(first["totalPages"]):
        body = api.get("pa/dossier/search", params={"page": page, "size": 7}).json()
        seen += [d["id"] for d in body["content"]]
        assert body["last"] == (page == first["totalPages"] - 1)
    assert len(seen) == len(set(seen)) > 40
    beyond = api.get("pa/dossier/search", params={"page": first["totalPages"], "size": 7}).json()
    assert beyond["content"] == []
    sliced, page = [], 0
    while True:
        body = api.get("pa/dossier/search", params={"spec": "slice", "page": page, "size": 9}).json()
        sliced += [d["id"] for d in body["content"]]
        if body["last"]:
            break
        page += 1
    assert sliced == seen
    assert api.get("pa/dossier/search", params={"size": 0}).status_code == 400
    assert api.get("pa/dossier/search", params={"spec": "all"}).status_code == 400
    assert api.get("pa/dossier/search", params={"sort": "fullname,asc"}).status_code == 400
    by_due = api.get("pa/dossier/search", params={"sort": "appointmentDate,asc", "size": 200}).json()["content"]
    due = [_time(d["appointmentDate"]) for d in by_due]
    assert due == sorted(due)


@pytest.mark.parametrize("field", sorted(SORTABLE))
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_a_page_deep_in_the_whole_list_is_read_off_an_index(tmp_path, field, direction):
    """The app loads every dossier by pages of 200: without an index in the list's order, SQLite
    sorted the whole table again for each page (50 ms a page at 10,000 dossiers, 90 ms deep in)."""
    from app.sandbox.db import Database

    db = Database(tmp_path / "plan.db")
    db.create_schema()
    clause, order, params = search_terms({"sort": f"{field},{direction}"})
    with db.connection() as conn:
        plan = [row[3] for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM dossiers{clause} ORDER BY {order} LIMIT 200 OFFSET 9800", params)]
    db.close()
    assert any(step.startswith("SCAN dossiers USING INDEX") for step in plan), plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def _a_dossier(api, status: int) -> dict:
    params = {"dossier-status": str(status), "task-assignee-id": HOA, "size": 1}
    body = api.get("pa/dossier/search", params=params).json()
    if not body["content"]:
        body = api.get("pa/dossier/search", params={"dossier-status": str(status), "size": 1}).json()
    return api.get(f"pa/dossier/{body['content'][0]['id']}/--online").json()


def _results(detail: dict) -> list[dict]:
    return [
        f
        for form in detail["dossierFormFile"]
        if form["procedureForm"]["id"] == seed_data.RESULT_FORM["id"]
        for f in form["file"]
    ]


def test_dossier_detail(igate_as):
    api = igate_as("hoant")
    detail = _a_dossier(api, PROCESSING)
    forms = detail["dossierFormFile"]
    assert forms and all(f["file"] and f["procedureForm"]["name"] for f in forms)
    steps = [t for t in detail["task"] if t.get("attachment")]
    assert steps and steps[0]["bpmProcessDefinitionTask"]["name"]["name"] == "Tiếp nhận hồ sơ"
    assert detail["task"][-1] == detail["currentTask"][0]
    assert {x["languageId"] for x in detail["dossierTaskStatus"]["name"]} == {228, 46}
    f = forms[0]["file"][0]
    assert {"id", "filename", "size", "uuid", "additionalFlag", "updateCount", "downloadURL"} <= set(f)
    assert _results(detail) == []
    assert _results(_a_dossier(api, RETURNED))
    assert api.get("pa/dossier/6541a2c0e4b0a1d2c3f4ffff/--online").status_code == 404


def test_seeded_pdf_has_vietnamese_text(igate_as):
    import pymupdf

    api = igate_as("hoant")
    f = _a_dossier(api, PROCESSING)["dossierFormFile"][0]["file"][0]
    data = api.get(f"fi/file/{f['id']}").content
    text = pymupdf.open(stream=data)[0].get_text()
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_upload_and_download_with_checksum(igate_as):
    api = igate_as("hoant")
    payload = [
        ("files", ("kết quả.pdf", b"%PDF-1.7 first", "application/pdf")),
        ("files", ("b.txt", b"second file", "text/plain")),
    ]
    stored = api.post("fi/file/--multiple", files=payload)
    assert stored.status_code == 200
    first, second = stored.json()
    assert first["sha256"] == hashlib.sha256(b"%PDF-1.7 first").hexdigest() and first["size"] == 14
    assert first["filename"] == "kết quả.pdf"
    got = api.get(f"fi/file/{second['id']}")
    assert got.content == b"second file"
    assert got.headers["X-Checksum-SHA256"] == hashlib.sha256(b"second file").hexdigest()
    assert got.headers["Content-Length"] == "11"
    assert "attachment" in got.headers["Content-Disposition"]
    assert api.get("fi/file/nope").status_code == 404
    assert api.post("fi/file/--multiple", files={"other": ("x", b"x")}).status_code == 400


def test_50_mb_upload_and_download_stream(igate_as, tmp_path):
    api = igate_as("hoant")
    blob = tmp_path / "big.bin"
    chunk = bytes(range(256)) * 4096
    digest = hashlib.sha256()
    with open(blob, "wb") as out:
        for i in range(50):
            piece = chunk[i:] + chunk[:i]
            digest.update(piece)
            out.write(piece)
    with open(blob, "rb") as fh:
        stored = api.post("fi/file/--multiple", files={"files": ("big.bin", fh)}).json()[0]
    assert stored["size"] == 50 * len(chunk) and stored["sha256"] == digest.hexdigest()
    with api.get(f"fi/file/{stored['id']}", stream=True) as answer:
        received = hashlib.sha256()
        for part in answer.iter_content(1 << 20):
            received.update(part)
        assert answer.headers["X-Checksum-SHA256"] == received.hexdigest() == digest.hexdigest()


def test_too_large_upload_is_413(sandbox, session_tokens):
    parts = urlsplit(sandbox.igate_url)
    boundary = "xyz"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.bin"\r\n\r\n').encode()
    declared = 101 * 1024 * 1024 + 2 * 1024 * 1024
    request = (
        (
            f"POST /fi/file/--multiple HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {session_tokens('hoant').access}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {declared}\r\n\r\n"
        ).encode()
        + head
        + b"x" * 4096
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while b'"}' not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        answer = received.decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413")
    assert '"file_too_large"' in answer


def test_single_upload_and_file_metadata(igate_as):
    api = igate_as("hoant")
    stored = api.post("fi/file/", files={"file": ("giấy phép.pdf", b"%PDF-1.7 one")})
    assert stored.status_code == 200
    body = stored.json()
    assert body["filename"] == "giấy phép.pdf" and body["size"] == 12
    assert api.get(f"fi/file/{body['id']}/filename+size").json() == {"filename": "giấy phép.pdf", "size": 12}
    assert api.get("fi/file/nope/filename+size").status_code == 404
    assert api.post("fi/file/", files={"files": ("x", b"x")}).status_code == 400


def test_results_are_attached_by_saving_the_dossier(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, WAITING)
    before = len(_results(dossier))
    f = api.post("fi/file/--multiple", files={"files": ("ket-qua.pdf", b"%PDF result")}).json()[0]
    dossier["dossierFormFile"].append({"procedureForm": seed_data.RESULT_FORM, "file": [f]})
    one = api.put(f"pa/dossier/{dossier['id']}", json=dossier)
    assert one.status_code == 200 and len(_results(one.json())) == before + 1
    again = api.put(f"pa/dossier/{dossier['id']}", json=dossier)
    assert len(_results(again.json())) == before + 1
    history = api.get("lo/history", params={"group-id": 1, "item-id": dossier["id"]}).json()["content"]
    assert history[-1]["action"][0]["newValue"] == "ket-qua.pdf" and history[-1]["user"]["name"] == "Nguyễn Thị Hoa"
    assert history[0]["action"][0] == {
        "fieldNameRbk": "lang.word.status",
        "originalValue": "Mới đăng ký",
        "newValue": "Đang xử lý",
    }
    missing = dict(dossier, dossierFormFile=[{"procedureForm": seed_data.RESULT_FORM, "file": [{"id": "0" * 24}]}])
    assert api.put(f"pa/dossier/{dossier['id']}", json=missing).status_code == 404
    assert api.put(f"pa/dossier/{dossier['id']}", json={"dossierFormFile": "x"}).status_code == 400
    assert api.put("pa/dossier/6541a2c0e4b0a1d2c3f4ffff", json=dossier).status_code == 404


def test_results_refused_where_the_task_does_not_allow_them(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, RETURNED)
    f = api.post("fi/file/--multiple", files={"files": ("x.pdf", b"%PDF x")}).json()[0]
    dossier["dossierFormFile"].append({"procedureForm": seed_data.RESULT_FORM, "file": [f]})
    answer = api.put(f"pa/dossier/{dossier['id']}", json=dossier)
    assert answer.status_code == 409
    assert answer.json()["error"] == "wrong_step"
    assert answer.json()["message"].startswith("Bước xử lý hiện tại không cho phép")


def test_comments_on_a_dossier(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, PROCESSING)
    first = api.post("me/comment", json={"groupId": 1, "itemId": dossier["id"], "content": "Liên Thông Desk: thử"})
    assert first.status_code == 201
    body = first.json()
    assert body["user"]["fullname"] == "Nguyễn Thị Hoa" and DIGO_TIME.match(body["createdDate"])
    listed = api.get("me/comment", params={"group-id": 1, "item-id": dossier["id"]}).json()["content"]
    assert [c["id"] for c in listed].count(body["id"]) == 1
    assert api.post("me/comment", json={"groupId": 1, "itemId": dossier["id"], "content": " "}).status_code == 400
    assert (
        api.post("me/comment", json={"groupId": 1, "itemId": "6541a2c0e4b0a1d2c3f4ffff", "content": "x"}).status_code
        == 404
    )
