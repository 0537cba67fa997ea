"""`lienthong COMMAND` builds that command's parser alone when the command names its module, and
everything else (help, abbreviations, shared modules, no command) still sees every command."""

from __future__ import annotations

import pytest

from app.cli import COMMAND_MODULES, build_parser, command_in
from tests.signing.cli_helpers import lienthong


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
