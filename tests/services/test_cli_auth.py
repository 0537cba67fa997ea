"""`lienthong login --no-browser`, `whoami`, `logout` as real subprocesses with a file keyring."""

from __future__ import annotations

import configparser

from tests.services.cli_helpers import _env, _login, _run, write_profile


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
    profile_file = write_profile(tmp_path / "tinh.toml", sandbox.profile(), name="tinh")
    env = _env(tmp_path)
    done = _login(env, "khanhdq", "--profile", str(profile_file))
    assert done.returncode == 0, done.stderr
    who = _run(env, "whoami")  # the profile given at login is remembered as the current one
    assert who.returncode == 0, who.stderr
    assert "Đỗ Quốc Khánh" in who.stdout and "Tài khoản liên kết cổng CBCC" in who.stdout
    assert _run(env, "logout").returncode == 0
    assert _run(env, "whoami").returncode == 6  # sign-in needed, not "invalid signature"
