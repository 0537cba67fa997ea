"""Run `lienthong` as a real subprocess with a file keyring, and sign in through the login page."""

from __future__ import annotations

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


def write_profile(path: Path, profile, name: str = "p", extra: str = "") -> Path:
    """A server profile file for `--profile`, pointing at the sandbox's servers."""
    path.write_text(
        f'name = "{name}"\nissuer = "{profile.issuer}"\nigate_url = "{profile.igate_url}"\n'
        f'idesk_url = "{profile.idesk_url}"\n{extra}',
        encoding="utf-8",
    )
    return path


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
