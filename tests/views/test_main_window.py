"""The main window against the sandbox: counterpart highlight, filters, search, details, files."""

from __future__ import annotations

import pytest

from app.domain import DocumentFolder
from app.views.models import HighlightRole, ItemRole
from app.views.qt import QKeySequence, Qt
from tests.fixtures.states import is_processing, is_returned, is_waiting

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _click_row(qtbot, panel, source_row):
    index = panel.proxy.mapFromSource(panel.model.index(source_row, 0))
    assert index.isValid()
    rect = panel.view.visualRect(index)
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _linked_pair(window):
    docs = {d.dossier_code: d for d in window.document_model.rows() if d.dossier_code}
    for row, dossier in enumerate(window.dossier_model.rows()):
        if dossier.code in docs:
            return row, dossier, docs[dossier.code]
    raise AssertionError("the sandbox has no linked dossier/document")


def test_selecting_a_dossier_highlights_its_document(qtbot, signed_in):
    _harness, window = signed_in
    row, dossier, document = _linked_pair(window)
    _click_row(qtbot, window.dossier_panel, row)
    current = window.document_panel.view.currentIndex()
    assert current.isValid() and current.data(ItemRole).id == document.id
    assert current.data(HighlightRole) is True
    highlighted = [
        window.document_model.index(r, 0).data(HighlightRole) for r in range(window.document_model.rowCount())
    ]
    assert sum(highlighted) == sum(1 for d in window.document_model.rows() if d.dossier_code == dossier.code)
    # The dossier's own detail arrives from iGate in the background.
    qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
    assert window.details.currentWidget() is window.details.dossier
    assert window.details.dossier.code.text() == dossier.code
    # The counterpart becomes the current document too (what the signing actions act on).
    qtbot.waitUntil(
        lambda: window.current_document is not None and window.current_document.id == document.id, timeout=10000
    )
    assert window.details.currentWidget() is window.details.dossier


def test_selecting_a_document_highlights_its_dossier(qtbot, signed_in):
    _harness, window = signed_in
    _row, dossier, document = _linked_pair(window)
    doc_row = window.document_model.row_of(document.id)
    _click_row(qtbot, window.document_panel, doc_row)
    current = window.dossier_panel.view.currentIndex()
    assert current.isValid() and current.data(ItemRole).code == dossier.code
    assert current.data(HighlightRole) is True
    qtbot.waitUntil(lambda: window.details.document.document is not None, timeout=10000)
    detail = window.details.document
    assert detail.code.text() == dossier.code
    assert detail.attachments.topLevelItemCount() >= 1
    assert detail.history.topLevelItemCount() >= 1
    assert window.actions_.transfer.isEnabled()


def test_step_filter_and_search(qtbot, signed_in):
    _harness, window = signed_in
    panel = window.dossier_panel
    total = panel.model.rowCount()
    # Filters follow the current task's flags, not status numbers.
    expected = {
        1: lambda d: d.status.can_send_to_idesk,
        2: lambda d: d.status.can_attach_results,
        3: lambda d: d.status.finished,
    }
    assert [panel.filter_combo.itemText(i) for i in range(4)] == [
        "Tất cả", "Gửi được sang iDesk", "Nhận được kết quả", "Đã xong"
    ]
    for index, wanted in expected.items():
        panel.set_filter_index(index)
        shown = panel.proxy.items()
        assert shown and all(wanted(d) for d in shown)
        assert len(shown) == sum(1 for d in panel.model.rows() if wanted(d))
    assert {d.status.label for d in panel.model.rows()} == {
        "Chuyên viên thụ lý hồ sơ",
        "Một cửa trả kết quả",
        "Đã trả kết quả",
    }
    panel.set_filter_index(0)
    assert panel.proxy.rowCount() == total
    # Search without diacritics, debounced: nothing changes until the timer fires.
    target = panel.model.rows()[0]
    words = target.applicant_name.split()[-1]
    from app.views.models import fold

    qtbot.keyClicks(panel.search_edit, fold(words))
    assert panel.proxy.rowCount() == total
    qtbot.waitUntil(lambda: panel.proxy.rowCount() < total, timeout=3000)
    assert target in panel.proxy.items()
    assert all(fold(words) in panel.model.search_text(panel.model.row_of(d.id)) for d in panel.proxy.items())
    panel.search_edit.clear()
    panel.apply_search()
    assert panel.proxy.rowCount() == total


