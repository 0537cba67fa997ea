"""The sandbox remote-signing service (CSC API v1) over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import threading
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from app.sandbox.csc_state import CscPolicy
from app.sandbox.server import Sandbox
from app.signing.remote.protocol import OID_RSA, OID_RSA_PSS, OID_SHA256, PssParams, fingerprint
from tests.fixtures.sandbox import sandbox_tokens


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    sandbox = Sandbox(tmp_path_factory.mktemp("csc-sandbox"), pki=True).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def csc(box):
    box.csc.policy = CscPolicy()
    return box


class Api:
    def __init__(self, box, username: str) -> None:
        self.base = box.csc_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + sandbox_tokens(box, username).access

    def post(self, method: str, **payload):
        return self.http.post(self.base + method, json=payload, timeout=30)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def leaf_key(box, name):
    return box.pki_services.pki.user(name).x509.public_key()


def test_info_list_and_credential_info(csc):
    info = requests.post(csc.csc_url + "info", json={}, timeout=10).json()
    assert info["specs"] == "1.0.4.0" and info["oauth2"] == csc.issuer
    api = Api(csc, "maipt")
    assert api.post("credentials/list").json()["credentialIDs"] == ["maipt-clerk", "maipt-seal"]
    data = api.post("credentials/info", credentialID="maipt-seal", certificates="chain",
                    authInfo=True, certInfo=True).json()
    assert data["key"]["status"] == "enabled" and OID_RSA_PSS in data["key"]["algo"]
    assert len(data["cert"]["certificates"]) == 3 and data["OTP"]["presence"] == "false"
    assert "LienThong Demo CA" in data["cert"]["issuerDN"]
    # Another officer's credential is not theirs to use.
    other = api.post("credentials/info", credentialID="tuanlv-leader")
    assert other.status_code == 400 and other.json()["error"] == "invalid_request"
    assert requests.post(csc.csc_url + "credentials/list", json={}, timeout=10).status_code == 401


def test_phone_approval_binds_the_hash_and_signs_pkcs1(csc):
    api = Api(csc, "tuanlv")
    digest = hashlib.sha256(b"to trinh").digest()
    pending = api.post("credentials/authorize", credentialID="tuanlv-leader", numSignatures=1,
                       hash=[b64(digest)], description="Ký 1 văn bản")
    assert pending.status_code == 202
    body = pending.json()
    assert body["fingerprint"] == fingerprint([digest]) and 290 <= body["expiresIn"] <= 300
    phone = requests.get(csc.phone_url, timeout=10).text
    assert body["fingerprint"] in phone and "Lê Văn Tuấn" in phone
    still = api.post("credentials/authorize/status", requestID=body["requestID"], wait=0).json()
    assert still["status"] == "pending"
    # The phone page's own form, as the signer presses "Đồng ý".
    pressed = requests.post(csc.phone_url + "decide", data={"requestID": body["requestID"], "decision": "approve"},
                            timeout=10)
    assert pressed.status_code == 200 and body["fingerprint"] not in pressed.text
    done = api.post("credentials/authorize/status", requestID=body["requestID"], wait=5).json()
    assert done["status"] == "approved" and done["SAD"]
    other = hashlib.sha256(b"something else").digest()
    refused = api.post("signatures/signHash", credentialID="tuanlv-leader", SAD=done["SAD"],
                       hash=[b64(other)], hashAlgo=OID_SHA256, signAlgo=OID_RSA)
    assert refused.status_code == 400 and "not authorized" in refused.json()["error_description"]
    signed = api.post("signatures/signHash", credentialID="tuanlv-leader", SAD=done["SAD"],
                      hash=[b64(digest)], hashAlgo=OID_SHA256, signAlgo=OID_RSA).json()
    signature = base64.b64decode(signed["signatures"][0])
    leaf_key(csc, "leader").verify(signature, digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    again = api.post("signatures/signHash", credentialID="tuanlv-leader", SAD=done["SAD"],
                     hash=[b64(digest)], hashAlgo=OID_SHA256, signAlgo=OID_RSA)
    assert again.status_code == 400  # one signature was authorized, one was made


def test_long_poll_answers_when_the_phone_decides(csc):
    api = Api(csc, "hoant")
    body = api.post("credentials/authorize", credentialID="hoant-specialist", numSignatures=2,
                    description="Ký 2 văn bản").json()
    assert body["fingerprint"] == fingerprint([], "Ký 2 văn bản")
    answers = []
    poll = threading.Thread(target=lambda: answers.append(
        api.post("credentials/authorize/status", requestID=body["requestID"], wait=10).json()))
    poll.start()
    csc.csc.decide(body["requestID"], approve=False)
    poll.join(15)
    assert answers and answers[0]["status"] == "rejected" and "SAD" not in answers[0]


def test_a_withdrawn_request_leaves_the_phone_and_cannot_be_approved(csc):
    api = Api(csc, "tuanlv")
    body = api.post("credentials/authorize", credentialID="tuanlv-leader", numSignatures=1,
                    hash=[b64(hashlib.sha256(b"rut lai").digest())], description="Ký 1 văn bản").json()
    assert body["fingerprint"] in requests.get(csc.phone_url, timeout=10).text
    answers = []
    poll = threading.Thread(target=lambda: answers.append(
        api.post("credentials/authorize/status", requestID=body["requestID"], wait=10).json()))
    poll.start()
    # Another account cannot withdraw it.
    assert Api(csc, "hoant").post("credentials/authorize/cancel", requestID=body["requestID"]).status_code == 400
    withdrawn = api.post("credentials/authorize/cancel", requestID=body["requestID"])
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    poll.join(15)
    assert answers and answers[0]["status"] == "withdrawn" and "SAD" not in answers[0]
    assert body["fingerprint"] not in requests.get(csc.phone_url, timeout=10).text
    listed = requests.get(csc.phone_url + "requests.json", timeout=10).json()["requests"]
    assert body["requestID"] not in [r["requestID"] for r in listed]
    pressed = requests.post(csc.phone_url + "decide", data={"requestID": body["requestID"], "decision": "approve",
                                                             "json": "1"}, timeout=10)
    assert pressed.json()["status"] == "withdrawn"
    status = api.post("credentials/authorize/status", requestID=body["requestID"], wait=0).json()
    assert status["status"] == "withdrawn" and "SAD" not in status
    unknown = api.post("credentials/authorize/cancel", requestID="nope")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_request"


def test_requests_expire(csc):
    csc.csc.policy.expires_in = 1
    api = Api(csc, "hoant")
    body = api.post("credentials/authorize", credentialID="hoant-specialist", numSignatures=1,
                    description="x").json()
    status = api.post("credentials/authorize/status", requestID=body["requestID"], wait=5).json()
    assert status["status"] == "expired"


def test_batch_sad_counts_signatures_and_pss(csc):
    csc.csc.policy.mode = "auto"
    api = Api(csc, "tuanlv")
    body = api.post("credentials/authorize", credentialID="tuanlv-leader", numSignatures=3,
                    description="Ký 3 văn bản").json()
    sad = api.post("credentials/authorize/status", requestID=body["requestID"], wait=5).json()["SAD"]
    key = leaf_key(csc, "leader")
    params = PssParams("sha256", 32)
    for n in range(3):
        digest = hashlib.sha256(bytes([n])).digest()
        out = api.post("signatures/signHash", credentialID="tuanlv-leader", SAD=sad, hash=[b64(digest)],
                       hashAlgo=OID_SHA256, signAlgo=OID_RSA_PSS, signAlgoParams=b64(params.dump())).json()
        key.verify(base64.b64decode(out["signatures"][0]), digest,
                   padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), utils.Prehashed(hashes.SHA256()))
    fourth = api.post("signatures/signHash", credentialID="tuanlv-leader", SAD=sad,
                      hash=[b64(hashlib.sha256(b"4").digest())], hashAlgo=OID_SHA256, signAlgo=OID_RSA)
    assert fourth.status_code == 400
    too_many = api.post("credentials/authorize", credentialID="tuanlv-leader", numSignatures=51, description="x")
    assert too_many.status_code == 400


def test_otp_right_wrong_and_locked(csc):
    csc.csc.policy.mode = "otp"
    api = Api(csc, "hoant")
    cred = "hoant-specialist"
    assert api.post("credentials/info", credentialID=cred, authInfo=True).json()["OTP"]["presence"] == "true"
    assert api.post("credentials/sendOTP", credentialID=cred).status_code == 204
    code = csc.csc.last_otp(cred)
    assert code in requests.get(csc.phone_url, timeout=10).text
    ok = api.post("credentials/authorize", credentialID=cred, numSignatures=1, OTP=code)
    assert ok.status_code == 200 and ok.json()["SAD"]
    api.post("credentials/sendOTP", credentialID=cred)
    for expected in ("invalid_otp", "invalid_otp", "credential_locked"):
        wrong = api.post("credentials/authorize", credentialID=cred, numSignatures=1, OTP="000000x")
        assert wrong.json()["error"] == expected
    assert api.post("credentials/info", credentialID=cred).json()["key"]["status"] == "disabled"
    csc.csc.unlock(cred)


def _operations_of_spec(spec: dict) -> set[tuple[str, str]]:
    return {(m.upper(), path) for path, item in spec["paths"].items() for m in item if m in ("get", "post")}


def _operations_of_app(app) -> set[tuple[str, str]]:
    return {(m, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for m in rule.methods - {"HEAD", "OPTIONS"}}


def test_docs_describe_every_route(csc):
    import yaml
    from openapi_spec_validator import validate as validate_spec

    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "api" / "csc.yaml").read_text("utf-8"))
    validate_spec(spec)
    assert _operations_of_app(csc.apps["csc"]) == _operations_of_spec(spec)
