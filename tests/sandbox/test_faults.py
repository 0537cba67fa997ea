"""Fault injection: each mode does what it says, on the next matching request(s) only."""

from __future__ import annotations

import time
import uuid

import pytest
import requests


@pytest.fixture
def faults(sandbox):
    sandbox.faults.clear()
    yield sandbox.faults
    sandbox.faults.clear()


def _records(sandbox, since: int, server: str, method: str, path_end: str):
    return [r for r in sandbox.request_log.after(since) if r.server == server and r.method == method
            and r.path.endswith(path_end)]


def test_error_503_then_normal(sandbox, faults, idesk_as):
    api = idesk_as("hoant")
    faults.add("idesk", "GET", r"/me$", "error-503", count=2)
    assert api.get("me").status_code == 503
    assert api.get("me").status_code == 503
    answer = api.get("me")
    assert answer.status_code == 200
    assert api.get("documents").status_code == 200


def test_503_is_not_processed(sandbox, faults, idesk_as):
    api = idesk_as("hoant")
    key = uuid.uuid4().hex
    faults.add("idesk", "POST", r"/documents$", "error-503")
    body = {"summary": f"503 {key}", "attachments": []}
    assert api.post("documents", json=body, headers={"Idempotency-Key": key}).status_code == 503
    assert api.get("documents", params={"q": key}).json()["total"] == 0


def test_delay(sandbox, faults, igate_as):
    api = igate_as("hoant")
    faults.add("igate", "GET", r"^/me/comment$", "delay:0.6")
    start = time.monotonic()
    assert api.get("me/comment").status_code == 200
    assert time.monotonic() - start >= 0.6
    start = time.monotonic()
    api.get("me/comment")
    assert time.monotonic() - start < 0.5
    with pytest.raises(requests.Timeout):
        faults.add("igate", "GET", r"^/me/comment$", "delay:1.5")
        api.session.get(api.url("me/comment"), timeout=0.3)


def test_drop_request_mid_upload_stores_nothing(sandbox, faults, idesk_as):
    api = idesk_as("hoant")
    since = sandbox.request_log.mark()
    faults.add("idesk", "POST", r"/files$", "drop-request")
    with pytest.raises(requests.ConnectionError):
        api.post("files", files={"file": ("big.pdf", b"%PDF" + b"x" * (4 << 20))})
    assert [r.status for r in _records(sandbox, since, "idesk", "POST", "/files")] == [0]
    retry = api.post("files", files={"file": ("big.pdf", b"%PDF" + b"x" * 1000)})
    assert retry.status_code == 201


def test_drop_request_does_no_work(sandbox, faults, idesk_as):
    api = idesk_as("hoant")
    key = uuid.uuid4().hex
    faults.add("idesk", "POST", r"/documents$", "drop-request")
    with pytest.raises(requests.ConnectionError):
        api.post("documents", json={"summary": f"drop {key}"}, headers={"Idempotency-Key": key})
    assert api.get("documents", params={"q": key}).json()["total"] == 0


def test_drop_response_commits_the_work(sandbox, faults, idesk_as):
    api = idesk_as("hoant")
    key = uuid.uuid4().hex
    since = sandbox.request_log.mark()
    faults.add("idesk", "POST", r"/documents$", "drop-response")
    body = {"summary": f"drop-response {key}", "attachments": []}
    with pytest.raises(requests.ConnectionError):
        api.post("documents", json=body, headers={"Idempotency-Key": key})
    assert api.get("documents", params={"q": key}).json()["total"] == 1
    retry = api.post("documents", json=body, headers={"Idempotency-Key": key})
    assert retry.status_code == 200
    statuses = [r.status for r in _records(sandbox, since, "idesk", "POST", "/documents")]
    assert statuses == [201, 200]  # exactly one created the draft
    assert api.get("documents", params={"q": key}).json()["total"] == 1


def test_drop_response_on_sso_token(sandbox, faults, login_as):
    from tests.fixtures.sandbox import sandbox_tokens

    faults.add("sso", "POST", r"/token$", "drop-response")
    with pytest.raises(requests.ConnectionError):
        sandbox_tokens(sandbox, "hoant")
    assert sandbox_tokens(sandbox, "hoant").access


def test_rules_match_server_method_and_path(sandbox, faults, igate_as, idesk_as):
    faults.add("igate", "POST", r"/me/comment$", "error-503")
    assert idesk_as("hoant").get("me").status_code == 200
    assert igate_as("hoant").get("me/comment", params={"group-id": 1, "item-id": "x"}).status_code == 200
    faults.clear()
    assert igate_as("hoant").post("me/comment", json={}).status_code == 400


def test_bad_rules_are_refused(faults):
    with pytest.raises(ValueError):
        faults.add("mail", "GET", ".*", "error-503")
    with pytest.raises(ValueError):
        faults.add("igate", "GET", ".*", "explode")
    with pytest.raises(ValueError):
        faults.add("igate", "GET", ".*", "delay:soon")


def test_drop_request_cuts_a_large_igate_upload(sandbox, faults, igate_as):
    api = igate_as("hoant")
    with sandbox.db.connection() as conn:
        before = conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    faults.add("igate", "POST", r"^/fi/file/--multiple$", "drop-request")
    with pytest.raises(requests.ConnectionError):
        api.post("fi/file/--multiple", files={"files": ("lon.pdf", b"%PDF" + bytes(20 << 20))})
    with sandbox.db.connection() as conn:
        assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == before
    assert list(sandbox.blobs.root.glob("*.part")) == []


@pytest.mark.parametrize("fresh_sandbox", [{"request_log_limit": 3}], indirect=True)
def test_request_log_keeps_only_the_latest(fresh_sandbox):
    log = fresh_sandbox.request_log
    well_known = fresh_sandbox.issuer + "/.well-known/openid-configuration"
    requests.get(well_known, timeout=10)
    since = log.mark()
    for n in range(5):
        requests.get(f"{fresh_sandbox.igate_url}nothing-{n}", timeout=10)
    assert len(log) == 3 and log.dropped == 3
    assert [r.path for r in log] == ["/nothing-2", "/nothing-3", "/nothing-4"]
    assert [r.path for r in log.after(since)] == ["/nothing-2", "/nothing-3", "/nothing-4"]
    assert log.after(log.mark() - 1) == [log[-1]]
    fresh_sandbox.reset()
    assert len(log) == 0 and log.after(since) == [] and log.mark() == 6
