"""Checks every pinned package of requirements.lock against the known-vulnerability records the
package index publishes for that exact release (the OSV-sourced `vulnerabilities` list of its JSON
API, the same source pip-audit's default service reads). Exit 1 when one is found, 2 when the index
cannot be asked or has no advisory data for some release (they are listed). Ignored advisories go in .ci/audit-ignore, one ID per line with a reason after '#'.

    python3 .ci/audit.py [--lock requirements.lock]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX_JSON = "https://pypi.org/pypi/{name}/{version}/json"
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: Path) -> list[tuple[str, str]]:
    found = {m.groups() for line in lock.read_text(encoding="utf-8").splitlines() if (m := PIN.match(line))}
    return sorted(found)


def ignored(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()} - {""}


def _get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def advisories(name: str, version: str) -> list[dict] | None:
    """The release's advisories; None when the index has no advisory data for that release (some
    mirrors serve only the project document, whose list is about its newest release)."""
    data = _get(INDEX_JSON.format(name=name, version=version))
    if data is None:
        project = _get(PROJECT_JSON.format(name=name))
        if project is None or project.get("info", {}).get("version") != version:
            return None
        data = project
    return [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--ignore", type=Path, default=ROOT / ".ci" / "audit-ignore")
    args = parser.parse_args(argv)
    packages = pins(args.lock)
    skip = ignored(args.ignore)
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda p: (p, advisories(*p)), packages))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"audit: the package index could not be asked: {exc}", file=sys.stderr)
        return 2
    found = 0
    unknown = [f"{name}=={version}" for (name, version), vulns in results if vulns is None]
    for (name, version), vulns in results:
        for v in vulns or ():
            ids = {v.get("id", ""), *(v.get("aliases") or [])}
            if ids & skip:
                continue
            found += 1
            fixed = ", ".join(v.get("fixed_in") or []) or "no fixed release"
            print(f"{name}=={version}: {v.get('id')} ({', '.join(sorted(i for i in ids if i != v.get('id')))}) "
                  f"fixed in {fixed}: {(v.get('summary') or v.get('details') or '').splitlines()[0][:160]}")
    print(f"audit: {len(packages)} pinned packages, {len(packages) - len(unknown)} checked, "
          f"{found} known vulnerabilities", file=sys.stderr)
    if unknown:
        print(f"audit: no advisory data from this index for {len(unknown)} releases: {' '.join(unknown)}",
              file=sys.stderr)
    return 1 if found else 2 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
