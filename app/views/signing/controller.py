"""`SigningController`: signs through the TaskRunner with a signer opened on the token layer.

The work function runs on a pool thread: it opens the signer (the token layer asks for the PIN
through the PinBroker and runs PKCS#11 on its own thread), signs, and closes the login. A wrong
PIN asks again with the tries left; cancelling at the PIN dialog or during signing leaves no
output file. The signed file then goes to the injected upload callback (the outbox), which keeps
it until the server confirms.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from app.errors import CancelledError
from app.views.qt import QObject, Signal

if TYPE_CHECKING:
    from app.signing.opened import OpenedSigner
    from app.signing.soft_signer import SoftSigner
    from app.signing.token import PinRequest, TokenInfo, TokenService
    from app.signing.token_signer import TokenSigner
    from app.views.signing.pin import PinBroker
    from app.views.tasks import Operation

# Asks the officer for the PIN (or passphrase) of a request; None when cancelled.
PinCallback = Callable[["PinRequest"], "str | None"]


class SignerSource(Protocol):
    """Where a signing gets its key: a token certificate, a key file or a remote credential."""

    @property
    def description(self) -> str: ...

    def open(self, pin_callback: PinCallback) -> OpenedSigner:
        """Log in (asking through `pin_callback`) and return the opened key; worker thread."""
        ...

    def interrupt(self) -> None:
        """Stop a wait inside `open` (a remote confirmation); the others have none."""
        ...

log = logging.getLogger(__name__)

MAX_PIN_ATTEMPTS = 3


@dataclass(frozen=True)
class TokenSignerSource:
    """Opens a login on a USB token for one certificate (TokenService.open_signer)."""

    service: TokenService
    token: TokenInfo | str  # or its label
    cert: str  # CKA_LABEL or CKA_ID hex

    def open(self, pin_callback: PinCallback) -> TokenSigner:
        return self.service.open_signer(self.token, self.cert, pin_callback)

    def interrupt(self) -> None:
        return  # the PIN dialog has its own cancel

    @property
    def description(self) -> str:
        return f"{getattr(self.token, 'label', self.token)} / {self.cert}"


@dataclass(frozen=True)
class SoftSignerSource:
    """Training mode: a PKCS#12 file; its passphrase is asked like a PIN."""

    p12_path: Path

    def interrupt(self) -> None:
        return  # the passphrase dialog has its own cancel

    def open(self, pin_callback: PinCallback) -> SoftSigner:
        from app.signing.soft_signer import open_soft_signer
        from app.signing.token import PinRequest
        from app.signing.token_errors import PinCancelledError

        pin = pin_callback(PinRequest(Path(self.p12_path).name, None, None))
        if pin is None:
            raise PinCancelledError()
        return open_soft_signer(self.p12_path, pin)

    @property
    def description(self) -> str:
        return Path(self.p12_path).name


def open_with_retries(
    source: SignerSource, broker: PinBroker, cancel: threading.Event, attempts: int = MAX_PIN_ATTEMPTS
) -> OpenedSigner:
    """Open the signer; after a wrong PIN, ask again showing the error (tries left)."""
    from app.signing.token_errors import PinIncorrectError

    for attempt in range(attempts):
        if cancel.is_set():
            raise CancelledError("cancelled before login")
        try:
            return source.open(broker.callback(cancel))
        except PinIncorrectError as exc:
            if attempt == attempts - 1:
                raise
            broker.next_error = exc.message(broker.lang)
    raise AssertionError("unreachable")


def _remove_partial(path: Path) -> None:
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path)


