"""The paths from a past revision's trailer to its indirect objects, as pyHanko's diff analysis uses them.

pyHanko (`HistoricalResolver._load_reverse_xref_cache`) walks the revision's whole object graph,
every path from the trailer to every indirect object, with these rules: the page tree entered
only through its canonical path, /Parent skipped, the structure tree entered only from
/Root/StructTreeRoot/K (and /P skipped in it), a reference not followed again below itself.
The same walk here goes over the objects themselves instead of copies (an object unchanged since
the revision is the reader's own parsed object, any other one the resolver's copy) and through
each object's own dictionaries and arrays once (`raw_usage_map`); a file nested deeper than
FAST_DEPTH is walked a level per frame, as pyHanko does.

The diff rules only ask for the paths to the few references an update touches. `survey()` enters
each state of the walk once (an object, whether in the structure tree, and its path where the
path decides something below it), reading every object the whole walk reads (and maybe a few a
reference cut below itself would have spared), and keeps where each state leads; the paths to a
reference are then the whole walk's, followed only through the states that lead to it. A
revision whose paths may run deeper than FAST_DEPTH (a loop counts as long as all its steps
together), or whose objects fail to read, gets the whole walk instead, with its outcome: the
same paths, or the same error.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver, RawPdfPath

Path = tuple[str | int, ...]
_ROOT_STRUCT = ("/Root", "/StructTreeRoot")


def usage_map(resolver: HistoricalResolver) -> dict[generic.Reference, set[RawPdfPath]]:
    """Every indirect object reachable from `resolver`'s trailer, with the paths leading to it."""
    return {ref: {RawPdfPath(*p) for p in paths} for ref, paths in raw_usage_map(resolver).items()}


def raw_usage_map(resolver: HistoricalResolver) -> dict[generic.Reference, set[Path]]:
    """`usage_map` with each path as a plain tuple."""
    page_tree_objs = _page_tree_paths(resolver)
    struct_tree_objs = _struct_tree_refs(resolver)
    fetch = _fetcher(resolver)
    try:
        return _walk_by_references(resolver, fetch, page_tree_objs, struct_tree_objs)
    except _TooDeep:
        return _walk_by_levels(resolver, fetch, page_tree_objs, struct_tree_objs)


# A state of the walk: an object, whether in the structure tree, and its path where the path
# decides something below it (on the way to a page tree node or to /Root/StructTreeRoot).
_State = tuple[int, int, bool, Path | None]
_TRAILER: _State = (-1, -1, False, ())
# From a state: (path from it, reference, the state entered there or None).
_Steps = list[tuple[Path, generic.Reference, _State | None]]


class Survey:
    """Where each state of a revision's walk leads; see `survey()`."""

    def __init__(self, steps: dict[_State, _Steps]) -> None:
        self._steps = steps
        # The states with a step to each reference, and those entering each state.
        self._holders: defaultdict[tuple[int, int], list[_State]] = defaultdict(list)
        self._enterers: defaultdict[_State, list[_State]] = defaultdict(list)
        for state, out in steps.items():
            for _rel, ref, below in out:
                self._holders[(ref.idnum, ref.generation)].append(state)
                if below is not None:
                    self._enterers[below].append(state)

    def paths_to(self, ref: generic.Reference) -> set[Path]:
        """The paths the whole walk collects for `ref`: the same walk, only through states that lead to it."""
        target = (ref.idnum, ref.generation)
        leading = set(self._holders.get(target, ()))
        pending = list(leading)
        while pending:
            for state in self._enterers.get(pending.pop(), ()):
                if state not in leading:
                    leading.add(state)
                    pending.append(state)
        found: set[Path] = set()
        ancestors: set[tuple[int, int]] = set()

        def walk(state: _State, path: Path) -> None:
            for rel, child, below in self._steps[state]:
                key = (child.idnum, child.generation)
                if key in ancestors:
                    continue
                child_path = path + rel
                if key == target:
                    found.add(child_path)
                if below in leading:
                    ancestors.add(key)
                    walk(below, child_path)
                    ancestors.discard(key)

        if _TRAILER in leading:
            walk(_TRAILER, ())
        return found


