#!/usr/bin/env bash
# Smoke-runs the Windows installer made by installer/build-windows.sh in a scratch wine prefix
# under Xvfb, as an officer would use it, and prints one summary line.
#   bash installer/smoke-windows.sh [SETUP.exe]
# Needs the project's Linux venv (.ci/setup) for the stand-in browser and the demo certificates.
# Scratch files, logs and screenshots: ~/.cache/lienthong-windows/smoke/ (or $LIENTHONG_WINBUILD/smoke).
set -uo pipefail
{ # read whole before running: editing the script meanwhile cannot change a run
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LIENTHONG_WINBUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/lienthong-windows}
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/app/__init__.py")
SETUP=$(realpath "${1:-$ROOT/dist/LienThongDesk-$VERSION-setup.exe}")
SMOKE=$BUILD/smoke
VENV_PY=$ROOT/.venv/bin/python
started=$SECONDS
[ -f "$SETUP" ] || { echo "smoke-windows: no installer at $SETUP (run installer/build-windows.sh)" >&2; exit 1; }
[ -x "$VENV_PY" ] || { echo "smoke-windows: no .venv (run .ci/setup)" >&2; exit 1; }
for tool in wine Xvfb xdotool osslsigncode x86_64-w64-mingw32-gcc script; do
  command -v "$tool" >/dev/null || { echo "smoke-windows: $tool is missing (installer/build-windows.sh installs it)" >&2; exit 1; }
done

