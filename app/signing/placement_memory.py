"""The last accepted signature position per document form and profile ("positions are remembered").

A JSON file written atomically. Positions on a document's last page are remembered as "last
page", so a longer or shorter document of the same form still gets the box on its last page.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from app.fileio import atomic_write_bytes
from app.signing.geometry import Placement
from app.signing.options import Profile

_VERSION = 1


class PlacementMemory:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @staticmethod
    def _key(form: str, profile: Profile) -> str:
        return f"{' '.join(form.split()).casefold()}|{profile.value}"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # Missing or damaged: start afresh rather than block signing.
            return {}
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def remember(self, form: str, profile: Profile, placement: Placement, page_count: int | None = None) -> None:
        entry = placement.to_json()
        entry["last_page"] = page_count is not None and placement.page == page_count - 1
        with self._lock:
            entries = self._load()
            entries[self._key(form, profile)] = entry
            payload = {"version": _VERSION, "entries": entries}
            atomic_write_bytes(self.path, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))

    def recall(self, form: str, profile: Profile, page_count: int | None = None) -> Placement | None:
        with self._lock:
            entry = self._load().get(self._key(form, profile))
        if not isinstance(entry, dict):
            return None
        try:
            placement = Placement.from_json(entry)
        except (KeyError, TypeError, ValueError):
            return None
        if page_count is not None and page_count > 0:
            page = page_count - 1 if entry.get("last_page") else min(placement.page, page_count - 1)
            placement = Placement(page, placement.rect)
        return placement

    def forget(self, form: str, profile: Profile) -> None:
        with self._lock:
            entries = self._load()
            if entries.pop(self._key(form, profile), None) is not None:
                payload = {"version": _VERSION, "entries": entries}
                atomic_write_bytes(self.path, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
