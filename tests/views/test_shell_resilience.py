"""The window stays responsive while servers are slow, and says plainly when one is down."""

from __future__ import annotations

import pytest

from app.views.qt import QTimer
from tests.fixtures.gui import build_harness, close_harness

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def harness(qtbot, module_sandbox, tmp_path, file_keyring):
    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring)
    h.gui.start(silent=False)
    yield h
    module_sandbox.faults.clear()
    close_harness(h)


def test_ui_keeps_running_while_igate_is_slow(qtbot, harness, module_sandbox):
    window = harness.sign_in(qtbot, "hoant")
    module_sandbox.faults.add("igate", "GET", r"pa/dossier/search", "delay:1.5", count=1)
    ticks = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    window.actions_.refresh.trigger()
    assert window.dossier_loader.loading and window.busy_bar.isVisible()
    qtbot.waitUntil(lambda: not window.dossier_loader.loading, timeout=20000)
    timer.stop()
    # 1.5 s of waiting for iGate: the event loop kept turning all along.
    assert len(ticks) >= 15
    assert window.dossier_model.rowCount() >= 40


def test_igate_down_is_said_in_plain_words(qtbot, harness, module_sandbox):
    window = harness.sign_in(qtbot, "hoant")
    module_sandbox.faults.add("igate", "GET", r"pa/dossier/search", "error-503", count=20)
    window.actions_.refresh.trigger()
    qtbot.waitUntil(lambda: bool(harness.gui.errors.dialogs), timeout=30000)
    dialog = harness.gui.errors.dialogs[0]
    assert "Không kết nối được tới iGate" in dialog.message.text()
    assert harness.gui.crash.dialogs == []
    assert "Không tải được" in window.dossier_panel.status_label.text()
    qtbot.waitUntil(lambda: not window.document_loader.loading, timeout=20000)
    assert window.document_model.rowCount() > 0  # iDesk still answered
    dialog.close()
    module_sandbox.faults.clear()
    window.actions_.refresh.trigger()
    qtbot.waitUntil(lambda: window.dossier_model.rowCount() >= 40, timeout=20000)
