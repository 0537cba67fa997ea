"""pyHanko's reader with a leaner map of where each object of a past revision is used.

pyHanko's diff analysis (`StandardDiffPolicy.apply`) asks, for the signed revision, the paths from
the trailer to each reference an update touches. pyHanko first maps every path to every indirect
object (`HistoricalResolver._load_reverse_xref_cache`), walking the whole object graph through the
revision's resolver, which copies every object it passes and builds each path as a linked list
of frozen dataclasses: for each signature of a multi-signature file, a few tenths of a second.

`Reader.get_historical_resolver` (pyHanko's documented way to view a past revision) hands out a
resolver that reads every object the walk would read, once (app/signing/usage_walks.py), and finds
the paths to a reference, with the walk's own rules, when the diff rules ask about it. The paths
are the ones pyHanko finds (a test compares them on many files), so the diff policy decides
exactly as before. Encrypted files, and pyHanko versions this was not checked against, keep
pyHanko's own walk.
"""

from __future__ import annotations

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath
from pyhanko.version import __version__ as pyhanko_version

from app.signing import usage_walks

# The pyHanko versions whose `_load_reverse_xref_cache` this reproduces (tests/signing/test_history.py).
CHECKED_VERSIONS = frozenset({"0.38.0"})


def supported() -> bool:
    return (pyhanko_version in CHECKED_VERSIONS
            and hasattr(HistoricalResolver, "_load_reverse_xref_cache")
            and hasattr(HistoricalResolver, "_get_usages_of_ref"))


class LeanResolver(HistoricalResolver):
    """A HistoricalResolver that finds the paths to a reference when the diff rules ask about it."""

    _survey: usage_walks.Survey | None = None
    _raw_usages: dict[generic.Reference, set[usage_walks.Path]] | None = None

    def _load_reverse_xref_cache(self) -> None:
        if self._indirect_object_access_cache is not None:
            return
        if self.reader.encrypted:
            super()._load_reverse_xref_cache()  # type: ignore[no-untyped-call]
            return
        try:
            self._survey = usage_walks.survey(self)
        except Exception:  # noqa: BLE001 - the whole walk decides, and fails (or not) as pyHanko's
            self._raw_usages = usage_walks.raw_usage_map(self)
        self._indirect_object_access_cache = {}

    def _get_usages_of_ref(self, ref: generic.Reference) -> set[RawPdfPath]:
        cache = self._indirect_object_access_cache
        if cache is None or (self._survey is None and self._raw_usages is None):
            return super()._get_usages_of_ref(ref)
        try:
            return cache[ref]
        except KeyError:
            pass
        if self._survey is not None:
            paths = self._survey.paths_to(ref)
        else:
            assert self._raw_usages is not None
            paths = self._raw_usages.get(ref, set())
        if not paths:
            return set()
        found = cache[ref] = {RawPdfPath(*p) for p in paths}
        return found


class Reader(PdfFileReader):
    """A PdfFileReader whose past revisions are LeanResolvers (when this pyHanko is a checked one)."""

    _last_changes: dict[tuple[int, int], int | None]

    def last_change(self, ref: generic.Reference) -> int:
        """`self.xrefs.get_last_change(ref)`, remembered: every revision's walk asks it for every object."""
        key = (ref.idnum, ref.generation)
        try:
            memo = self._last_changes
        except AttributeError:
            memo = self._last_changes = {}
        try:
            found = memo[key]
        except KeyError:
            try:
                found = memo[key] = self.xrefs.get_last_change(ref)
            except KeyError:
                found = memo[key] = None
        if found is None:
            raise KeyError(ref)
        return found

    def get_historical_resolver(self, revision: int) -> HistoricalResolver:
        if not supported():
            return super().get_historical_resolver(revision)
        cache = self._historical_resolver_cache
        try:
            return cache[revision]
        except KeyError:
            resolver = cache[revision] = LeanResolver(self, revision)
            return resolver
