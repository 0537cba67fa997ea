"""Server text is never interpreted: markup typed by a citizen or another agency shows as the
characters it is, in labels, tooltips, lists and dialogs, through the real main window."""

from __future__ import annotations

import pytest

from app.views.qt import QApplication, Qt, QtWidgets
from tests.fixtures.gui import build_harness, close_harness
from tests.security.hostile import IMG, RLO, plant_hostile_text

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

MARKERS = ("<img", "<b ", "<a href", RLO)


def _hostile(text: str) -> bool:
    return any(m in text for m in MARKERS[:3])


def _tree_items(tree):
    def walk(item):
        yield item
        for i in range(item.childCount()):
            yield from walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        yield from walk(tree.topLevelItem(i))


def _assert_inert(window) -> int:
    """Every place showing hostile text shows it literally; returns how many were checked."""
    checked = 0
    for widget in QApplication.allWidgets():
        if isinstance(widget, QtWidgets.QLabel) and _hostile(widget.text()):
            assert widget.textFormat() == Qt.TextFormat.PlainText, (widget.objectName(), widget.text()[:80])
            assert RLO not in widget.text()
            checked += 1
        tip = widget.toolTip()
        if tip:
            assert "<img" not in tip and "<b " not in tip and RLO not in tip, tip[:80]
        if isinstance(widget, QtWidgets.QTreeWidget):
            for item in _tree_items(widget):
                for col in range(widget.columnCount()):
                    assert RLO not in item.text(col)
                    tip = item.toolTip(col)
                    assert "<img" not in tip and "<b " not in tip and RLO not in tip, tip[:80]
                    checked += _hostile(item.text(col))
    for model in (window.dossier_model, window.document_model):
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                index = model.index(row, col)
                shown = index.data(Qt.ItemDataRole.DisplayRole) or ""
                tip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
                assert RLO not in shown and "<img" not in tip and "<b " not in tip
                checked += _hostile(shown)
    return checked


def test_hostile_text_in_every_served_field_is_shown_literally(qtbot, make_sandbox, tmp_path, file_keyring):
    box = make_sandbox()
    plant_hostile_text(box)
    harness = build_harness(qtbot, box, tmp_path, file_keyring)
    try:
        harness.gui.start(silent=False)
        window = harness.sign_in(qtbot, "tuanlv")
        assert window.dossier_model.rowCount() and window.document_model.rowCount()
        window.dossier_panel.select_source_row(0, quiet=False)
        qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
        detail = window.details.dossier
        assert IMG in detail.dossier.summary.applicant_name  # the attack reached the app intact
        assert detail.applicant.textFormat() == Qt.TextFormat.PlainText
        assert "HỒ SƠ ĐÃ ĐƯỢC PHÊ DUYỆT</b>" in detail.applicant.text()
        window.grab()
        checked_dossier = _assert_inert(window)

        window.document_panel.select_source_row(0, quiet=False)
        qtbot.waitUntil(lambda: window.details.document.document is not None, timeout=10000)
        window.details.setCurrentWidget(window.details.document)
        window.grab()
        checked = _assert_inert(window)
        assert checked_dossier > 10 and checked > checked_dossier
        # One 5000-letter word cannot push the window wider than a screen.
        wide = sorted(((w.minimumSizeHint().width(), type(w).__name__, w.objectName())
                       for w in QApplication.allWidgets() if w.window() is window and w.isVisible()), reverse=True)
        assert window.minimumSizeHint().width() < 2000, wide[:8]
        assert harness.external == []
    finally:
        close_harness(harness)
