"""What the iGate and iDesk apps share: bearer auth, a DB connection per request, JSON errors."""

from __future__ import annotations

import json
from typing import Callable

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from app.sandbox.bearer import AccessTokenVerifier, InvalidAccessToken
from app.sandbox.db import Database


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


_HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    413: ("file_too_large", "Tệp quá lớn; giới hạn là 100 MB."),
    500: ("server_error", "Lỗi máy chủ; vui lòng thử lại sau."),
}


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status=status, headers=headers or {}, mimetype="application/json")


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    return json_response({"error": code, "message": message}, status, headers)


def setup_api(
    app: Flask,
    db: Database,
    verifier: AccessTokenVerifier,
    resolve_user: Callable[[dict], object],
) -> None:
    """Every route needs a valid bearer token; `resolve_user` maps claims to the app's user
    (raising ApiError when the account is not known there)."""

    @app.before_request
    def _authenticate():
        try:
            claims = verifier.verify_header(request.headers.get("Authorization"))
        except InvalidAccessToken:
            return error_response(
                401,
                "invalid_token",
                "Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        g.claims = claims
        g.user = resolve_user(claims)
        g.db = db.acquire()

    @app.teardown_request
    def _close(_exc):
        conn = g.pop("db", None)
        if conn is not None:
            db.release(conn)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code, message = _HTTP_MESSAGES.get(exc.code or 500, ("error", exc.description or "Lỗi."))
        return error_response(exc.code or 500, code, message)


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


def int_arg(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_request", f"Tham số '{name}' phải là số nguyên.") from None
    if not minimum <= value <= maximum:
        raise ApiError(400, "bad_request", f"Tham số '{name}' phải từ {minimum} đến {maximum}.")
    return value
