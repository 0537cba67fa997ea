"""What the iGate and iDesk adapters share: one JSON client each, configured the same way."""

from __future__ import annotations

from urllib.parse import quote

from app.services.http import ApiClient, RetryPolicy, Tokens
from app.services.httpclient import HttpClient


def seg(value: str) -> str:
    """An id as one URL path segment."""
    return quote(str(value), safe="")


class DigoClient:
    """Thread-safe for concurrent calls from worker threads. `SYSTEM` names the server in errors."""

    SYSTEM = ""

    def __init__(
        self,
        base_url: str,
        tokens: Tokens,
        *,
        http: HttpClient | None = None,
        timeout: float = 30.0,
        verify: bool | str = True,
        max_upload_bytes: int = 100 * 1024 * 1024,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.api = ApiClient(
            base_url,
            tokens,
            system=self.SYSTEM,
            http=http,
            timeout=timeout,
            verify=verify,
            max_upload_bytes=max_upload_bytes,
            retry=retry,
        )
