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


def _signing_layout(dialog) -> dict:
    """What the captured signing window shows on its right-hand side, and its placement."""
    widgets = {"placements": dialog.placement.list, "image": dialog.show_image, "signer": dialog.show_signer,
               "time": dialog.show_time, "org": dialog.show_org, "email": dialog.show_email,
               "font": dialog.font_size, "tsa": dialog.tsa_group}
    return {
        "shown": {name: w.isVisible() and w.height() >= min(w.sizeHint().height(), 20) for name, w in widgets.items()},
        "side_width": dialog.splitter.sizes()[1],
        "placements": dialog.placement.placements(),
    }


def _blue_ink(image, right: int) -> int:
    """Pixels of the blue signature image left of `right` (the placed box on the page)."""
    from app.views.qt import QColor

    count = 0
    for x in range(0, right, 2):
        for y in range(0, image.height(), 2):
            c = QColor(image.pixel(x, y))
            count += c.blue() > 150 and c.red() < 90 and c.green() < 130
    return count


def test_screenshots_are_rendered(qapp, tmp_path):
    shots = _load()
    seen = []
    written = shots.make_screenshots(tmp_path / "out", tmp_path / "work",
                                     on_signing=lambda dialog: seen.append(_signing_layout(dialog)))
    assert [p.name for p in written] == list(shots.NAMES)
    sizes = dict(zip(shots.NAMES, (shots.LOGIN_SIZE, shots.SIZE, shots.DIALOG_SIZE, shots.SIGN_SIZE), strict=True))
    for path in written:
        image = QImage(str(path))
        assert not image.isNull(), path
        assert (image.width(), image.height()) == sizes[path.name]
        # Not a blank canvas: many distinct colours in a sample of pixels.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)}
        assert len(colours) > 20, path
    # The leader's signing window: every visible-signature option, the placements list and the TSA
    # are laid out (none squeezed away), and the signature box is drawn on the page.
    (layout,) = seen
    assert all(layout["shown"].values()), layout["shown"]
    assert layout["side_width"] >= 360 and len(layout["placements"]) == 1
    image = QImage(str(written[3]))
    assert _blue_ink(image, image.width() - layout["side_width"]) > 50
