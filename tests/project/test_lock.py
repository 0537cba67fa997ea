"""requirements.lock pins every dependency pyproject.toml asks for, within its ranges, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
# What the lock must cover: the app itself and every extra but none.
EXTRAS = ("sandbox", "test", "lint", "installer")
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def _pins() -> dict[str, tuple[Version, list[str]]]:
    pins: dict[str, tuple[Version, list[str]]] = {}
    name = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            pins[name] = (Version(match.group(2)), [])
        elif name and line.strip().startswith("--hash=sha256:"):
            pins[name][1].append(line.strip())
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    extras = project["optional-dependencies"]
    assert set(EXTRAS) == set(extras), "a new extra must be added to .ci/lock and to this test"
    for extra in EXTRAS:
        wanted += [Requirement(r) for r in extras[extra]]
    return wanted


def test_every_requirement_is_pinned_within_its_range():
    pins = _pins()
    outside = []
    for req in _requirements():
        name = canonicalize_name(req.name)
        if name not in pins:
            outside.append(f"{req}: not in the lock")
        elif not req.specifier.contains(pins[name][0], prereleases=True):
            outside.append(f"{req}: locked at {pins[name][0]}")
    assert outside == [], "run bash .ci/lock"


def test_every_pin_carries_hashes():
    pins = _pins()
    assert len(pins) > 50
    assert [name for name, (_, hashes) in pins.items() if not hashes] == []


def test_the_lock_holds_a_pyside6_without_the_reference_leak():
    version, _ = _pins()["pyside6-essentials"]
    assert version != Version("6.12.0")
    assert _pins()["shiboken6"][0] == version
