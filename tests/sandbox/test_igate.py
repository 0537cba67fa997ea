"""The sandbox iGate API against the contract."""

from __future__ import annotations

import hashlib
import re
import socket
import uuid
from datetime import datetime
from urllib.parse import urlsplit


CODE_RE = re.compile(r"^000\.00\.20\.H09-\d{6}-\d{4}$")


def test_unlinked_account_is_refused_by_igate_but_not_idesk(igate_as, idesk_as):
    answer = igate_as("khanhdq").get("us/user/me")
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


def test_me(igate_as):
    me = igate_as("hoant").get("us/user/me").json()
    assert me["fullname"] == "Nguyễn Thị Hoa" and me["ssoAccount"] == "hoant"
    assert set(me) == {"id", "fullname", "account", "ssoAccount", "title", "organization"}


def test_seed_has_realistic_dossiers(igate_as):
    api = igate_as("hoant")
    page = api.get("pa/dossier/search", params={"size": 200}).json()
    assert page["totalElements"] >= 40
    dossiers = page["content"]
    assert {d["dossierStatus"]["id"] for d in dossiers} == {2, 9, 10}
    assert all(CODE_RE.match(d["code"]) for d in dossiers)
    names = {d["procedure"]["name"] for d in dossiers}
    assert {"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Đăng ký hộ kinh doanh", "Cấp phép hoạt động in"} <= names
    mine = [d for d in dossiers if d["currentTask"]["assignee"]["fullname"] == "Nguyễn Thị Hoa"]
    assert len(mine) > len(dossiers) / 2
    now = datetime.now().astimezone()
    overdue = [d for d in dossiers if d["dossierStatus"]["id"] != 10
               and datetime.fromisoformat(d["appointmentDate"]) < now]
    assert overdue


def test_search_filters_by_status_and_assignee(igate_as):
    api = igate_as("hoant")
    page = api.get("pa/dossier/search", params={"dossier-status": "2,9", "assignee": "me", "size": 200}).json()
    assert page["content"]
    assert all(d["dossierStatus"]["id"] in (2, 9) for d in page["content"])
    assert all(d["currentTask"]["assignee"]["fullname"] == "Nguyễn Thị Hoa" for d in page["content"])
    everyone = api.get("pa/dossier/search", params={"dossier-status": "2,9", "size": 200}).json()
    assert everyone["totalElements"] > page["totalElements"]


def test_search_keyword_is_accent_insensitive_and_matches_code(igate_as):
    api = igate_as("hoant")
    some = api.get("pa/dossier/search", params={"size": 1}).json()["content"][0]
    by_code = api.get("pa/dossier/search", params={"keyword": some["code"]}).json()
    assert [d["code"] for d in by_code["content"]] == [some["code"]]
    accented = api.get("pa/dossier/search", params={"keyword": "giấy phép xây dựng", "size": 200}).json()
    plain = api.get("pa/dossier/search", params={"keyword": "giay phep xay dung", "size": 200}).json()
    assert accented["totalElements"] == plain["totalElements"] > 0
    assert all("xây dựng" in d["procedure"]["name"] for d in plain["content"])
    applicant = some["applicant"]["fullname"]
    found = api.get("pa/dossier/search", params={"applicant": applicant, "size": 200}).json()
    assert some["id"] in {d["id"] for d in found["content"]}
    proc = api.get("pa/dossier/search", params={"procedure": "hoat dong in", "size": 200}).json()
    assert proc["content"] and all(d["procedure"]["name"] == "Cấp phép hoạt động in" for d in proc["content"])
    assert api.get("pa/dossier/search", params={"code": "khong-co-ma-nay"}).json()["totalElements"] == 0


