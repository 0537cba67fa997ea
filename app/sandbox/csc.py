"""The sandbox remote-signing service: CSC API v1 endpoints under /csc/v1/ with the demo PKI's
keys, bearer tokens from the sandbox SSO, and a "phone" page under /phone/ where the signer
approves or rejects pending requests (see docs/api/csc.yaml)."""

from __future__ import annotations

import base64
import binascii
import time
from html import escape
from typing import Any

from cryptography.hazmat.primitives import hashes as crypto_hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils
from flask import Flask, Response, redirect, request

from app.sandbox import accounts
from app.sandbox.api_common import json_response
from app.sandbox.bearer import AccessTokenVerifier, InvalidAccessToken
from app.sandbox.csc_state import API, CREDENTIALS, PHONE, CscState, credential_id
from app.signing.remote.protocol import (
    APPROVED,
    HASH_NAMES,
    OID_RSA,
    OID_RSA_PSS,
    OID_SHA256_RSA,
    SPECS,
    PssParams,
)

LONG_POLL_MAX_S = 10.0
_DIGESTS: dict[str, crypto_hashes.HashAlgorithm] = {
    "sha256": crypto_hashes.SHA256(), "sha384": crypto_hashes.SHA384(), "sha512": crypto_hashes.SHA512(),
}


