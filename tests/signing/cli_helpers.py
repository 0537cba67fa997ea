"""Run the `lienthong` CLI as a child process, the way an officer's script would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENTRY = "from app.cli import main; raise SystemExit(main())"
# Never read the real user's settings: children get an empty home unless a test gives one.
_EMPTY_HOME = Path(tempfile.mkdtemp(prefix="lienthong-cli-home-"))


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str


def lienthong(*args, env: dict | None = None, home: Path | None = None, timeout: float = 120,
              stdin: str = "") -> Done:
    child_env = dict(os.environ)
    child_env.update(env or {})
    child_env.setdefault("LIENTHONG_LANG", "vi")
    child_env["PYTHONPATH"] = str(REPO) + os.pathsep + child_env.get("PYTHONPATH", "")
    child_env["LIENTHONG_HOME"] = str(home if home is not None else _EMPTY_HOME)
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, *[str(a) for a in args]],
        capture_output=True, text=True, encoding="utf-8", env=child_env, cwd=REPO, timeout=timeout,
        input=stdin,
    )
    return Done(done.returncode, done.stdout, done.stderr)


def trust_dir_with(tmp_path: Path, *cert_paths: Path) -> Path:
    folder = tmp_path / "trust"
    folder.mkdir(exist_ok=True)
    for path in cert_paths:
        shutil.copy(path, folder / Path(path).name)
    return folder


def pdfsig(path: Path) -> str:
    exe = shutil.which("pdfsig")
    if exe is None:
        return ""
    return subprocess.run([exe, str(path)], capture_output=True, text=True).stdout