class _Unsurveyable(Exception):
    """A graph that may run deeper than FAST_DEPTH: the whole walk decides."""


def survey(resolver: HistoricalResolver) -> Survey:
    """Every object the whole walk reads, read once, and every state it enters, entered once.

    Raises where the whole walk must decide instead: a path that may be longer than FAST_DEPTH,
    or whatever reading the objects raised (the whole walk reads them all again, with its outcome)."""
    page_tree_objs = _page_tree_paths(resolver)
    struct_tree_objs = _struct_tree_refs(resolver)
    fetch = _fetcher(resolver)
    deciding: set[Path] = {_ROOT_STRUCT[:n] for n in range(len(_ROOT_STRUCT) + 1)}
    for node_path in page_tree_objs.values():
        deciding.update(node_path[:n] for n in range(len(node_path) + 1))
    steps: dict[_State, _Steps] = {}
    deepest: dict[_State, int] = {}
    objects: dict[tuple[int, int], generic.PdfObject] = {}

    def enter(state: _State, obj: generic.PdfObject, path: Path, is_struct_tree: bool) -> None:
        found, deepest[state] = _edges(obj, path, is_struct_tree)
        out: _Steps = []
        steps[state] = out  # entered: a loop back here is not entered again
        for rel, ref, in_struct_tree in found:
            key = (ref.idnum, ref.generation)
            child_path = path + rel
            try:
                child = objects[key]
            except KeyError:
                child = objects[key] = fetch(ref)
            below: _State | None = None
            if page_tree_objs.get(ref, child_path) == child_path and (in_struct_tree or ref not in struct_tree_objs):
                below = (key[0], key[1], in_struct_tree, child_path if child_path in deciding else None)
                if below not in steps:
                    enter(below, child, child_path, in_struct_tree)
            out.append((rel, ref, below))

    enter(_TRAILER, resolver.trailer_view, (), False)
    if _longest(steps, deepest) > FAST_DEPTH:
        raise _Unsurveyable
    return Survey(steps)


def _longest(steps: dict[_State, _Steps], deepest: dict[_State, int]) -> int:
    """A bound on the longest path the whole walk takes from the trailer, nesting included: exact
    where states do not loop; where they do, every step of the loop is counted once (a path of
    the walk enters an object at most once)."""
    index: dict[_State, int] = {}
    low: dict[_State, int] = {}
    stack: list[_State] = []
    on_stack: set[_State] = set()
    component: dict[_State, int] = {}
    longest: list[int] = []

    def below(state: _State) -> list[_State]:
        return [b for _rel, _ref, b in steps[state] if b is not None]

    def close(members: list[_State]) -> None:
        """A strongly connected set of states, every state it leads to outside already closed."""
        this = len(longest)
        for state in members:
            component[state] = this
        inside = out = 0
        for state in members:
            out = max(out, deepest[state])
            step_inside = 0
            for rel, _ref, b in steps[state]:
                if b is None:
                    continue
                if component[b] == this:
                    step_inside = max(step_inside, len(rel))
                else:
                    out = max(out, len(rel) + longest[component[b]])
            inside += step_inside
        longest.append(inside + out)

    # Tarjan's algorithm, without recursion: components close after all those they lead to.
    index[_TRAILER] = low[_TRAILER] = 0
    stack.append(_TRAILER)
    on_stack.add(_TRAILER)
    work = [(_TRAILER, iter(below(_TRAILER)))]
    while work:
        state, children = work[-1]
        for child in children:
            if child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(below(child))))
                break
            if child in on_stack:
                low[state] = min(low[state], index[child])
        else:
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[state])
            if low[state] == index[state]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == state:
                        break
                close(members)
    return longest[component[_TRAILER]]


