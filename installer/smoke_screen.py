"""Screenshots of the smoke run's X display (Xvfb), checked not to be blank.

  .venv/bin/python installer/smoke_screen.py OUT.png [--differs OTHER.png]
Waits until the screen stops changing (a window still painting or loading its list), saves it,
and fails when it is blank (one colour) or, with --differs, hardly differs from OTHER.png.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def grab():
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.primaryScreen().grabWindow(0).toImage()


def distinct_colours(image, step: int = 7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def changed_fraction(a, b, step: int = 5) -> float:
    if a.size() != b.size():
        return 1.0
    points = [(x, y) for x in range(0, a.width(), step) for y in range(0, a.height(), step)]
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in points) / len(points)


def main(argv: list[str]) -> int:
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtGui import QGuiApplication, QImage

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (screens need one)
    out = Path(argv[0])
    other = Path(argv[argv.index("--differs") + 1]) if "--differs" in argv else None
    image = grab()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(1.5)
        again = grab()
        if changed_fraction(image, again) == 0:
            break
        image = again
    image.save(str(out))
    colours = distinct_colours(image)
    if colours < 8:
        print(f"{out.name}: blank screen ({colours} colours)", file=sys.stderr)
        return 1
    if other is not None:
        fraction = changed_fraction(QImage(str(other)), image)
        if fraction < 0.02:
            print(f"{out.name}: hardly differs from {other.name} ({fraction:.1%})", file=sys.stderr)
            return 1
    print(f"{out.name}: {colours} colours")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
