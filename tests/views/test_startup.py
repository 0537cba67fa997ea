"""The GUI's start path (`lienthong gui`, as its own process): what it loads before the main window
shows, and what it leaves for after the first paint (the signing stack, the demo PKI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.training import remember
from app.paths import AppPaths
from app.sandbox.server import Sandbox

REPO = Path(__file__).resolve().parents[2]

# `lienthong gui` with a scripted browser; records the loaded modules when the main window shows
# and again once the signing views are plugged in and the training trust folder is filled.
START = r"""
import json, sys, threading, time, webbrowser
from pathlib import Path
from tests.fixtures.browser import scripted_browser

webbrowser.open = scripted_browser("hoant", "Hoa@2024")
home, record = Path(sys.argv[1]), Path(sys.argv[2])
import app.views.app as views_app
from app.views.qt import QCoreApplication, QTimer

seen = {}

def loaded():
    # pyHanko's aiohttp clients have stand-ins from the start (app.signing.pyhanko_lean): not loaded.
    from app.signing.pyhanko_lean import is_standin
    return sorted(name for name, module in list(sys.modules.items()) if not is_standin(module))

def qt_built():
    # PySide6 builds a class (with its enums) on first access; a built one is in its module's dict.
    from PySide6 import QtCore, QtGui, QtWidgets
    return sorted(name for module in (QtCore, QtGui, QtWidgets) for name in vars(module) if name.startswith("Q"))

def libraries():
    # The shared libraries mapped into the process (Linux): a Qt plugin maps its library once loaded.
    maps = Path("/proc/self/maps")
    lines = maps.read_text().splitlines() if maps.exists() else []
    return sorted({line.rsplit("/", 1)[-1] for line in lines if ".so" in line.rsplit("/", 1)[-1]})

def icon_sizes():
    from app.views.qt import QApplication
    return sorted(size.width() for size in QApplication.windowIcon().availableSizes())

# The lists' pages wait for the first-show jobs: work started with those finds the lists loading.
first_shown = threading.Event()
from app.views.list_loader import PagedLoader
plain_loader = PagedLoader.__init__
def gated_loader(self, runner, model, fetch, **kwargs):
    plain_loader(self, runner, model, lambda number, size: (first_shown.wait(30), fetch(number, size))[1], **kwargs)
PagedLoader.__init__ = gated_loader

import app.cli.gui as cli_gui
trust_later = cli_gui.training_trust_dir_later
def noting_trust_start(servers):
    folder, start = trust_later(servers)
    return folder, lambda: (seen.setdefault("trust_started", time.monotonic()), start())
cli_gui.training_trust_dir_later = noting_trust_start

class Recording(views_app.GuiApp):
    def __init__(self, *args, **kwargs):
        kwargs["after_first_show"] = (*kwargs.get("after_first_show", ()), first_shown.set)
        super().__init__(*args, **kwargs)
        self.main_window_shown.connect(
            lambda w: w.lists_settled.connect(lambda: seen.setdefault("lists_settled", time.monotonic())))
        self.main_window_shown.connect(lambda _w: seen.setdefault("shown", loaded()))
        self.main_window_shown.connect(lambda _w: seen.setdefault("qt_shown", qt_built()))
        self.main_window_shown.connect(lambda _w: seen.setdefault("libraries_shown", libraries()))
        self.main_window_shown.connect(lambda _w: seen.setdefault("icon_sizes", icon_sizes()))
        self.extensions_installed.connect(lambda _w: self._installed())

    def start(self, silent=True):
        super().start(silent=False)
        seen["login"] = loaded()
        QTimer.singleShot(0, lambda: self.login(self.login_window.current_profile()))

    def _installed(self):
        seen["installed"] = loaded()
        self._wait_trust(600)

    def _wait_trust(self, tries):
        trust = Path(self.training_trust_dir)
        seen["trust"] = sorted(p.name for p in trust.iterdir()) if trust.is_dir() else []
        if len(seen["trust"]) == 2 or tries == 0:
            record.write_text(json.dumps(seen))
            QCoreApplication.quit()
        else:
            QTimer.singleShot(50, lambda: self._wait_trust(tries - 1))

