"""OpenID Connect discovery: the provider's endpoints, read once from its well-known document."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ConfigError, ServiceUnavailableError
from app.services.httpclient import HttpClient, TransportError
from app.services.transport import require_allowed_url

SSO_NAME = "SSO"


@dataclass(frozen=True)
class ProviderMetadata:
    """What the SSO provider publishes at its well-known address: its endpoints and what it supports."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""
    revocation_endpoint: str = ""
    id_token_algs: tuple[str, ...] = ("RS256",)
    code_challenge_methods: tuple[str, ...] = ()


def well_known_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def parse_metadata(issuer: str, data: object) -> ProviderMetadata:
    """Check the document belongs to `issuer` (OIDC Discovery 4.3) and keep what the app uses."""
    if not isinstance(data, dict) or data.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise ConfigError(
            "Máy chủ SSO trả về cấu hình của một nhà cung cấp khác; không đăng nhập để tránh giả mạo.",
            "The SSO server described a different issuer; refusing to sign in to avoid spoofing.",
            detail=f"expected issuer {issuer!r}, got {data.get('issuer') if isinstance(data, dict) else data!r}",
        )
    try:
        meta = ProviderMetadata(
            issuer=data["issuer"],
            authorization_endpoint=data["authorization_endpoint"],
            token_endpoint=data["token_endpoint"],
            jwks_uri=data["jwks_uri"],
            userinfo_endpoint=data.get("userinfo_endpoint", ""),
            end_session_endpoint=data.get("end_session_endpoint", ""),
            revocation_endpoint=data.get("revocation_endpoint", ""),
            id_token_algs=tuple(data.get("id_token_signing_alg_values_supported") or ("RS256",)),
            code_challenge_methods=tuple(data.get("code_challenge_methods_supported") or ()),
        )
    except KeyError as exc:
        raise ConfigError(
            "Cấu hình của máy chủ SSO thiếu thông tin cần thiết.",
            "The SSO server's configuration lacks a required endpoint.",
            detail=f"missing {exc.args[0]}",
        ) from exc
    # Every endpoint the app may call, optional ones included: userinfo gets the access token.
    for url in (meta.authorization_endpoint, meta.token_endpoint, meta.jwks_uri, meta.userinfo_endpoint,
                meta.end_session_endpoint, meta.revocation_endpoint):
        if url:
            require_allowed_url(url, "SSO")
    return meta


def fetch_metadata(http: HttpClient, issuer: str, *, timeout: float, verify: bool | str) -> ProviderMetadata:
    url = require_allowed_url(well_known_url(issuer), "SSO")
    try:
        resp = http.get(url, timeout=timeout, verify=verify, headers={"Accept": "application/json"},
                        allow_redirects=True)
    except TransportError as exc:
        raise ServiceUnavailableError(SSO_NAME, detail=f"GET {url}: {exc}") from exc
    if resp.status_code >= 500:
        raise ServiceUnavailableError(SSO_NAME, detail=f"GET {url}: HTTP {resp.status_code}")
    if resp.status_code != 200:
        raise ConfigError(
            "Không đọc được cấu hình của máy chủ SSO. Kiểm tra địa chỉ máy chủ trong cấu hình.",
            "Cannot read the SSO server's configuration. Check the server address in the settings.",
            detail=f"GET {url}: HTTP {resp.status_code}",
        )
    try:
        data = resp.json()
    except ValueError as exc:
        raise ConfigError(
            "Máy chủ SSO trả về cấu hình không hợp lệ.",
            "The SSO server returned an invalid configuration.",
            detail=f"GET {url}: {exc}",
        ) from exc
    return parse_metadata(issuer, data)
