"""Sign several documents with one signer (one token login): each succeeds or fails on its own."""

from __future__ import annotations

import os
import threading
import traceback
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Protocol, runtime_checkable

from app.errors import CancelledError, LienThongError
from app.signing.asn1setup import set_up_loaded_classes
from app.signing.errors import SigningError
from app.signing.options import SigningRequest, SigningResult
from app.signing.pades import sign_document

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko_certvalidator import ValidationContext

    from app.signing.remote.signer import DocumentOrder

BatchProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BatchItemResult:
    request: SigningRequest
    result: SigningResult | None = None
    error: LienThongError | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None


class UnexpectedSigningError(SigningError):
    """A document failed in a way we did not foresee; the batch carries on with the others."""

    code = "signing_unexpected"

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(
            f"Không ký được tệp \"{name}\" do lỗi không lường trước. Các tệp khác vẫn được ký.",
            f"Could not sign \"{name}\" because of an unexpected error. The other files are still signed.",
            detail=detail,
        )


@runtime_checkable
class OrderedBackend(Protocol):
    """A backend whose signatures go one at a time in the documents' order (a remote credential:
    the officer may confirm each document on the phone, one request at a time)."""

    def in_order(self, cancel: threading.Event | None = None) -> AbstractContextManager[DocumentOrder]: ...


def _ordered(signer: Signer) -> OrderedBackend | None:
    from app.signing.backend_signer import BackendPdfSigner

    if isinstance(signer, BackendPdfSigner) and isinstance(signer.backend, OrderedBackend):
        return signer.backend
    return None


def overlaps(signer: Signer) -> bool:
    """Whether a batch may have two documents in hand at a time with `signer`: a token login or
    a key file, whose signatures ask nobody; or a remote credential, whose remote steps (the
    confirmation on the phone, the signature) still go one at a time, in order, while the next
    document is prepared."""
    from pyhanko.sign.signers import SimpleSigner

    from app.signing.backend_signer import BackendPdfSigner
    from app.signing.token_signer import TokenSigner

    if isinstance(signer, BackendPdfSigner):
        return isinstance(signer.backend, TokenSigner) or _ordered(signer) is not None
    return isinstance(signer, SimpleSigner)


def sign_many(
    requests: Iterable[SigningRequest],
    signer: Signer,
    *,
    validation_context: ValidationContext | None = None,
    cancel: threading.Event | None = None,
    progress: BatchProgress | None = None,
) -> list[BatchItemResult]:
    """Sign each request with the same signer; a failure is recorded, not raised. Results come
    in the order of `requests`, and `progress` reports each document as it starts, in order.

    Where the signer allows it (`overlaps`), two documents are in hand at once after the first:
    one is prepared while the other waits on what runs outside Python's lock (the token, the
    remote service and the officer's phone, qpdf, the disk). A remote credential's requests and
    signatures still go one at a time, in the documents' order.
    After a cancel, the documents not started are reported as cancelled (nothing is written for
    them); one being signed stops at its next stage.
    """
    items = list(requests)
    results: list[BatchItemResult | None] = [None] * len(items)
    order = iter(range(len(items)))
    lock = threading.Lock()
    stopped = threading.Event()  # the other lane failed outright: take nothing more

    def take() -> int | None:
        # Documents start in order, each reported before its start.
        with lock:
            index = None if stopped.is_set() else next(order, None)
            if index is None:
                return None
            name = items[index].input_path.name
            if cancel is not None and cancel.is_set():
                results[index] = BatchItemResult(items[index], error=CancelledError(detail=name))
                return index
            if progress:
                try:
                    progress(index, len(items), name)
                except BaseException:
                    stopped.set()  # under the lock: the other lane starts nothing more
                    raise
            return index

    backend = _ordered(signer)
    turns: DocumentOrder | None

    def step() -> bool:
        index = take()
        if index is None:
            return False
        if results[index] is None:
            with turns.document(index) if turns is not None else nullcontext():
                results[index] = _sign_one(items[index], signer, validation_context, cancel)
        return True

    def work() -> None:
        while step():
            pass

    with backend.in_order(cancel) if backend is not None else nullcontext() as turns:
        helpers: list[_Lane] = []
        if len(items) > 2 and overlaps(signer) and _independent(items) and not _fetches(items, validation_context):
            # The first document alone: what the libraries load or build on first use (modules,
            # asn1crypto's class tables, font tables) is made on one thread before two share it.
            step()
            set_up_loaded_classes()
            helpers.append(_Lane(work, stopped.set))
        try:
            work()
        except BaseException:
            stopped.set()
            raise
        finally:
            for helper in helpers:
                helper.join()
    if progress:
        progress(len(items), len(items), "")
    return [r if r is not None else BatchItemResult(items[i], error=CancelledError(detail=items[i].input_path.name))
            for i, r in enumerate(results)]


def _fetches(items: list[SigningRequest], validation_context: ValidationContext | None) -> bool:
    """Whether the documents gather revocation data (B-LT: a validation context and a TSA): the
    context's fetchers share asyncio events between the documents, each of which runs its own
    event loop, so those documents are signed one at a time."""
    return validation_context is not None and any(r.tsa is not None for r in items)


def _independent(items: list[SigningRequest]) -> bool:
    """No document reads or writes another's output: then their order does not matter."""
    def key(path: Path) -> str:
        return os.path.normcase(os.path.abspath(path))

    outputs = {key(r.output_path) for r in items}
    return len(outputs) == len(items) and not any(key(r.input_path) in outputs for r in items)


def _sign_one(request: SigningRequest, signer: Signer, validation_context: ValidationContext | None,
              cancel: threading.Event | None) -> BatchItemResult:
    try:
        res = sign_document(request, signer, validation_context=validation_context, cancel=cancel)
        return BatchItemResult(request, result=res)
    except LienThongError as exc:
        return BatchItemResult(request, error=exc)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the batch
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return BatchItemResult(request, error=UnexpectedSigningError(request.input_path.name, detail=detail))


class _Lane:
    """A second thread taking documents from the same queue; what escapes it is raised on join."""

    def __init__(self, work: Callable[[], None], on_error: Callable[[], None]) -> None:
        self._work = work
        self._on_error = on_error
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lienthong-batch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self._error = exc
            self._on_error()

    def join(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
