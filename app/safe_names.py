"""Names and text that come from a server, made safe to use as a local file name or to show.

Every file name in iGate or iDesk was typed by someone else. `safe_file_name` is the one way such
a name becomes a path component; `display_text` is the one way it is shown; `terminal_text` the
one way it is printed on a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_NAME_CHARS = 120
# Linux file systems count bytes (255); Vietnamese letters take up to 3 bytes each in UTF-8.
MAX_NAME_BYTES = 240
MAX_EXTENSION_CHARS = 16
FALLBACK_NAME = "tep"

# Characters Windows forbids in a name, and both separators.
_FORBIDDEN = set('<>:"/\\|?*')
# Unicode categories that are never part of a readable name: controls (C0, DEL, C1), format
# characters (bidi overrides and isolates, zero-width joiners, BOM), surrogates, private use,
# unassigned, and line/paragraph separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_WINDOWS_DEVICES = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def _last_component(name: str) -> str:
    """What is left of a path-like name after the last separator of either system."""
    return PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name


def _cap(stem: str, ext: str, suffix: str = "") -> str:
    if len(ext) > MAX_EXTENSION_CHARS:
        stem, ext = stem + ext, ""
    while stem and (len(stem) + len(suffix) + len(ext) > MAX_NAME_CHARS
                    or len((stem + suffix + ext).encode("utf-8")) > MAX_NAME_BYTES):
        stem = stem[:-1]
    return stem.rstrip(" .") + suffix + ext


def _split(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if dot > 0 else (name, "")


def safe_file_name(name: str | None, fallback: str = FALLBACK_NAME) -> str:
    """A single file-name component for a name chosen by someone else.

    No separators, no `..`, no drive or UNC prefix, no alternate data stream, no Windows device
    name, no control, bidi or other invisible characters, no leading or trailing dots or spaces
    (Windows drops trailing ones, which would change the extension), at most MAX_NAME_CHARS
    characters and MAX_NAME_BYTES UTF-8 bytes with the extension kept. Never empty.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    # Folder parts are dropped rather than flattened: "../../x.pdf" is "x.pdf".
    text = _last_component(text) if ("/" in text or "\\" in text) else text
    text = "".join("_" if ch in _FORBIDDEN or _invisible(ch) else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text:
        text = fallback
    base = text.split(".", 1)[0].rstrip(" ").upper()
    if base in _WINDOWS_DEVICES:
        text = "_" + text
    capped = _cap(*_split(text))
    return capped if capped.strip(" .") else fallback


def unique_name(name: str, taken: Collection[str]) -> str:
    """`name`, or "stem (2).ext", "stem (3).ext"… not in `taken` (compared without case, as on Windows)."""
    lowered = {t.casefold() for t in taken}
    stem, ext = _split(name)
    candidate, n = name, 2
    while candidate.casefold() in lowered:
        candidate = _cap(stem, ext, f" ({n})")
        n += 1
    return candidate


def safe_path(folder: Path, server_name: str | None, *, taken: Collection[str] = (),
              fallback: str = FALLBACK_NAME) -> Path:
    """`folder / <safe name>`, numbered past names in `taken` and files already in `folder`."""
    folder = Path(folder)
    name = safe_file_name(server_name, fallback)
    existing = set(taken)
    if folder.is_dir():
        existing |= {p.name for p in folder.iterdir()}
    return folder / unique_name(name, existing)


def file_extension(name: str | None) -> str:
    """The extension the operating system will act on (".exe" for "a.pdf.exe"), lower case."""
    return _split(safe_file_name(name))[1].lower()


# ---- showing ---------------------------------------------------------------------------------

REPLACEMENT = "\ufffd"


# Text made only of these needs no work (the common case: Vietnamese in Latin letters). Printable
# ASCII, Latin-1 without the soft hyphen, Latin Extended, combining marks, Latin Extended
# Additional, and punctuation from U+2010 to U+2027.
_PLAIN = re.compile("[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027]*")


def display_text(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Server text made inert for showing: bidi controls and other invisible characters become a
    visible U+FFFD, so "van-ban-<RLO>fdp.exe" shows as "van-ban-�fdp.exe". Newlines survive
    only when `multiline`; `limit` cuts very long text with an ellipsis."""
    text = "" if text is None else str(text)
    if _PLAIN.fullmatch(text) and unicodedata.is_normalized("NFC", text):
        return text if limit is None or len(text) <= limit else text[: max(limit - 1, 0)] + "…"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\n\t\r":
            out.append(ch if multiline and ch != "\r" else "" if multiline else " ")
        elif _invisible(ch):
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    shown = "".join(out)
    if limit is not None and len(shown) > limit:
        shown = shown[: max(limit - 1, 0)] + "…"
    return shown


# CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other two-character escapes, and 8-bit CSI.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)


def terminal_text(text: object) -> str:
    """Server text safe to print on a terminal: escape sequences removed, then every remaining
    control or bidi character made visible, newlines and tabs kept."""
    return display_text(_ESCAPES.sub("", "" if text is None else str(text)), multiline=True)