passed=(); failed=()
say() { printf '[smoke-windows %3ds] %s\n' $((SECONDS - started)) "$*"; }
ok() { passed+=("$1"); say "PASS $1${2:+: $2}"; }
bad() { failed+=("$1"); say "FAIL $1${2:+: $2}"; }
# check NAME COMMAND...: the command's success is the check's.
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
# wait_for SECONDS COMMAND...: polls a condition that another process makes true.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.5; done
}
strip_tty() { sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$@"; }

rm -rf "$SMOKE"
mkdir -p "$SMOKE/home" "$SMOKE/bin" "$SMOKE/logs" "$SMOKE/artefacts"
# The silent installer under wine writes menu entries into the Linux home: keep them in scratch.
export HOME=$SMOKE/home XDG_DATA_HOME=$SMOKE/home/.local/share XDG_CONFIG_HOME=$SMOKE/home/.config \
  XDG_CACHE_HOME=$SMOKE/home/.cache XDG_DESKTOP_DIR=$SMOKE/home/Desktop
source "$ROOT/installer/wine-env.sh"
wine_env "$SMOKE/prefix"

# The "system browser": wine hands http URLs to xdg-open; this one completes the training login page.
cat >"$SMOKE/bin/xdg-open" <<EOF
#!/bin/sh
exec "$VENV_PY" "$ROOT/installer/smoke_browser.py" "\$1" hoant >>"$SMOKE/logs/browser.log" 2>&1
EOF
chmod +x "$SMOKE/bin/xdg-open"
export PATH=$SMOKE/bin:$PATH PYTHONPATH=$ROOT

display=$((100 + RANDOM % 400))
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$SMOKE/logs/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
bg_pids=()
cleanup() {
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null; done
  wineserver -k 2>/dev/null
  kill "$xvfb_pid" 2>/dev/null
}
trap cleanup EXIT

say "wine: a fresh prefix"
wineboot -i >/dev/null 2>&1; wineserver -w
install_wine_standins "$SMOKE/standins"
WINUSER=$(ls "$WINEPREFIX/drive_c/users" | grep -vx Public | head -1)
LOCAL=$WINEPREFIX/drive_c/users/$WINUSER/AppData/Local
INST=$LOCAL/Programs/LienThongDesk
USERDATA=$LOCAL/LienThong/LienThongDesk
STARTMENU="$WINEPREFIX/drive_c/users/$WINUSER/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Liên Thông Desk"
UNINSTKEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LienThongDesk'
(cd "$WINEPREFIX/drive_c" && find . -path ./windows -prune -o -type f -print | sort) >"$SMOKE/logs/files-before.txt"

# run LOG EXE ARGS...: a Windows console program in a pty (see wine-env.sh), output in LOG.
run() { wine_python "$@"; }
shot() { "$VENV_PY" "$ROOT/installer/smoke_screen.py" "$@"; }
window_named() { xdotool search --onlyvisible --name "$1" >/dev/null 2>&1; }
# Real key presses (XTEST) on a focused window: wine ignores synthetic events sent to a window.
press_return() {
  xdotool search --onlyvisible --name "$1" windowfocus 2>/dev/null
  sleep 0.5
  xdotool key Return
}
# The Windows path of a file in the prefix's drive C: (winepath truncates beyond MAX_PATH).
winpath() { local p=${1#"$WINEPREFIX/drive_c"}; printf 'C:%s' "${p//\//\\}"; }
log_has() { [ -f "$1" ] && strip_tty "$1" | grep -qE "$2"; }

# --- install ------------------------------------------------------------------------------------
say "install: $(basename "$SETUP") /S (per user)"
wine "$SETUP" /S >"$SMOKE/logs/install.log" 2>&1; wineserver -w
check "install: program files in %LOCALAPPDATA%\\Programs" test -f "$INST/LienThongDesk.exe" -a -f "$INST/lienthong.exe" -a -f "$INST/uninstall.exe"
check "install: Start-menu entry" test -f "$STARTMENU/Liên Thông Desk.lnk"
check "install: Apps & features entry (HKCU, 64-bit view)" bash -c "wine reg query '$UNINSTKEY' /v DisplayVersion 2>/dev/null | grep -q '$VERSION'"
check "install: nothing under WOW6432Node" bash -c "! wine reg query 'HKCU\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\LienThongDesk' >/dev/null 2>&1"
check "exes: icon and version information" "$VENV_PY" "$ROOT/installer/smoke_checks.py" exe-resources "$ROOT/resources/icons/app.ico" "$VERSION" "$INST/LienThongDesk.exe" "$INST/lienthong.exe"

# --- console program ------------------------------------------------------------------------------
run "$SMOKE/logs/version.log" "$INST/lienthong.exe" --version
check "lienthong.exe --version" log_has "$SMOKE/logs/version.log" "^lienthong $VERSION"

# --- the HTTP client and the preview's renderer inside the frozen program (installer/smoke_probe.py)
# smoke-probe.exe comes from the bundle's own Analysis; it runs next to the installed _internal and
# leaves before the upgrade and uninstall checks.
PROBE=$BUILD/dist/smoke-probe.exe
INETKEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings'
# probe NAME CHECK [ARG]: smoke-probe.exe CHECK [ARG], the check's last line in the summary.
probe() {
  local name=$1 log=$SMOKE/logs/probe-$2.log; shift
  if run "$log" "$INST/smoke-probe.exe" "$@"; then
    ok "$name" "$(strip_tty "$log" | grep -v -e '^probe:' -e '^Script ' -e '^$' | tail -1)"
  else
    bad "$name" "$(strip_tty "$log" | grep -v -e '^Script ' -e '^$' | tail -3 | tr '\n' ' ')"
  fi
}
if cp "$PROBE" "$INST/smoke-probe.exe" 2>/dev/null; then
  probe "HTTP client: certifi's CA file inside the program, loaded into an ssl context" tls
  probe "HTTP client: keep-alive reuse, a server-closed idle connection seen by select.select" keep-alive
  # An officer's proxy as Internet Options sets it; off again before the sign-ins.
  wine reg add "$INETKEY" /reg:64 /v ProxyEnable /t REG_DWORD /d 1 /f >/dev/null 2>&1
  wine reg add "$INETKEY" /reg:64 /v ProxyServer /t REG_SZ /d proxy.lienthong.test:3128 /f >/dev/null 2>&1
  wine reg add "$INETKEY" /reg:64 /v ProxyOverride /t REG_SZ /d '<local>' /f >/dev/null 2>&1
  probe "HTTP client: the Internet Options proxy for example.org, none for 127.0.0.1 and <local>" \
    proxy proxy.lienthong.test:3128
  wine reg add "$INETKEY" /reg:64 /v ProxyEnable /t REG_DWORD /d 0 /f >/dev/null 2>&1
  wine reg delete "$INETKEY" /reg:64 /v ProxyServer /f >/dev/null 2>&1
  wine reg delete "$INETKEY" /reg:64 /v ProxyOverride /f >/dev/null 2>&1
  # The preview's render worker with the installed LienThongDesk.exe as its child, a PDF in a
  # Vietnamese-named folder (kept by the uninstall check's list of the user's own files).
  PREVIEW_PDF="$WINEPREFIX/drive_c/users/$WINUSER/Documents/Hồ sơ ký số/Xem trước.pdf"
  mkdir -p "$(dirname "$PREVIEW_PDF")"
  "$VENV_PY" "$ROOT/installer/smoke_checks.py" make-pdf "$PREVIEW_PDF"
  probe "preview: LienThongDesk.exe --render-child lends page 1 from a named shared mapping, closed after stop" \
    render "$(winpath "$PREVIEW_PDF")"
  rm -f "$INST/smoke-probe.exe"
else
  bad "smoke-probe: checks inside the frozen program" "no $PROBE (run installer/build-windows.sh)"
fi

# --- the windowed program's start-up error box ---------------------------------------------------
# Started as from the Start menu: `start` gives it no console, so it has no stdout/stderr (from
# a terminal wine would attach it to the terminal's console and the message would go there).
wine start /wait /unix "$INST/LienThongDesk.exe" --lang en --no-such-option </dev/null >/dev/null 2>&1 &
error_pid=$!
if wait_for 90 window_named "^Liên Thông Desk$"; then
  sleep 1
  shot "$SMOKE/artefacts/startup-error.png" >/dev/null
  press_return "^Liên Thông Desk$"
  wait "$error_pid"; code=$?
  check "LienThongDesk.exe: a refused option shows a message box" test "$code" = 2
else
  kill "$error_pid" 2>/dev/null
  bad "LienThongDesk.exe: a refused option shows a message box" "no window"
fi

# --- GUI: sign-in window, SSO in the "browser", main window with dossiers ------------------------
say "GUI: LienThongDesk.exe (the training sandbox in a process of its own)"
run "$SMOKE/logs/gui.log" "$INST/LienThongDesk.exe" --lang en &
gui_pid=$!; bg_pids+=("$gui_pid")
if wait_for 180 window_named "Sign in|Đăng nhập"; then
  sleep 2
  shot "$SMOKE/artefacts/gui-sign-in.png" && ok "GUI: sign-in window shown" "artefacts/gui-sign-in.png"
  press_return "Sign in|Đăng nhập"
  if wait_for 120 log_has "$SMOKE/logs/browser.log" "signed in" && wait_for 120 window_named "Nguyễn Thị Hoa"; then
    # smoke_screen.py waits until the window has loaded its lists and stopped repainting.
    if shot "$SMOKE/artefacts/gui-main-window.png" --differs "$SMOKE/artefacts/gui-sign-in.png"; then
      ok "GUI: main window after sign-in" "artefacts/gui-main-window.png"
    else
      bad "GUI: main window after sign-in" "screenshot blank or unchanged"
    fi
  else
    shot "$SMOKE/artefacts/gui-main-window.png" >/dev/null
    bad "GUI: main window after sign-in" "$(tail -2 "$SMOKE/logs/browser.log" 2>/dev/null)"
  fi
else
  shot "$SMOKE/artefacts/gui-sign-in.png" >/dev/null
  bad "GUI: sign-in window shown" "no window"
fi
kill "$gui_pid" 2>/dev/null; wait "$gui_pid" 2>/dev/null
# A crash dialog over the main window would still pass the screenshot check; the log says.
check "GUI: no error in the app's log" bash -c "! grep -s ' ERROR ' '$USERDATA/Logs/lienthong.log'"
# The frozen exe started itself with --training-sandbox; that process keeps its own log.
check "GUI: the training sandbox ran in a process of its own" test -f "$USERDATA/Logs/training-sandbox.log"
wineserver -k 2>/dev/null; wineserver -w

# --- sandbox serve, CLI sign-in, keyring round trip --------------------------------------------
say "CLI: sandbox serve, login --no-browser, whoami"
run "$SMOKE/logs/sandbox.log" "$INST/lienthong.exe" sandbox serve &
sandbox_pid=$!; bg_pids+=("$sandbox_pid")
if wait_for 180 log_has "$SMOKE/logs/sandbox.log" "^tsa http"; then
  ok "lienthong.exe sandbox serve" "$(strip_tty "$SMOKE/logs/sandbox.log" | grep -m1 '^sso ')"
else
  bad "lienthong.exe sandbox serve"
fi
TSA_URL=$(strip_tty "$SMOKE/logs/sandbox.log" | sed -n 's/^tsa //p' | head -1)

run "$SMOKE/logs/login.log" "$INST/lienthong.exe" --lang en login --no-browser --timeout 120 &
login_pid=$!
"$VENV_PY" "$ROOT/installer/smoke_browser.py" --from-log "$SMOKE/logs/login.log" tuanlv >>"$SMOKE/logs/browser.log" 2>&1
wait "$login_pid"; code=$?
check "lienthong.exe login --no-browser" test "$code" = 0

run "$SMOKE/logs/whoami.log" "$INST/lienthong.exe" --lang en whoami
check "lienthong.exe whoami (refresh token from the keyring, new process)" log_has "$SMOKE/logs/whoami.log" "tuanlv"
wine reg query 'HKCU\Software\Wine\Credential Manager' /s >"$SMOKE/logs/credentials.txt" 2>&1
check "keyring: Windows Credential Manager (WinVaultKeyring) holds the refresh token" grep -q "LienThongDesk" "$SMOKE/logs/credentials.txt"
check "paths: window settings, training state and logs under %LOCALAPPDATA%\\LienThong\\LienThongDesk" \
  test -f "$USERDATA/window.ini" -a -f "$USERDATA/training.json" -a -f "$USERDATA/Logs/lienthong.log"

# --- sign and verify with the training certificate ------------------------------------------------
say "CLI: sign with the training .p12, verify"
P12=$(find "$USERDATA" -path '*users/leader.p12' | head -1)
# A Vietnamese folder name and a path beyond MAX_PATH (260), as a deeply filed dossier gets.
DEEP="$WINEPREFIX/drive_c/users/$WINUSER/Documents/Hồ sơ ký số"
for part in "Sở Thông tin và Truyền thông tỉnh Bình Định" "Phòng Công nghệ thông tin" "Năm 2026" \
            "Quý IV" "Hồ sơ cấp phép hoạt động báo chí điện tử" "Văn bản đi đã ký số" "Bản chính lưu tại văn thư" "Bộ phận tiếp nhận và trả kết quả"; do
  DEEP="$DEEP/$part"
done
mkdir -p "$DEEP"
"$VENV_PY" "$ROOT/installer/smoke_checks.py" make-pdf "$DEEP/Quyết định số 05-QĐ-STTTT.pdf"
SIGNED="$DEEP/Quyết định số 05-QĐ-STTTT (đã ký).pdf"
say "  output path: $("$VENV_PY" -c 'import sys; print(len(sys.argv[1]))' "$(winpath "$SIGNED")") characters"
P12PASS=123456 check "lienthong.exe sign --p12 (Vietnamese names, output path over 260 characters)" \
  run "$SMOKE/logs/sign.log" "$INST/lienthong.exe" --lang en sign --p12 "$(winpath "$P12")" \
  --p12-pass-env P12PASS --tsa "$TSA_URL" --page 1 --rect 320,620,560,720 -o "$(winpath "$SIGNED")" "$(winpath "$DEEP/Quyết định số 05-QĐ-STTTT.pdf")"
# The training certificates chain to the sandbox's demo root, which no real trust list holds:
# the smoke run trusts it as an administrator adds a trust folder.
TRUST="$WINEPREFIX/drive_c/users/$WINUSER/Documents/Hồ sơ ký số/training-trust"
mkdir -p "$TRUST" && cp "$(find "$USERDATA" -path '*ca/root.cert.pem' | head -1)" "$TRUST/"
check "lienthong.exe verify: valid (exit code 0)" run "$SMOKE/logs/verify.log" "$INST/lienthong.exe" --lang en verify \
  --trust-dir "$(winpath "$TRUST")" "$(winpath "$SIGNED")"
say "  $(strip_tty "$SMOKE/logs/verify.log" | grep -m1 '^Result')"
cp -f "$SIGNED" "$SMOKE/artefacts/signed.pdf" 2>/dev/null

# --- training data reset while the servers run ---------------------------------------------------
# The servers keep their database open: the reset empties it in place (Windows refuses to delete a
# file in use) and they answer from the new data; the sessions they issued before are gone.
say "CLI: sandbox reset while sandbox serve runs"
# It prints its summary only once the data is reseeded.
run "$SMOKE/logs/reset.log" "$INST/lienthong.exe" --lang en sandbox reset
check "lienthong.exe sandbox reset while the servers hold the database" log_has "$SMOKE/logs/reset.log" "Training data reseeded"
run "$SMOKE/logs/login2.log" "$INST/lienthong.exe" --lang en login --no-browser --timeout 120 &
login_pid=$!
"$VENV_PY" "$ROOT/installer/smoke_browser.py" --from-log "$SMOKE/logs/login2.log" tuanlv >>"$SMOKE/logs/browser.log" 2>&1
wait "$login_pid"; code=$?
check "the running servers answer from the reseeded data (a new sign-in)" test "$code" = 0

# --- token drivers: found where the vendors' Windows drivers put them ----------------------------
# A fake PKCS#11 module under a VNPT-CA driver name in System32, as the vendor's installer puts it.
x86_64-w64-mingw32-gcc -shared -O2 -I/usr/include/p11-kit-1 -Wl,--kill-at \
  -o "$WINEPREFIX/drive_c/windows/system32/vnpt-ca_v34.dll" "$ROOT/installer/smoke-token/fake_token.c"
run "$SMOKE/logs/tokens.log" "$INST/lienthong.exe" --lang en sign --list-tokens
check "token drivers: a VNPT-CA driver in System32 found and loaded" bash -c \
  "grep -q 'SMOKE TOKEN' '$SMOKE/logs/tokens.log' && grep -qi 'system32.vnpt-ca_v34.dll' '$SMOKE/logs/tokens.log'"

# --- Authenticode: a demo code-signing certificate, RFC 3161 time stamp from the sandbox TSA ----
say "Authenticode: sign and verify with a demo certificate"
"$VENV_PY" "$ROOT/installer/demo_codesign.py" "$SMOKE/codesign" >/dev/null
SIGNED_SETUP=$SMOKE/$(basename "$SETUP")
cp "$SETUP" "$SIGNED_SETUP"
TSA_ROOT=$(find "$USERDATA" -path '*ca/root.cert.pem' | head -1)
export SIGN_PKCS12=$SMOKE/codesign/codesign.p12 SIGN_PASSWORD_FILE=$SMOKE/codesign/codesign.pass SIGN_TS_URL=$TSA_URL
authenticode_ok() {
  bash "$ROOT/installer/authenticode.sh" "$@" >>"$SMOKE/logs/authenticode.log" 2>&1 || return 1
  local file
  for file in "$@"; do
    osslsigncode verify -ignore-crl -CAfile "$SMOKE/codesign/codesign-root.pem" -TSA-CAfile "$TSA_ROOT" \
      -in "$file" >>"$SMOKE/logs/authenticode.log" 2>&1 || return 1
  done
  grep -q "Timestamp Server Signature verification: ok\|Timestamp Verified by" "$SMOKE/logs/authenticode.log"
}
check "Authenticode: setup and both exes signed, time-stamped, verified" \
  authenticode_ok "$SIGNED_SETUP" "$INST/LienThongDesk.exe" "$INST/lienthong.exe"
unset SIGN_PKCS12 SIGN_PASSWORD_FILE SIGN_TS_URL
run "$SMOKE/logs/version-signed.log" "$INST/lienthong.exe" --version
check "Authenticode: the signed lienthong.exe still starts" log_has "$SMOKE/logs/version-signed.log" "^lienthong $VERSION"

# --- upgrade in place keeps the user's data and session ----------------------------------------
# The program is closed first, as the officer would (Windows cannot replace files in use).
kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null
wineserver -k 2>/dev/null; wineserver -w
say "upgrade: the signed installer over the installed program"
touch "$USERDATA/smoke-marker"
wine "$SIGNED_SETUP" /S >"$SMOKE/logs/upgrade.log" 2>&1; wineserver -w
run "$SMOKE/logs/whoami2.log" "$INST/lienthong.exe" --lang en whoami
check "upgrade in place: settings, data and session kept" bash -c \
  "test -f '$USERDATA/smoke-marker' -a -f '$USERDATA/window.ini' && grep -q tuanlv <(sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' '$SMOKE/logs/whoami2.log')"
wineserver -k 2>/dev/null; wineserver -w

# --- uninstall: nothing left but the user's data --------------------------------------------------
say "uninstall: uninstall.exe /S"
wine "$INST/uninstall.exe" /S >"$SMOKE/logs/uninstall.log" 2>&1; wineserver -w
# The uninstaller copies itself to %TEMP% and runs from there; wait until it has finished.
wait_for 60 bash -c "! test -e '$INST'"
(cd "$WINEPREFIX/drive_c" && find . -path ./windows -prune -o -type f -print | sort) >"$SMOKE/logs/files-after.txt"
comm -13 "$SMOKE/logs/files-before.txt" "$SMOKE/logs/files-after.txt" \
  | grep -v -e "^./users/$WINUSER/AppData/Local/LienThong/" -e "^./users/$WINUSER/Documents/Hồ sơ ký số/" \
            -e "^./users/$WINUSER/AppData/Local/Temp/" -e "^./users/$WINUSER/Temp/" \
  >"$SMOKE/logs/files-left.txt"
check "uninstall: program, shortcuts and registry entries gone" bash -c \
  "! test -e '$INST' && ! test -e '$STARTMENU' && ! wine reg query '$UNINSTKEY' >/dev/null 2>&1 && ! test -s '$SMOKE/logs/files-left.txt'"
check "uninstall: the user's data kept" test -f "$USERDATA/window.ini" -a -f "$USERDATA/smoke-marker"

# --- all users: Program Files, HKLM, the common Start menu ---------------------------------------
# Wine's user is an administrator, so the elevation the all-users mode asks for is granted.
# `wine reg` is the 32-bit reg.exe, which sees HKLM\Software through WOW6432Node: /reg:64.
say "all users: setup /S /AllUsers"
ALLINST="$WINEPREFIX/drive_c/Program Files/LienThongDesk"
ALLSTARTMENU="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Liên Thông Desk"
ALLKEY='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\LienThongDesk'
wine "$SETUP" /S /AllUsers >"$SMOKE/logs/install-all.log" 2>&1; wineserver -w
check "all users: Program Files, common Start menu, Apps & features under HKLM" bash -c \
  "test -f '$ALLINST/lienthong.exe' -a -f '$ALLSTARTMENU/Liên Thông Desk.lnk' && wine reg query '$ALLKEY' /reg:64 /v DisplayVersion 2>/dev/null | grep -q '$VERSION'"
run "$SMOKE/logs/version-all.log" "$ALLINST/lienthong.exe" --version
check "all users: lienthong.exe --version" log_has "$SMOKE/logs/version-all.log" "^lienthong $VERSION"
wineserver -k 2>/dev/null; wineserver -w
wine "$ALLINST/uninstall.exe" /S >"$SMOKE/logs/uninstall-all.log" 2>&1; wineserver -w
wait_for 60 bash -c "! test -e '$ALLINST'"
check "all users: uninstall removes program, shortcuts and registry entries" bash -c \
  "! test -e '$ALLINST' && ! test -e '$ALLSTARTMENU' && ! wine reg query '$ALLKEY' /reg:64 >/dev/null 2>&1"

setup_mib=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$SETUP")/1048576}")
total=$(( ${#passed[@]} + ${#failed[@]} ))
echo "smoke-windows: ${#passed[@]}/$total checks passed; installer $(basename "$SETUP") $setup_mib MiB; $((SECONDS - started)) s${failed[*]:+; FAILED: $(IFS=';'; echo "${failed[*]}")}"
[ ${#failed[@]} -eq 0 ]
exit
}
