"""A small client of a CSC API v1 service (JSON over HTTPS with an OAuth bearer token).

Besides the standard methods it speaks the asynchronous confirmation the Vietnamese services
use: `credentials/authorize` answers 202 with a request id and its fingerprint while the signer
confirms on the phone, and `credentials/authorize/status` (long poll) reports the outcome. With
`wait`, `authorize` is its own first long poll: a request approved by then comes back approved.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Callable

from asn1crypto import x509 as asn1_x509

from app.services.httpclient import HttpClient, TransportError
from app.signing.remote.errors import (
    RemoteLockedError,
    RemoteOtpError,
    RemoteRefusedError,
    RemoteSignInError,
    RemoteUnreachableError,
)
from app.signing.remote.protocol import HASH_OIDS, OID_RSA, OID_RSA_PSS, PssParams


@dataclass(frozen=True)
class CredentialInfo:
    credential_id: str
    description: str
    certificates: tuple[asn1_x509.Certificate, ...]  # the signer's first
    algorithms: frozenset[str]
    multisign: int
    otp: bool
    enabled: bool

    @property
    def supports_pss(self) -> bool:
        return OID_RSA_PSS in self.algorithms


@dataclass(frozen=True)
class Pending:
    request_id: str
    fingerprint: str
    expires_in: float
    sad: str = ""  # approved within the authorize's own wait


@dataclass(frozen=True)
class Status:
    status: str
    fingerprint: str
    expires_in: float
    sad: str = ""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class CscClient:
    """`access_token()` gives a bearer token; `renew(stale)` a fresh one after a 401."""

    def __init__(
        self,
        base_url: str,
        provider: str,
        access_token: Callable[[], str],
        renew: Callable[[str], str] | None = None,
        *,
        http: HttpClient | None = None,
        timeout_s: float = 30.0,
        verify: bool | str = True,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.provider = provider
        self._access_token = access_token
        self._renew = renew
        self._http = http or HttpClient()
        self._timeout = timeout_s
        self._verify = verify

    def _post(self, method: str, payload: dict[str, Any], *, extra_timeout: float = 0.0) -> tuple[int, dict[str, Any]]:
        url = self.base_url + method
        token = self._access_token()
        for attempt in (1, 2):
            try:
                resp = self._http.post(
                    url, json=payload, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                    timeout=self._timeout + extra_timeout, verify=self._verify,
                )
            except TransportError as exc:
                raise RemoteUnreachableError(self.provider, detail=f"POST {url}: {exc}") from exc
            if resp.status_code == 401 and attempt == 1 and self._renew is not None:
                token = self._renew(token)
                continue
            break
        if resp.status_code >= 500:
            raise RemoteUnreachableError(self.provider, detail=f"POST {url}: HTTP {resp.status_code}")
        if resp.status_code == 204 or not resp.content:
            data: dict[str, Any] = {}
        else:
            try:
                data = resp.json()
            except ValueError:
                raise RemoteRefusedError(detail=f"POST {url}: HTTP {resp.status_code}, not JSON") from None
            if not isinstance(data, dict):
                raise RemoteRefusedError(detail=f"POST {url}: not a JSON object")
        if resp.status_code == 401:
            raise RemoteSignInError(self.provider, detail=f"{data.get('error')}: {data.get('error_description')}")
        if resp.status_code >= 400:
            error = str(data.get("error", ""))
            detail = f"{method}: {error}: {data.get('error_description', '')}"
            if error == "invalid_otp":
                expired = "expire" in str(data.get("error_description", "")).lower()
                raise RemoteOtpError(detail=detail, expired=expired)
            if error == "credential_locked":
                raise RemoteLockedError(detail=detail)
            raise RemoteRefusedError(detail=detail)
        return resp.status_code, data

    def list_credentials(self) -> list[str]:
        _, data = self._post("credentials/list", {})
        return [str(c) for c in data.get("credentialIDs", []) if isinstance(c, str)]

    def credential_info(self, credential_id: str) -> CredentialInfo:
        _, data = self._post("credentials/info", {
            "credentialID": credential_id, "certificates": "chain", "certInfo": False, "authInfo": True,
        })
        try:
            certs = tuple(asn1_x509.Certificate.load(base64.b64decode(c, validate=True))
                          for c in data["cert"]["certificates"])
            key = data["key"]
            if not certs:
                raise ValueError("no certificate")
            _ = certs[0].native  # parse now: a broken certificate is the provider's fault, said here
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise RemoteRefusedError(detail=f"credentials/info: {exc!r}") from exc
        otp = data.get("OTP")
        if not isinstance(otp, dict):
            otp = {}
        return CredentialInfo(
            credential_id=credential_id,
            description=str(data.get("description", "")),
            certificates=certs,
            algorithms=frozenset(str(a) for a in key.get("algo", ())),
            multisign=max(1, int(data.get("multisign", 1) or 1)),
            otp=str(otp.get("presence", "false")).lower() == "true",
            enabled=key.get("status", "enabled") == "enabled",
        )

    def send_otp(self, credential_id: str) -> None:
        self._post("credentials/sendOTP", {"credentialID": credential_id})

    def authorize(self, credential_id: str, num: int, hashes: list[bytes], description: str,
                  otp: str | None = None, wait_s: float = 0.0) -> Pending | str:
        """A SAD at once (OTP), or the request the signer confirms on the phone: pending, or
        already approved (its `sad`) when the provider decided within `wait_s`."""
        payload: dict[str, Any] = {"credentialID": credential_id, "numSignatures": num, "description": description}
        if hashes:
            payload["hash"] = [_b64(h) for h in hashes]
        if otp is not None:
            payload["OTP"] = otp
        elif wait_s > 0:
            payload["wait"] = wait_s
        status, data = self._post("credentials/authorize", payload, extra_timeout=wait_s)
        if status == 202 or "requestID" in data:
            return Pending(str(data.get("requestID", "")), str(data.get("fingerprint", "")),
                           float(data.get("expiresIn", 0) or 0), str(data.get("SAD", "") if status == 200 else ""))
        if not data.get("SAD"):
            raise RemoteRefusedError(detail="credentials/authorize: no SAD")
        return str(data["SAD"])

    def authorize_status(self, request_id: str, wait_s: float) -> Status:
        _, data = self._post("credentials/authorize/status", {"requestID": request_id, "wait": wait_s},
                             extra_timeout=wait_s)
        return Status(str(data.get("status", "")), str(data.get("fingerprint", "")),
                      float(data.get("expiresIn", 0) or 0), str(data.get("SAD", "")))

    def withdraw(self, request_id: str) -> str:
        """Cancel a pending confirmation at the provider, so the phone no longer offers it;
        the request's status after (withdrawn, or what it had already become)."""
        _, data = self._post("credentials/authorize/cancel", {"requestID": request_id})
        return str(data.get("status", ""))

    def sign_hash(self, credential_id: str, sad: str, hashes: list[bytes], digest: str,
                  pss: PssParams | None = None) -> list[bytes]:
        payload = {
            "credentialID": credential_id, "SAD": sad, "hash": [_b64(h) for h in hashes],
            "hashAlgo": HASH_OIDS[digest], "signAlgo": OID_RSA_PSS if pss else OID_RSA,
        }
        if pss is not None:
            payload["signAlgoParams"] = _b64(pss.dump())
        _, data = self._post("signatures/signHash", payload)
        try:
            signatures = [base64.b64decode(s, validate=True) for s in data["signatures"]]
        except (KeyError, TypeError, binascii.Error) as exc:
            raise RemoteRefusedError(detail=f"signatures/signHash: {exc!r}") from exc
        if len(signatures) != len(hashes):
            raise RemoteRefusedError(detail="signatures/signHash: wrong number of signatures")
        return signatures
