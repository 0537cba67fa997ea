"""Mark-of-the-Web: every file the app writes from the network says it came from the Internet.

On Windows (NTFS) this is the `Zone.Identifier` alternate data stream with ZoneId=3, the mark a
browser leaves: Office then opens the file in Protected View and SmartScreen asks before running
it. Other systems and file systems without streams (FAT USB sticks) have no such mark.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

ZONE_INTERNET = 3
STREAM = "Zone.Identifier"


def zone_identifier_text(zone: int = ZONE_INTERNET) -> str:
    return f"[ZoneTransfer]\r\nZoneId={zone}\r\n"


def zone_identifier_path(path: Path) -> str:
    """The stream's name as Windows opens it: "C:\\...\\file.pdf:Zone.Identifier"."""
    return f"{os.fspath(path)}:{STREAM}"


def mark_from_internet(path: Path, *, windows: bool | None = None) -> bool:
    """Write the Internet zone mark on `path`; True when written. A no-op off Windows."""
    if not (os.name == "nt" if windows is None else windows):
        return False
    try:
        with open(zone_identifier_path(path), "w", encoding="ascii", newline="") as fh:
            fh.write(zone_identifier_text())
    except OSError as exc:
        log.info("no Mark-of-the-Web on %s (file system without streams?): %s", path, exc)
        return False
    return True
