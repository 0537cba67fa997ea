"""requests calls (pyHanko's time stamps and revocation fetches) through the proxy the services'
HTTP client would choose."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

from app.services.httpclient import system_proxy


def send(method: str, url: str, **kwargs: Any) -> requests.Response:
    """A requests call through the proxy the services' client would use (`system_proxy`): the
    system's for servers off this machine, none for loopback. requests on its own sends
    127.0.0.1 through a fixed office proxy (Windows never does), and the training TSA, OCSP and
    CRL answer there."""
    parts = urlsplit(url)
    proxy = system_proxy(parts.scheme, parts.hostname or "")
    with requests.Session() as session:
        session.trust_env = False  # the proxy is chosen above; `verify` is always given
        return session.request(method, url, proxies={parts.scheme: proxy} if proxy else {}, **kwargs)