class CscError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def _b64decode(value, what: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise CscError(400, "invalid_request", f"Invalid base64 in {what}") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wait_of(data: dict) -> float:
    try:
        return min(LONG_POLL_MAX_S, max(0.0, float(data.get("wait", 0))))
    except (TypeError, ValueError):
        return 0.0


def _credentials_of(username: str) -> dict[str, str]:
    return {credential_id(username, name): name for name in CREDENTIALS.get(username, ())}


def create_csc_app(state: CscState, pki, verifier: AccessTokenVerifier, base_url: str) -> Flask:
    """`pki` is the running DemoPki; `base_url` is where this app listens (for `info`)."""
    app = Flask("lienthong-sandbox-csc")

    def body() -> dict:
        data = request.get_json(silent=True)
        if data is None and not request.data:
            return {}
        if not isinstance(data, dict):
            raise CscError(400, "invalid_request", "The body must be a JSON object")
        return data

    def user() -> str:
        try:
            claims = verifier.verify_header(request.headers.get("Authorization"))
        except InvalidAccessToken as exc:
            raise CscError(401, "invalid_token", str(exc)) from None
        account = accounts.by_subject(claims["sub"])
        if account is None:
            raise CscError(401, "invalid_token", "unknown subject")
        return account.username

    def owned(username: str, data: dict) -> tuple[str, str]:
        cred = str(data.get("credentialID") or "")
        name = _credentials_of(username).get(cred)
        if name is None:
            raise CscError(400, "invalid_request", "Invalid parameter credentialID")
        return cred, name

    @app.errorhandler(CscError)
    def _error(exc: CscError):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if exc.status == 401 else None
        return json_response({"error": exc.error, "error_description": exc.description}, exc.status, headers)

    @app.post(API + "/info")
    def info():
        return json_response({
            "specs": SPECS,
            "name": "LienThong Sandbox Remote Signing",
            "logo": "",
            "region": "VN",
            "lang": "vi-VN",
            "description": "Dịch vụ ký số từ xa dùng để tập huấn (khóa của CA thử nghiệm).",
            "authType": ["oauth2code"],
            "oauth2": verifier.issuer,
            "methods": ["info", "credentials/list", "credentials/info", "credentials/sendOTP",
                        "credentials/authorize", "credentials/authorize/status",
                        "credentials/authorize/cancel", "signatures/signHash"],
            "baseURL": base_url,
        })

    @app.post(API + "/credentials/list")
    def credentials_list():
        username = user()
        body()
        return json_response({"credentialIDs": list(_credentials_of(username))})

    @app.post(API + "/credentials/info")
    def credentials_info():
        username = user()
        data = body()
        cred, name = owned(username, data)
        leaf = pki.cert(name)
        chain = [leaf, pki.intermediate_cert, pki.root_cert]
        wanted = str(data.get("certificates", "single"))
        certs = [] if wanted == "none" else ([leaf] if wanted == "single" else chain)
        algos = [OID_RSA, OID_SHA256_RSA] + ([OID_RSA_PSS] if state.policy.pss else [])
        locked = state.is_locked(cred)
        answer: dict[str, Any] = {
            "description": f"{leaf.subject.native.get('common_name', '')} ({name})",
            "key": {"status": "disabled" if locked else "enabled", "algo": algos,
                    "len": leaf.public_key.bit_size},
            "cert": {"status": "valid", "certificates": [_b64(c.dump()) for c in certs]},
            "authMode": "explicit",
            "SCAL": "1",
            "multisign": state.policy.multisign,
            "lang": "vi-VN",
        }
        if data.get("certInfo"):
            answer["cert"].update({
                "issuerDN": leaf.issuer.human_friendly, "subjectDN": leaf.subject.human_friendly,
                "serialNumber": format(leaf.serial_number, "x"),
                "validFrom": leaf["tbs_certificate"]["validity"]["not_before"].native.strftime("%Y%m%d%H%M%SZ"),
                "validTo": leaf["tbs_certificate"]["validity"]["not_after"].native.strftime("%Y%m%d%H%M%SZ"),
            })
        if data.get("authInfo"):
            answer["PIN"] = {"presence": "false"}
            if state.policy.mode == "otp":
                answer["OTP"] = {"presence": "true", "type": "offline", "format": "N",
                                 "label": "Mã OTP (SMS)", "description": "Mã 6 chữ số gửi qua tin nhắn"}
            else:
                answer["OTP"] = {"presence": "false"}
                answer["confirmation"] = "mobile"
        return json_response(answer)

    @app.post(API + "/credentials/sendOTP")
    def send_otp():
        username = user()
        cred, _name = owned(username, body())
        if state.is_locked(cred):
            raise CscError(400, "credential_locked", "The credential is locked")
        state.send_otp(cred)
        return Response(status=204)

    @app.post(API + "/credentials/authorize")
    def authorize():
        username = user()
        data = body()
        cred, _name = owned(username, data)
        if state.is_locked(cred):
            raise CscError(400, "credential_locked", "The credential is locked")
        try:
            num = int(data.get("numSignatures", 0))
        except (TypeError, ValueError):
            num = 0
        if num < 1:
            raise CscError(400, "invalid_request", "Missing (or invalid type) integer parameter numSignatures")
        if num > state.policy.multisign:
            raise CscError(400, "invalid_request", "numSignatures exceeds multisign")
        raw_hashes = data.get("hash") or []
        if not isinstance(raw_hashes, list):
            raise CscError(400, "invalid_request", "hash must be an array")
        hashes = [_b64decode(h, "hash") for h in raw_hashes]
        if hashes and len(hashes) != num:
            raise CscError(400, "invalid_request", "numSignatures differs from the number of hashes")
        description = str(data.get("description") or "")[:500]
        if state.policy.mode == "otp":
            if "OTP" not in data:
                raise CscError(400, "invalid_request", "Missing string parameter OTP")
            verdict = state.check_otp(cred, str(data.get("OTP") or ""))
            if verdict == "locked":
                raise CscError(400, "credential_locked", "The credential is locked")
            if verdict == "expired":
                raise CscError(400, "invalid_otp", "The OTP has expired")
            if verdict == "invalid":
                raise CscError(400, "invalid_otp", "The OTP is invalid")
            sad = state.issue_sad(username, cred, num, hashes)
            return json_response({"SAD": sad, "expiresIn": state.policy.sad_ttl})
        req = state.create_request(username, cred, num, hashes, description)
        wait = _wait_of(data)
        if wait > 0:
            # The first long poll in the same round trip: a request decided by then (a policy
            # approving by itself) needs no `authorize/status`.
            decided = state.wait(req.request_id, username, wait)
            if decided is not None and decided.status == APPROVED:
                return json_response({"SAD": decided.sad, "expiresIn": state.policy.sad_ttl,
                                      "requestID": req.request_id, "fingerprint": req.fingerprint})
        return json_response({"requestID": req.request_id, "fingerprint": req.fingerprint,
                              "expiresIn": int(round(req.remaining(time.monotonic())))}, 202)

    @app.post(API + "/credentials/authorize/status")
    def authorize_status():
        username = user()
        data = body()
        req = state.wait(str(data.get("requestID") or ""), username, _wait_of(data))
        if req is None:
            raise CscError(400, "invalid_request", "Invalid parameter requestID")
        answer = {"status": req.status, "fingerprint": req.fingerprint,
                  "expiresIn": int(req.remaining(time.monotonic()))}
        if req.status == APPROVED:
            answer.update({"SAD": req.sad, "expiresIn": state.policy.sad_ttl})
        return json_response(answer)

    @app.post(API + "/credentials/authorize/cancel")
    def authorize_cancel():
        username = user()
        req = state.withdraw(str(body().get("requestID") or ""), username)
        if req is None:
            raise CscError(400, "invalid_request", "Invalid parameter requestID")
        return json_response({"status": req.status, "fingerprint": req.fingerprint})

    @app.post(API + "/signatures/signHash")
    def sign_hash():
        username = user()
        data = body()
        cred, name = owned(username, data)
        raw_hashes = data.get("hash")
        if not isinstance(raw_hashes, list) or not raw_hashes:
            raise CscError(400, "invalid_request", "Missing (or invalid type) array parameter hash")
        hashes = [_b64decode(h, "hash") for h in raw_hashes]
        digest_name = HASH_NAMES.get(str(data.get("hashAlgo") or ""))
        sign_algo = str(data.get("signAlgo") or "")
        if sign_algo == OID_SHA256_RSA and digest_name is None:
            digest_name = "sha256"
        if digest_name is None:
            raise CscError(400, "invalid_request", "Missing or unsupported hashAlgo")
        if sign_algo == OID_RSA_PSS:
            if not state.policy.pss:
                raise CscError(400, "invalid_request", "Unsupported signAlgo")
            try:
                params = PssParams.load(_b64decode(data.get("signAlgoParams", ""), "signAlgoParams"))
            except ValueError:
                raise CscError(400, "invalid_request", "Invalid signAlgoParams") from None
            if params.digest != digest_name:
                raise CscError(400, "invalid_request", "signAlgoParams digest differs from hashAlgo")
            pad: padding.AsymmetricPadding = padding.PSS(
                mgf=padding.MGF1(_DIGESTS[digest_name]), salt_length=params.salt_length
            )
        elif sign_algo in (OID_RSA, OID_SHA256_RSA):
            pad = padding.PKCS1v15()
        else:
            raise CscError(400, "invalid_request", "Unsupported signAlgo")
        size = _DIGESTS[digest_name].digest_size
        if any(len(h) != size for h in hashes):
            raise CscError(400, "invalid_request", "Hash length does not match hashAlgo")
        refusal = state.use_sad(str(data.get("SAD") or ""), username, cred, hashes)
        if refusal is not None:
            raise CscError(400, "invalid_request", f"Invalid SAD: {refusal}")
        key = pki.private_key(name)
        prehashed = utils.Prehashed(_DIGESTS[digest_name])
        return json_response({"signatures": [_b64(key.sign(h, pad, prehashed)) for h in hashes]})

    # ---- the signer's "phone" -------------------------------------------------------------

    @app.get(PHONE + "/")
    def phone_page():
        return Response(_phone_html(state), mimetype="text/html")

    @app.get(PHONE + "/requests.json")
    def phone_requests():
        now = time.monotonic()
        return json_response({"requests": [
            {"requestID": r.request_id, "username": r.username, "credentialID": r.credential_id,
             "fingerprint": r.fingerprint, "description": r.description,
             "numSignatures": r.num_signatures, "expiresIn": int(r.remaining(now))}
            for r in state.pending()
        ], "otps": {cred: code for cred, code in _otps(state).items()}})

    @app.post(PHONE + "/decide")
    def phone_decide():
        req = state.decide(request.form.get("requestID", ""), request.form.get("decision") == "approve")
        if req is None:
            return Response("unknown request", status=404, mimetype="text/plain")
        if request.form.get("json"):
            return json_response({"status": req.status, "fingerprint": req.fingerprint})
        return redirect(PHONE + "/", code=303)

    return app


def _otps(state: CscState) -> dict[str, str]:
    found = {}
    for username, names in CREDENTIALS.items():
        for name in names:
            cred = credential_id(username, name)
            code = state.last_otp(cred)
            if code:
                found[cred] = code
    return found


def _phone_html(state: CscState) -> str:
    now = time.monotonic()
    rows = []
    for req in state.pending():
        account = accounts.by_username(req.username)
        who = account.full_name if account else req.username
        rows.append(
            "<div class='req'>"
            f"<div class='fp'>{escape(req.fingerprint)}</div>"
            f"<div>{escape(who)} — {escape(req.credential_id)}</div>"
            f"<div>{escape(req.description)}</div>"
            f"<div>{req.num_signatures} chữ ký · còn {int(req.remaining(now)) // 60}:"
            f"{int(req.remaining(now)) % 60:02d}</div>"
            f"<form method='post' action='{PHONE}/decide'>"
            f"<input type='hidden' name='requestID' value='{escape(req.request_id)}'>"
            "<button name='decision' value='approve'>Đồng ý</button> "
            "<button name='decision' value='reject'>Từ chối</button></form></div>"
        )
    sms = "".join(f"<li>{escape(cred)}: <b>{escape(code)}</b></li>" for cred, code in _otps(state).items())
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'>"
        "<title>Xác nhận ký số (tập huấn)</title><style>"
        "body{font-family:Arial,sans-serif;max-width:420px;margin:auto;padding:12px}"
        ".req{border:1px solid #bbb;border-radius:8px;padding:10px;margin:10px 0}"
        ".fp{font-size:22px;font-weight:bold;letter-spacing:2px}</style></head><body>"
        "<h1>Yêu cầu ký số chờ xác nhận</h1>"
        + ("".join(rows) or "<p>Không có yêu cầu nào.</p>")
        + (f"<h2>Tin nhắn OTP</h2><ul>{sms}</ul>" if sms else "")
        + "</body></html>"
    )
