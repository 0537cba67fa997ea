"""Where the PKCS#11 modules of the USB tokens sold in Vietnam usually live.

The table lists library file names the vendors' Windows drivers install (most into System32).
Vendors rename their libraries between driver versions, so the table is a best effort and is
configurable: paths in `Settings.pkcs11_modules` are tried first, and callers may pass their own
table or search folders. Only files that exist are returned.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class ModuleCandidate:
    path: str
    vendor: str


# vendor -> file names (looked up in the search folders) or absolute paths.
WINDOWS_MODULES: Mapping[str, tuple[str, ...]] = {
    "Bit4ID": ("bit4ipki.dll", "bit4xpki.dll", "bit4opki.dll", "bit4cpki.dll", "bit4upki.dll"),
    "SafeNet eToken": ("eTPKCS11.dll", "eToken.dll", "IDPrimePKCS11.dll"),
    "VNPT-CA": (
        "vnpt-ca_v34.dll",
        "VNPT-CA_v5.dll",
        "vnpt-ca_csp11.dll",
        "vnptca_p11_v6.dll",
        "vnpt-ca_cl_v1.dll",
    ),
    "Viettel-CA": ("viettel-ca_v6.dll", "viettel-ca_v5.dll", "viettel-ca_v4.dll", "viettel-ca.dll"),
    "FPT-CA": ("fpt-ca.dll", "fptca_pkcs11.dll", "fpt-ca_v2.dll"),
    "BKAV-CA": ("BkavCA.dll", "BkavCAv2S.dll", "bkavca_pkcs11.dll"),
    "Shuttle CSP (Viettel-CA, FPT-CA, CA2 tokens)": ("ShuttleCsp11_3003.dll", "ShuttleCsp11.dll"),
    "Ban Cơ yếu Chính phủ (VGCA)": ("vgca_csp11.dll", "vgcaCsp11.dll", "vgca_pkcs11.dll", "BkavCSP11.dll"),
    "CA2 / Nacencomm": ("ca2_csp11.dll", "nca_p11.dll"),
    "NewTel-CA": ("newtel-ca.dll",),
    "OpenSC": ("opensc-pkcs11.dll",),
    "SoftHSM2": (
        r"C:\SoftHSM2\lib\softhsm2-x64.dll",
        r"C:\SoftHSM2\lib\softhsm2.dll",
    ),
}

POSIX_MODULES: Mapping[str, tuple[str, ...]] = {
    "SoftHSM2": (
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
        "/opt/homebrew/lib/softhsm/libsofthsm2.so",
    ),
    "OpenSC": (
        "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
        "/usr/lib/opensc-pkcs11.so",
        "/usr/local/lib/opensc-pkcs11.so",
    ),
    "Bit4ID": ("/usr/lib/bit4id/libbit4xpki.so", "/usr/lib/libbit4xpki.so"),
    "SafeNet eToken": ("/usr/lib/libeTPkcs11.so", "/usr/lib/libIDPrimePKCS11.so"),
}


def default_table() -> Mapping[str, tuple[str, ...]]:
    return WINDOWS_MODULES if sys.platform == "win32" else POSIX_MODULES


def default_search_dirs() -> tuple[str, ...]:
    if sys.platform == "win32":
        windir = os.environ.get("SystemRoot", r"C:\Windows")
        dirs = [os.path.join(windir, "System32")]
        for var in ("ProgramFiles", "ProgramFiles(x86)"):
            base = os.environ.get(var)
            if base:
                dirs += [
                    os.path.join(base, "Bit4Id", "Universal Middleware"),
                    os.path.join(base, "VNPT-CA"),
                    os.path.join(base, "Viettel-CA"),
                    os.path.join(base, "SafeNet", "Authentication", "SAC", "x64"),
                ]
        return tuple(dirs)
    return ()


def _is_absolute(name: str) -> bool:
    return os.path.isabs(name) or PureWindowsPath(name).is_absolute()


def _key(path: str) -> str:
    normalized = os.path.normpath(os.path.abspath(path))
    return normalized.lower() if sys.platform == "win32" else normalized


def _expand(
    table: Mapping[str, Sequence[str]], search_dirs: Sequence[str]
) -> Iterable[ModuleCandidate]:
    for vendor, names in table.items():
        for name in names:
            if _is_absolute(name):
                yield ModuleCandidate(name, vendor)
            else:
                for folder in search_dirs:
                    yield ModuleCandidate(str(Path(folder) / name), vendor)


def find_modules(
    configured: Sequence[str] = (),
    search_dirs: Sequence[str] | None = None,
    table: Mapping[str, Sequence[str]] | None = None,
) -> list[ModuleCandidate]:
    """The PKCS#11 modules present on this computer: configured paths first, then the table's."""
    dirs = default_search_dirs() if search_dirs is None else tuple(search_dirs)
    candidates = [ModuleCandidate(p, vendor_of(p, table)) for p in configured]
    candidates += list(_expand(default_table() if table is None else table, dirs))
    seen: set[str] = set()
    found: list[ModuleCandidate] = []
    for cand in candidates:
        key = _key(cand.path)
        if key in seen or not os.path.isfile(cand.path):
            continue
        seen.add(key)
        found.append(cand)
    return found


def vendor_of(path: str, table: Mapping[str, Sequence[str]] | None = None) -> str:
    """The vendor whose table entry has this file name, or "" when unknown."""
    name = PureWindowsPath(path).name.lower() if "\\" in path else Path(path).name.lower()
    for source in (table,) if table is not None else (WINDOWS_MODULES, POSIX_MODULES):
        for vendor, names in source.items():
            for entry in names:
                entry_name = PureWindowsPath(entry).name if "\\" in entry else Path(entry).name
                if entry_name.lower() == name:
                    return vendor
    return ""
