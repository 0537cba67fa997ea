"""Several RFC 3161 servers tried in order, each with its own timeout, so one dead TSA does not
stop a province from signing. The server that answered is remembered and asked first next
time (a batch does not wait on the dead one for every document)."""

from __future__ import annotations

from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from app.signing.options import TsaMemory


class FailoverTimeStamper(TimeStamper):
    def __init__(self, urls: list[str], *, timeout_s: float, auth=None, memory: TsaMemory | None = None) -> None:
        super().__init__()
        self.urls = list(dict.fromkeys(urls))
        self.memory = memory or TsaMemory()
        self._stampers = {u: RequestsHTTPTimeStamper(u, timeout=timeout_s, auth=auth) for u in self.urls}
        self.answered = ""

    async def async_timestamp(self, message_digest, md_algorithm):
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
