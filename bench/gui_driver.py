"""Runs `lienthong gui` in this process the way an officer would, for the startup and memory benches.

The officer's browser is a scripted one that fills the training SSO page (as the GUI tests do);
the driver only watches the app's public signals and prints one line when the awaited moment
comes, then quits the app:

    python bench/gui_driver.py --until login|main|idle [--sign-in scripted|silent] [--browser PORT] -- [--home DIR]

With --browser, the sign-in page is filled by `bench/browser.py` listening at that port (a browser
in a process of its own, already running); without it, by a scripted browser on a thread here.

  login  the sign-in window is on screen (first start: the training data may still be seeding);
  main   the main window is on screen after signing in;
  idle   the main window has loaded its lists and the signing views, and the app has idled for a
         second: prints the resident set size and the number of rows loaded. From the main window
         on screen to the lists loaded, the officer moves the mouse over the window (an event
         every 100 ms) and a 5 ms timer measures how late the UI thread serves it; the line also
         gives how long that took, the worst lateness and the full garbage collections of that
         time (how many, the longest, and how many ran on another thread than the UI's).
"""

from __future__ import annotations

import argparse
import gc
import importlib.abc
import importlib.util
import sys
import threading
import time
import webbrowser
from pathlib import Path
from types import ModuleType
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IDLE_MS = 1000
PROBE_MS = 5
MOUSE_MS = 100


class FullCollections:
    """The full garbage collections from `start()` to `stop()`: (thread name, seconds) each."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, float]] = []
        self._started = 0.0
        self._on = False

    def __call__(self, phase: str, info: dict) -> None:
        if not self._on or info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seen.append((threading.current_thread().name, time.perf_counter() - self._started))

    def start(self) -> None:
        self._on = True
        gc.callbacks.append(self)

    def stop(self) -> None:
        if self._on:
            self._on = False
            gc.callbacks.remove(self)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--until", choices=("login", "main", "idle"), required=True)
    parser.add_argument("--sign-in", choices=("scripted", "silent"), default="scripted")
    parser.add_argument("--user", default="hoant:Hoa@2024")
    parser.add_argument("--browser", type=int, help="port of a running bench/browser.py")
    parser.add_argument("app_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    app_args = [a for a in args.app_args if a != "--"]
    username, _, password = args.user.partition(":")
    if args.sign_in == "silent":
        webbrowser.open = no_browser  # a silent start that opens the browser is a failed run
    elif args.browser:
        webbrowser.open = browser_at(args.browser, username, password)
    else:
        from tests.fixtures.browser import scripted_browser

        webbrowser.open = scripted_browser(username, password)
    # The app loads its modules in its own order (`lienthong gui` sets up, then imports the
    # windows): the driver's subclass replaces GuiApp when app.views.app is first imported.
    when_imported("app.views.app", lambda module: drive(module, args.until, args.sign_in))
    from app.cli import main as cli_main

    return int(cli_main([*app_args, "gui"]))


def no_browser(url: str, *_args: object, **_kwargs: object) -> bool:
    import os

    print("browser-opened-on-a-silent-start", flush=True)
    os._exit(3)  # from whichever thread asked: the run must end here, not wait for a sign-in


def browser_at(port: int, username: str, password: str) -> Callable[..., bool]:
    def open_url(url: str, *_args: object, **_kwargs: object) -> bool:
        import socket

        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(f"{username}\t{password}\t{url}\n".encode())
        return True

    return open_url


def when_imported(name: str, then: Callable[[ModuleType], None]) -> None:
    """Call `then(module)` once the module `name` has been executed by its first import."""

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            loader = spec.loader
            run = loader.exec_module

            def exec_module(module: ModuleType) -> None:
                run(module)
                then(module)

            loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Finder())


def drive(views_app: ModuleType, until: str, sign_in: str) -> None:
    from app.views.qt import QCoreApplication, Qt, QTimer

    def say(line: str) -> None:
        print(line, flush=True)

    class LoadWatch:
        """The officer's mouse over the window and the UI thread's lateness, while lists load."""

        def __init__(self, window) -> None:
            self.window = window
            self.worst = 0.0
            self.collections = FullCollections()
            self._last = self._started = time.perf_counter()
            self.took = 0.0
            self._probe = QTimer()
            self._probe.setTimerType(Qt.TimerType.PreciseTimer)
            self._probe.timeout.connect(self._tick)
            self._mouse = QTimer()
            self._mouse.timeout.connect(self._move)
            self._x = 0

        def start(self) -> None:
            self.collections.start()
            self._last = self._started = time.perf_counter()
            self._probe.start(PROBE_MS)
            self._mouse.start(MOUSE_MS)

        def stop(self) -> None:
            self.took = time.perf_counter() - self._started
            self._probe.stop()
            self._mouse.stop()
            self.collections.stop()

        def _tick(self) -> None:
            now = time.perf_counter()
            self.worst = max(self.worst, now - self._last - PROBE_MS / 1000)
            self._last = now

        def _move(self) -> None:
            # Here: the app does not build these Qt types on its way to the window, nor should its driver.
            from app.views.qt import QEvent, QPointF, QtGui

            self._x = (self._x + 7) % 200
            at = QPointF(100 + self._x, 100)
            QCoreApplication.sendEvent(self.window, QtGui.QMouseEvent(
                QEvent.Type.MouseMove, at, self.window.mapToGlobal(at), Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))

        def summary(self) -> str:
            ui = threading.main_thread().name
            longest = max((took for _name, took in self.collections.seen), default=0.0)
            elsewhere = sum(1 for name, _took in self.collections.seen if name != ui)
            return (f"load_ms={self.took * 1000:.0f} load_block_ms={self.worst * 1000:.1f} "
                    f"full_collections={len(self.collections.seen)} "
                    f"longest_full_ms={longest * 1000:.1f} full_elsewhere={elsewhere}")

    class DrivenApp(views_app.GuiApp):
        def __init__(self, *a, **kw) -> None:
            super().__init__(*a, **kw)
            self.main_window_shown.connect(self._shown)
            self.extensions_installed.connect(self._extensions)
            self._state = {"lists": False, "extensions": False}

        def start(self, silent: bool = True) -> None:
            super().start(silent=sign_in == "silent")
            if until == "login":
                QTimer.singleShot(0, lambda: (say("login-window-shown"), QCoreApplication.quit()))
            elif sign_in == "scripted":
                # The officer presses "Đăng nhập" on the sign-in window.
                profile = self.login_window.current_profile()
                QTimer.singleShot(0, lambda: self.login(profile))

        def _shown(self, window) -> None:
            if until == "main":
                QTimer.singleShot(0, lambda: (say("main-window-shown"), QCoreApplication.quit()))
            else:
                self._watch = LoadWatch(window)
                self._watch.start()
                window.lists_loaded.connect(lambda: self._reached("lists"))

        def _extensions(self, _window) -> None:
            self._reached("extensions")

        def _reached(self, what: str) -> None:
            if what == "lists":
                self._watch.stop()
            self._state[what] = True
            if all(self._state.values()):
                QTimer.singleShot(IDLE_MS, self._report_idle)

        def _report_idle(self) -> None:
            window = self.main_window
            say(f"idle rss_mb={rss_mb():.1f} dossiers={window.dossier_model.rowCount()} "
                f"documents={window.document_model.rowCount()} {self._watch.summary()}")
            QCoreApplication.quit()

    views_app.GuiApp = DrivenApp


if __name__ == "__main__":
    sys.exit(main())
