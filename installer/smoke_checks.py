"""Small checks and inputs for installer/smoke-windows.sh, run with the project's Linux venv.

  smoke_checks.py exe-resources ICON.ico VERSION EXE...   each exe carries the icon and version info
  smoke_checks.py make-pdf OUT.pdf                         a one-page Vietnamese PDF to sign
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path


def icon_frames(ico: Path) -> list[bytes]:
    data = ico.read_bytes()
    _, _, count = struct.unpack_from("<HHH", data, 0)
    frames = []
    for i in range(count):
        size, offset = struct.unpack_from("<II", data, 6 + 16 * i + 8)
        frames.append(data[offset:offset + size])
    return frames


def exe_resources(ico: Path, version: str, exes: list[Path]) -> int:
    # The resource compiler copies each icon image verbatim into RT_ICON; the version resource
    # holds UTF-16 key/value strings.
    frames = icon_frames(ico)
    wanted = [f"{key}\0".encode("utf-16-le") for key in ("FileDescription", "ProductName")]
    wanted.append(f"ProductVersion\0\0{version}".encode("utf-16-le"))
    problems = []
    for exe in exes:
        data = exe.read_bytes()
        if not all(frame in data for frame in frames):
            problems.append(f"{exe.name}: no application icon")
        version_ok = all(w in data for w in wanted[:2]) and (
            f"ProductVersion\0{version}".encode("utf-16-le") in data or wanted[2] in data
        )
        if not version_ok:
            problems.append(f"{exe.name}: no version information {version}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def make_pdf(out: Path) -> int:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "QUYET DINH so 05/QD-STTTT", fontsize=14)
    page.insert_text((72, 130), "Smoke run of the Windows build: sign and verify.", fontsize=11)
    doc.save(out)
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "exe-resources":
        return exe_resources(Path(argv[1]), argv[2], [Path(p) for p in argv[3:]])
    if argv[0] == "make-pdf":
        return make_pdf(Path(argv[1]))
    raise SystemExit(f"unknown check {argv[0]}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
