"""The sandbox agrees with docs/api/*.yaml: same routes, and real responses match the schemas."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

import pytest
import requests
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from tests.fixtures.sandbox import sandbox_tokens

API_DIR = Path(__file__).resolve().parents[2] / "docs" / "api"
METHODS = ("get", "post", "put", "patch", "delete")


def _load(name: str) -> dict:
    return yaml.safe_load((API_DIR / name).read_text(encoding="utf-8"))


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", re.sub(r"<(?:[^:>]+:)?[^>]+>", "{}", path))


def _spec_operations(spec: dict, prefix: str) -> set[tuple[str, str]]:
    return {(m.upper(), _template(prefix + path)) for path, item in spec["paths"].items() for m in item if m in METHODS}


def _app_operations(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method, _template(rule.rule)))
    return found


@pytest.mark.parametrize("name", ["igate.yaml", "idesk.yaml"])
def test_specs_are_valid_openapi_31(name):
    spec = _load(name)
    assert spec["openapi"].startswith("3.1")
    validate_spec(spec)


@pytest.mark.parametrize("server, name, prefix", [("igate", "igate.yaml", ""), ("idesk", "idesk.yaml", "/api/v1")])
def test_every_route_is_described_and_vice_versa(sandbox, server, name, prefix):
    described = _spec_operations(_load(name), prefix)
    served = _app_operations(sandbox.apps[server])
    assert served - described == set(), "served but not described"
    assert described - served == set(), "described but not served"


class Checker:
    """Sends requests and validates each JSON answer against the spec's schema for its status."""

    def __init__(self, spec: dict, base: str, prefix: str, token: str) -> None:
        self.spec, self.base, self.prefix = spec, base, prefix
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.operations = {}
        for path, item in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(prefix + path)) + "$")
            for method in item:
                if method in METHODS:
                    self.operations[(method.upper(), pattern)] = (path, item[method])
        self.checked: set[tuple[str, str, int]] = set()

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            target = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def call(self, method: str, path: str, *, token: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        answer = self.session.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        full = "/" + (self.base + path).split("/", 3)[3].split("?")[0]
        matches = [(p, op) for (m, pat), (p, op) in self.operations.items() if m == method and pat.match(full)]
        assert matches, f"{method} {full} is not in the spec"
        spec_path, operation = matches[0]
        responses = operation["responses"]
        assert str(answer.status_code) in responses, f"{method} {spec_path}: status {answer.status_code} not described"
        described = self._resolve(responses[str(answer.status_code)])
        content = described.get("content", {})
        if "application/json" in content:
            assert answer.headers["Content-Type"].startswith("application/json")
            schema = dict(content["application/json"]["schema"], components=self.spec["components"])
            Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(answer.json())
        self.checked.add((method, spec_path, answer.status_code))
        return answer

    def uncovered_successes(self) -> set[tuple[str, str, int]]:
        wanted = {(m.upper(), path, int(code)) for path, item in self.spec["paths"].items()
                  for m, op in item.items() if m in METHODS for code in op["responses"] if code.startswith("2")}
        return wanted - self.checked


def test_walk_through_igate_matches_schemas(make_sandbox):
    from app.sandbox import accounts, seed_data

    box = make_sandbox()
    hoa = sandbox_tokens(box, "hoant").access
    ig = Checker(_load("igate.yaml"), box.igate_url, "", hoa)
    hoa_id = accounts.by_username("hoant").igate_id
    ig.call("GET", f"hu/user/{hoa_id}/--fully")
    assert ig.call("GET", f"hu/user/{hoa_id}/--fully", token=sandbox_tokens(box, "khanhdq").access).status_code == 401
    assert ig.call("GET", f"hu/user/{hoa_id}/--fully", token="bad").status_code == 401
    assert ig.call("GET", f"hu/user/{'0' * 24}/--fully").status_code == 404
    processing = ig.call("GET", "pa/dossier/search", params={
        "spec": "page", "dossier-status": "2", "task-assignee-id": hoa_id, "size": 5,
        "ancestor-agency-id": seed_data.AGENCY_ID, "isAgencySearch": "true"}).json()
    ig.call("GET", "pa/dossier/search", params={"spec": "slice", "applicant-name": "nguyen", "page": 1, "size": 3})
    assert ig.call("GET", "pa/dossier/search", params={"size": "x"}).status_code == 400
    returned = ig.call("GET", "pa/dossier/search", params={"dossier-status": "4", "size": 1}).json()["content"][0]
    dossier = ig.call("GET", f"pa/dossier/{processing['content'][0]['id']}/--online").json()
    ig.call("GET", "pa/dossier/search", params={"spec": "slice", "size": 2, "code-match": dossier["code"]})
    assert ig.call("GET", f"pa/dossier/{'0' * 24}/--online").status_code == 404
    stored = ig.call(
        "POST", "fi/file/--multiple", files=[("files", ("a.pdf", b"%PDF a")), ("files", ("b.pdf", b"%PDF b"))]
    ).json()
    assert ig.call("POST", "fi/file/--multiple", files={"x": ("a", b"a")}).status_code == 400
    one = ig.call("POST", "fi/file/", files={"file": ("c.pdf", b"%PDF c")}).json()
    assert ig.call("POST", "fi/file/", files={"x": ("a", b"a")}).status_code == 400
    assert ig.call("GET", f"fi/file/{stored[0]['id']}").content == b"%PDF a"
    assert ig.call("GET", "fi/file/none").status_code == 404
    ig.call("GET", f"fi/file/{one['id']}/filename+size")
    assert ig.call("GET", "fi/file/none/filename+size").status_code == 404
    dossier["dossierFormFile"].append({"procedureForm": seed_data.RESULT_FORM, "file": [stored[0]]})
    ig.call("PUT", f"pa/dossier/{dossier['id']}", json=dossier)
    assert ig.call("PUT", f"pa/dossier/{dossier['id']}", json={"dossierFormFile": "x"}).status_code == 400
    assert ig.call("PUT", f"pa/dossier/{'0' * 24}", json=dossier).status_code == 404
    finished = ig.call("GET", f"pa/dossier/{returned['id']}/--online").json()
    finished["dossierFormFile"].append({"procedureForm": seed_data.RESULT_FORM, "file": [stored[1]]})
    assert ig.call("PUT", f"pa/dossier/{returned['id']}", json=finished).status_code == 409
    ig.call("GET", "lo/history", params={"group-id": 1, "item-id": dossier["id"]})
    assert ig.call("GET", "lo/history", params={"group-id": "x", "item-id": dossier["id"]}).status_code == 400
    comment = {"groupId": 1, "itemId": dossier["id"], "content": "Liên Thông Desk: thử"}
    assert ig.call("POST", "me/comment", json=comment).status_code == 201
    assert ig.call("POST", "me/comment", json=comment | {"itemId": "0" * 24}).status_code == 404
    assert ig.call("POST", "me/comment", json={"groupId": 2}).status_code == 400
    ig.call("GET", "me/comment", params={"group-id": 1, "item-id": dossier["id"]})
    assert ig.call("GET", "me/comment", params={"group-id": "x"}).status_code == 400
    assert ig.uncovered_successes() == set()


def test_walk_through_idesk_matches_schemas(make_sandbox):
    box = make_sandbox()
    spec = _load("idesk.yaml")
    hoa = Checker(spec, box.idesk_url, "/api/v1", sandbox_tokens(box, "hoant").access)
    mai = Checker(spec, box.idesk_url, "/api/v1", sandbox_tokens(box, "maipt").access)
    hoa.call("GET", "me")
    assert hoa.call("GET", "me", token="bad").status_code == 401
    for folder in ("drafts", "outgoing-processing", "outgoing-tracking", "archive"):
        hoa.call("GET", "documents", params={"folder": folder})
    assert hoa.call("GET", "documents", params={"folder": "bin"}).status_code == 400
    listed = hoa.call("GET", "documents", params={"size": 200}).json()["items"]
    code = next(d["dossierCode"] for d in listed if d["dossierCode"])
    hoa.call("GET", "result-files", params={"dossierCode": code})
    hoa.call("GET", f"documents/{listed[0]['id']}")
    assert hoa.call("GET", "documents/none").status_code == 404
    stored = hoa.call("POST", "files", files={"file": ("a.pdf", b"%PDF walk")}).json()
    assert hoa.call("POST", "files", files={"other": ("a", b"a")}).status_code == 400
    hoa.call("GET", f"files/{stored['fileId']}")
    assert hoa.call("GET", "files/none").status_code == 404
    key = uuid.uuid4().hex
    body = {
        "summary": "Đăng ký hộ kinh doanh",
        "dossierCode": code,
        "form": "Quyết định",
        "urgency": "Thường",
        "attachments": [{"fileId": stored["fileId"], "filename": "a.pdf", "kind": "source"}],
    }
    doc = hoa.call("POST", "documents", json=body, headers={"Idempotency-Key": key}).json()
    assert hoa.call("POST", "documents", json=body, headers={"Idempotency-Key": key}).status_code == 200
    assert hoa.call("POST", "documents", json={"summary": ""}).status_code == 400
    new_att = {"fileId": stored["fileId"], "filename": "kq.pdf", "kind": "result"}
    att = hoa.call("POST", f"documents/{doc['id']}/attachments", json=new_att, headers={"Idempotency-Key": "a1"}).json()
    assert (
        hoa.call(
            "POST", f"documents/{doc['id']}/attachments", json=new_att, headers={"Idempotency-Key": "a1"}
        ).status_code
        == 200
    )
    assert hoa.call("POST", f"documents/{doc['id']}/attachments", json={"fileId": "none"}).status_code == 400
    assert hoa.call("POST", "documents/none/attachments", json=new_att).status_code == 404
    role = f"documents/{doc['id']}/attachments/{att['id']}"
    assert hoa.call("PATCH", role, json={"role": "main"}).json()["role"] == "main"
    assert hoa.call("PATCH", role, json={"role": "chief"}).status_code == 400
    assert hoa.call("PATCH", f"documents/{doc['id']}/attachments/none", json={"role": "main"}).status_code == 404
    version = {"fileId": stored["fileId"], "note": "signed:leader"}
    path = f"documents/{doc['id']}/attachments/{att['id']}/versions"
    assert hoa.call("POST", path, json=version, headers={"Idempotency-Key": "v1"}).status_code == 201
    assert hoa.call("POST", path, json=version, headers={"Idempotency-Key": "v1"}).status_code == 200
    assert hoa.call("POST", path, json={"fileId": "none"}).status_code == 400
    assert hoa.call("POST", f"documents/{doc['id']}/attachments/none/versions", json=version).status_code == 404
    hoa.call("GET", "result-files", params={"dossierCode": code})
    transfer = {"dossierCode": code, "attachmentIds": [att["id"]], "igateFileIds": ["x"]}
    assert (
        hoa.call(
            "POST", f"documents/{doc['id']}/igate-transfers", json=transfer, headers={"Idempotency-Key": "t"}
        ).status_code
        == 201
    )
    assert (
        hoa.call(
            "POST", f"documents/{doc['id']}/igate-transfers", json=transfer, headers={"Idempotency-Key": "t"}
        ).status_code
        == 200
    )
    assert hoa.call("POST", f"documents/{doc['id']}/igate-transfers", json={"dossierCode": ""}).status_code == 400
    assert hoa.call("POST", "documents/none/igate-transfers", json=transfer).status_code == 404
    assert hoa.call("POST", f"documents/{doc['id']}/forward", json={"to": "x"}).status_code == 400
    assert hoa.call("POST", "documents/none/forward", json={"to": "clerk"}).status_code == 404
    hoa.call("POST", f"documents/{doc['id']}/forward", json={"to": "clerk", "note": ""})
    assert hoa.call("GET", "numbers/next", params={"symbol": "KH-STTTT"}).status_code == 403
    assert mai.call("GET", "numbers/next", params={"symbol": ""}).status_code == 400
    number = mai.call("GET", "numbers/next", params={"symbol": "QĐ-STTTT", "year": date.today().year}).json()["number"]
    assert (
        hoa.call(
            "POST", f"documents/{doc['id']}/release", json={"number": number, "date": date.today().isoformat()}
        ).status_code
        == 403
    )
    assert (
        mai.call("POST", f"documents/{doc['id']}/release", json={"number": "x", "date": "2026-01-01"}).status_code
        == 400
    )
    assert mai.call("POST", "documents/none/release", json={"number": number, "date": "2026-01-01"}).status_code == 404
    numbering = f"documents/{doc['id']}/number"
    assert hoa.call("POST", numbering, json={"number": number, "date": date.today().isoformat()}).status_code == 403
    assert mai.call("POST", numbering, json={"number": "x", "date": "2026-01-01"}).status_code == 400
    assert mai.call("POST", numbering, json={"number": number, "date": date.today().isoformat()}).status_code == 200
    assert (
        mai.call(
            "POST", f"documents/{doc['id']}/release", json={"number": number, "date": date.today().isoformat()}
        ).status_code
        == 200
    )
    assert (
        mai.call(
            "POST", f"documents/{doc['id']}/release", json={"number": number, "date": date.today().isoformat()}
        ).status_code
        == 409
    )
    assert hoa.call("POST", f"documents/{doc['id']}/forward", json={"to": "clerk"}).status_code == 409
    assert hoa.uncovered_successes() - mai.checked == set()