def test_search_paging_is_zero_based_and_complete(igate_as):
    api = igate_as("hoant")
    first = api.get("pa/dossier/search", params={"page": 0, "size": 7}).json()
    total = first["totalElements"]
    assert first["number"] == 0 and first["size"] == 7 and first["totalPages"] == -(-total // 7)
    seen = []
    for page in range(first["totalPages"]):
        body = api.get("pa/dossier/search", params={"page": page, "size": 7}).json()
        seen += [d["id"] for d in body["content"]]
    assert len(seen) == len(set(seen)) == total
    beyond = api.get("pa/dossier/search", params={"page": first["totalPages"], "size": 7}).json()
    assert beyond["content"] == []
    assert api.get("pa/dossier/search", params={"size": 0}).status_code == 400


def _a_dossier(api, status: int) -> dict:
    body = api.get("pa/dossier/search", params={"dossier-status": str(status), "assignee": "me", "size": 1}).json()
    return api.get(f"pa/dossier/{body['content'][0]['id']}/--online").json()


def test_dossier_detail_and_by_code(igate_as):
    api = igate_as("hoant")
    detail = _a_dossier(api, 2)
    assert detail["components"] and all(c["files"] for c in detail["components"])
    assert detail["stepFiles"] and detail["stepFiles"][0]["step"]
    f = detail["components"][0]["files"][0]
    assert set(f) == {"id", "filename", "size", "sha256", "mimeType"} and f["mimeType"] == "application/pdf"
    same = api.get("pa/dossier/--by-code", params={"code": detail["code"]}).json()
    assert same == detail
    missing = api.get("pa/dossier/--by-code", params={"code": "000.00.20.H09-000000-9999"})
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    returned = _a_dossier(api, 10)
    assert returned["resultFiles"]


def test_seeded_pdf_has_vietnamese_text(igate_as):
    import pymupdf

    api = igate_as("hoant")
    f = _a_dossier(api, 2)["components"][0]["files"][0]
    data = api.get(f"fi/file/{f['id']}").content
    text = pymupdf.open(stream=data)[0].get_text()
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_upload_and_download_with_checksum(igate_as):
    api = igate_as("hoant")
    payload = [("files", ("kết quả.pdf", b"%PDF-1.7 first", "application/pdf")),
               ("files", ("b.txt", b"second file", "text/plain"))]
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
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.bin\"\r\n\r\n").encode()
    declared = 101 * 1024 * 1024 + 2 * 1024 * 1024
    request = (
        f"POST /fi/file/--multiple HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: Bearer {session_tokens('hoant').access}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {declared}\r\n\r\n"
    ).encode() + head + b"x" * 4096
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


def test_result_files_are_idempotent(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, 9)
    before = len(dossier["resultFiles"])
    f = api.post("fi/file/--multiple", files={"files": ("ket-qua.pdf", b"%PDF result")}).json()[0]
    g = api.post("fi/file/--multiple", files={"files": ("ket-qua.pdf", b"%PDF result again")}).json()[0]
    entry = {"fileId": f["id"], "sourceRef": f"idesk:doc1:att1:v{uuid.uuid4().hex}"}
    one = api.post(f"pa/dossier/{dossier['id']}/result-files", json={"files": [entry]})
    assert one.status_code == 200 and len(one.json()["resultFiles"]) == before + 1
    again = api.post(f"pa/dossier/{dossier['id']}/result-files", json={"files": [entry]})
    assert len(again.json()["resultFiles"]) == before + 1
    same_ref = api.post(f"pa/dossier/{dossier['id']}/result-files",
                        json={"files": [{"fileId": g["id"], "sourceRef": entry["sourceRef"]}]})
    assert len(same_ref.json()["resultFiles"]) == before + 1
    detail = api.get(f"pa/dossier/{dossier['id']}/--online").json()
    assert [r["id"] for r in detail["resultFiles"]].count(f["id"]) == 1


def test_result_files_refused_at_wrong_step(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, 10)
    f = api.post("fi/file/--multiple", files={"files": ("x.pdf", b"%PDF x")}).json()[0]
    answer = api.post(f"pa/dossier/{dossier['id']}/result-files", json={"files": [{"fileId": f["id"], "sourceRef": "r"}]})
    assert answer.status_code == 409
    assert answer.json()["error"] == "wrong_step"
    assert answer.json()["message"].startswith("Hồ sơ không ở bước cho phép")


def test_log_is_idempotent_by_key(igate_as):
    api = igate_as("hoant")
    dossier = _a_dossier(api, 2)
    key = uuid.uuid4().hex
    entry = {"dossierCode": dossier["code"], "action": "send-to-idesk",
             "detail": {"documentId": "d1", "files": ["a.pdf"]}, "key": key}
    first = api.post("lo/log", json=entry)
    assert first.status_code == 201
    body = first.json()
    assert body["officer"]["fullname"] == "Nguyễn Thị Hoa" and body["action"] == "send-to-idesk"
    assert body["detail"] == {"documentId": "d1", "files": ["a.pdf"]}
    second = api.post("lo/log", json=entry)
    assert second.status_code == 200 and second.json()["id"] == body["id"]
    listed = api.get("lo/log", params={"dossierCode": dossier["code"]}).json()["content"]
    assert [e["id"] for e in listed].count(body["id"]) == 1
    assert api.post("lo/log", json=entry | {"action": "delete", "key": "k2"}).status_code == 400
