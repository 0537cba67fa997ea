"""The `lienthong` console script: the GUI and the command-line front end over the same core.

Each sub-command lives in its own module with `register(subparsers)`; handlers import their
heavy dependencies lazily so `lienthong --help` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, TextIO, TypeAlias

from app import __version__, codecache
from app.cli import exit_codes
from app.errors import LienThongError
from app.paths import AppPaths
from app.safe_names import terminal_text
from app.signing import fontcache
from app.text import Text, render

# What each command module's register(subparsers) receives.
# argparse names no public type for it.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

COMMAND_MODULES = ("gui", "sandbox", "auth", "sign", "verify", "transfer", "doc", "remote")
# Modules registering one command of their own name: naming it loads that module alone.
NAMED_COMMANDS = frozenset(COMMAND_MODULES) - {"auth"}
# Commands whose process ends when they return, with their files closed and token sessions
# released: the cyclic collector's last walks over their heap at exit (about a tenth of a second
# after pyHanko) are skipped by freezing it. An in-process caller keeps its collector as it was.
FROZEN_AT_EXIT = frozenset({"sign", "verify"})
# The options before the command that take a value.
GLOBAL_OPTIONS_WITH_VALUE = ("--home", "--lang")


@dataclass(frozen=True)
class CliContext:
    """What every command gets: the app's folders and the language of its messages."""

    paths: AppPaths
    lang: str

    def say(self, vi: str, en: str) -> str:
        return Text(vi, en).render(self.lang)

    def render(self, message: Text | str) -> str:
        return render(message, self.lang)


def command_in(argv: list[str]) -> str | None:
    """The command `argv` names when it is one of NAMED_COMMANDS, else None (help, an abbreviated
    option, a command of a shared module, none at all: the caller registers every command)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            i += 2
        elif arg.startswith(tuple(f"{opt}=" for opt in GLOBAL_OPTIONS_WITH_VALUE)):
            i += 1
        else:
            return arg if arg in NAMED_COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `lienthong` parser; with `only`, just that command's (a run of `lienthong sign` neither
    imports nor builds the other commands)."""
    parser = argparse.ArgumentParser(
        prog="lienthong",
        description="Liên Thông Desk: iGate ⇄ iDesk, ký số token (USB token signing).",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=os.environ.get("LIENTHONG_HOME"),
        help="keep config, data and logs under this folder (default: the user's folders)",
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=os.environ.get("LIENTHONG_LANG", "vi"),
        help="language of messages (vi, en)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only else COMMAND_MODULES:
        importlib.import_module(f"app.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `lienthong ARGV`; without `argv`, this process's own command line (the console script)."""
    # Before pyHanko and the rest are imported: their dataclasses' methods come compiled.
    codecache.install()
    own_process = argv is None
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_in(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    paths = AppPaths.under(args.home) if args.home else AppPaths.default()
    ctx = CliContext(paths=paths, lang=args.lang)
    # The signature's font, cut once per installation instead of once per process.
    fontcache.use(paths.cache_dir / "fonts")
    # Everything printed may hold server text (names, summaries, error details): no escape
    # sequence in it reaches the terminal.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    try:
        return int(args.func(ctx, args) or 0)
    except LienThongError as exc:
        return exit_codes.report_error(exc, ctx.lang)
    except KeyboardInterrupt:
        print(ctx.say("Đã hủy.", "Cancelled."), file=sys.stderr)
        return exit_codes.CANCELLED
    finally:
        sys.stdout, sys.stderr = out, err
        if own_process and args.command in FROZEN_AT_EXIT:
            gc.freeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one document is signed or verified.

    One document leaves a few thousand objects of cyclic garbage, but the command loads the
    signing or validation stack, and the collector walked its hundreds of thousands of objects
    again and again (about a tenth of the CPU time of `lienthong sign`, 6% of the instructions of
    `lienthong verify`). Afterwards they join the oldest generation without a walk, and collection
    goes on as before. A batch keeps collecting: its garbage adds up."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # everything to the permanent generation and the young count to zero...
        gc.unfreeze()  # ...then back into the oldest generation, where no walk is due
        gc.enable()


class TerminalSafe(io.TextIOBase):
    """A text stream that writes through `terminal_text`: escape sequences dropped, control and
    bidi characters made visible."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    # typeshed declares a writable attribute; io.TextIOBase has a read-only property here.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", "utf-8"))

    @property
    def buffer(self) -> BinaryIO:
        return self._stream.buffer
