"""The paths the diff rules get from a past revision (app/signing/history.py, usage_walks.py) are
pyHanko's own, on every kind of file, so pyHanko's diff policy decides exactly as it would; and
verifying no longer copies every object of every signed revision to find them."""

from __future__ import annotations

import io
import random

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath

from app.signing import history, usage_walks
from app.signing.verify import verify_pdf
from tests.fuzz import gen
from tests.signing.pdfs import encrypted_pdf
from tests.signing.verify_helpers import make_pdf, sign_with


def _maps(data: bytes, reader_class: type[PdfFileReader], expected: list[object] | None = None) -> list[object]:
    """Per revision: the usage map as plain values, or the error that building it raised. The lean
    reader's map is what the diff rules get when they ask about each reference pyHanko's holds, and
    about every other object number up to past the last (which pyHanko's map would give no path)."""
    try:
        reader = reader_class(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        revisions = reader.xrefs.total_revisions
    except Exception as exc:  # noqa: BLE001 - a file neither reader opens is not compared
        return [f"unreadable: {type(exc).__name__}"]
    found: list[object] = []
    for revision in range(revisions):
        resolver = reader.get_historical_resolver(revision)
        try:
            resolver._load_reverse_xref_cache()
        except Exception as exc:  # noqa: BLE001 - the same failure is part of the same outcome
            # Not the message: a nesting too deep to parse is found a frame or two apart.
            found.append(type(exc).__name__)
            continue
        if expected is None:
            usages = resolver._indirect_object_access_cache or {}
            found.append({(ref.idnum, ref.generation): paths for ref, paths in usages.items()})
            continue
        known = expected[revision] if revision < len(expected) and isinstance(expected[revision], dict) else {}
        assert isinstance(known, dict)
        last = max((idnum for idnum, _gen in known), default=0)
        asked = set(known) | {(idnum, 0) for idnum in range(last + 20)} | {(10**6, 0)}
        answers = {key: resolver._get_usages_of_ref(generic.Reference(*key)) for key in asked}
        found.append({key: paths for key, paths in answers.items() if paths})
    return found


def _whole_walks(data: bytes) -> list[object] | None:
    """Per revision: the map of the whole walk (where the survey hands over), or its error; None for
    an encrypted file (pyHanko's own walk maps it)."""
    try:
        reader = history.Reader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return None
        revisions = reader.xrefs.total_revisions
    except Exception as exc:  # noqa: BLE001 - as in _maps
        return [f"unreadable: {type(exc).__name__}"]
    found: list[object] = []
    for revision in range(revisions):
        try:
            usages = usage_walks.usage_map(reader.get_historical_resolver(revision))
        except Exception as exc:  # noqa: BLE001 - as in _maps
            found.append(type(exc).__name__)
            continue
        found.append({(ref.idnum, ref.generation): paths for ref, paths in usages.items()})
    return found


def _same_as_pyhanko(data: bytes) -> None:
    expected = _maps(data, PdfFileReader)
    assert _maps(data, history.Reader, expected) == expected
    whole = _whole_walks(data)
    assert whole is None or whole == expected


def _doc(objects: dict[int, bytes], info: bool = False) -> bytes:
    trailer = {b"/Root": b"1 0 R"}
    if info:
        trailer[b"/Info"] = b"90 0 R"
        objects = {**objects, 90: b"<< /Producer (x) /Title 91 0 R >>", 91: b"(Ke hoach)"}
    return gen.Doc(objects, trailer).serialize()


def _tagged_linked_doc() -> bytes:
    """Nested page tree, links between pages, a structure tree with /P back-links and a parent
    tree, a shared resource, an array that contains itself, a name tree: what makes paths plural."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 20 0 R /MarkInfo << /Marked true >>"
           b" /Names << /Dests 30 0 R >> /Loop 31 0 R /OpenAction [6 0 R /Fit] >>",
        2: b"<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 3 /MediaBox [0 0 595 842] >>",
        3: b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: b"<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 9 0 R"
           b" /Annots [12 0 R] /StructParents 0 >>",
        6: b"<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 10 0 R"
           b" /Annots [13 0 R] >>",
        8: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 11 0 R >>",
        9: gen.stream(b"", b"BT /F1 12 Tf 72 770 Td (a) Tj ET"),
        10: gen.stream(b"", b"BT /F1 12 Tf 72 770 Td (b) Tj ET"),
        11: gen.stream(b"", b"BT /F1 12 Tf 72 770 Td (c) Tj ET"),
        12: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [8 0 R /XYZ 0 0 0] /P 5 0 R >>",
        13: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoTo /D [5 0 R /Fit] >> >>",
        20: b"<< /Type /StructTreeRoot /K [21 0 R] /ParentTree 24 0 R >>",
        21: b"<< /Type /StructElem /S /Document /P 20 0 R /K [22 0 R 23 0 R] >>",
        22: b"<< /S /P /P 21 0 R /Pg 5 0 R /K 0 >>",
        23: b"<< /Type /StructElem /S /Link /P 21 0 R /Pg 6 0 R /K << /Type /OBJR /Obj 13 0 R >> >>",
        24: b"<< /Nums [0 [22 0 R]] >>",
        30: b"<< /Names [(first) [5 0 R /Fit] (last) [8 0 R /Fit]] >>",
        31: b"[1 2 31 0 R << /Again 31 0 R >>]",
    }
    return _doc(objects, info=True)


def _generation_doc() -> bytes:
    """An object at generation 1, and a reference to a missing object."""
    data = _doc({
        1: b"<< /Type /Catalog /Pages 2 0 R /Extra 7 1 R /Gone 50 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        4: gen.stream(b"", b"0 0 m 1 1 l S"),
        7: b"<< /Kind /Gen0 >>",
    })
    at = data.index(b"7 0 obj")
    data = data[:at] + b"7 1 obj" + data[at + 7:]
    return data.replace(b"0000000000 65535 f \n0000000000 65535 f \n", b"0000000000 65535 f \n" * 2).replace(
        b"%010d 00000 n \n" % at, b"%010d 00001 n \n" % at)


def test_same_map_as_pyhanko_on_hand_made_structures():
    _same_as_pyhanko(_tagged_linked_doc())
    _same_as_pyhanko(_generation_doc())


@pytest.mark.parametrize("kind", gen.KINDS)
def test_same_map_as_pyhanko_on_damaged_files(kind):
    for n in range(6):
        rng = random.Random(f"history:{kind}:{n}")
        _same_as_pyhanko(gen.make(kind, rng))


PAGES = 20


@pytest.fixture(scope="module")
def signed_three(demo_pki, tmp_path_factory):
    """Three approval signatures in three revisions, as a leader's document carries them."""
    d = tmp_path_factory.mktemp("history")
    make_pdf(d / "in.pdf", pages=PAGES)
    sign_with(demo_pki, d / "in.pdf", d / "one.pdf", field="Initials", box=(60, 80, 200, 160))
    sign_with(demo_pki, d / "one.pdf", d / "two.pdf", user="clerk", field="Seal", page=1)
    return sign_with(demo_pki, d / "two.pdf", d / "three.pdf", field="Leader", page=2)


def test_same_map_as_pyhanko_on_signed_revisions(signed_three, tmp_path):
    _same_as_pyhanko(signed_three.read_bytes())
    _same_as_pyhanko(encrypted_pdf(signed_three, tmp_path / "locked.pdf", user_pw=""))


def test_verifying_does_not_copy_the_pages_contents_into_each_signed_revision(signed_three, demo_pki, tmp_path,
                                                                               monkeypatch):
    """pyHanko's walk copied every object of the file into each signed revision's view, every page's
    content stream included, to map the paths to them; the lean walk copies only what the diff
    rules then look at (the signature fields and their appearances)."""
    from tests.signing.verify_helpers import trust_store

    copied_streams: list[int] = []
    real = HistoricalResolver._subsume_object

    def counting(self, obj):  # type: ignore[no-untyped-def]
        if isinstance(obj, generic.StreamObject):
            copied_streams.append(1)
        return real(self, obj)

    monkeypatch.setattr(HistoricalResolver, "_subsume_object", counting)
    report = verify_pdf(signed_three, trust_store(demo_pki, tmp_path / "trust"))
    assert [s.modification for s in report.signatures] == ["form_filling", "form_filling", "none"]
    assert all(s.intact for s in report.signatures)
    assert len(copied_streams) < PAGES


def test_unchecked_pyhanko_keeps_its_own_walk(monkeypatch):
    monkeypatch.setattr(history, "CHECKED_VERSIONS", frozenset())
    reader = history.Reader(io.BytesIO(_tagged_linked_doc()), strict=False)
    assert type(reader.get_historical_resolver(0)) is HistoricalResolver


def test_verifying_makes_path_objects_only_for_the_references_the_diff_rules_ask_about(signed_three, demo_pki,
                                                                                        tmp_path, monkeypatch):
    """Every page's shared resources are reached along a path per page: the map keeps them as plain
    tuples, and only the few references an update touches get pyHanko's path objects."""
    from tests.signing.verify_helpers import trust_store

    made: list[int] = []
    real = RawPdfPath.__init__

    def counting(self, *path):  # type: ignore[no-untyped-def]
        made.append(1)
        real(self, *path)

    monkeypatch.setattr(RawPdfPath, "__init__", counting)
    report = verify_pdf(signed_three, trust_store(demo_pki, tmp_path / "trust"))
    assert [s.modification for s in report.signatures] == ["form_filling", "form_filling", "none"]
    assert len(made) < 3 * PAGES


def test_signed_revisions_are_surveyed_not_walked_whole(signed_three, monkeypatch):
    """The answers compared with pyHanko's above come from the survey (the whole walk is only for
    graphs that loop or run deep, and for files the survey cannot read)."""

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("walked whole")

    expected = _maps(signed_three.read_bytes(), PdfFileReader)
    monkeypatch.setattr(usage_walks, "raw_usage_map", refused)
    assert _maps(signed_three.read_bytes(), history.Reader, expected) == expected


def test_a_looping_graph_is_surveyed(monkeypatch):
    """/Loop is an array holding itself, and the structure tree's elements point back up."""

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("walked whole")

    data = _tagged_linked_doc()
    expected = _maps(data, PdfFileReader)
    monkeypatch.setattr(usage_walks, "raw_usage_map", refused)
    assert _maps(data, history.Reader, expected) == expected


def _ring(size: int) -> bytes:
    """A catalog whose /Ring goes round `size` objects, each pointing to the next and the last back
    to the first: the walk's longest path is as long as the ring."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Ring 10 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        3: b"<< /Type /Page /Parent 2 0 R >>",
    }
    for n in range(size):
        objects[10 + n] = b"<< /Next %d 0 R >>" % (10 + (n + 1) % size)
    return _doc(objects)


@pytest.mark.parametrize("size, whole", [(20, False), (3 * usage_walks.FAST_DEPTH, True)])
def test_a_loop_that_may_run_past_fast_depth_is_walked_whole(size, whole, monkeypatch):
    walked: list[object] = []
    real = usage_walks.raw_usage_map

    def counting(resolver):  # type: ignore[no-untyped-def]
        walked.append(resolver)
        return real(resolver)

    data = _ring(size)
    expected = _maps(data, PdfFileReader)
    monkeypatch.setattr(usage_walks, "raw_usage_map", counting)
    assert _maps(data, history.Reader, expected) == expected
    assert bool(walked) is whole
