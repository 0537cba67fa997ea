"""`lienthong COMMAND` builds that command's parser alone when the command names its module, and
everything else (help, abbreviations, shared modules, no command) still sees every command. The
console script's sign and verify leave their heap to the process exit; an in-process call does not."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from app.cli import COMMAND_MODULES, build_parser, command_in, main
from tests.signing.cli_helpers import REPO, lienthong


@pytest.mark.parametrize("argv, command", [
    (["sign", "a.pdf", "--rect", "1,2,3,4"], "sign"),
    (["--home", "/tmp/h", "--lang", "en", "verify", "a.pdf"], "verify"),
    (["--home=/tmp/h", "verify", "a.pdf"], "verify"),
    # A value that looks like a command is the option's value, not the command.
    (["--home", "sign", "verify", "a.pdf"], "verify"),
    (["login"], None),
    (["--ho", "/tmp/h", "sign"], None),
    (["--help"], None),
    (["--version"], None),
    ([], None),
    (["a.pdf"], None),
])
def test_the_command_is_found_before_its_arguments(argv, command):
    assert command_in(argv) == command


def test_a_named_command_parses_as_with_every_command_registered():
    argv = ["--lang", "en", "sign", "a.pdf", "-o", "b.pdf", "--rect", "330,600,520,700", "--pin-env", "PIN"]
    alone = vars(build_parser(command_in(argv)).parse_args(argv))
    full = vars(build_parser().parse_args(argv))
    assert alone == full


def test_the_help_still_lists_every_command():
    done = lienthong("--help")
    assert done.code == 0
    for name in set(COMMAND_MODULES) - {"auth"} | {"login", "whoami", "logout"}:
        assert name in done.out


FREEZE_AT_EXIT = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: sys.__stderr__.write(f'frozen={gc.get_freeze_count()}\\n'))\n"
    "from app.cli import main\n"
    "raise SystemExit(main())\n"
)


def test_the_command_line_process_leaves_its_heap_to_the_exit(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), LIENTHONG_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", FREEZE_AT_EXIT, "verify", str(tmp_path / "missing.pdf")],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 2
    frozen = int(done.stderr.rsplit("frozen=", 1)[1])
    assert frozen > 10_000  # pyHanko's and the rest's objects, not walked again at exit


def test_an_in_process_caller_keeps_its_collector(tmp_path, monkeypatch):
    monkeypatch.setenv("LIENTHONG_HOME", str(tmp_path / "home"))
    before = gc.get_freeze_count()
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2
    assert gc.get_freeze_count() == before