def test_dossiers_come_sorted_by_due_date(qtbot, signed_in):
    _harness, window = signed_in
    dates = [d.appointment_date for d in window.dossier_panel.proxy.items()]
    assert len(dates) == window.dossier_model.rowCount() and dates == sorted(dates)
    header = window.dossier_panel.view.horizontalHeader()
    assert header.sortIndicatorSection() == 3
    # Clicking a header sorts by that column instead.
    window.dossier_panel.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    codes = [d.code for d in window.dossier_panel.proxy.items()]
    assert codes == sorted(codes, reverse=True)


def test_folder_filter(qtbot, signed_in):
    _harness, window = signed_in
    panel = window.document_panel
    labels = [panel.filter_combo.itemText(i) for i in range(panel.filter_combo.count())]
    assert labels[1:] == ["Dự thảo", "Xử lý văn bản đi", "Theo dõi văn bản đi", "Văn bản lưu"]
    panel.set_filter_index(1)
    assert panel.proxy.items() and all(d.folder is DocumentFolder.DRAFTS for d in panel.proxy.items())
    panel.set_filter_index(4)
    assert panel.proxy.items() and all(d.folder is DocumentFolder.ARCHIVE for d in panel.proxy.items())


def test_actions_follow_the_step(qtbot, signed_in):
    _harness, window = signed_in
    model = window.dossier_model
    for step, send, fetch in (
        (is_processing, True, True),
        (is_waiting, False, True),
        (is_returned, False, False),
    ):
        row = next(i for i, d in enumerate(model.rows()) if step(d))
        _click_row(qtbot, window.dossier_panel, row)
        assert window.actions_.send.isEnabled() is send
        assert window.actions_.fetch.isEnabled() is fetch
        if not send:
            assert "không cho phép gửi sang iDesk" in window.actions_.send.toolTip()
    assert window.actions_.send.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert window.actions_.refresh.shortcut() == QKeySequence("F5")


def test_double_click_a_file_downloads_and_opens_it(qtbot, signed_in):
    harness, window = signed_in
    row = next(i for i, d in enumerate(window.dossier_model.rows()) if is_processing(d))
    _click_row(qtbot, window.dossier_panel, row)
    qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
    tree = window.details.dossier.tree
    component = window.details.dossier.components_root.child(0)
    file_item = component.child(0)
    assert file_item is not None
    with qtbot.waitSignal(window.file_opener.opened, timeout=10000) as blocker:
        tree.itemDoubleClicked.emit(file_item, 0)
    path, how = blocker.args
    assert path.exists() and path.read_bytes()[:5] == b"%PDF-"
    # No PDF preview is plugged into this window, so the system viewer gets it.
    assert how == "system" and harness.external == [path]


def test_find_shortcut_focuses_search(qtbot, signed_in):
    _harness, window = signed_in
    window.activateWindow()
    window.actions_.find.trigger()
    assert window.dossier_panel.search_edit.hasFocus() or window.focusWidget() is window.dossier_panel.search_edit


def test_refresh_keeps_the_rows_and_the_selection(qtbot, signed_in):
    _harness, window = signed_in
    row, dossier, _document = _linked_pair(window)
    window.dossier_panel.select_source_row(row, quiet=False)
    total = window.dossier_model.rowCount()
    with qtbot.waitSignal(window.lists_loaded, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
        # Until the first page answers, the old rows stay.
        assert window.dossier_model.rowCount() == total
    assert window.dossier_model.rowCount() == total
    assert window.dossier_panel.current_item().id == dossier.id


def test_save_a_copy_of_a_file(qtbot, signed_in, tmp_path):
    import hashlib

    _harness, window = signed_in
    row = next(i for i, d in enumerate(window.dossier_model.rows()) if is_processing(d))
    window.dossier_panel.select_source_row(row, quiet=False)
    qtbot.waitUntil(lambda: window.details.dossier.dossier is not None, timeout=10000)
    ref = next(f for c in window.details.dossier.dossier.components for f in c.files)
    dest = tmp_path / "ban-sao.pdf"
    window.details.dossier.file_save_requested.disconnect()
    window.details.dossier.file_save_requested.connect(lambda r, source: window.save_file_copy(r, source, dest))
    window.details.dossier.file_save_requested.emit(ref, "igate")
    qtbot.waitUntil(lambda: dest.exists() and "Đã lưu" in window.statusBar().currentMessage(), timeout=10000)
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == ref.sha256
