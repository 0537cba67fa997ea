"""A scripted browser for the SSO login page: tests and the training launcher use it instead of a
real browser. It fills the form like an officer would and hands back the redirect unfollowed."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from app.errors import AuthError


class LoginRejectedError(AuthError):
    code = "login_rejected"

    def __init__(self, message_vi: str, detail: str = "") -> None:
        super().__init__(
            f"Đăng nhập không thành công: {message_vi}",
            "Sign-in failed: the SSO page did not accept the request or the credentials.",
            detail=detail,
        )


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.method = "get"
        self.fields: dict[str, str] = {}
        self.errors: list[str] = []
        self._in_form = False
        self._in_error = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self._in_form = True
            self.action = attrs.get("action") or ""
            self.method = (attrs.get("method") or "get").lower()
        elif tag == "input" and self._in_form and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif attrs.get("role") == "alert" or "error" in (attrs.get("class") or "").split():
            self._in_error = True
            self.errors.append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag in ("p", "div", "span"):
            self._in_error = False

    def handle_data(self, data):
        if self._in_error and self.errors:
            self.errors[-1] += data


def login_via_form(auth_url: str, username: str, password: str, *, timeout: float = 30.0) -> str:
    """GET the login page, submit the credentials, return the redirect Location (not followed).

    If the SSO redirects straight away (for example with an error for the client), that
    Location is returned as well; a page without a redirect raises LoginRejectedError.
    """
    with requests.Session() as session:
        page = session.get(auth_url, allow_redirects=False, timeout=timeout)
        if page.is_redirect:
            return urljoin(auth_url, page.headers["Location"])
        parser = _FormParser()
        parser.feed(page.text)
        if page.status_code != 200 or parser.action is None:
            message = " ".join(e.strip() for e in parser.errors if e.strip()) or f"HTTP {page.status_code}"
            raise LoginRejectedError(message, detail=f"GET {auth_url} -> {page.status_code}")
        fields = dict(parser.fields)
        fields["username"] = username
        fields["password"] = password
        target = urljoin(page.url, parser.action)
        if parser.method == "post":
            answer = session.post(target, data=fields, allow_redirects=False, timeout=timeout)
        else:
            answer = session.get(target, params=fields, allow_redirects=False, timeout=timeout)
        if answer.is_redirect:
            return urljoin(target, answer.headers["Location"])
        again = _FormParser()
        again.feed(answer.text)
        message = " ".join(e.strip() for e in again.errors if e.strip()) or f"HTTP {answer.status_code}"
        raise LoginRejectedError(message, detail=f"POST {target} -> {answer.status_code}")


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    import base64
    import hashlib
    import secrets

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge
