"""pyHanko's reader with a leaner map of where each object of a past revision is used.

pyHanko's diff analysis (`StandardDiffPolicy.apply`) needs, for the signed revision, every path
from the trailer to every indirect object (`HistoricalResolver._load_reverse_xref_cache`). It finds
them by walking the whole object graph through the revision's resolver, which makes a private
copy of every object it passes (about 800 for a 50-page file) and builds each path as a linked
list of frozen dataclasses: for each signature of a multi-signature file, a few tenths of a second.

`Reader.get_historical_resolver` (pyHanko's documented way to view a past revision) hands out a
resolver whose map is computed by the same walk, with the same rules (the page tree entered only
through its canonical path, /Parent skipped, the structure tree entered only from
/Root/StructTreeRoot/K), over the objects themselves instead of copies: an object unchanged since
the revision is the reader's own parsed object, any other one is the resolver's copy, exactly as
the resolver would return it. Each object's own dictionaries and arrays are gone through once:
a font or colour space shared by every page is reached along a path per page, and only the
references inside it are followed again (a file nested deeper than FAST_DEPTH is walked a level
per frame, as pyHanko does). The paths stay tuples until the diff rules ask about a reference.
The map is the one pyHanko produces (a test compares them on many files), so the diff policy
decides exactly as before. Encrypted files, and pyHanko versions this was not checked against,
keep pyHanko's own walk.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath
from pyhanko.version import __version__ as pyhanko_version

# The pyHanko versions whose `_load_reverse_xref_cache` this reproduces (tests/signing/test_history.py).
CHECKED_VERSIONS = frozenset({"0.38.0"})

_Path = tuple[str | int, ...]
_ROOT_STRUCT = ("/Root", "/StructTreeRoot")


def supported() -> bool:
    return (pyhanko_version in CHECKED_VERSIONS
            and hasattr(HistoricalResolver, "_load_reverse_xref_cache")
            and hasattr(HistoricalResolver, "_get_usages_of_ref"))


class LeanResolver(HistoricalResolver):
    """A HistoricalResolver whose usage map is built without copying every object, and whose
    paths become pyHanko's path objects only for the references the diff rules ask about."""

    _raw_usages: dict[generic.Reference, set[_Path]] | None = None

    def _load_reverse_xref_cache(self) -> None:
        if self._indirect_object_access_cache is not None:
            return
        if self.reader.encrypted:
            super()._load_reverse_xref_cache()  # type: ignore[no-untyped-call]
            return
        self._raw_usages = raw_usage_map(self)
        self._indirect_object_access_cache = {}

    def _get_usages_of_ref(self, ref: generic.Reference) -> set[RawPdfPath]:
        raw, cache = self._raw_usages, self._indirect_object_access_cache
        if raw is None or cache is None:
            return super()._get_usages_of_ref(ref)
        try:
            return cache[ref]
        except KeyError:
            paths = raw.get(ref)
            if paths is None:
                return set()
            found = cache[ref] = {RawPdfPath(*p) for p in paths}
            return found


def usage_map(resolver: HistoricalResolver) -> dict[generic.Reference, set[RawPdfPath]]:
    """Every indirect object reachable from `resolver`'s trailer, with the paths leading to it."""
    return {ref: {RawPdfPath(*p) for p in paths} for ref, paths in raw_usage_map(resolver).items()}


def raw_usage_map(resolver: HistoricalResolver) -> dict[generic.Reference, set[_Path]]:
    """`usage_map` with each path as a plain tuple."""
    page_tree_objs = _page_tree_paths(resolver)
    struct_tree_objs = _struct_tree_refs(resolver)
    fetch = _fetcher(resolver)
    try:
        return _walk_by_references(resolver, fetch, page_tree_objs, struct_tree_objs)
    except _TooDeep:
        return _walk_by_levels(resolver, fetch, page_tree_objs, struct_tree_objs)


class _TooDeep(Exception):
    """A path nested past FAST_DEPTH: the file is walked again a level per frame, as pyHanko does."""


# Far below the recursion limit: up to here, fewer frames than pyHanko's walk cannot change the outcome.
FAST_DEPTH = 100

