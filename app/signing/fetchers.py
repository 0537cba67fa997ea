"""OCSP, CRL and certificate fetchers that honour the profile's CA bundle.

pyHanko's requests fetchers call `requests.get/post` with the system CA store; an https OCSP or
CRL server under a provincial CA would fail, or tempt someone to turn verification off. These
are the same fetchers with `verify` passed through.
"""

from __future__ import annotations

import asyncio

import requests
from pyhanko_certvalidator.fetchers.api import Fetchers
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget
from pyhanko_certvalidator.fetchers.requests_fetchers import (
    RequestsCertificateFetcher,
    RequestsCRLFetcher,
    RequestsFetcherBackend,
    RequestsOCSPFetcher,
)


class _Verifying:
    verify: bool | str = True
    per_request_timeout: float
    user_agent: str

    def _send(self, method: str, url: str, headers: dict, data: bytes | None = None) -> requests.Response:
        resp = requests.request(method, url, headers=headers, data=data, timeout=self.per_request_timeout,
                                verify=self.verify)
        if resp.status_code != 200:
            raise requests.RequestException(f"status code {resp.status_code}")
        return resp

    def _get(self, url, *, acceptable_content_types):
        headers = {"Accept": ",".join(acceptable_content_types), "User-Agent": self.user_agent}
        return asyncio.to_thread(self._send, "GET", url, headers)

    def _post(self, url, data, *, content_type, acceptable_content_types):
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
                    VerifyingCRLFetcher(per_request_timeout=timeout, budget=budget),
                    VerifyingCertificateFetcher(per_request_timeout=timeout, budget=budget))
        for fetcher in fetchers:
            fetcher.verify = self.verify
        return Fetchers(ocsp_fetcher=fetchers[0], crl_fetcher=fetchers[1], cert_fetcher=fetchers[2])
