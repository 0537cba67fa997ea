"""A remote credential as a signer with the same interface as `TokenSigner`: `.signer` (a pyHanko
Signer), `.certificate`, `.cert_chain`, `.token_label`, `close()`, context manager.

Each raw signature needs a signature activation (SAD): the signer confirms the request on the
phone (the app shows the request's fingerprint and a countdown; cancellable) or types an OTP.
`authorize_batch(n)` asks once for n signatures when the credential allows it (CSC
`multisign`), so a batch needs one confirmation; otherwise every document is confirmed alone.

A batch may prepare the next document while the officer confirms the current one: the remote
steps (confirmation request, its wait, the signature) still go one at a time and in the
documents' order (`in_order`), so the phone never offers two requests at once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol

from app.errors import CancelledError, LienThongError
from app.signing.backend_signer import BackendPdfSigner
from app.signing.certinfo import CertificateInfo, check_signing_certificate
from app.signing.remote.csc_client import CredentialInfo, CscClient, Pending
from app.signing.remote.errors import (
    RemoteExpiredError,
    RemoteLockedError,
    RemoteOtpError,
    RemoteRefusedError,
    RemoteRejectedError,
)
from app.signing.remote.protocol import APPROVED, EXPIRED, PENDING, REJECTED, PssParams, fingerprint

log = logging.getLogger(__name__)

POLL_S = 1.0
# The confirmation request waits this long for a decision in its own round trip: a provider
# approving by itself answers at once, and no officer sees the code later than this.
AUTHORIZE_WAIT_S = 0.3
# Codes asked at most for one activation, should a provider never lock the credential.
MAX_OTP_ATTEMPTS = 10


@dataclass(frozen=True)
class WaitState:
    """What the waiting view shows: "Đang chờ xác nhận trên điện thoại… còn 4:32"."""

    fingerprint: str
    remaining_s: float
    signatures: int
    description: str

    @property
    def remaining_text(self) -> str:
        seconds = max(0, int(self.remaining_s))
        return f"{seconds // 60}:{seconds % 60:02d}"


class Confirmation(Protocol):
    def waiting(self, state: WaitState) -> None:
        """Called when a request starts waiting and about every second until it is decided."""

    def finished(self) -> None:
        """The request was decided (or abandoned): hide the countdown."""

    def ask_otp(self, credential: CredentialInfo, error: RemoteOtpError | None = None) -> str | None:
        """The OTP the signer received; None cancels. `error`: the previous code was refused
        (wrong, or expired and a new one sent); the provider locks the credential after its limit."""


# How often a document waiting for its turn looks at the cancel flags: a cancel from Ctrl+C
# reaches a waiting main thread only between two waits on Windows.
TURN_SLICE_S = 0.2


class DocumentOrder:
    """The remote steps of a batch's documents, one at a time and in the documents' order,
    whichever thread signs each document.

    `document(i)` marks the calls on this thread as document i's; a remote step of document i
    starts once every document before it has had its step or is finished without one. Outside
    `document`, a step just waits for the one running."""

    def __init__(self, cancel: threading.Event | None = None) -> None:
        self._cancel = cancel
        self._cond = threading.Condition()
        self._next = 0  # every document before it is done
        self._done: set[int] = set()
        self._busy = False
        self._stopped = False
        self._local = threading.local()

    @contextmanager
    def document(self, index: int) -> Iterator[None]:
        self._local.index = index
        try:
            yield
        except BaseException as exc:
            self._stop_on(exc)
            raise
        finally:
            self._local.index = None
            self._finish(index)

    def stopping(self) -> bool:
        """The batch was cancelled, or stopped by something else than a document's failure."""
        return self._stopped or (self._cancel is not None and self._cancel.is_set())

    def _stop_on(self, exc: BaseException) -> None:
        # Not a document's failure (those are results): Ctrl+C, the program stopping. The
        # documents still in hand send nothing more to the phone.
        if not isinstance(exc, Exception):
            with self._cond:
                self._stopped = True

    @contextmanager
    def step(self, cancels: tuple[threading.Event | None, ...] = ()) -> Iterator[None]:
        index: int | None = getattr(self._local, "index", None)
        flags = [flag for flag in (self._cancel, *cancels) if flag is not None]
        with self._cond:
            while True:
                # Checked once the turn has come too: nothing is sent for a cancelled batch.
                if self._stopped or any(flag.is_set() for flag in flags):
                    raise CancelledError(detail="remote signing cancelled before its request")
                if not self._busy and (index is None or index <= self._next):
                    break
                self._cond.wait(TURN_SLICE_S if flags else None)
            self._busy = True
        try:
            yield
        except BaseException as exc:
            if index is not None:
                self._stop_on(exc)  # before the next document's turn comes
            raise
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
            if index is not None:
                self._finish(index)

    def _finish(self, index: int) -> None:
        with self._cond:
            self._done.add(index)
            while self._next in self._done:
                self._done.discard(self._next)
                self._next += 1
            self._cond.notify_all()