class SigningController(QObject):
    """One signing (or a batch) at a time. Signals arrive on the UI thread."""

    started = Signal()
    progress = Signal(str)
    counted = Signal(int, int)  # done, total (a batch)
    signed = Signal(object)  # SigningResult, or a list of BatchItemResult for a batch
    failed = Signal(object)  # LienThongError (PinCancelledError / CancelledError when cancelled)
    uploaded = Signal(object, object)  # SigningResult, what the upload callback returned
    upload_failed = Signal(object, object)  # SigningResult, error
    busy_changed = Signal(bool)
    settled = Signal()  # nothing in flight any more (see in_flight)

    def __init__(self, runner, broker, *, sign_fn: Callable | None = None, batch_fn: Callable | None = None,
                 upload: Callable | None = None, validation_context=None, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.broker = broker
        self.upload = upload
        self.validation_context = validation_context
        self._sign_fn = sign_fn
        self._batch_fn = batch_fn
        self.operation: Operation | None = None
        self._source: SignerSource | None = None  # of the signing in flight: a remote one stops its wait on cancel()
        self._uploads = 0

    @property
    def busy(self) -> bool:
        return self.operation is not None

    def _sign_document(self):
        if self._sign_fn is None:
            from app.signing.pades import sign_document

            self._sign_fn = sign_document
        return self._sign_fn

    def sign(self, request, source) -> None:
        """Sign one document with a signer opened from `source` (a TokenSignerSource...). The
        engine reserves the clerk's number/date fields in a draft's first signature."""
        sign = self._sign_document()
        broker, vc = self.broker, self.validation_context
        existed = Path(request.output_path).exists()
        signing_text = self.tr("Đang ký số…")

        def work(op):
            try:
                with open_with_retries(source, broker, op.cancel_event) as opened:
                    op.progress(0, 0, signing_text)
                    return sign(request, opened.signer, validation_context=vc, cancel=op.cancel_event,
                                progress=lambda text: op.progress(0, 0, text))
            except BaseException:
                if op.cancel_event.is_set() and not existed:
                    _remove_partial(request.output_path)
                raise

        self._start(work, source)

    def sign_batch(self, requests, source) -> None:
        """Several documents with one login (one PIN): `signed` carries the per-item results."""
        broker = self.broker
        batch = self._batch_fn
        if batch is None:
            from app.signing.batch import sign_many

            batch = sign_many

        def work(op):
            with open_with_retries(source, broker, op.cancel_event) as opened:
                # A remote credential confirms the whole batch once where the provider allows it.
                opened.authorize_batch(len(requests))
                op.progress(0, len(requests), "")
                def report(done: int, total: int, text: str = "") -> None:
                    op.progress(done, total, text)

                return batch(list(requests), opened.signer, cancel=op.cancel_event, progress=report)

        self._start(work, source)

    def _start(self, work, source=None) -> None:
        if self.operation is not None:
            raise RuntimeError("a signing is already running")
        self._source = source
        self.operation = self.runner.run(work, receiver=self, on_success=self._done, on_failure=self._failed,
                                         on_progress=self._progressed,
                                         label="signing")
        # Only now is `busy` true: listeners (the dialog's "Áp dụng") read it when told.
        self.started.emit()
        self.busy_changed.emit(True)

    def _progressed(self, done: int, total: int, text: str) -> None:
        if text:
            self.progress.emit(text)
        if total:
            self.counted.emit(done, total)

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            # A remote signer waiting for the phone withdraws its request (RemoteSignerSource).
            if self._source is not None:
                self._source.interrupt()
        self.broker.cancel()

    def _done(self, result) -> None:
        self.operation = self._source = None
        self.busy_changed.emit(False)
        self.signed.emit(result)
        if self.upload is not None and not isinstance(result, list):
            self.send(result)
        if not self.in_flight:
            self.settled.emit()

    def _failed(self, exc: BaseException) -> None:
        op, self.operation, self._source = self.operation, None, None
        self.busy_changed.emit(False)
        # After "Hủy", whatever stopped the work (a TSA cut short, a closed login) is a cancel.
        if op is not None and op.cancelled and not isinstance(exc, CancelledError):
            from app.signing.token_errors import PinCancelledError

            if not isinstance(exc, PinCancelledError):
                exc = CancelledError(detail=f"{type(exc).__name__}: {exc}")
        self.failed.emit(exc)
        if not self.in_flight:
            self.settled.emit()

    def send(self, result, upload: Callable | None = None) -> None:
        """Hand the signed file to the upload callback (the outbox keeps it until confirmed)."""
        upload = upload or self.upload
        if upload is None:
            raise ValueError("no upload callback")
        self._uploads += 1

        def done(signal, value) -> None:
            self._uploads -= 1
            signal.emit(result, value)
            if not self.in_flight:
                self.settled.emit()

        self.runner.run(lambda op: upload(result), receiver=self, on_success=lambda r: done(self.uploaded, r),
                        on_failure=lambda e: done(self.upload_failed, e), label="upload signed")

    @property
    def in_flight(self) -> bool:
        """Work still running in the background (signing or uploading): keep this object alive."""
        return self.operation is not None or self._uploads > 0
