# Shared by build-windows.sh and smoke-windows.sh (sourced): the wine 8.0 set-up both need.

# wine_env PREFIX: a 64-bit prefix, quiet, without the Mono/Gecko download prompts.
wine_env() {
  export WINEPREFIX=$1 WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
}

# install_wine_standins OUT_DIR: builds the C stand-ins in installer/wine-standins with mingw and
# copies them into the prefix's system32 (wine 8.0 lacks these Windows 10 DLLs).
install_wine_standins() {
  local out=$1 src dll
  local here
  here=$(dirname "${BASH_SOURCE[0]}")
  mkdir -p "$out"
  for src in "$here"/wine-standins/*.c; do
    dll=$out/$(basename "${src%.c}").dll
    if [ ! -f "$dll" ] || [ "$src" -nt "$dll" ]; then
      x86_64-w64-mingw32-gcc -shared -O2 -Wall -Werror -Wl,--kill-at -o "$dll" "$src" -ladvapi32
    fi
    cp -f "$dll" "$WINEPREFIX/drive_c/windows/system32/"
  done
}

# wine_python LOG EXE ARGS...: runs a Windows console program under wine inside a pty (wine 8.0's
# CPython dies with "init_sys_streams: Invalid handle" when its output is a pipe or a file); the
# output goes to LOG, the exit code is the program's.
wine_python() {
  local log=$1; shift
  local cmd
  cmd=$(printf '%q ' wine "$@")
  # A wide terminal: wine's console wraps lines at its width, which would split log lines.
  script -qefc "stty cols 2000 2>/dev/null; $cmd" "$log" </dev/null >/dev/null
}
