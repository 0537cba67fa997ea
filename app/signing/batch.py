"""Sign several documents with one signer (one token login): each succeeds or fails on its own."""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from app.errors import CancelledError, LienThongError
from app.signing.errors import SigningError
from app.signing.options import SigningRequest, SigningResult
from app.signing.pades import sign_document

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko_certvalidator import ValidationContext

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


def sign_many(
    requests: Iterable[SigningRequest],
    signer: Signer,
    *,
    validation_context: ValidationContext | None = None,
    cancel: threading.Event | None = None,
    progress: BatchProgress | None = None,
) -> list[BatchItemResult]:
    """Sign each request in turn with the same signer; a failure is recorded, not raised.

    After a cancel, the remaining documents are reported as cancelled (nothing is written for them).
    """
    items = list(requests)
    results: list[BatchItemResult] = []
    for index, request in enumerate(items):
        name = request.input_path.name
        if cancel is not None and cancel.is_set():
            results.append(BatchItemResult(request, error=CancelledError(detail=name)))
            continue
        if progress:
            progress(index, len(items), name)
        try:
            res = sign_document(request, signer, validation_context=validation_context, cancel=cancel)
            results.append(BatchItemResult(request, result=res))
        except LienThongError as exc:
            results.append(BatchItemResult(request, error=exc))
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop the batch
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            results.append(BatchItemResult(request, error=UnexpectedSigningError(name, detail=detail)))
    if progress:
        progress(len(items), len(items), "")
    return results