class _TooDeep(Exception):
    """A path nested past FAST_DEPTH: the file is walked again a level per frame, as pyHanko does."""


# Far below the recursion limit: up to here, fewer frames than pyHanko's walk cannot change the outcome.
FAST_DEPTH = 100

# The indirect objects directly inside an object: (path from the object, reference, in the structure tree).
_Edges = list[tuple[Path, generic.Reference, bool]]


def _edges(obj: generic.PdfObject, path: Path, is_struct_tree: bool) -> tuple[_Edges, int]:
    """The references inside `obj` (reached at `path`) and how deep its own nesting goes."""
    found: _Edges = []
    deepest = 0

    def direct(obj: generic.PdfObject, rel: Path, is_struct_tree: bool) -> None:
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


def _walk_by_references(
    resolver: HistoricalResolver, fetch: Callable[[generic.Reference], generic.PdfObject],
    page_tree_objs: dict[generic.Reference, Path], struct_tree_objs: set[generic.Reference],
) -> dict[generic.Reference, set[Path]]:
    """The walk of `_walk_by_levels`, with each object's own dictionaries and arrays gone through once
    and remembered: a resource shared by every page is reached along as many paths, and only what
    leads to other indirect objects is followed again (the paths collected are the same)."""
    collected: defaultdict[generic.Reference, set[Path]] = defaultdict(set)
    ancestors: set[tuple[int, int]] = set()
    known: dict[tuple[int, int, bool], tuple[_Edges, int]] = {}
    # What fetch returned for each reference, asked again along every other path to it.
    objects: dict[tuple[int, int], generic.PdfObject] = {}

    def edges_of(obj: generic.PdfObject, path: Path, is_struct_tree: bool, key: tuple[int, int]) -> _Edges:
        # Below /Root/StructTreeRoot's path the structure tree starts: there, the way in counts.
        if _ROOT_STRUCT[:len(path)] == path:
            return _edges(obj, path, is_struct_tree)[0]
        memo_key = (key[0], key[1], is_struct_tree)
        try:
            found, deepest = known[memo_key]
        except KeyError:
            found, deepest = known[memo_key] = _edges(obj, path, is_struct_tree)
        if len(path) + deepest > FAST_DEPTH:
            raise _TooDeep
        return found

    def walk(found: _Edges, path: Path) -> None:
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

    walk(_edges(resolver.trailer_view, (), False)[0], ())
    return dict(collected)


def _walk_by_levels(
    resolver: HistoricalResolver, fetch: Callable[[generic.Reference], generic.PdfObject],
    page_tree_objs: dict[generic.Reference, Path], struct_tree_objs: set[generic.Reference],
) -> dict[generic.Reference, set[Path]]:
    """pyHanko's walk, over the objects themselves instead of copies."""
    collected: defaultdict[generic.Reference, set[Path]] = defaultdict(set)
    ancestors: set[tuple[int, int]] = set()

    # One frame per level, as pyHanko's walk: a deeply nested file fails (or not) the same way.
    def walk(obj: generic.PdfObject, path: Path, is_struct_tree: bool) -> None:
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
    last_change = getattr(reader, "last_change", None) or reader.xrefs.get_last_change

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


def _page_tree_paths(resolver: HistoricalResolver) -> dict[generic.Reference, Path]:
    """Each page tree node's canonical path (as pyHanko collects them, through the resolver)."""

    def collect(pages_obj: generic.DictionaryObject, path: Path):  # type: ignore[no-untyped-def]
        for ix, kid in enumerate(pages_obj["/Kids"]):
            kid_path = path + ("/Kids", ix)
            if isinstance(kid, generic.IndirectObject):
                yield kid.reference, kid_path
            kid = kid.get_object()
            if kid.get("/Type", None) == "/Pages":
                yield from collect(kid, kid_path)

    pages_ref = resolver.root.raw_get("/Pages")
    pages_path: Path = ("/Root", "/Pages")
    nodes: dict[generic.Reference, Path] = {}
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
