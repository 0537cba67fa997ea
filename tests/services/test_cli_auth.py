"""`lienthong login --no-browser`, `whoami`, `logout` as real subprocesses with a file keyring."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import requests

from app.sandbox import accounts
from app.sandbox.browser import login_via_form

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from app.cli import main; sys.exit(main())"


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.update(
        LIENTHONG_HOME=str(tmp_path / "home"),
        LIENTHONG_LANG="vi",
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=90
    )


def _login(env, username: str, *extra: str) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "login", "--no-browser", "--timeout", "60", *extra],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = ""
        for line in proc.stdout:
            if line.startswith("http://") or line.startswith("https://"):
                url = line.strip()
                break
        assert url, proc.stderr.read()
        location = login_via_form(url, username, accounts.by_username(username).password)
        page = requests.get(location, timeout=30)
        assert "Đăng nhập thành công" in page.text
        out, err = proc.communicate(timeout=60)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_login_whoami_logout_on_the_training_sandbox(tmp_path):
    env = _env(tmp_path)
    done = _login(env, "hoant")
    assert done.returncode == 0, done.stderr
    assert "Đã đăng nhập: Nguyễn Thị Hoa (hoant)" in done.stdout
    keyring_file = next((tmp_path / "xdg").rglob("keyring_pass.cfg"))
    assert "LienThongDesk" in keyring_file.read_text(encoding="utf-8")
    who = _run(env, "whoami")  # a new process: a new in-process sandbox on the remembered ports
    assert who.returncode == 0, who.stderr
    assert "Nguyễn Thị Hoa (hoant)" in who.stdout and "đã liên kết" in who.stdout
    out = _run(env, "logout")
    assert out.returncode == 0 and "Đã đăng xuất" in out.stdout
    stored = configparser.RawConfigParser()
    stored.read(keyring_file, encoding="utf-8")
    assert all(not stored.options(section) for section in stored.sections())  # nothing left


def test_cli_with_a_profile_file_reports_the_unlinked_account(tmp_path, sandbox):
    profile = sandbox.profile()
    profile_file = tmp_path / "tinh.toml"
    profile_file.write_text(
        f'name = "tinh"\nissuer = "{profile.issuer}"\nigate_url = "{profile.igate_url}"\n'
        f'idesk_url = "{profile.idesk_url}"\n',
        encoding="utf-8",
    )
    env = _env(tmp_path)
    done = _login(env, "khanhdq", "--profile", str(profile_file))
    assert done.returncode == 0, done.stderr
    who = _run(env, "whoami")  # the profile given at login is remembered as the current one
    assert who.returncode == 0, who.stderr
    assert "Đỗ Quốc Khánh" in who.stdout and "Tài khoản liên kết cổng CBCC" in who.stdout
    assert _run(env, "logout").returncode == 0
    assert _run(env, "whoami").returncode == 6  # sign-in needed, not "invalid signature"
