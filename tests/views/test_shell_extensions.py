"""Extension points of the main window: the signing views plug in after the first paint, the
PDF preview opens double-clicked PDFs."""

from __future__ import annotations

import contextlib
import threading

import pytest

from app.views.app import default_extensions, default_preview_factory
from tests.fixtures.gui import build_harness, close_harness
from tests.fixtures.states import is_processing

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_signing_views_and_preview_plug_in(qtbot, sandbox, tmp_path, file_keyring):
    from app.signing import appearance

    # Nothing prepared yet: the warm-up after the first paint prepares the signature's font.
    appearance.embedded_program.cache_clear()
    extensions = default_extensions()
    factory = default_preview_factory()
    assert extensions and factory is not None
    harness = build_harness(
        qtbot, sandbox, tmp_path, file_keyring, preview_factory=factory, extensions=extensions
    )
    try:
        harness.gui.start(silent=False)
        with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
            window = harness.sign_in(qtbot, "tuanlv", wait_lists=False)
        assert appearance.embedded_program.cache_info().currsize == 1
        assert window.detail_tabs.count() >= 2
        titles = [a.text() for a in window.menuBar().actions()]
        assert any("Ký số" in t for t in titles), titles
        assert harness.gui.crash.dialogs == [] and harness.gui.errors.dialogs == []

        qtbot.waitUntil(lambda: not window.dossier_loader.loading, timeout=20000)
        row = next(i for i, d in enumerate(window.dossier_model.rows()) if is_processing(d))
        window.dossier_panel.select_source_row(row, quiet=False)
        qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
        ref = next(f for c in window.details.dossier.dossier.components for f in c.files)
        with qtbot.waitSignal(window.file_opener.opened, timeout=15000) as blocker:
            window.file_opener.open(ref, "igate")
        assert blocker.args[1] == "preview"
        assert window.preview is not None and window.preview_stack.currentWidget() is window.preview
        assert harness.external == []
    finally:
        close_harness(harness)


def lists_through(monkeypatch, wrap) -> None:
    """Every list's pages come through `wrap(fetch, first_page)` (iGate's pages start at 0,
    iDesk's at 1)."""
    from app.views.list_loader import PagedLoader

    original_init = PagedLoader.__init__

    def init(self, runner, model, fetch, **kwargs):
        original_init(self, runner, model, wrap(fetch, kwargs.get("first_page", 0)), **kwargs)

    monkeypatch.setattr(PagedLoader, "__init__", init)


@contextlib.contextmanager
def signed_in_with_signing_views(qtbot, sandbox, tmp_path, file_keyring):
    """(harness, main window, the windows the signing views were installed in so far)."""
    harness = build_harness(qtbot, sandbox, tmp_path, file_keyring, extensions=default_extensions())
    installed: list = []
    harness.gui.extensions_installed.connect(installed.append)
    try:
        harness.gui.start(silent=False)
        yield harness, harness.sign_in(qtbot, "tuanlv", wait_lists=False), installed
    finally:
        close_harness(harness)


def test_the_signing_stack_loads_once_the_lists_are_in(qtbot, sandbox, tmp_path, file_keyring, monkeypatch):
    """Its imports hold the interpreter lock for about half a second: started while the pages of a
    long list arrive, they froze the window the officer was already using."""
    from app.views import warmup
    from app.views.qt import QTimer

    gate = threading.Event()
    lists_through(monkeypatch, lambda fetch, _first: lambda number, size: (gate.wait(30), fetch(number, size))[1])
    lists_in_when_preloading = []
    original_preload = warmup.preload

    def recording_preload(names):
        window = harness.gui.main_window
        lists_in_when_preloading.append(not window.dossier_loader.loading and not window.document_loader.loading)
        return original_preload(names)

    monkeypatch.setattr(warmup, "preload", recording_preload)
    try:
        with signed_in_with_signing_views(qtbot, sandbox, tmp_path, file_keyring) as (harness, _window, installed):
            QTimer.singleShot(1000, gate.set)  # the lists take a second to arrive, as 10,000 dossiers do
            qtbot.waitUntil(lambda: bool(installed), timeout=30000)
            assert lists_in_when_preloading == [True]
            assert harness.gui.crash.dialogs == [] and harness.gui.errors.dialogs == []
            gate.set()  # before the window closes: its loaders' threads wait on it
    finally:
        gate.set()


