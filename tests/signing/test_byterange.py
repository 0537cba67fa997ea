"""The byte-range digests of all the signatures of a file from one pass (app/signing/byterange.py):
the values pyHanko computes, found where pyHanko looks for them, and nothing for a range of any
other shape."""

from __future__ import annotations

import hashlib
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import byte_range_digest

from app.signing import byterange
from app.signing.verify import verify_pdf
from tests.signing.verify_helpers import make_pdf, sign_with, trust_store


@pytest.fixture(scope="module")
def signed_three(demo_pki, tmp_path_factory):
    """Three signatures in three revisions, the second hashed with SHA-512."""
    d = tmp_path_factory.mktemp("byterange")
    make_pdf(d / "in.pdf", pages=3)
    sign_with(demo_pki, d / "in.pdf", d / "one.pdf", field="Initials", box=(60, 80, 200, 160))
    sign_with(demo_pki, d / "one.pdf", d / "two.pdf", user="clerk", field="Seal", page=1, md_algorithm="sha512")
    return sign_with(demo_pki, d / "two.pdf", d / "three.pdf", field="Leader", page=2)


def test_digests_are_the_ones_pyhanko_computes(signed_three):
    data = signed_three.read_bytes()
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    byterange.prime(io.BytesIO(data), embedded)
    assert [e.external_md_algorithm for e in embedded] == ["sha256", "sha512", "sha256"]
    for emb in embedded:
        _, expected = byte_range_digest(io.BytesIO(data), emb.byte_range, emb.external_md_algorithm)
        assert emb.external_digests == {emb.external_md_algorithm: expected}


def test_verifying_reads_the_signed_ranges_once(signed_three, demo_pki, tmp_path, monkeypatch):
    from pyhanko.sign.validation import pdf_embedded

    calls: list[object] = []
    real = pdf_embedded.byte_range_digest

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_embedded, "byte_range_digest", counting)
    report = verify_pdf(signed_three, trust_store(demo_pki, tmp_path / "trust"))
    assert [s.intact for s in report.signatures] == [True, True, True]
    assert calls == []


def test_a_changed_byte_under_the_first_signature_breaks_all_three(signed_three, demo_pki, tmp_path):
    data = bytearray(signed_three.read_bytes())
    at = data.index(b"BT /F1") + 3  # the first page's text, covered by every signature
    data[at:at + 2] = b"F2"
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    report = verify_pdf(changed, trust_store(demo_pki, tmp_path / "trust"))
    assert [s.intact for s in report.signatures] == [False, False, False]


class _Signature:
    def __init__(self, byte_range: list[object], algorithm: str = "sha256") -> None:
        self.byte_range = generic.ArrayObject(byte_range)
        self.external_md_algorithm = algorithm
        self.external_digests: dict[str, bytes] = {}


def _n(*values: int) -> list[object]:
    return [generic.NumberObject(v) for v in values]


def test_only_ranges_from_the_first_byte_and_inside_the_file_are_primed():
    data = bytes(range(256)) * 4
    plain = _Signature(_n(0, 10, 20, 5))
    whole = _Signature(_n(0, 1024, 1024, 0), "sha512")
    others = [
        _Signature(_n(5, 10, 20, 5)),  # not from the first byte
        _Signature(_n(0, 10, 5, 5)),  # the spans overlap
        _Signature(_n(0, 10, 20, 1005)),  # past the end
        _Signature(_n(0, 10, 20)),  # three numbers
        _Signature([generic.NumberObject(0), generic.FloatObject("10.5"), *_n(20, 5)]),
        _Signature([*_n(0, 10, 20), generic.NameObject("/Five")]),
        _Signature(_n(0, 10, 20, 5), "no-such-hash"),
    ]
    stream = io.BytesIO(data)
    stream.seek(7)
    byterange.prime(stream, [*others, whole, plain])
    assert plain.external_digests == {"sha256": hashlib.sha256(data[:10] + data[20:25]).digest()}
    assert whole.external_digests == {"sha512": hashlib.sha512(data).digest()}
    assert all(s.external_digests == {} for s in others)
    assert stream.tell() == 7


def test_a_digest_already_computed_is_kept():
    signature = _Signature(_n(0, 10, 20, 5))
    signature.external_digests["sha256"] = b"computed"
    byterange.prime(io.BytesIO(bytes(64)), [signature])
    assert signature.external_digests == {"sha256": b"computed"}


def test_unchecked_pyhanko_computes_its_own_digests(monkeypatch):
    monkeypatch.setattr(byterange, "CHECKED_VERSIONS", frozenset())
    signature = _Signature(_n(0, 10, 20, 5))
    byterange.prime(io.BytesIO(bytes(64)), [signature])
    assert signature.external_digests == {}
