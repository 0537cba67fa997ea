"""The sandbox iDesk API against the contract."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date


def _upload(api, name: str = "du-thao.pdf", data: bytes | None = None) -> dict:
    answer = api.post("files", files={"file": (name, data or f"%PDF {uuid.uuid4()}".encode())})
    assert answer.status_code == 201
    return answer.json()


def _draft(api, **extra) -> dict:
    f = _upload(api)
    body = {"summary": "Cấp phép hoạt động in", "dossierCode": "", "form": "Quyết định", "urgency": "Thường",
            "attachments": [{"fileId": f["fileId"], "filename": "don.pdf", "kind": "source"}]} | extra
    answer = api.post("documents", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_me_has_roles(idesk_as):
    me = idesk_as("maipt").get("me").json()
    assert me["roles"] == ["clerk"] and me["fullname"] == "Phạm Thị Mai" and me["username"] == "maipt"


def test_seed_documents(idesk_as):
    api = idesk_as("hoant")
    body = api.get("documents", params={"size": 200}).json()
    items = body["items"]
    assert body["total"] >= 12
    assert {"Kế hoạch", "Quyết định", "Công văn", "Tờ trình"} <= {d["form"] for d in items}
    assert len({d["urgency"] for d in items}) >= 3
    assert {"drafts", "outgoing-processing", "outgoing-tracking", "archive"} == {d["folder"] for d in items}
    linked = [d for d in items if d["dossierCode"]]
    assert len(linked) >= 4
    with_results = [
        d for d in linked if api.get("result-files", params={"dossierCode": d["dossierCode"]}).json()["items"]
    ]
    assert with_results
    released = [d for d in items if d["status"] == "released"]
    assert released and all(d["number"] and d["releaseDate"] for d in released)


def test_folders(idesk_as):
    api = idesk_as("hoant")
    drafts = api.get("documents", params={"folder": "drafts", "size": 200}).json()["items"]
    assert drafts and all(d["status"] != "released" for d in drafts)
    khanh = idesk_as("khanhdq").get("documents", params={"folder": "drafts"}).json()["items"]
    assert {d["id"] for d in khanh}.isdisjoint({d["id"] for d in drafts})
    tracking = api.get("documents", params={"folder": "outgoing-tracking"}).json()["items"]
    assert tracking and all(d["status"] == "released" for d in tracking)
    assert api.get("documents", params={"folder": "trash"}).status_code == 400


def test_filters_and_paging(idesk_as):
    api = idesk_as("hoant")
    everything = api.get("documents", params={"size": 200}).json()
    linked = next(d for d in everything["items"] if d["dossierCode"])
    by_code = api.get("documents", params={"dossierCode": linked["dossierCode"]}).json()["items"]
    assert linked["id"] in {d["id"] for d in by_code}
    assert all(d["dossierCode"] == linked["dossierCode"] for d in by_code)
    found = api.get("documents", params={"q": "ke hoach tuyen truyen"}).json()["items"]
    assert [d["summary"] for d in found] and all("tuyên truyền" in d["summary"] for d in found)
    page1 = api.get("documents", params={"page": 1, "size": 5}).json()
    page2 = api.get("documents", params={"page": 2, "size": 5}).json()
    assert page1["page"] == 1 and page2["page"] == 2 and page1["total"] == everything["total"]
    assert not {d["id"] for d in page1["items"]} & {d["id"] for d in page2["items"]}
    assert api.get("documents", params={"page": 0}).status_code == 400


def test_file_upload_download_checksum(idesk_as):
    import hashlib

    api = idesk_as("hoant")
    data = b"%PDF-1.7 signed bytes"
    stored = _upload(api, "ký.pdf", data)
    assert stored["sha256"] == hashlib.sha256(data).hexdigest() and stored["size"] == len(data)
    got = api.get(f"files/{stored['fileId']}")
    assert got.content == data and got.headers["X-Checksum-SHA256"] == stored["sha256"]


def test_draft_creation_is_idempotent_by_key(sandbox, idesk_as):
    api = idesk_as("hoant")
    f = _upload(api)
    key = uuid.uuid4().hex
    summary = f"Cấp giấy phép xây dựng nhà ở riêng lẻ {key[:6]}"
    body = {
        "summary": summary,
        "dossierCode": "000.00.20.H09-261101-0001",
        "form": "Quyết định",
        "urgency": "Khẩn",
        "attachments": [{"fileId": f["fileId"], "filename": "don.pdf", "kind": "source"}],
    }
    first = api.post("documents", json=body, headers={"Idempotency-Key": key})
    second = api.post("documents", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    doc = first.json()
    assert doc["status"] == "draft" and doc["folder"] == "drafts" and doc["urgency"] == "Khẩn"
    assert doc["attachments"][0]["kind"] == "source" and doc["attachments"][0]["versions"][0]["sha256"] == f["sha256"]
    assert doc["history"][0]["action"] == "Tạo dự thảo"
    matching = api.get("documents", params={"q": summary, "size": 200}).json()["items"]
    assert len(matching) == 1
    drafts = api.get("documents", params={"folder": "drafts", "size": 200}).json()["items"]
    assert doc["id"] in {d["id"] for d in drafts}
    other_key = api.post("documents", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert other_key.status_code == 201 and other_key.json()["id"] != doc["id"]


def test_unknown_file_in_draft_is_refused(idesk_as):
    answer = idesk_as("hoant").post(
        "documents",
        json={"summary": "x", "attachments": [{"fileId": "nope"}]},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 400 and answer.json()["error"] == "bad_request"


def test_versions_drive_signing_status_and_result_files(idesk_as):
    api = idesk_as("hoant")
    code = f"000.00.20.H09-260101-{uuid.uuid4().int % 10000:04d}"
    doc = _draft(api, dossierCode=code)
    result = api.post(
        f"documents/{doc['id']}/attachments",
        headers={"Idempotency-Key": "att-" + doc["id"]},
        json={"fileId": _upload(api)["fileId"], "filename": "ket-qua.pdf", "kind": "result"},
    )
    assert result.status_code == 201
    again = api.post(
        f"documents/{doc['id']}/attachments",
        headers={"Idempotency-Key": "att-" + doc["id"]},
        json={"fileId": _upload(api)["fileId"], "filename": "ket-qua.pdf", "kind": "result"},
    )
    assert again.status_code == 200 and again.json()["id"] == result.json()["id"]
    att = result.json()["id"]
    initialed = api.post(
        f"documents/{doc['id']}/attachments/{att}/versions",
        headers={"Idempotency-Key": uuid.uuid4().hex},
        json={"fileId": _upload(api)["fileId"], "note": "initialed"},
    )
    assert initialed.status_code == 201 and initialed.json()["version"] == 2
    assert api.get(f"documents/{doc['id']}").json()["status"] == "initialed"
    leader = idesk_as("tuanlv")
    signed_file = _upload(leader, "ket-qua-da-ky.pdf", b"%PDF signed")
    key = uuid.uuid4().hex
    signed = leader.post(
        f"documents/{doc['id']}/attachments/{att}/versions",
        headers={"Idempotency-Key": key},
        json={"fileId": signed_file["fileId"], "note": "signed:leader"},
    )
    replay = leader.post(
        f"documents/{doc['id']}/attachments/{att}/versions",
        headers={"Idempotency-Key": key},
        json={"fileId": signed_file["fileId"], "note": "signed:leader"},
    )
    assert signed.status_code == 201 and replay.status_code == 200 and replay.json() == signed.json()
    detail = api.get(f"documents/{doc['id']}").json()
    assert detail["status"] == "signed"
    assert [v["version"] for v in detail["attachments"][-1]["versions"]] == [1, 2, 3]
    assert any(h["action"] == "Ký số" for h in detail["history"])
    items = api.get("result-files", params={"dossierCode": code}).json()["items"]
    assert len(items) == 1
    assert items[0] | {} == {
        "documentId": doc["id"],
        "documentSummary": doc["summary"],
        "attachmentId": att,
        "version": 3,
        "fileId": signed_file["fileId"],
        "filename": "ket-qua.pdf",
        "size": signed_file["size"],
        "sha256": signed_file["sha256"],
    }


def test_forward_to_clerk(idesk_as):
    api = idesk_as("hoant")
    doc = _draft(api)
    to_leader = api.post(f"documents/{doc['id']}/forward", json={"to": "leader", "note": "Kính trình"}).json()
    assert to_leader["status"] == "draft" and to_leader["folder"] == "outgoing-processing"
    to_clerk = api.post(f"documents/{doc['id']}/forward", json={"to": "clerk", "note": ""}).json()
    assert to_clerk["status"] == "with-clerk" and to_clerk["folder"] == "outgoing-processing"
    assert to_clerk["history"][-1]["action"] == "Chuyển Văn thư"
    assert api.post(f"documents/{doc['id']}/forward", json={"to": "nobody"}).status_code == 400


def _signed_with_clerk(specialist) -> dict:
    doc = _draft(specialist)
    att = doc["attachments"][0]["id"]
    specialist.post(
        f"documents/{doc['id']}/attachments/{att}/versions",
        headers={"Idempotency-Key": uuid.uuid4().hex},
        json={"fileId": _upload(specialist)["fileId"], "note": "signed:leader"},
    )
    return specialist.post(f"documents/{doc['id']}/forward", json={"to": "clerk"}).json()


def test_numbers_next_is_a_proposal_and_registering_takes_it(idesk_as):
    clerk, specialist = idesk_as("maipt"), idesk_as("hoant")
    symbol = f"TB{uuid.uuid4().hex[:4].upper()}-STTTT"

    def peek(year=2026):
        return clerk.get("numbers/next", params={"symbol": symbol, "year": year}).json()

    # Asking twice (a clerk who cancels the dialog) does not burn a number.
    assert peek() == peek() == {"number": f"01/{symbol}", "seq": 1}
    docs = [_signed_with_clerk(specialist) for _ in range(3)]

    def register(doc):
        return clerk.post(f"documents/{doc['id']}/number", json={"number": f"01/{symbol}", "date": "2026-11-21"})

    # Two clerks registering the same number at once: one wins, the others are refused.
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(register, docs))
    assert sorted(a.status_code for a in answers) == [200, 409, 409]
    assert {a.json()["error"] for a in answers if a.status_code == 409} == {"number_taken"}
    winner = next(a.json() for a in answers if a.status_code == 200)
    assert winner["number"] == f"01/{symbol}" and winner["releaseDate"] == "2026-11-21"
    assert register(winner).status_code == 200  # the same number again for the same document is harmless
    assert peek()["seq"] >= 2
    assert peek(2027) == {"number": f"01/{symbol}", "seq": 1}
    # A correction before release: the new number holds, the earlier one is free again.
    fixed = clerk.post(f"documents/{winner['id']}/number", json={"number": f"02/{symbol}", "date": "2026-11-21"})
    assert fixed.status_code == 200 and fixed.json()["number"] == f"02/{symbol}"
    back = clerk.post(f"documents/{winner['id']}/number", json={"number": f"01/{symbol}", "date": "2026-11-21"})
    assert back.status_code == 200 and back.json()["number"] == f"01/{symbol}"
    # Release takes the registered number, and no other.
    loser = next(d for d, a in zip(docs, answers, strict=True) if a.status_code == 409)
    released = clerk.post(f"documents/{loser['id']}/release", json={"number": f"01/{symbol}", "date": "2026-11-21"})
    assert released.status_code == 409 and released.json()["error"] == "number_taken"
    ok = clerk.post(f"documents/{winner['id']}/release", json={"number": f"01/{symbol}", "date": "2026-11-21"})
    assert ok.status_code == 200 and ok.json()["status"] == "released"
    forbidden = specialist.get("numbers/next", params={"symbol": symbol, "year": 2026})
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "forbidden"
    not_signed = clerk.post(
        f"documents/{_draft(specialist)['id']}/number", json={"number": f"09/{symbol}", "date": "2026-11-21"}
    )
    assert not_signed.status_code == 409 and not_signed.json()["error"] == "wrong_step"


def test_attachment_roles_one_main_document(idesk_as):
    api = idesk_as("hoant")
    form, own = _upload(api, "don-de-nghi.pdf"), _upload(api, "to-trinh.pdf")
    body = {
        "summary": "Cấp phép",
        "dossierCode": "",
        "attachments": [
            {"fileId": form["fileId"], "filename": "don-de-nghi.pdf", "kind": "source"},
            {"fileId": own["fileId"], "filename": "to-trinh.pdf", "kind": "draft", "role": "main"},
        ],
    }
    doc = api.post("documents", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}).json()
    assert [(a["filename"], a["role"]) for a in doc["attachments"]] == [
        ("don-de-nghi.pdf", "material"),
        ("to-trinh.pdf", "main"),
    ]
    two_mains = dict(body, attachments=[dict(a, role="main") for a in body["attachments"]])
    refused = api.post("documents", json=two_mains, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert refused.status_code == 409 and refused.json()["error"] == "main_exists"
    bad = api.post("documents", json=dict(body, attachments=[dict(body["attachments"][0], role="chief")]))
    assert bad.status_code == 400
    # Marking another file main demotes the earlier one; the history says so.
    first = doc["attachments"][0]["id"]
    changed = api.session.patch(
        api.url(f"documents/{doc['id']}/attachments/{first}"), json={"role": "main"}, timeout=30
    )
    assert changed.status_code == 200 and changed.json()["role"] == "main"
    after = api.get(f"documents/{doc['id']}").json()
    assert [a["role"] for a in after["attachments"]] == ["main", "reference"]
    assert after["history"][-1]["action"] == "Đổi vai trò tệp"
    added = api.post(
        f"documents/{doc['id']}/attachments",
        headers={"Idempotency-Key": uuid.uuid4().hex},
        json={"fileId": _upload(api, "phu-luc.pdf")["fileId"], "filename": "phu-luc.pdf", "role": "appendix"},
    )
    assert added.status_code == 201 and added.json()["role"] == "appendix"


def test_seeded_counters_follow_released_numbers(idesk_as):
    # The seed released 05/KH-STTTT in the current year; a fresh sandbox hands out 06 next.
    clerk = idesk_as("maipt")
    items = clerk.get("documents", params={"q": "KH-STTTT", "size": 200}).json()["items"]
    highest = max(int(d["number"].split("/")[0]) for d in items if d["number"].endswith("/KH-STTTT"))
    got = clerk.get("numbers/next", params={"symbol": "KH-STTTT", "year": date.today().year}).json()
    assert got["seq"] > highest


def test_release_is_clerk_only_and_numbers_are_unique(idesk_as):
    specialist, clerk = idesk_as("hoant"), idesk_as("maipt")
    doc = _draft(specialist)
    unsigned = clerk.post(f"documents/{doc['id']}/release", json={"number": "01/QĐ-X", "date": "2026-11-21"})
    assert unsigned.status_code == 409 and unsigned.json()["error"] == "wrong_step"
    att = doc["attachments"][0]["id"]
    specialist.post(
        f"documents/{doc['id']}/attachments/{att}/versions",
        headers={"Idempotency-Key": uuid.uuid4().hex},
        json={"fileId": _upload(specialist)["fileId"], "note": "signed:leader"},
    )
    specialist.post(f"documents/{doc['id']}/forward", json={"to": "clerk"})
    symbol = f"QĐ{uuid.uuid4().hex[:4]}-STTTT"
    number = clerk.get("numbers/next", params={"symbol": symbol, "year": 2026}).json()["number"]
    refused = specialist.post(f"documents/{doc['id']}/release", json={"number": number, "date": "2026-11-21"})
    assert refused.status_code == 403
    released = clerk.post(f"documents/{doc['id']}/release", json={"number": number, "date": "2026-11-21"})
    assert released.status_code == 200, released.text
    body = released.json()
    assert body["status"] == "released" and body["folder"] == "outgoing-tracking"
    assert body["number"] == number and body["releaseDate"] == "2026-11-21"
    twice = clerk.post(f"documents/{doc['id']}/release", json={"number": number, "date": "2026-11-21"})
    assert twice.status_code == 409
    other = _draft(specialist)
    specialist.post(f"documents/{other['id']}/forward", json={"to": "clerk"})
    taken = clerk.post(f"documents/{other['id']}/release", json={"number": number, "date": "2026-12-01"})
    assert taken.status_code == 409 and taken.json()["error"] == "number_taken"
    bad = clerk.post(f"documents/{other['id']}/release", json={"number": "abc", "date": "2026-12-01"})
    assert bad.status_code == 400


def test_igate_transfer_is_idempotent_and_recorded(idesk_as):
    api = idesk_as("hoant")
    doc = _draft(api, dossierCode="000.00.20.H09-261101-0002")
    att = doc["attachments"][0]["id"]
    key = uuid.uuid4().hex
    body = {"dossierCode": doc["dossierCode"], "attachmentIds": [att], "igateFileIds": ["f1"]}
    first = api.post(f"documents/{doc['id']}/igate-transfers", json=body, headers={"Idempotency-Key": key})
    second = api.post(f"documents/{doc['id']}/igate-transfers", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, second.status_code) == (201, 200) and first.json() == second.json()
    history = api.get(f"documents/{doc['id']}").json()["history"]
    assert [h["action"] for h in history].count("Chuyển đến phần mềm iGate") == 1
    wrong = api.post(
        f"documents/{doc['id']}/igate-transfers",
        json=body | {"attachmentIds": ["zzz"]},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert wrong.status_code == 404


def test_missing_document_is_404_json(idesk_as):
    answer = idesk_as("hoant").get("documents/nope")
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert idesk_as("hoant").get("no/such/route").status_code == 404


def test_concurrent_retries_with_one_key_create_one_draft(idesk_as):
    api = idesk_as("hoant")
    key = uuid.uuid4().hex
    body = {"summary": f"Đồng thời {key[:8]}", "attachments": []}

    def post(_):
        answer = api.session.post(api.url("documents"), json=body, headers={"Idempotency-Key": key}, timeout=30)
        return answer.status_code, answer.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(8)))
    assert sorted(code for code, _ in results) == [200] * 7 + [201]
    assert len({doc_id for _, doc_id in results}) == 1
    assert api.get("documents", params={"q": body["summary"]}).json()["total"] == 1


def test_the_register_refuses_numbers_out_of_sequence(idesk_as):
    # The walk-through: the QĐ-STTTT register was at 13, and iDesk took 02/QĐ-STTTT.
    clerk, specialist = idesk_as("maipt"), idesk_as("hoant")
    symbol = f"QĐ{uuid.uuid4().hex[:4].upper()}-STTTT"
    first, second = _signed_with_clerk(specialist), _signed_with_clerk(specialist)

    def register(doc, seq):
        return clerk.post(f"documents/{doc['id']}/number", json={"number": f"{seq:02d}/{symbol}", "date": "2026-11-21"})

    gap = register(first, 3)
    assert gap.status_code == 409 and gap.json()["error"] == "number_out_of_sequence"
    assert "01/" + symbol in gap.json()["message"]
    assert register(first, 1).status_code == 200
    assert register(second, 2).status_code == 200
    assert register(first, 2).json()["error"] == "number_taken"
    # Behind the counter and never given back (the seed's QĐ-STTTT register is past 02): refused,
    # also on release.
    third = _signed_with_clerk(specialist)
    today = date.today().isoformat()
    for step in ("number", "release"):
        behind = clerk.post(f"documents/{third['id']}/{step}", json={"number": "02/QĐ-STTTT", "date": today})
        assert behind.status_code == 409 and behind.json()["error"] == "number_out_of_sequence", behind.text
    # A correction gives 01 back: another document may take it, once.
    assert register(first, 3).status_code == 200
    assert register(third, 1).status_code == 200
    assert register(first, 1).json()["error"] == "number_taken"
    assert clerk.get("numbers/next", params={"symbol": symbol, "year": 2026}).json()["seq"] == 4
    skipped = register(third, 5)
    assert skipped.status_code == 409 and skipped.json()["error"] == "number_out_of_sequence"
