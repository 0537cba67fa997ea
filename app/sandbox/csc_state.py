"""State of the sandbox remote-signing service: credentials, pending confirmations, SADs, OTPs.

The confirmation policy is what a trainer (or a test) changes to rehearse every outcome:
"phone" waits for Approve/Reject on the phone page or `lienthong sandbox approve`, "otp" sends
a code shown on the phone page, "auto" approves (or rejects) by itself after `delay_s`.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from app.signing.remote.protocol import APPROVED, EXPIRED, PENDING, REJECTED, WITHDRAWN, fingerprint

# Training account -> the demo PKI entities whose keys the service holds for it.
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "hoant": ("specialist",),
    "tuanlv": ("leader",),
    "maipt": ("clerk", "seal"),
    "khanhdq": ("expired",),
}
MODES = ("phone", "otp", "auto")

# Where the service lives on its server: the CSC API and the signer's confirmation page.
API = "/csc/v1"
PHONE = "/phone"


def credential_id(username: str, pki_name: str) -> str:
    return f"{username}-{pki_name}"


@dataclass
class CscPolicy:
    mode: str = "phone"
    delay_s: float = 0.0
    reject: bool = False          # "auto" mode: reject instead of approving
    expires_in: int = 300         # how long a request waits for the phone
    sad_ttl: int = 300            # how long an approval stays usable
    multisign: int = 50           # most signatures one approval covers
    pss: bool = True              # advertise RSASSA-PSS next to PKCS#1 v1.5
    otp_tries: int = 3            # wrong OTPs before the credential locks


@dataclass
class ConfirmRequest:
    request_id: str
    username: str
    credential_id: str
    num_signatures: int
    hashes: list[bytes]
    description: str
    fingerprint: str
    created: float
    expires_at: float
    status: str = PENDING
    sad: str = ""

    def remaining(self, now: float) -> float:
        return max(0.0, self.expires_at - now)


@dataclass
class Sad:
    credential_id: str
    username: str
    remaining: int
    hashes: set[bytes] | None
    expires_at: float


@dataclass
class Otp:
    code: str
    expires_at: float


@dataclass
class CscState:
    policy: CscPolicy = field(default_factory=CscPolicy)

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._requests: dict[str, ConfirmRequest] = {}
        self._sads: dict[str, Sad] = {}
        self._otps: dict[str, Otp] = {}
        self._otp_failures: dict[str, int] = {}
        self._locked: set[str] = set()
        self._timers: list[threading.Timer] = []
        self.signatures_made = 0

    # ---- confirmation requests -----------------------------------------------------------

    def create_request(self, username: str, cred: str, num: int, hashes: list[bytes],
                       description: str) -> ConfirmRequest:
        now = time.monotonic()
        with self._cond:
            req = ConfirmRequest(
                request_id=secrets.token_urlsafe(12), username=username, credential_id=cred,
                num_signatures=num, hashes=list(hashes), description=description,
                fingerprint=fingerprint(hashes, description), created=now,
                expires_at=now + self.policy.expires_in,
            )
            self._requests[req.request_id] = req
            if self.policy.mode == "auto":
                timer = threading.Timer(self.policy.delay_s, self.decide,
                                        (req.request_id, not self.policy.reject))
                timer.daemon = True
                self._timers.append(timer)
                timer.start()
        return req

    def _refresh(self, req: ConfirmRequest, now: float) -> None:
        if req.status == PENDING and now >= req.expires_at:
            req.status = EXPIRED

    def decide(self, request_id: str, approve: bool) -> ConfirmRequest | None:
        """Approve or reject a pending request; None when unknown, unchanged when not pending."""
        with self._cond:
            req = self._requests.get(request_id)
            if req is None:
                return None
            self._refresh(req, time.monotonic())
            if req.status == PENDING:
                if approve:
                    req.status = APPROVED
                    req.sad = self.issue_sad(req.username, req.credential_id, req.num_signatures,
                                             req.hashes)
                else:
                    req.status = REJECTED
                self._cond.notify_all()
            return req

    def withdraw(self, request_id: str, username: str) -> ConfirmRequest | None:
        """The signer's app cancelled a pending request; None when unknown or not theirs."""
        with self._cond:
            req = self._requests.get(request_id)
            if req is None or req.username != username:
                return None
            self._refresh(req, time.monotonic())
            if req.status == PENDING:
                req.status = WITHDRAWN
                self._cond.notify_all()
            return req

    def wait(self, request_id: str, username: str, timeout: float) -> ConfirmRequest | None:
        """The request once decided or expired, or still pending after `timeout` (long poll)."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self._cond:
            while True:
                req = self._requests.get(request_id)
                if req is None or req.username != username:
                    return None
                now = time.monotonic()
                self._refresh(req, now)
                if req.status != PENDING or now >= deadline:
                    return req
                self._cond.wait(min(deadline, req.expires_at) - now)

    def pending(self) -> list[ConfirmRequest]:
        now = time.monotonic()
        with self._cond:
            for req in self._requests.values():
                self._refresh(req, now)
            return [r for r in self._requests.values() if r.status == PENDING]

    def all_requests(self) -> list[ConfirmRequest]:
        with self._cond:
            return list(self._requests.values())

    # ---- signature activation data -------------------------------------------------------

    def issue_sad(self, username: str, cred: str, num: int, hashes: list[bytes]) -> str:
        sad = secrets.token_urlsafe(24)
        with self._cond:
            self._sads[sad] = Sad(cred, username, num, set(hashes) if hashes else None,
                                  time.monotonic() + self.policy.sad_ttl)
        return sad

    def use_sad(self, sad: str, username: str, cred: str, hashes: list[bytes]) -> str | None:
        """Consume the SAD for `hashes`; None when allowed, else the reason it is not."""
        with self._cond:
            record = self._sads.get(sad)
            if record is None or record.username != username or record.credential_id != cred:
                return "unknown SAD"
            if time.monotonic() >= record.expires_at:
                del self._sads[sad]
                return "SAD expired"
            if len(hashes) > record.remaining:
                return "numSignatures exceeded"
            if record.hashes is not None and not set(hashes) <= record.hashes:
                return "hash not authorized by this SAD"
            record.remaining -= len(hashes)
            if record.hashes is not None:
                record.hashes -= set(hashes)
            if record.remaining <= 0:
                del self._sads[sad]
            self.signatures_made += len(hashes)
            return None

    # ---- OTP ------------------------------------------------------------------------------

    def send_otp(self, cred: str) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        with self._cond:
            self._otps[cred] = Otp(code, time.monotonic() + self.policy.expires_in)
        return code

    def last_otp(self, cred: str) -> str | None:
        with self._cond:
            otp = self._otps.get(cred)
            return otp.code if otp is not None else None

    def check_otp(self, cred: str, code: str) -> str | None:
        """None when right; else "invalid", "expired" or "locked"."""
        with self._cond:
            if cred in self._locked:
                return "locked"
            otp = self._otps.get(cred)
            if otp is None or time.monotonic() >= otp.expires_at:
                self._otps.pop(cred, None)
                return "expired"
            if not secrets.compare_digest(otp.code, code or ""):
                failures = self._otp_failures.get(cred, 0) + 1
                self._otp_failures[cred] = failures
                if failures >= self.policy.otp_tries:
                    self._locked.add(cred)
                    self._otps.pop(cred, None)
                    return "locked"
                return "invalid"
            del self._otps[cred]
            self._otp_failures.pop(cred, None)
            return None

    def is_locked(self, cred: str) -> bool:
        with self._cond:
            return cred in self._locked

    def unlock(self, cred: str) -> None:
        with self._cond:
            self._locked.discard(cred)
            self._otp_failures.pop(cred, None)

    def stop(self) -> None:
        with self._cond:
            timers, self._timers = self._timers, []
        for timer in timers:
            timer.cancel()
