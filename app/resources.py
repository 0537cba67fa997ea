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


# The app icon's frames, drawn from icons/lienthong.svg by installer/make_icon.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_frames() -> list[tuple[int, Path]]:
    """(size, PNG) for each frame of the app icon."""
    return [(size, resource("icons", f"lienthong-{size}.png")) for size in ICON_SIZES]


def font_path(style: str = "Regular") -> Path:
    """Liberation Serif: metric-compatible with Times New Roman, full Vietnamese coverage."""
    return resource("fonts", f"LiberationSerif-{style}.ttf")


def trust_dir() -> Path:
    return resource("trust")
