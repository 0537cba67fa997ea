"""The sandbox SSO: a Keycloak-shaped OIDC provider (realm "digo") built on Authlib."""

from __future__ import annotations

import time
from typing import Callable
from urllib.parse import urlencode

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from flask import Flask, Response, jsonify, redirect, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from app.sandbox import accounts, login_page
from app.sandbox.bearer import AccessTokenVerifier, InvalidAccessToken
from app.sandbox.db import Database
from app.sandbox.keys import public_jwks
from app.sandbox.sso_grants import (
    SCOPES,
    PublicClient,
    RefreshIdToken,
    S256Only,
    SandboxOpenIDCode,
    SandboxTokenGenerator,
    identity_claims,
    is_loopback_redirect,
    make_code_grant,
    make_refresh_grant,
    make_revocation_endpoint,
)

REALM_PATH = f"/auth/realms/{accounts.REALM}"
OIDC = REALM_PATH + "/protocol/openid-connect"


def create_sso_app(
    issuer: str,
    key: RSAKey,
    db: Database,
    access_token_ttl: int,
    refresh_token_ttl: int = 8 * 3600,
    *,
    clock: Callable[[], float] = time.time,
) -> Flask:
    app = Flask("lienthong-sandbox-sso")
    client = PublicClient()

    def query_client(client_id):
        return client if client_id == client.client_id else None

    def save_token(token, oauth_request):
        claims = jwt.decode(token["access_token"], key).claims
        # The login session carries over from the code to every rotated refresh token.
        origin = oauth_request.authorization_code or oauth_request.refresh_token
        sid = origin.row["sid"] if origin is not None else ""
        with db.connection() as conn:
            conn.execute(
                "INSERT INTO tokens (client_id, subject, scope, access_token, jti, refresh_token,"
                " issued_at, expires_in, sid) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    client.client_id,
                    claims["sub"],
                    token.get("scope", ""),
                    token["access_token"],
                    claims["jti"],
                    token.get("refresh_token"),
                    int(clock()),
                    int(token.get("expires_in", access_token_ttl)),
                    sid,
                ),
            )

    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_token_generator(
        "default", SandboxTokenGenerator(issuer, key, access_token_ttl, refresh_token_ttl)
    )
    server.register_grant(
        make_code_grant(db),
        [S256Only(required=True), SandboxOpenIDCode(issuer, key, db, require_nonce=False)],
    )
    server.register_grant(make_refresh_grant(db, refresh_token_ttl, clock), [RefreshIdToken(issuer, key, db)])
    server.register_endpoint(make_revocation_endpoint(db))
    verifier = AccessTokenVerifier(issuer, key, db, clock=clock)

    @app.get(REALM_PATH + "/.well-known/openid-configuration")
    def discovery():
        base = issuer + "/protocol/openid-connect"
        return jsonify(
            issuer=issuer,
            authorization_endpoint=base + "/auth",
            token_endpoint=base + "/token",
            userinfo_endpoint=base + "/userinfo",
            jwks_uri=base + "/certs",
            end_session_endpoint=base + "/logout",
            revocation_endpoint=base + "/revoke",
            response_types_supported=["code"],
            grant_types_supported=["authorization_code", "refresh_token"],
            code_challenge_methods_supported=["S256"],
            scopes_supported=list(SCOPES),
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            token_endpoint_auth_methods_supported=["none"],
            revocation_endpoint_auth_methods_supported=["none"],
            claims_supported=[
                "iss", "sub", "aud", "exp", "iat", "nonce", "preferred_username", "name",
                "email", "roles", "title", "organization",
            ],
        )

    @app.route(OIDC + "/auth", methods=["GET", "POST"])
    def authorize():
        try:
            grant = server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            if getattr(error, "redirect_uri", None):
                return server.handle_error_response(None, error)
            return Response(
                login_page.error_page(
                    "Yêu cầu đăng nhập không hợp lệ (ứng dụng hoặc địa chỉ chuyển hướng không được phép).",
                    f"{error.error}: {error.description or ''}",
                ),
                status=400,
                mimetype="text/html",
            )
        hidden = {k: v for k, v in request.values.items() if k not in ("username", "password")}
        if request.method == "GET":
            page = login_page.login_form(OIDC + "/auth", hidden, username=request.args.get("login_hint", ""))
            return Response(page, mimetype="text/html")
        username = request.form.get("username", "")
        account = accounts.check_password(username, request.form.get("password", ""))
        if account is None:
            page = login_page.login_form(
                OIDC + "/auth", hidden, username=username, error=login_page.WRONG_PASSWORD_VI
            )
            return Response(page, mimetype="text/html")
        return server.create_authorization_response(grant_user=account, grant=grant)

    @app.post(OIDC + "/token")
    def token():
        return server.create_token_response()

    @app.post(OIDC + "/revoke")
    def revoke():
        return server.create_endpoint_response("revocation")

    @app.get(OIDC + "/certs")
    def certs():
        return jsonify(public_jwks(key))

    @app.route(OIDC + "/userinfo", methods=["GET", "POST"])
    def userinfo():
        try:
            claims = verifier.verify_header(request.headers.get("Authorization"))
        except InvalidAccessToken:
            resp = jsonify(error="invalid_token", error_description="Access token is not valid.")
            resp.status_code = 401
            resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return resp
        account = accounts.by_subject(claims["sub"])
        if account is None:  # a valid token of an account the sandbox no longer has
            resp = jsonify(error="invalid_token", error_description="Unknown subject.")
            resp.status_code = 401
            resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return resp
        return jsonify(identity_claims(account, claims.get("scope", "")))

    @app.route(OIDC + "/logout", methods=["GET", "POST"])
    def logout():
        values = request.values
        with db.connection() as conn:
            sessions = set()
            refresh = values.get("refresh_token")
            if refresh:
                row = conn.execute("SELECT sid FROM tokens WHERE refresh_token = ?", (refresh,)).fetchone()
                if row is not None:
                    sessions.add(row["sid"])
            hint = values.get("id_token_hint")
            if hint:
                try:
                    sessions.add(jwt.decode(hint, key).claims.get("sid"))
                except (JoseError, ValueError):
                    pass
            # End those login sessions only; other sessions of the same officer live on.
            for sid in sessions - {None, ""}:
                conn.execute(
                    "UPDATE tokens SET refresh_revoked = 1, access_revoked = 1 WHERE sid = ?", (sid,)
                )
        target = values.get("post_logout_redirect_uri")
        if target and is_loopback_redirect(target):
            state = values.get("state")
            sep = "&" if "?" in target else "?"
            return redirect(target + (sep + urlencode({"state": state}) if state else ""))
        if request.method == "POST":
            return Response(status=204)
        return Response(login_page.signed_out_page(), mimetype="text/html")

    return app
