"""Dataclass methods compiled by one process are reused by the next, behave the same, and a
damaged or foreign cache file is ignored rather than trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import codecache

REPO = Path(__file__).resolve().parents[1]

# A child that installs the cache, defines dataclasses of every kind, and reports what it did.
CHILD = """
import dataclasses, json, sys
from types import SimpleNamespace
from app import codecache
if sys.argv[1] == "cache":
    codecache.install()
    cache = dataclasses.exec.__self__
else:
    cache = SimpleNamespace(added=None, used=set(), codes={})
stored = set(cache.codes)

@dataclasses.dataclass(frozen=True, order=True)
class Point:
    x: int
    y: int = 2
    tags: list = dataclasses.field(default_factory=list, compare=False)

@dataclasses.dataclass
class Box:
    a: Point
    b: Point
    def __post_init__(self):
        self.area = (self.b.x - self.a.x) * (self.b.y - self.a.y)

p, q = Point(1), Point(4, 6, ["x"])
box = Box(p, q)
try:
    p.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({
    "added": cache.added, "compiled": len(cache.used - stored),
    "behaviour": [repr(p), repr(q), repr(box), box.area, p < q, p == Point(1, 2, ["y"]), hash(p) == hash(Point(1)),
                  frozen, dataclasses.astuple(q)],
}))
"""


def _run(tmp_path: Path, *, cache: bool = True, env: dict | None = None) -> dict:
    child_env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"))
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    child_env.update(env or {})
    done = subprocess.run([sys.executable, "-c", CHILD, "cache" if cache else "plain"], capture_output=True,
                          text=True, cwd=REPO, env=child_env, timeout=120)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _cache_files(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "pycache").rglob("dataclass-code.*.bin"))


def test_the_next_process_reuses_what_the_first_compiled(tmp_path):
    first = _run(tmp_path)
    assert first["added"] is True
    files = _cache_files(tmp_path)
    assert len(files) == 1 and files[0].parent.name == "app"  # beside the app's own bytecode
    again = _run(tmp_path)
    assert first["compiled"] > 5
    assert again["added"] is False and again["compiled"] == 0
    assert again["behaviour"] == first["behaviour"] == _run(tmp_path, cache=False)["behaviour"]


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path):
    assert _run(tmp_path, env={"PYTHONDONTWRITEBYTECODE": "1"})["added"] is True
    assert _cache_files(tmp_path) == []


def test_a_damaged_or_foreign_file_is_ignored(tmp_path):
    _run(tmp_path)
    [path] = _cache_files(tmp_path)
    good = path.read_bytes()
    assert codecache.read(path)
    for damaged in (good[: len(good) // 2], b"x" + good[1:], good.replace(codecache._HEADER, b"other\n", 1),
                    codecache._HEADER + b"\x00garbage"):
        path.write_bytes(damaged)
        assert codecache.read(path) == {}
        assert _run(tmp_path)["added"] is True  # compiled again, then kept again
        assert codecache.read(path)


def test_the_command_line_keeps_its_dataclass_code(tmp_path):
    from tests.signing.cli_helpers import lienthong

    # Empty: Python writes bytecode (and so the cache) even where the test run says not to.
    env = {"PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"), "PYTHONDONTWRITEBYTECODE": ""}
    done = lienthong("verify", tmp_path / "missing.pdf", env=env)
    assert done.code == 2
    [path] = _cache_files(tmp_path)
    assert len(codecache.read(path)) > 100  # pyHanko's dataclasses, among others


def test_each_method_is_unmarshalled_only_when_a_dataclass_uses_it(tmp_path):
    """The GUI on its way to its main window uses a few dozen of the file's thousand entries
    (pyHanko's, from earlier signing runs): it does not unmarshal the others."""
    first = _run(tmp_path)
    [path] = _cache_files(tmp_path)
    stored = codecache.read(path)
    assert stored and all(isinstance(code, bytes) for code in stored.values())
    # One entry damaged on its own: that method is compiled again, the others still come from the file.
    damaged = next(iter(stored))
    codecache.write(path, {**stored, damaged: b"\x00garbage"})
    again = _run(tmp_path)
    assert again["added"] is True and again["behaviour"] == first["behaviour"]
    repaired = codecache.read(path)
    assert set(repaired) == set(stored) and repaired[damaged] != b"\x00garbage"
    assert {k: v for k, v in repaired.items() if k != damaged} == {k: v for k, v in stored.items() if k != damaged}
