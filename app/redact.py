"""Secrets removed from text that leaves the process: the log file and the crash details the
officer copies into a support request.

Covered: bearer tokens, bare JWTs (access, ID and refresh tokens of Keycloak are JWTs), Basic
credentials, credentials inside URLs, cookies, the OIDC `code` and `code_verifier`, and any
key/value whose key names a password, PIN, token or secret.
"""

from __future__ import annotations

import re

REDACTED = "***"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Bearer …, Authorization: Basic …, also inside repr()s of header dicts.
    (
        re.compile(r"\b(Bearer|Basic|Digest|Negotiate|NTLM)(\s+)[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE),
        rf"\1\2{REDACTED}",
    ),
    # A JWT anywhere (three base64url parts, the first two JSON objects starting "eyJ").
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), REDACTED),
    # https://user:password@host
    (re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.\-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE), rf"\g<scheme>{REDACTED}@"),
    # Cookie: a=b; c=d   /   Set-Cookie: KEYCLOAK_SESSION=…
    (re.compile(r"\b((?:Set-)?Cookie[\"']?\s*[:=]\s*[\"']?)[^\r\n\"']+", re.IGNORECASE), rf"\1{REDACTED}"),
    # OIDC authorization code and PKCE verifier in a query string, form or JSON.
    (
        re.compile(
            r"""(?P<key>(?<![\w\-])["']?(?:code|code_verifier|session_state)["']?\s*[:=]\s*)(?P<q>["']?)[^\s"',;&}]+""",
            re.IGNORECASE,
        ),
        rf"\g<key>\g<q>{REDACTED}",
    ),
    # key=value, key: value, "key": "value" where the key names a secret.
    (
        re.compile(
            r"""(?P<key>["']?[\w\-]*(?:pin|password|passwd|pwd|token|secret|credential|assertion)[\w\-]*["']?\s*[:=]\s*)"""
            r"""(?P<q>["']?)[^\s"',;&}]+""",
            re.IGNORECASE,
        ),
        rf"\g<key>\g<q>{REDACTED}",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
