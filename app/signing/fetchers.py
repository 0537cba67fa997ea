"""OCSP, CRL and certificate fetchers that honour the profile's CA bundle.

pyHanko's requests fetchers call `requests.get/post` with the system CA store; an https OCSP or
CRL server under a provincial CA would fail, or tempt someone to turn verification off. These
are the same fetchers with `verify` passed through, and with the proxy the services' HTTP client
would choose (`send`).
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Iterable

import requests
from pyhanko_certvalidator.fetchers.api import Fetchers
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import RequestsCertificateFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

from app.signing.proxied import send


class _Verifying:
    verify: bool | str = True
    per_request_timeout: float
    user_agent: str

    def _send(self, method: str, url: str, headers: dict[str, str], data: bytes | None = None) -> requests.Response:
        resp = send(method, url, headers=headers, data=data, timeout=self.per_request_timeout, verify=self.verify)
        if resp.status_code != 200:
            raise requests.RequestException(f"status code {resp.status_code}")
        return resp

    def _get(self, url: str, *, acceptable_content_types: Iterable[str]) -> Awaitable[requests.Response]:
        headers = {"Accept": ",".join(acceptable_content_types), "User-Agent": self.user_agent}
        return asyncio.to_thread(self._send, "GET", url, headers)

    def _post(
        self, url: str, data: bytes, *, content_type: str, acceptable_content_types: Iterable[str]
    ) -> Awaitable[requests.Response]:
        headers = {"Accept": ",".join(acceptable_content_types), "User-Agent": self.user_agent,
                   "Content-Type": content_type}
        return asyncio.to_thread(self._send, "POST", url, headers, data)


class VerifyingOCSPFetcher(_Verifying, RequestsOCSPFetcher):
    pass


class VerifyingCRLFetcher(_Verifying, RequestsCRLFetcher):
    pass


class VerifyingCertificateFetcher(_Verifying, RequestsCertificateFetcher):
    pass


class VerifyingFetcherBackend(RequestsFetcherBackend):
    def __init__(self, verify: bool | str, per_request_timeout: float = 10) -> None:
        super().__init__(per_request_timeout)
        self.verify = verify

    def get_fetchers(self) -> Fetchers:
        budget = FetchBudget(self.limits)
        timeout = self.per_request_timeout
        fetchers = (VerifyingOCSPFetcher(per_request_timeout=timeout, budget=budget),
                    # pyHanko's RequestsCRLFetcher.__init__ is unannotated.
                    VerifyingCRLFetcher(per_request_timeout=timeout, budget=budget),  # type: ignore[no-untyped-call]
                    VerifyingCertificateFetcher(per_request_timeout=timeout, budget=budget))
        for fetcher in fetchers:
            fetcher.verify = self.verify
        return Fetchers(ocsp_fetcher=fetchers[0], crl_fetcher=fetchers[1], cert_fetcher=fetchers[2])
