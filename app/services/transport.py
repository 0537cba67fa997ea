"""Which URLs the app may talk to: https everywhere, plain http only on the loopback interface.

RFC 8252 (OAuth for native apps) lets the redirect go to http://127.0.0.1:<port>/ because the
traffic never leaves the machine; the training sandbox listens on loopback too. OAuth libraries
usually make this all-or-nothing (oauthlib: an environment variable for the whole process); the
app builds its own OAuth requests (app.services.sso.oauth) and enforces this narrower rule here.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.errors import ConfigError

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_allowed_url(url: str) -> bool:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return bool(parts.hostname)
    return scheme == "http" and is_loopback_host(parts.hostname)


def require_allowed_url(url: str, what: str = "URL") -> str:
    """Return `url` unchanged, or raise ConfigError when it would send secrets in clear text."""
    if not is_allowed_url(url):
        raise ConfigError(
            f"Địa chỉ {what} phải dùng https (chỉ máy cục bộ 127.0.0.1 được dùng http): {url}",
            f"The {what} address must use https (plain http only for the local machine 127.0.0.1): {url}",
            detail=url,
        )
    return url