def test_the_render_worker_and_the_after_lists_jobs_start_once_the_lists_are_in(qtbot, sandbox, tmp_path,
                                                                                file_keyring, monkeypatch):
    """The render worker's start imports the preview's modules on the UI thread, and an
    `after_lists` job's thread imports others: with the lists' pages arriving, that lengthened
    the blocks the officer feels."""
    import app.views.app as views_app

    gate = threading.Event()
    lists_through(monkeypatch, lambda fetch, _first: lambda number, size: (gate.wait(30), fetch(number, size))[1])
    monkeypatch.setattr(views_app, "PRELOAD_AT_LATEST_MS", 60_000)
    lists_in: dict[str, bool] = {}

    def note(what: str) -> None:
        window = harness.gui.main_window
        lists_in[what] = not window.dossier_loader.loading and not window.document_loader.loading

    class Renderer:
        def start(self):
            note("renderer")
            return self

    # The lists arrive from the first-show timer on: a start on that timer finds them still loading.
    harness = build_harness(qtbot, sandbox, tmp_path, file_keyring,
                            preview_factory=views_app.PdfPreviewFactory(Renderer()), after_first_show=(gate.set,),
                            after_lists=(lambda: note("job"),))
    try:
        harness.gui.start(silent=False)
        harness.sign_in(qtbot, "hoant", wait_lists=False)
        qtbot.waitUntil(lambda: len(lists_in) == 2, timeout=30000)
        assert lists_in == {"renderer": True, "job": True}
    finally:
        gate.set()
        close_harness(harness)


def test_after_lists_jobs_left_by_a_window_signed_out_of_early_run_with_the_next(qtbot, sandbox, tmp_path,
                                                                                 file_keyring, monkeypatch):
    import app.views.app as views_app

    gate = threading.Event()
    lists_through(monkeypatch, lambda fetch, _first: lambda number, size: (gate.wait(30), fetch(number, size))[1])
    monkeypatch.setattr(views_app, "PRELOAD_AT_LATEST_MS", 60_000)
    ran: list[object] = []
    harness = build_harness(qtbot, sandbox, tmp_path, file_keyring,
                            after_lists=(lambda: ran.append(harness.gui.main_window),))
    try:
        harness.gui.start(silent=False)
        harness.sign_in(qtbot, "hoant", wait_lists=False)
        harness.gui.logout()  # before the lists came
        gate.set()
        window = harness.sign_in(qtbot, "hoant")
        qtbot.waitUntil(lambda: bool(ran), timeout=30000)
        assert ran == [window]
    finally:
        gate.set()
        close_harness(harness)


def test_a_list_that_fails_to_load_does_not_hold_the_signing_views_back(qtbot, sandbox, tmp_path, file_keyring,
                                                                         monkeypatch):
    """The lists have settled when one failed: the signing views do not wait for the latest start."""
    import app.views.app as views_app
    from app.errors import ServiceUnavailableError

    def idesk_down(_number: int, _size: int):
        raise ServiceUnavailableError("iDesk")

    lists_through(monkeypatch, lambda fetch, first: idesk_down if first == 1 else fetch)
    monkeypatch.setattr(views_app, "PRELOAD_AT_LATEST_MS", 60_000)
    with signed_in_with_signing_views(qtbot, sandbox, tmp_path, file_keyring) as (harness, _window, installed):
        qtbot.waitUntil(lambda: bool(installed), timeout=30000)
        assert len(harness.gui.errors.dialogs) == 1


def test_lists_that_never_arrive_hold_the_signing_views_back_only_so_long(qtbot, sandbox, tmp_path, file_keyring,
                                                                           monkeypatch):
    import app.views.app as views_app

    gate = threading.Event()
    lists_through(monkeypatch, lambda fetch, _first: lambda number, size: (gate.wait(30), fetch(number, size))[1])
    monkeypatch.setattr(views_app, "PRELOAD_AT_LATEST_MS", 200)
    try:
        with signed_in_with_signing_views(qtbot, sandbox, tmp_path, file_keyring) as (_harness, window, installed):
            qtbot.waitUntil(lambda: bool(installed), timeout=30000)
            assert window.dossier_loader.loading, "the lists are still on their way"
            gate.set()  # before the window closes: its loaders' threads wait on it
    finally:
        gate.set()
