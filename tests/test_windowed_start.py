"""The windowed program (no console) shows why it cannot start instead of exiting silently."""

from __future__ import annotations

import logging
import sys

import pytest

from app.__main__ import gui_argv, main


def test_top_level_options_go_before_the_gui_command():
    assert gui_argv([]) == ["gui"]
    assert gui_argv(["--lang", "en"]) == ["--lang", "en", "gui"]
    assert gui_argv(["--home=C:/x", "--lang", "en", "--profile", "p.toml"]) == [
        "--home=C:/x", "--lang", "en", "gui", "--profile", "p.toml",
    ]


def windowed(monkeypatch) -> list[tuple[str, str]]:
    """What pythonw and a PyInstaller windowed exe give the program: no stdout, no stderr.

    Called in the test body: pytest's output capture swaps the streams between set-up and call.
    """
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    return []


def test_a_refused_option_is_shown_in_a_message_box(monkeypatch, tmp_path):
    shown = windowed(monkeypatch)
    code = main(["--home", str(tmp_path), "--no-such-option"], show=lambda title, text: shown.append((title, text)))
    assert code == 2
    [(title, text)] = shown
    assert title == "Liên Thông Desk"
    assert "--no-such-option" in text and "usage:" in text


@pytest.fixture
def root_logger_restored():
    """The GUI command attaches a file handler to the root logger; later tests must not inherit it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_a_start_up_error_is_shown_in_a_message_box(monkeypatch, tmp_path, root_logger_restored):
    shown = windowed(monkeypatch)
    missing = tmp_path / "missing.toml"
    code = main(["--home", str(tmp_path), "--lang", "en", "--profile", str(missing)],
                show=lambda title, text: shown.append((title, text)))
    assert code != 0
    [(_, text)] = shown
    assert "missing.toml" in text


def test_a_crash_is_shown_with_its_traceback(monkeypatch):
    import app.cli

    def crash(argv):
        raise RuntimeError("Qt6Core.dll could not be loaded")

    monkeypatch.setattr(app.cli, "main", crash)
    shown = windowed(monkeypatch)
    assert main(["--lang", "en"], show=lambda title, text: shown.append((title, text))) == 1
    [(_, text)] = shown
    assert "RuntimeError: Qt6Core.dll could not be loaded" in text and "Traceback" in text


def test_the_console_program_tells_its_version(capsys):
    from app import __version__
    from app.cli import main as cli_main

    try:
        cli_main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"lienthong {__version__}"


def test_the_exe_started_with_the_training_flag_runs_the_training_sandbox(monkeypatch):
    """The frozen exe starts the GUI's training sandbox process as itself (training.child_command)."""
    import app.cli.training_child as training_child

    seen: list[list[str]] = []
    monkeypatch.setattr(training_child, "main", lambda argv=None: seen.append(argv) or 0)
    assert main([training_child.CHILD_FLAG, '["c", "d", "l", "k"]']) == 0
    assert seen == [[training_child.CHILD_FLAG, '["c", "d", "l", "k"]']]
