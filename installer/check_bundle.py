"""Fails the Windows build when PyInstaller quietly left something out.

PyInstaller exits 0 even when a hidden import could not be analysed (for instance a DLL that would
not load under wine): the bundle then lacks signing or sign-in and only fails in an officer's hands.
  python installer/check_bundle.py BUILD_LOG WORK_DIR BUNDLE_DIR
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

# Lines of the PyInstaller log that mean a module is missing from the bundle.
FATAL_LOG = re.compile(
    r"Failed to collect submodules|DLL load failed|ImportError|ERROR:|Hidden import '(?!tzdata)[^']+' not found"
)

# Modules the program needs at run time whose absence only shows when that feature is used.
REQUIRED_MODULES = (
    "app.cli.sign",
    "app.cli.gui",
    "app.services.sso",
    "app.services.httpclient",
    "certifi",
    "requests",  # the time stamps and revocation fetches (pyHanko speaks through it)
    "app.signing",
    "app.sandbox",
    "app.views.app",
    "pyhanko.sign.signers.pdf_signer",
    "pyhanko.sign.pkcs11",
    "pyhanko.stamp",
    "pyhanko.pdf_utils.font.opentype",
    "pyhanko_certvalidator",
    "pkcs11",
    "pkcs11._pkcs11",
    "keyring.backends.Windows",
    "win32ctypes.pywin32.win32cred",
    "cryptography.hazmat.bindings._rust",
    "pymupdf",
    "PySide6.QtWidgets",
    "platformdirs.windows",
    "flask",
)
# Modules the app no longer uses, which a stale hidden import or hook could still pull in: the
# sign-in's OAuth helpers are the app's own (app.services.sso.oauth); oauthlib is only a test
# dependency, and the locked Windows wheels still hold it.
FORBIDDEN_MODULES = ("oauthlib", "requests_oauthlib")
REQUIRED_FILES = (
    "LienThongDesk.exe",
    "lienthong.exe",
    "_internal/python311.dll",
    "_internal/resources/translations/lienthong_en.qm",
    "_internal/resources/icons/app.ico",
    "_internal/resources/icons/lienthong-32.png",
    "_internal/certifi/cacert.pem",
    "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/PySide6/plugins/iconengines/qsvgicon.dll",
)


def bundled_modules(work_dir: Path, bundle: Path) -> set[str]:
    names: set[str] = set()
    for toc in work_dir.glob("PYZ-*.toc"):
        # The PYZ table of contents: a Python literal, first element the archive name.
        for entry in ast.literal_eval(toc.read_text(encoding="utf-8"))[-1]:
            names.add(entry[0])
    internal = bundle / "_internal"
    for ext in internal.rglob("*.pyd"):
        dotted = ".".join(ext.relative_to(internal).with_suffix("").parts)
        names.add(dotted.split(".cp3")[0].split(".pypy")[0])
    # Packages count as present when any of their modules is.
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return names


def main(argv: list[str]) -> int:
    log_file, work_dir, bundle = (Path(arg) for arg in argv)
    problems = [
        f"build log: {line.strip()}"
        for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        if FATAL_LOG.search(line)
    ]
    modules = bundled_modules(work_dir, bundle)
    problems += [f"module missing from the bundle: {name}" for name in REQUIRED_MODULES if name not in modules]
    problems += [f"module the app no longer uses, bundled: {name}" for name in FORBIDDEN_MODULES if name in modules]
    problems += [f"file missing from the bundle: {name}" for name in REQUIRED_FILES if not (bundle / name).is_file()]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    files = [p for p in bundle.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"bundle: {len(modules)} modules, {len(files)} files, {size / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
