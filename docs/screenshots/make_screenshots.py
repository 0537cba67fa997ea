"""Regenerate the screenshots of the user guide: the start screen, the main window, the send
dialog and the leader's signing window.

Runs the real windows offscreen against a fresh training sandbox, signs in through the real
login page with a scripted browser, and writes PNGs:

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
LOGIN_SIZE = (720, 480)
DIALOG_SIZE = (760, 520)
SIGN_SIZE = (1180, 780)
NAMES = ("login.png", "main-window.png", "send-dialog.png", "signing-dialog.png")


class _MemoryKeyring:
    """Keeps the refresh token in memory: screenshots never touch the user's keyring."""

    priority = 1

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self._store.get((service, username))

    def set_password(self, service, username, password):
        self._store[(service, username)] = password

    def delete_password(self, service, username):
        import keyring.errors

        if self._store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def _wait(app, predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)


def _settle(app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _save(widget, path: Path, size) -> Path:
    widget.resize(*size)
    # A new size may mean a new zoom: the preview shows the old image scaled until the page is
    # rendered again at the new one, which the capture must wait for.
    from app.views.qt import QApplication

    _settle(QApplication.instance(), 0.5)
    image = widget.grab().toImage()
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def _signing_dialog(app, window, installed):
    """The leader's signing window ("Ký số token") on a draft, its signature placed on the page."""
    _wait(app, lambda: bool(installed), timeout=60)
    actions = getattr(window, "signing_actions", None)
    if actions is None:
        return None
    from app.services.workflow import Action, file_choices, preselected

    drafts = [d for d in window.document_model.rows() if d.status.value in ("draft", "initialed")]
    for summary in drafts:
        window.document_panel.select_key(summary.id)
        _wait(app, lambda: window.current_document is not None and window.current_document.id == summary.id)
        # A draft whose main document is its only PDF: the signing window opens without a file question.
        document = window.current_document
        if preselected(document, Action.LEADER) is not None and len(file_choices(document, Action.LEADER)) == 1:
            break
    else:
        return None
    actions.update_enabled(window.current_document)
    actions.sign.trigger()
    _wait(app, lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=60)
    dialog = actions.dialog
    _wait(app, lambda: dialog.preview.page_count > 0 and bool(dialog.picker.choices), timeout=60)
    try:
        _wait(app, lambda: bool(dialog.placement.placements()), timeout=10)
    except TimeoutError:
        dialog.placement.add_on_current_page()
    first = dialog.placement.placements()[0]
    dialog.preview.show_rect(first.page, first.rect)
    _settle(app, 1.5)
    return dialog


def make_screenshots(out_dir: Path, work_dir: Path | None = None, *, with_signing: bool = True,
                     on_signing=None) -> list[Path]:
    """Write the PNGs; `on_signing(dialog)` sees the signing window just after it is captured."""
    from app.cli.gui import training_signer
    from tests.fixtures.browser import scripted_browser
    from app.config import Settings
    from app.paths import AppPaths
    from app.sandbox.server import Sandbox
    from app.services.compose import connect
    from app.views.app import GuiApp, create_qapplication, default_extensions, default_preview_factory
    from app.views.qt import QSettings
    from app.views.window_state import WindowState

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(work_dir or tempfile.mkdtemp(prefix="lienthong-shots-"))
    app = create_qapplication(["make_screenshots"], "vi")
    sandbox = Sandbox(work / "sandbox").start()
    paths = AppPaths.under(work / "home").ensure()
    keyring_backend = _MemoryKeyring()
    officer = ["hoant", "Hoa@2024"]  # the leader signs in for the signing window

    def browser(url):
        return scripted_browser(*officer)(url)

    profile = sandbox.profile()
    gui = GuiApp(
        paths,
        Settings(),
        {profile.name: profile},
        lambda p: connect(p, paths, keyring_backend=keyring_backend, browser=browser),
        default_profile=profile.name,
        window_state=WindowState(QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)),
        preview_factory=default_preview_factory(),
        extensions=default_extensions() if with_signing else [],
        open_external=lambda p: True,
        install_hooks=False,
        training_signer=training_signer(work / "pki"),
    )
    installed = []
    gui.extensions_installed.connect(installed.append)
    written = []
    try:
        gui.start(silent=False)
        _settle(app)
        written.append(_save(gui.login_window, out_dir / NAMES[0], LOGIN_SIZE))

        shown = []
        gui.main_window_shown.connect(shown.append)
        gui.login(gui.login_window.current_profile())
        _wait(app, lambda: bool(shown))
        window = shown[0]
        window.resize(*SIZE)
        _wait(app, lambda: not window.dossier_loader.loading and not window.document_loader.loading)
        linked = {d.dossier_code for d in window.document_model.rows() if d.dossier_code}
        row = next(
            i
            for i, d in enumerate(window.dossier_model.rows())
            if d.code in linked and d.status.can_send_to_idesk
        )
        window.dossier_panel.select_source_row(row, quiet=False)
        _wait(app, lambda: window.details.dossier.dossier is not None)
        dossier = window.details.dossier.dossier
        first_file = next((f for c in dossier.components for f in c.files), None)
        if first_file is not None and window.preview_factory_available:
            opened = []
            window.file_opener.opened.connect(lambda path, how: opened.append(how))
            window.file_opener.open(first_file, "igate")
            _wait(app, lambda: bool(opened))
            _settle(app, 1.5)
        _settle(app)
        written.append(_save(window, out_dir / NAMES[1], SIZE))

        window.actions_.send.trigger()
        _wait(app, lambda: "send" in window.dialogs)
        dialog = window.dialogs["send"]
        _settle(app)
        written.append(_save(dialog, out_dir / NAMES[2], DIALOG_SIZE))
        dialog.close()

        signing = None
        try:
            if with_signing:
                _wait(app, lambda: bool(installed), timeout=60)
                gui.logout()
                officer[:] = ["tuanlv", "Tuan@2024"]
                shown.clear()
                installed.clear()
                gui.login(gui.login_window.current_profile())
                _wait(app, lambda: bool(shown))
                window = shown[0]
                window.resize(*SIZE)
                _wait(app, lambda: not window.dossier_loader.loading and not window.document_loader.loading)
                signing = _signing_dialog(app, window, installed)
        except TimeoutError as exc:
            # The other screenshots stand without the signing window.
            print(f"signing window not captured: {exc}", file=sys.stderr)
            signing = None
        if signing is not None:
            written.append(_save(signing, out_dir / NAMES[3], SIGN_SIZE))
            if on_signing is not None:
                on_signing(signing)
            signing.reject()
    finally:
        actions = getattr(gui.main_window, "signing_actions", None)
        if actions is not None:
            actions.ctx.service.close()
        for window in (gui.main_window, gui.login_window):
            if window is not None:
                window.close()
        gui.shutdown()
        sandbox.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in make_screenshots(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
