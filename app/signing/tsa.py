"""Several RFC 3161 servers tried in order, each with its own timeout, so one dead TSA does not
stop a province from signing. The server that answered is remembered and asked first next
time (a batch does not wait on the dead one for every document)."""

from __future__ import annotations

import asyncio
from typing import Callable

from asn1crypto import cms, tsp
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from app.errors import ConfigError
from app.services.transport import is_allowed_url
from app.signing.options import TsaConfig, TsaMemory
from app.signing.proxied import send


class FailoverTimeStamper(TimeStamper):
    def __init__(
        self,
        urls: list[str],
        *,
        timeout_s: float = 60.0,
        auth: tuple[str, str] | None = None,
        memory: TsaMemory | None = None,
        stamper: Callable[[str], TimeStamper] | None = None,
    ) -> None:
        """`stamper(url)` makes the client of one server (default: pyHanko's, with `timeout_s` and `auth`)."""
        super().__init__()  # type: ignore[no-untyped-call]  # pyHanko's TimeStamper.__init__ is unannotated
        self.urls = list(dict.fromkeys(urls))
        self.memory = memory or TsaMemory()
        make = stamper or (lambda url: RequestsHTTPTimeStamper(url, timeout=timeout_s, auth=auth))
        self._stampers = {u: make(u) for u in self.urls}
        self.answered = ""

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        failures = []
        for url in self.memory.order(self.urls):
            try:
                token = await self._stampers[url].async_timestamp(message_digest, md_algorithm)
            except (TimestampRequestError, OSError, ValueError) as exc:
                failures.append(f"{url}: {exc}")
                continue
            self.answered = url
            self.memory.remember(url)
            return token
        raise TimestampRequestError("no TSA answered: " + "; ".join(failures))


class _Timestamper(RequestsHTTPTimeStamper):
    """pyHanko's requests time stamper, with the TLS verification setting passed through."""

    def __init__(self, url: str, *, timeout: float, auth: tuple[str, str] | None, verify: bool | str) -> None:
        super().__init__(url, timeout=timeout, auth=auth)  # type: ignore[no-untyped-call]  # unannotated in pyHanko
        self.verify = verify

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> tsp.TimeStampResp:
            try:
                resp = send("POST", self.url, data=req.dump(), headers=self.request_headers(), auth=self.auth,
                            timeout=self.timeout, verify=self.verify)
            except OSError as exc:
                raise TimestampRequestError("Error in communication with timestamp server") from exc
            if resp.headers.get("Content-Type") != "application/timestamp-reply":
                raise TimestampRequestError("Timestamp server response is malformed.", resp)
            return tsp.TimeStampResp.load(resp.content)

        return await asyncio.to_thread(post)


def timestamper_for(tsa: TsaConfig) -> TimeStamper:
    """The time stamper for a profile's TSA list; credentials never travel over plain http unless
    the profile says so explicitly."""
    auth = (tsa.username, tsa.password or "") if tsa.username else None
    plain = [url for url in tsa.urls if not is_allowed_url(url)]
    if auth is not None and not tsa.plain_http_credentials and plain:
        raise ConfigError(
            f"Không gửi tài khoản TSA qua kết nối không mã hóa (http) tới {plain[0]}. Hãy dùng địa chỉ https, "
            "hoặc quản trị viên ghi rõ tsa_plain_http_credentials = true trong cấu hình máy chủ.",
            f"The TSA account is not sent over an unencrypted (http) connection to {plain[0]}. Use an https "
            "address, or have the administrator set tsa_plain_http_credentials = true in the server profile.",
            detail=plain[0],
        )

    def stamper(url: str) -> RequestsHTTPTimeStamper:
        return _Timestamper(url, timeout=tsa.timeout_s, auth=auth, verify=tsa.verify)

    if tsa.fallback_urls:
        return FailoverTimeStamper(list(tsa.urls), memory=tsa.memory, stamper=stamper)
    tsa.memory.remember(tsa.url)
    return stamper(tsa.url)
