"""Extension points of the main window: the signing views plug in after the first paint, the
PDF preview opens double-clicked PDFs."""

from __future__ import annotations

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
