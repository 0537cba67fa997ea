"""The iGate adapter against answers shaped like provinces' DIGO servers (fixtures/igate/*.json).

Independent of the sandbox: a loopback server answers each call with a fixture and records what
the adapter sent, so both directions of the contract are checked.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask, Response, request

from app.errors import AccountNotLinkedError, NotFoundError, ServiceError, SessionExpiredError, WrongStepError
from app.sandbox.serving import BackgroundServer
from app.services.digo import parse
from app.services.digo.igate import IGateClient
from app.services.http import RetryPolicy

FIXTURES = Path(__file__).parent / "fixtures" / "igate"
DOSSIER_ID = "6561c0ffee0000a1b2c3d401"
USER_ID = "64f0aa11bb22cc33dd44ee31"
VN = timezone(timedelta(hours=7))


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def token(claims: dict) -> str:
    def part(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class FixtureServer:
    """Answers (method, path) with a JSON fixture or a callable; records every request."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], object] = {}
        self.requests: list[dict] = []
        app = Flask("igate-fixtures")

        @app.route("/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
        def answer(path):
            self.requests.append({
                "method": request.method,
                "path": "/" + path,
                "args": request.args.to_dict(flat=False),
                "json": request.get_json(silent=True),
                "files": {k: [f.filename for f in request.files.getlist(k)] for k in request.files},
                "auth": request.headers.get("Authorization", ""),
            })
            found = self.routes.get((request.method, "/" + path))
            if found is None:
                return Response(json.dumps({"error": "Not Found", "status": 404}), 404, mimetype="application/json")
            body = found() if callable(found) else found
            if isinstance(body, Response):
                return body
            data = load(body) if isinstance(body, str) else body
            return Response(json.dumps(data, ensure_ascii=False), 200, mimetype="application/json")

        self.server = BackgroundServer("127.0.0.1", 0)
        self.server.set_app(app)
        self.url = f"http://127.0.0.1:{self.server.port}/"

    def last(self, method: str, path: str) -> dict:
        return [r for r in self.requests if r["method"] == method and r["path"] == path][-1]


@pytest.fixture
def server():
    s = FixtureServer()
    s.server.start("igate-fixtures")
    s.routes[("GET", f"/hu/user/{USER_ID}/--fully")] = "user-fully.json"
    yield s
    s.server.stop()


@pytest.fixture
def client(server):
    access = token({"sub": "f:0000:thunt", "user_id": USER_ID, "experience": "64f0aa11bb22cc33dd44ee11"})
    return IGateClient(server.url, lambda: access, retry=RetryPolicy(attempts=1))


# -- parsing alone ---------------------------------------------------------------------------


@pytest.mark.log_warnings
def test_search_slice_items_read_the_real_field_names():
    page = parse.dossier_page(load("search-slice.json"), 0, 50)
    first, second, returned = page.items  # the row without an id is skipped, not fatal
    assert first.id == DOSSIER_ID and first.code == "000.00.20.H09-261118-0007"
    assert first.nation_code == "G22.99-261118-000007"
    assert first.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"  # translate as an object
    assert second.procedure_name == "Đăng ký hộ kinh doanh"  # translate as an array
    assert returned.procedure_name == "Cấp phép hoạt động in"  # only procedure.name
    assert first.applicant_name == "Trần Văn Mẫu"
    assert second.applicant_name == "Hợp tác xã Thử Nghiệm"
    assert first.agency_name == "Sở Thông tin và Truyền thông"
    assert second.agency_name == "Sở Thông tin và Truyền thông"  # localized list, Vietnamese chosen
    assert first.accepted_date == datetime(2026, 11, 18, 8, 15, 32, tzinfo=VN)  # "+0700" without a colon
    assert first.assignee_name == "Nguyễn Thị Thử"
    assert (page.total, page.page) == (4, 0)


@pytest.mark.log_warnings
def test_status_axes_and_task_flags_decide_what_the_officer_may_do():
    first, second, returned = parse.dossier_page(load("search-slice.json"), 0, 50).items
    s = first.status
    assert (s.status_id, s.status_name, s.task_status_name) == (2, "Đang xử lý", "Đang xử lý")
    assert s.step_name == "Chuyên viên thụ lý hồ sơ" and s.label_vi == s.label_en == s.step_name
    assert s.can_send_to_idesk and s.can_attach_results and not s.finished
    w = second.status
    assert (w.status_id, w.status_name, w.task_status_name, w.step_name) == (
        3, "Chờ trả kết quả", "Chờ trả kết quả", "Một cửa trả kết quả")
    assert w.can_attach_results and not w.can_send_to_idesk
    r = returned.status
    assert r.finished and not r.can_attach_results and not r.can_send_to_idesk
    assert r.label_vi == "Đã trả kết quả"  # no current step: the status name as sent
    review = parse.dossier_page(load("search-page.json"), 1, 1).items[0].status
    assert review.step_name == "Lãnh đạo phòng xem xét"
    assert not review.can_send_to_idesk and not review.can_attach_results
    now = datetime(2026, 12, 1, tzinfo=VN)
    assert second.is_overdue(now) and not returned.is_overdue(now) and not first.is_overdue(now)


def test_page_spec_gives_totals_without_total_elements():
    page = parse.dossier_page(load("search-page.json"), 1, 1)
    assert page.page == 1 and len(page.items) == 1
    assert page.total == 3  # totalPages × size: not the last page, so a pager asks for more
    last = parse.dossier_page(dict(load("search-page.json"), pageable={"pageNumber": 2}), 2, 1)
    assert last.total == 3 and last.page == 2
    empty = parse.dossier_page(load("search-empty.json"), 0, 2)
    assert empty.items == () and empty.total == 0
    with pytest.raises(parse.UnexpectedAnswerError):
        parse.dossier_page({"items": []}, 0, 2)


def test_dossier_detail_components_step_files_and_results():
    d = parse.dossier(load("dossier-online.json"))
    assert d.summary.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert d.summary.status.task_status_name == "Đang xử lý"  # a localized list in the stored dossier
    assert [c.name for c in d.components] == [
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Bản sao giấy chứng nhận quyền sử dụng đất",
    ]
    assert [f.name for f in d.components[1].files] == ["GCN QSDD.pdf", "GCN QSDD trang 2.pdf"]
    assert d.components[0].files[0].id == "6562aa00bb11cc22dd33ee10" and d.components[0].files[0].size == 51200
    assert [(s.step, s.file.name) for s in d.step_files] == [("Một cửa tiếp nhận hồ sơ", "Giay tiep nhan.pdf")]
    assert [f.name for f in d.result_files] == ["Quyet dinh cap phep.pdf"]


def test_officer_scope_comes_from_the_primary_experience():
    officer = parse.igate_officer(load("user-fully.json"))
    assert officer.user_id == USER_ID and officer.user.username == "thunt"
    assert officer.user.full_name == "Nguyễn Thị Thử" and officer.user.title == "Chuyên viên"
    assert officer.user.organization == "Sở Thông tin và Truyền thông" and officer.user.email == "thunt@example.gov.vn"
    assert (officer.agency_id, officer.ancestor_agency_id) == ("64f0aa11bb22cc33dd44ee11", "64f0aa11bb22cc33dd44ee10")


def test_file_answers():
    first, second = (parse.igate_file(f) for f in load("files-multiple.json"))
    assert (first.id, first.name, first.size, first.sha256) == (
        "6562aa00bb11cc22dd33ee01",
        "Quyet dinh cap phep.pdf",
        184320,
        "",
    )
    assert second.name == "Phu luc.pdf"
    assert parse.igate_file(load("file-single.json")).size == 99328


def test_history_and_audit_comments():
    entries = parse.history(load("history.json"))
    assert [e.actor for e in entries] == ["Võ Văn Mộtcửa", "Nguyễn Thị Thử"]
    assert entries[0].note == "Mới đăng ký → Đang xử lý" and entries[1].note == "Quyet dinh cap phep.pdf"
    comments = [parse.audit_entry(c) for c in load("comments.json")["content"]]
    assert comments[0] is None  # an ordinary comment
    audit = comments[1]
    assert (audit.action, audit.dossier_code, audit.officer) == (
        "send-to-idesk",
        "000.00.20.H09-261118-0007",
        "Nguyễn Thị Thử",
    )
    assert audit.detail == {"documentId": "d-1", "key": "k-1"}


def test_errors_inside_a_200_answer():
    with pytest.raises(parse.IntegrationError) as info:
        parse.raise_integration_error(load("error-in-200.json"), "iGate")
    assert "Có lỗi xảy ra." in info.value.message("vi") and "Không kết nối" in info.value.detail
    with pytest.raises(parse.IntegrationError) as info:
        parse.raise_integration_error(load("error-in-200-fields.json"), "iGate")
    assert "soHoSoLT: Số hồ sơ liên thông đã tồn tại." in info.value.detail
    for fine in ({"status": 200, "title": "Thành công"}, load("search-empty.json"), load("file-single.json"), [], None):
        parse.raise_integration_error(fine, "iGate")


# -- the adapter over HTTP -------------------------------------------------------------------


def test_officer_list_sends_the_real_search_parameters(server, client):
    server.routes[("GET", "/pa/dossier/search")] = "search-page.json"
    page = client.search_dossiers(dossier_status=[2, 3], assignee="me", page=1, size=1)
    assert page.items[0].code == "000.00.20.H09-261120-0012"
    sent = server.last("GET", "/pa/dossier/search")
    args = {k: v[0] for k, v in sent["args"].items()}
    assert args == {
        "spec": "page",
        "page": "1",
        "size": "1",
        "sort": "updatedDate,desc",
        "ancestor-agency-id": "64f0aa11bb22cc33dd44ee10",
        "isAgencySearch": "true",
        "dossier-status": "2,3",
        "task-assignee-id": USER_ID,
    }
    assert sent["auth"].startswith("Bearer ")
    assert client.me().full_name == "Nguyễn Thị Thử"
    assert len([r for r in server.requests if r["path"].startswith("/hu/user/")]) == 1  # cached


def test_lookup_by_code_uses_code_match_then_the_detail(server, client):
    slice_ = load("search-slice.json")
    server.routes[("GET", "/pa/dossier/search")] = lambda: dict(slice_, content=slice_["content"][:1])
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = "dossier-online.json"
    d = client.get_dossier_by_code("000.00.20.H09-261118-0007")
    assert d.id == DOSSIER_ID and len(d.components) == 2
    args = {k: v[0] for k, v in server.last("GET", "/pa/dossier/search")["args"].items()}
    assert args == {"spec": "slice", "page": "0", "size": "2", "code-match": "000.00.20.H09-261118-0007"}
    server.routes[("GET", "/pa/dossier/search")] = "search-empty.json"
    with pytest.raises(NotFoundError):
        client.get_dossier_by_code("000.00.20.H09-261118-0007")
    server.routes[("GET", "/pa/dossier/search")] = lambda: dict(slice_, content=slice_["content"][:1] * 2)
    with pytest.raises(ServiceError) as info:
        client.get_dossier_by_code("000.00.20.H09-261118-0007")
    assert "nhiều hồ sơ" in info.value.message("vi")


def test_uploads_use_the_files_field_and_read_the_array(server, client, tmp_path):
    a, b = tmp_path / "Quyet dinh cap phep.pdf", tmp_path / "Phu luc.pdf"
    a.write_bytes(b"%PDF-1.7 a")
    b.write_bytes(b"%PDF-1.7 b")
    server.routes[("POST", "/fi/file/--multiple")] = "files-multiple.json"
    refs = client.upload_files([a, b])
    assert [r.id for r in refs] == ["6562aa00bb11cc22dd33ee01", "6562aa00bb11cc22dd33ee02"]
    assert server.last("POST", "/fi/file/--multiple")["files"] == {"files": ["Quyet dinh cap phep.pdf", "Phu luc.pdf"]}
    with pytest.raises(ServiceError):
        client.upload_files([a])  # two stored for one sent
    server.routes[("POST", "/fi/file/")] = "file-single.json"
    assert client.upload_file(a, name="Giay phep.pdf").id == "6562aa00bb11cc22dd33ee03"
    assert server.last("POST", "/fi/file/")["files"] == {"file": ["Giay phep.pdf"]}
    server.routes[("GET", "/fi/file/6562aa00bb11cc22dd33ee01/filename+size")] = "file-filename-size.json"
    info = client.file_info("6562aa00bb11cc22dd33ee01")
    assert (info.id, info.name, info.size) == ("6562aa00bb11cc22dd33ee01", "Quyet dinh cap phep.pdf", 184320)


def test_results_are_attached_by_saving_the_dossier_form_files(server, client):
    stored = load("dossier-online.json")
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = lambda: stored
    server.routes[("PUT", f"/pa/dossier/{DOSSIER_ID}")] = lambda: request.get_json()
    new = parse.igate_file({"id": "6562aa00bb11cc22dd33ee05", "filename": "Giay phep.pdf", "size": 99328})
    old = parse.igate_file(load("files-multiple.json")[0])
    files = client.attach_result_files(DOSSIER_ID, [old, new])
    assert [f.id for f in files] == ["6562aa00bb11cc22dd33ee01", "6562aa00bb11cc22dd33ee05"]
    sent = server.last("PUT", f"/pa/dossier/{DOSSIER_ID}")["json"]
    assert sent["code"] == stored["code"] and sent["applicant"] == stored["applicant"]  # the whole dossier
    assert [len(f["file"]) for f in sent["dossierFormFile"]] == [1, 2, 2]
    assert sent["dossierFormFile"][2]["file"][1] == {
        "id": "6562aa00bb11cc22dd33ee05",
        "filename": "Giay phep.pdf",
        "size": 99328,
    }
    puts = len([r for r in server.requests if r["method"] == "PUT"])
    client.attach_result_files(DOSSIER_ID, [old])  # already there: nothing saved
    assert len([r for r in server.requests if r["method"] == "PUT"]) == puts
    waiting = dict(
        stored, currentTask=[{"bpmProcessDefinitionTask": {"name": {"name": "Lãnh đạo ký"}, "variable": {}}}]
    )
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = lambda: waiting
    with pytest.raises(WrongStepError) as info:
        client.attach_result_files(DOSSIER_ID, [new])
    assert "Lãnh đạo ký" in info.value.message("vi")


def test_transfer_audit_is_a_dossier_comment_written_once(server, client):
    comments = load("comments.json")["content"][:1]

    def post():
        row = dict(
            request.get_json(),
            id=f"c{len(comments)}",
            user={"fullname": "Nguyễn Thị Thử"},
            createdDate="2026-11-20T10:05:00.000+0700",
        )
        comments.append(row)
        return row

    server.routes[("GET", "/me/comment")] = lambda: {"content": comments, "last": True}
    server.routes[("POST", "/me/comment")] = post
    detail = {"files": [{"name": "Quyet dinh.pdf", "size": 1}], "documentId": "d-9"}
    entry = client.append_log(DOSSIER_ID, "000.00.20.H09-261118-0007", "fetch-from-idesk", detail, "key-9")
    assert (entry.action, entry.detail["key"], entry.officer) == ("fetch-from-idesk", "key-9", "Nguyễn Thị Thử")
    sent = server.last("POST", "/me/comment")["json"]
    assert sent["groupId"] == 1 and sent["itemId"] == DOSSIER_ID
    assert sent["content"].startswith("Liên Thông Desk: Lấy kết quả từ iDesk: Quyet dinh.pdf\n")
    again = client.append_log(DOSSIER_ID, "000.00.20.H09-261118-0007", "fetch-from-idesk", detail, "key-9")
    assert again.detail["key"] == "key-9" and len(comments) == 2  # found by its key, not posted twice
    assert [e.action for e in client.list_log(DOSSIER_ID)] == ["fetch-from-idesk"]


def test_history_is_read_from_lo_history(server, client):
    server.routes[("GET", "/lo/history")] = "history.json"
    assert len(client.history(DOSSIER_ID)) == 2
    args = {k: v[0] for k, v in server.last("GET", "/lo/history")["args"].items()}
    assert args == {"group-id": "1", "item-id": DOSSIER_ID, "page": "0", "size": "100"}


def test_an_error_inside_200_stops_the_call(server, client):
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = "error-in-200.json"
    with pytest.raises(parse.IntegrationError):
        client.get_dossier(DOSSIER_ID)


def test_forbidden_is_a_clear_no_permission(server, client):
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = lambda: Response(
        json.dumps(
            {
                "timestamp": "2026-11-20T03:00:00.000+0000",
                "status": 403,
                "error": "Forbidden",
                "message": "Access Denied",
                "path": f"/pa/dossier/{DOSSIER_ID}/--online",
            }
        ),
        403,
        mimetype="application/json",
    )
    with pytest.raises(ServiceError) as info:
        client.get_dossier(DOSSIER_ID)
    assert info.value.message("vi") == "iGate không cho phép tài khoản của bạn thực hiện thao tác này."
    assert "Access Denied" in info.value.detail


def test_a_token_without_user_id_is_an_unlinked_account(server):
    bare = IGateClient(server.url, lambda: token({"sub": "f:0000:khanh"}), retry=RetryPolicy(attempts=1))
    with pytest.raises(AccountNotLinkedError):
        bare.me()


def test_a_bare_401_refreshes_the_token_once_then_asks_to_sign_in_again(server):
    class Session:
        def __init__(self):
            self.refreshes = 0

        def access_token(self):
            return token({"user_id": USER_ID, "n": self.refreshes})

        def force_refresh(self, stale=None):
            self.refreshes += 1

    session = Session()
    client = IGateClient(server.url, session, retry=RetryPolicy(attempts=1))
    answers = [Response('{"status": 401, "error": "Unauthorized"}', 401, mimetype="application/json")]
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = lambda: (
        answers.pop() if answers else load("dossier-online.json")
    )
    assert client.get_dossier(DOSSIER_ID).id == DOSSIER_ID and session.refreshes == 1
    server.routes[("GET", f"/pa/dossier/{DOSSIER_ID}/--online")] = lambda: Response(
        "{}", 401, mimetype="application/json"
    )
    with pytest.raises(SessionExpiredError):
        client.get_dossier(DOSSIER_ID)
    assert session.refreshes == 2