# The indirect objects directly inside an object: (path from the object, reference, in the structure tree).
_Edges = list[tuple[_Path, generic.Reference, bool]]


def _walk_by_references(
    resolver: HistoricalResolver, fetch: Callable[[generic.Reference], generic.PdfObject],
    page_tree_objs: dict[generic.Reference, _Path], struct_tree_objs: set[generic.Reference],
) -> dict[generic.Reference, set[_Path]]:
    """The walk of `_walk_by_levels`, with each object's own dictionaries and arrays gone through once
    and remembered: a resource shared by every page is reached along as many paths, and only what
    leads to other indirect objects is followed again (the paths collected are the same)."""
    collected: defaultdict[generic.Reference, set[_Path]] = defaultdict(set)
    ancestors: set[tuple[int, int]] = set()
    known: dict[tuple[int, int, bool], tuple[_Edges, int]] = {}
    # What fetch returned for each reference, asked again along every other path to it.
    objects: dict[tuple[int, int], generic.PdfObject] = {}

    def edges(obj: generic.PdfObject, path: _Path, is_struct_tree: bool) -> tuple[_Edges, int]:
        found: _Edges = []
        deepest = 0

        def direct(obj: generic.PdfObject, rel: _Path, is_struct_tree: bool) -> None:
            nonlocal deepest
            deepest = max(deepest, len(rel))
            if len(path) + len(rel) > FAST_DEPTH:
                raise _TooDeep
            if isinstance(obj, generic.IndirectObject):
                found.append((rel, obj.reference, is_struct_tree))
            elif isinstance(obj, generic.DictionaryObject):
                enters_struct_tree = path + rel == _ROOT_STRUCT
                for k, v in obj.items():
                    if k == "/Parent" or (is_struct_tree and k == "/P"):
                        continue
                    direct(v, rel + (k,), is_struct_tree or (enters_struct_tree and k == "/K"))
            elif isinstance(obj, generic.ArrayObject):
                for ix, v in enumerate(obj):
                    direct(v, rel + (ix,), is_struct_tree)

        if not isinstance(obj, generic.IndirectObject):
            direct(obj, (), is_struct_tree)
        return found, deepest

    def edges_of(obj: generic.PdfObject, path: _Path, is_struct_tree: bool, key: tuple[int, int]) -> _Edges:
        # Below /Root/StructTreeRoot's path the structure tree starts: there, the way in counts.
        if _ROOT_STRUCT[:len(path)] == path:
            return edges(obj, path, is_struct_tree)[0]
        memo_key = (key[0], key[1], is_struct_tree)
        try:
            found, deepest = known[memo_key]
        except KeyError:
            found, deepest = known[memo_key] = edges(obj, path, is_struct_tree)
        if len(path) + deepest > FAST_DEPTH:
            raise _TooDeep
        return found

    def walk(found: _Edges, path: _Path) -> None:
        for rel, ref, in_struct_tree in found:
            key = (ref.idnum, ref.generation)
            if key in ancestors:
                continue
            child_path = path + rel
            collected[ref].add(child_path)
            try:
                child = objects[key]
            except KeyError:
                child = objects[key] = fetch(ref)
            if page_tree_objs.get(ref, child_path) != child_path:
                continue
            if not in_struct_tree and ref in struct_tree_objs:
                continue
            below = edges_of(child, child_path, in_struct_tree, key)
            if below:
                ancestors.add(key)
                walk(below, child_path)
                ancestors.discard(key)

    walk(edges(resolver.trailer_view, (), False)[0], ())
    return dict(collected)