class RemoteSigner:
    def __init__(
        self,
        client: CscClient,
        credential: CredentialInfo,
        confirmation: Confirmation,
        *,
        label: str,
        cancel: threading.Event | None = None,
        pss: bool = False,
        description: str = "Liên Thông Desk",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not credential.enabled:
            raise RemoteLockedError(detail=f"credential {credential.credential_id} is disabled")
        leaf = credential.certificates[0]
        self.certificate = CertificateInfo.from_der(leaf.dump(), label=credential.credential_id)
        check_signing_certificate(self.certificate)
        self._client = client
        self.credential = credential
        self._confirmation = confirmation
        self._cancel = cancel
        self._clock = clock
        self.description = description
        self.token_label = label
        self.cert_chain = credential.certificates
        # PSS only where the provider advertises it; PKCS#1 v1.5 otherwise.
        self.uses_pss = bool(pss and credential.supports_pss and leaf.public_key.algorithm == "rsa")
        self.signer = BackendPdfSigner(self, leaf, credential.certificates, prefer_pss=self.uses_pss)
        self._sad = ""
        self._sad_left = 0
        self._lock = threading.Lock()
        self._order = DocumentOrder()
        self.authorizations = 0
        self.signatures = 0
        self.withdrawn = 0
        self.closed = False

    @contextmanager
    def in_order(self, cancel: threading.Event | None = None) -> Iterator[DocumentOrder]:
        """A batch's documents: see `DocumentOrder`; `cancel` (the batch's) stops a document
        waiting for its turn, before it sends anything."""
        order = DocumentOrder(cancel)
        previous, self._order = self._order, order
        try:
            yield order
        finally:
            self._order = previous

    # ---- activation -----------------------------------------------------------------------

    def authorize_batch(self, count: int, description: str = "") -> bool:
        """Ask once for `count` signatures; False (nothing asked) when the credential allows
        fewer per activation, so each document is then confirmed alone."""
        if count < 2 or count > self.credential.multisign:
            return False
        text = description or f"{self.description}: ký {count} văn bản"
        sad = self._authorize(count, [], text)
        with self._lock:
            self._sad, self._sad_left = sad, count
        return True

    def _check_cancel(self) -> None:
        # The batch's cancel too: a request waiting on the phone is withdrawn at the next poll.
        if (self._cancel is not None and self._cancel.is_set()) or self._order.stopping():
            raise CancelledError(detail="remote confirmation cancelled")

    def _authorize(self, num: int, hashes: list[bytes], description: str) -> str:
        self._check_cancel()
        cred = self.credential
        if cred.otp:
            answer = self._authorize_with_otp(num, hashes, description)
        else:
            answer = self._client.authorize(cred.credential_id, num, hashes, description,
                                            wait_s=AUTHORIZE_WAIT_S)
        self.authorizations += 1
        if isinstance(answer, str):
            return answer
        return self._wait(answer, num, hashes, description)

    def _authorize_with_otp(self, num: int, hashes: list[bytes], description: str) -> Pending | str:
        """Ask for the code again after a wrong one; the provider's lock (RemoteLockedError) ends it."""
        cred = self.credential
        self._client.send_otp(cred.credential_id)
        error: RemoteOtpError | None = None
        for _attempt in range(MAX_OTP_ATTEMPTS):
            code = self._confirmation.ask_otp(cred) if error is None else self._confirmation.ask_otp(cred, error)
            if code is None:
                raise CancelledError(detail="no OTP given")
            self._check_cancel()
            try:
                return self._client.authorize(cred.credential_id, num, hashes, description, otp=code.strip())
            except RemoteOtpError as exc:
                error = exc
                if exc.expired:
                    self._client.send_otp(cred.credential_id)
        assert error is not None
        raise error

    def _wait(self, pending: Pending, num: int, hashes: list[bytes], description: str) -> str:
        expected = fingerprint(hashes, description)
        if pending.fingerprint != expected:
            # The phone would show a request other than the one this app sent: never approve it.
            self._withdraw(pending)
            raise RemoteRefusedError(detail=f"fingerprint {pending.fingerprint!r} != {expected!r}")
        if pending.sad:
            return pending.sad
        deadline = self._clock() + pending.expires_in
        state = WaitState(expected, pending.expires_in, num, description)
        decided = False
        try:
            self._confirmation.waiting(state)
            while True:
                self._check_cancel()
                status = self._client.authorize_status(pending.request_id, POLL_S)
                decided = status.status != PENDING
                if status.status == APPROVED and status.sad:
                    return status.sad
                if status.status == REJECTED:
                    raise RemoteRejectedError(detail=f"request {expected}")
                if status.status == EXPIRED:
                    raise RemoteExpiredError(detail=f"request {expected}")
                if status.status != PENDING:
                    raise RemoteRefusedError(detail=f"authorize/status: {status.status!r}")
                remaining = min(status.expires_in, max(0.0, deadline - self._clock()))
                self._confirmation.waiting(WaitState(expected, remaining, num, description))
        except BaseException:
            # "Hủy", Ctrl+C, a lost connection: the phone must not go on offering the request.
            if not decided:
                self._withdraw(pending)
            raise
        finally:
            self._confirmation.finished()

    def _withdraw(self, pending: Pending) -> None:
        try:
            self._client.withdraw(pending.request_id)
            self.withdrawn += 1
        except LienThongError as exc:
            # Best effort: the request still expires at the provider.
            log.info("could not withdraw remote request: %s", exc)

    # ---- signing --------------------------------------------------------------------------

    def sign_raw(self, data: bytes, digest_algorithm: str, pss: PssParams | None = None) -> bytes:
        if self.closed:
            raise CancelledError(detail="the remote signer is closed")
        digest_algorithm = digest_algorithm.lower()
        digest = hashlib.new(digest_algorithm, data).digest()
        # One remote step at a time: the request on the phone, its wait and the signature; the
        # HTTP session, the token renewal and the counters are used by one thread at a time.
        with self._order.step((self._cancel,)):
            with self._lock:
                sad = self._sad if self._sad_left > 0 else ""
                if sad:
                    self._sad_left -= 1
            if not sad:
                sad = self._authorize(1, [digest], f"{self.description}: ký 1 văn bản")
            [signature] = self._client.sign_hash(self.credential.credential_id, sad, [digest],
                                                 digest_algorithm, pss)
            self.signatures += 1
        return signature

    def close(self) -> None:
        self.closed = True
        self._sad, self._sad_left = "", 0

    def __enter__(self) -> "RemoteSigner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
