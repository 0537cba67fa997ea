"""`python -m app` and the windowed `LienThongDesk.exe`: the desktop app (training sandbox by default).

The windowed exe has no console: whatever it would print when it cannot start (a refused option,
a missing server profile, a crash before the first window) is shown in a message box instead.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections.abc import Callable

TITLE = "Liên Thông Desk"
# Top-level options of `lienthong` that take a value, accepted before the GUI's own options.
GLOBAL_OPTIONS = ("--home", "--lang")


def gui_argv(argv: list[str]) -> list[str]:
    """`--lang en --profile x.toml` → `--lang en gui --profile x.toml`."""
    leading: list[str] = []
    rest = list(argv)
    while rest:
        option = rest[0].split("=", 1)[0]
        if option not in GLOBAL_OPTIONS:
            break
        takes = 1 if "=" in rest[0] else 2
        leading += rest[:takes]
        rest = rest[takes:]
    return [*leading, "gui", *rest]


def show_message_box(title: str, text: str) -> None:
    if sys.platform == "win32":
        import ctypes

        MB_ICONERROR = 0x10
        ctypes.windll.user32.MessageBoxW(None, text, title, MB_ICONERROR)
    elif sys.__stderr__ is not None:
        sys.__stderr__.write(f"{title}: {text}\n")


def run_windowed(entry: Callable[[], int], show: Callable[[str, str], None]) -> int:
    """Runs `entry` with stdout/stderr captured; when it fails, shows what it said (or its crash)."""
    captured = io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = captured
    try:
        code = entry()
    except SystemExit as exc:  # argparse refuses an option this way
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            captured.write(f"{exc.code}\n")
    except BaseException:  # noqa: BLE001 (the last chance to tell a user without a console)
        captured.write(traceback.format_exc(limit=-8))
        code = 1
    finally:
        sys.stdout, sys.stderr = saved
    if code != 0:
        text = captured.getvalue().strip() or f"exit code {code}"
        show(TITLE, text)
    return int(code)


def main(argv: list[str] | None = None, show: Callable[[str, str], None] = show_message_box) -> int:
    from app.services.render_child import CHILD_FLAG

    raw = sys.argv[1:] if argv is None else argv
    if raw[:1] == [CHILD_FLAG]:  # the frozen exe started as the preview's render worker process
        from app.services.render_child import main as render_child_main

        return render_child_main()
    from app.cli.training_child import CHILD_FLAG as TRAINING_FLAG

    if raw[:1] == [TRAINING_FLAG]:  # the frozen exe started as the GUI's training sandbox process
        from app.cli.training_child import main as training_child_main

        return training_child_main(raw)
    from app.cli import main as cli_main

    args = gui_argv(raw)
    if sys.stdout is not None and sys.stderr is not None:
        return cli_main(args)
    # Windowed (pythonw, the frozen LienThongDesk.exe): nobody would ever see a message printed.
    return run_windowed(lambda: cli_main(args), show)


if __name__ == "__main__":
    sys.exit(main())