views_app.GuiApp = Recording
# Work waiting for the lists waits for them here, however slow the machine (not the 3 s fallback).
views_app.PRELOAD_AT_LATEST_MS = 60_000
from app.cli import main
sys.exit(main(["--home", str(home), "gui"]))
"""

SIGNING_STACK = {"pyhanko", "pymupdf", "fitz", "fontTools", "aiohttp"}
AFTER_FIRST_PAINT = {"app.services.workflow", "app.signing.convert", "app.services.render_worker"}
LATER_QT = {"QEvent", "QMessageBox", "QFileDialog", "QUrl", "QDesktopServices", "QBrush", "QGradient"}


def _top(names: list[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _run_gui(script: str, home: Path, record: Path) -> dict:
    """Runs a script that starts `lienthong gui` in `home` (no keyring) and writes what it saw to `record`."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen", LIENTHONG_LANG="vi",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    done = subprocess.run([sys.executable, "-c", script, str(home), str(record)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(record.read_text())


@pytest.fixture
def servers_elsewhere(tmp_path):
    """The training servers already running (as `lienthong sandbox serve` leaves them), recorded
    for the app's data folder, so the app signs in to them instead of starting its own."""
    home = tmp_path / "home"
    paths = AppPaths.under(home).ensure()
    box = Sandbox(paths.sandbox_dir, pki=True).start()
    remember(paths, box)
    yield home
    box.stop()


@pytest.mark.gui
def test_what_loads_before_the_sign_in_window_the_main_window_and_the_signing_views(servers_elsewhere, tmp_path):
    seen = _run_gui(START, servers_elsewhere, tmp_path / "modules.json")
    login, shown, installed = seen["login"], seen["shown"], seen["installed"]
    # The keyring and the ID token checks are loaded before the sign-in window (most starts
    # sign in silently, and the keyring is what that needs first; `lienthong gui` loads them
    # before Qt).
    assert {"keyring", "cryptography"} <= _top(login) and "app.services.sso.jws" in login
    # The ID token's signature is checked on cryptography's RSA alone: no JWT library, no X.509.
    assert "jwt" not in _top(shown) and "cryptography.x509" not in shown
    assert not _top(shown) & SIGNING_STACK, sorted(n for n in shown if n.split(".")[0] in SIGNING_STACK)
    # Nor the signing workflow rules, the Word conversion or the render worker's client: not
    # needed for the first paint (the render worker process starts after it).
    assert not AFTER_FIRST_PAINT & set(shown), sorted(AFTER_FIRST_PAINT & set(shown))
    assert AFTER_FIRST_PAINT <= set(installed)
    # The demo PKI is read (for the training trust folder) only after the window has painted.
    assert "app.sandbox.demo_pki" not in shown and "asn1crypto" not in _top(shown)
    # Then the signing stack was warmed before the signing views were plugged in...
    assert {"pyhanko", "pymupdf"} <= _top(installed)
    # ...and the training trust folder holds the demo root and CA, filled once the lists were in
    # (reading the demo PKI imports the certificate libraries, which held the UI thread up as pages
    # of rows arrived).
    assert seen["trust"] == ["training-ca.pem", "training-root.pem"]
    assert seen["trust_started"] >= seen["lists_settled"]
    # Qt classes built only for dialogs, files opened outside, rows (brushes) and the collector's
    # input watch (QEvent and its 179 event types) wait for their first use.
    assert not LATER_QT & set(seen["qt_shown"]), sorted(LATER_QT & set(seen["qt_shown"]))
    # The dossier's and the document's detail panes wait for the officer's first choice.
    assert "app.views.detail_panes" not in shown and "QTreeWidget" not in seen["qt_shown"]
    # The window icon comes in PNG frames: Qt's SVG plugin (and its library) stays unloaded.
    assert seen["icon_sizes"] == [16, 24, 32, 48, 64, 128, 256]
    assert seen["libraries_shown"] and not [lib for lib in seen["libraries_shown"] if "svg" in lib.lower()]


# Imports `app.views.app` as the GUI's start does, noting for each module whether Qt was loaded.
IMPORT_ORDER = r"""
import json, sys

class Note:
    def find_spec(self, name, path=None, target=None):
        if name not in sys.modules:
            after.append(name) if "PySide6" in sys.modules else None
        return None

after = []
sys.meta_path.insert(0, Note())
import app.views.app
print(json.dumps(sorted(set(after))))
"""

SERVICE_STACK = {"requests", "urllib3", "cryptography", "keyring"}


def test_the_service_layer_loads_before_qt():
    """PySide6 reads the source of every module imported after it (for its `__feature__`
    switches): the service layer, which imports no Qt, loads first."""
    done = subprocess.run([sys.executable, "-c", IMPORT_ORDER], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert done.returncode == 0, done.stderr
    after_qt = json.loads(done.stdout)
    late = sorted(n for n in after_qt if n.split(".")[0] in SERVICE_STACK or n.startswith("app.services."))
    assert late == []


QT_NAMES = r"""
import json, sys
import app.views.qt as qt
before = sorted(n for n in qt.__all__ if n in vars(qt))
from app.views.qt import QFileDialog
from PySide6.QtWidgets import QFileDialog as Real
try:
    from app.views.qt import QProcess
    foreign = "imported"
except ImportError:
    foreign = "refused"
print(json.dumps({"before": before, "same": QFileDialog is Real, "foreign": foreign}))
"""


def test_qt_names_are_built_when_first_imported_and_only_those_of_the_qt_module():
    """PySide6 builds a class with all its enums on first access: `app.views.qt`
    looks a name up when a view first imports it; names outside its `__all__` stay out."""
    done = subprocess.run([sys.executable, "-c", QT_NAMES], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["before"] == ["QLabel", "Qt", "QtCore", "QtGui", "QtWidgets"]
    assert seen["same"] and seen["foreign"] == "refused"


# `lienthong gui` with no session stored: notes when its silent sign-in starts, and quits once the
# start screen has taken its outcome.
EARLY = r"""
import json, sys
from pathlib import Path

import app.views.backend as backend

home, record = Path(sys.argv[1]), Path(sys.argv[2])
seen = {}
start = backend.start_silent_sign_in

def noted(services, profile):
    seen["profile"] = profile.name
    seen["qt_loaded"] = "PySide6" in sys.modules
    seen["early"] = start(services, profile)
    return seen["early"]

backend.start_silent_sign_in = noted


def record_app(views_app):
    from app.views.qt import QCoreApplication

    class Recording(views_app.GuiApp):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            seen["handed"] = kwargs.get("early_sign_in") is seen.get("early")
            self.sign_in.idle.connect(self._idle)

        def _idle(self):
            seen["login_shown"] = self.login_window.isVisible()
            record.write_text(json.dumps({k: v for k, v in seen.items() if k != "early"}))
            QCoreApplication.quit()

    views_app.GuiApp = Recording


class WhenLoaded:
    # Replaces GuiApp once `lienthong gui` has imported app.views.app itself (which loads Qt).
    def find_spec(self, name, path=None, target=None):
        if name != "app.views.app":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            record_app(module)
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, WhenLoaded())
from app.cli import main
sys.exit(main(["--home", str(home), "gui"]))
"""


@pytest.mark.gui
def test_the_silent_sign_in_starts_before_qt_loads(servers_elsewhere, tmp_path):
    """The provider and iGate answer while Qt and the windows load, not after."""
    seen = _run_gui(EARLY, servers_elsewhere, tmp_path / "early.json")
    assert seen == {"profile": "training", "qt_loaded": False, "handed": True, "login_shown": True}
