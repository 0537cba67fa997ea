"""Locations of the files shipped in `resources/` (works from a checkout and a frozen build)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def font_path(style: str = "Regular") -> Path:
    """Liberation Serif: metric-compatible with Times New Roman, full Vietnamese coverage."""
    return resource("fonts", f"LiberationSerif-{style}.ttf")


def trust_dir() -> Path:
    return resource("trust")