def _walk_by_levels(
    resolver: HistoricalResolver, fetch: Callable[[generic.Reference], generic.PdfObject],
    page_tree_objs: dict[generic.Reference, _Path], struct_tree_objs: set[generic.Reference],
) -> dict[generic.Reference, set[_Path]]:
    """pyHanko's walk, over the objects themselves instead of copies."""
    collected: defaultdict[generic.Reference, set[_Path]] = defaultdict(set)
    ancestors: set[tuple[int, int]] = set()

    # One frame per level, as pyHanko's walk: a deeply nested file fails (or not) the same way.
    def walk(obj: generic.PdfObject, path: _Path, is_struct_tree: bool) -> None:
        key = None
        if isinstance(obj, generic.IndirectObject):
            ref = obj.reference
            key = (ref.idnum, ref.generation)
            if key in ancestors:
                return
            collected[ref].add(path)
            obj = fetch(ref)
            if page_tree_objs.get(ref, path) != path:
                return
            if not is_struct_tree and ref in struct_tree_objs:
                return
            ancestors.add(key)
        if isinstance(obj, generic.DictionaryObject):
            enters_struct_tree = path == _ROOT_STRUCT
            for k, v in obj.items():
                if k == "/Parent" or (is_struct_tree and k == "/P"):
                    continue
                walk(v, path + (k,), is_struct_tree or (enters_struct_tree and k == "/K"))
        elif isinstance(obj, generic.ArrayObject):
            for ix, v in enumerate(obj):
                walk(v, path + (ix,), is_struct_tree)
        if key is not None:
            ancestors.discard(key)

    walk(resolver.trailer_view, (), False)
    return dict(collected)


def _fetcher(resolver: HistoricalResolver) -> Callable[[generic.Reference], generic.PdfObject]:
    """What `resolver(ref)` returns, or the object it would copy: the walk only reads it."""
    reader, revision, cache = resolver.reader, resolver.revision, resolver.cache
    last_change = reader.last_change if isinstance(reader, Reader) else reader.xrefs.get_last_change

    def fetch(ref: generic.Reference) -> generic.PdfObject:
        obj: generic.PdfObject
        if ref not in cache:
            try:
                changed = last_change(ref)
            except KeyError:
                changed = None
            if changed is not None and changed <= revision:
                obj = reader.get_object(ref, transparent_decrypt=False)
                if not isinstance(obj, generic.DecryptedObjectProxy):
                    return obj
        # Copied or historical, as pyHanko's walk gets it (and with its warnings).
        obj = resolver(ref)
        return obj

    return fetch


def _page_tree_paths(resolver: HistoricalResolver) -> dict[generic.Reference, _Path]:
    """Each page tree node's canonical path (as pyHanko collects them, through the resolver)."""

    def collect(pages_obj: generic.DictionaryObject, path: _Path):  # type: ignore[no-untyped-def]
        for ix, kid in enumerate(pages_obj["/Kids"]):
            kid_path = path + ("/Kids", ix)
            if isinstance(kid, generic.IndirectObject):
                yield kid.reference, kid_path
            kid = kid.get_object()
            if kid.get("/Type", None) == "/Pages":
                yield from collect(kid, kid_path)

    pages_ref = resolver.root.raw_get("/Pages")
    pages_path: _Path = ("/Root", "/Pages")
    nodes: dict[generic.Reference, _Path] = {}
    if isinstance(pages_ref, generic.IndirectObject):
        nodes[pages_ref.reference] = pages_path
    for ref, path in collect(pages_ref.get_object(), pages_path):
        if ref in nodes:
            raise misc.PdfReadError("Circular reference in page tree in mapping stage")
        nodes[ref] = path
    return nodes


def _struct_tree_refs(resolver: HistoricalResolver) -> set[generic.Reference]:
    def collect(struct_elem: generic.DictionaryObject):  # type: ignore[no-untyped-def]
        try:
            children = struct_elem["/K"]
        except KeyError:
            return
        if not isinstance(children, generic.ArrayObject):
            children = (children,)
        for child in children:
            child_ref = None
            if isinstance(child, generic.IndirectObject):
                child_ref = child.reference
                child = child.get_object()
            if not isinstance(child, generic.DictionaryObject):
                continue
            try:
                if child["/Type"] != "/StructElem":
                    continue
            except KeyError:
                pass
            if child_ref is not None:
                yield child_ref
            yield from collect(child)

    nodes: set[generic.Reference] = set()
    try:
        root = resolver.root.raw_get("/StructTreeRoot").get_object()
        for ref in collect(root):
            if ref in nodes:
                raise misc.PdfReadError("Circular reference in structure tree in mapping stage")
            nodes.add(ref)
    except KeyError:
        pass
    return nodes


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
