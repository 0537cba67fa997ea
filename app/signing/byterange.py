"""The byte-range digests of all the signatures of a file, from one pass over it.

A signature covers the file from its first byte up to its own /Contents, then the rest of its
revision; the signatures of a document signed in turn share all but a few kilobytes of that.
pyHanko hashes each signature's range on its own (`EmbeddedPdfSignature.compute_digest`), the
whole file again for every signature. `prime()` hashes the shared start once, continues a copy
of the hash for each signature, and leaves the result where `compute_digest` keeps the digests
it computed (`external_digests`): the same bytes through the same hash, so the same value.
A range of any other shape (not four whole numbers, not from the first byte, overlapping,
past the end of the file) is left to pyHanko.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO, Sequence

from pyhanko.version import __version__ as pyhanko_version

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.hashes import HashContext
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

# The pyHanko versions whose compute_digest reads `external_digests` first (tests/signing/test_byterange.py).
CHECKED_VERSIONS = frozenset({"0.38.0"})
_CHUNK = 1 << 20


def supported() -> bool:
    return pyhanko_version in CHECKED_VERSIONS


def prime(stream: BinaryIO, embedded: Sequence[EmbeddedPdfSignature]) -> None:
    """Fill each signature's digest cache for its own digest algorithm, where its range allows."""
    if not supported():
        return
    start = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    by_algorithm: dict[str, list[tuple[int, int, int, EmbeddedPdfSignature]]] = {}
    for emb in embedded:
        algorithm = getattr(emb, "external_md_algorithm", None)
        spans = _spans(getattr(emb, "byte_range", None), size)
        if isinstance(algorithm, str) and spans is not None and algorithm not in emb.external_digests:
            by_algorithm.setdefault(algorithm, []).append((*spans, emb))
    try:
        for algorithm, signatures in by_algorithm.items():
            _digest(stream, algorithm, signatures)
    except OSError:
        pass  # a file cut short while read: pyHanko reads the ranges left and reports what it finds
    finally:
        stream.seek(start)


def _spans(byte_range: object, size: int) -> tuple[int, int, int] | None:
    """(end of the first span, start and length of the second) of a range [0 a b c] inside the file."""
    if not isinstance(byte_range, list) or len(byte_range) != 4:
        return None
    if not all(type(v) is not bool and isinstance(v, int) for v in byte_range):
        return None
    first, end, second, length = (int(v) for v in byte_range)
    if first != 0 or not 0 <= end <= second or length < 0 or second + length > size:
        return None
    return end, second, length


def _digest(stream: BinaryIO, algorithm: str,
            signatures: list[tuple[int, int, int, EmbeddedPdfSignature]]) -> None:
    from cryptography.hazmat.primitives import hashes
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    try:
        spec = get_pyca_cryptography_hash(algorithm)
    except Exception:  # noqa: BLE001 - an algorithm pyHanko cannot hash: its own check reports it
        return
    shared = hashes.Hash(spec)
    done = 0
    for end, second, length, emb in sorted(signatures, key=lambda s: s[0]):
        _feed(stream, shared, done, end)
        done = end
        own = shared.copy()
        _feed(stream, own, second, second + length)
        emb.external_digests[algorithm] = own.finalize()


def _feed(stream: BinaryIO, md: HashContext, start: int, end: int) -> None:
    stream.seek(start)
    while start < end:
        chunk = stream.read(min(_CHUNK, end - start))
        if not chunk:
            raise OSError("the file ended inside a signed byte range")
        md.update(chunk)
        start += len(chunk)
