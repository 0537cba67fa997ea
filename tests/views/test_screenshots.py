"""docs/screenshots/make_screenshots.py renders the real windows into non-empty PNGs of the expected size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.views.qt import QImage

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "make_screenshots.py"

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _load():
    spec = importlib.util.spec_from_file_location("make_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshots_are_rendered(qapp, tmp_path):
    shots = _load()
    # The shell's own pictures; the signing window belongs to the signing views' tests.
    written = shots.make_screenshots(tmp_path / "out", tmp_path / "work", with_signing=False)
    assert [p.name for p in written] == list(shots.NAMES[:3])
    sizes = dict(zip(shots.NAMES, (shots.LOGIN_SIZE, shots.SIZE, shots.DIALOG_SIZE, shots.SIGN_SIZE)))
    for path in written:
        image = QImage(str(path))
        assert not image.isNull(), path
        assert (image.width(), image.height()) == sizes[path.name]
        # Not a blank canvas: many distinct colours in a sample of pixels.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)}
        assert len(colours) > 20, path
