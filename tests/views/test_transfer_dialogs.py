"""The three transfer dialogs of the integration guide, driven in the real window on a sandbox of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.fileio import sha256_file
from app.views.qt import Qt
from tests.fixtures.gui import build_harness, close_harness
from tests.fixtures.states import is_processing, is_waiting

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def window(qtbot, module_sandbox, tmp_path, file_keyring):
    harness = build_harness(qtbot, module_sandbox, tmp_path, file_keyring)
    harness.gui.start(silent=False)
    main = harness.sign_in(qtbot, "hoant")
    yield main
    close_harness(harness)


def _select_dossier(qtbot, window, predicate):
    row = next(i for i, d in enumerate(window.dossier_model.rows()) if predicate(d))
    summary = window.dossier_model.item(row)
    window.dossier_panel.select_source_row(row, quiet=False)
    qtbot.waitUntil(
        lambda: window.details.dossier.dossier is not None and window.details.dossier.dossier.id == summary.id,
        timeout=10000,
    )
    return window.details.dossier.dossier


def _open(qtbot, window, name, action):
    action.trigger()
    qtbot.waitUntil(lambda: name in window.dialogs, timeout=10000)
    return window.dialogs[name]


def test_send_creates_one_draft_that_appears_on_the_right(qtbot, window, tmp_path):
    linked = {d.dossier_code for d in window.document_model.rows()}
    dossier = _select_dossier(
        qtbot, window, lambda d: is_processing(d) and d.code not in linked
    )
    before = window.document_model.rowCount()
    dialog = _open(qtbot, window, "send", window.actions_.send)
    assert dialog.code_edit.isReadOnly() and dialog.code_edit.text() == dossier.code
    assert dialog.summary_edit.text() == dossier.summary.procedure_name
    dialog.summary_edit.setText("Cấp phép — bản gửi thử")
    # Tick the first component file and add a local file ("Chọn tệp tin").
    first = dialog.files.topLevelItem(0).child(0)
    first.setCheckState(0, Qt.CheckState.Checked)
    local = tmp_path / "ghi-chu.pdf"
    local.write_bytes(b"%PDF-1.4\n% ghi chu\n")
    dialog.add_local_files([local])
    assert len(dialog.chosen_refs()) == 1 and dialog.chosen_local() == [local]
    assert dialog.chosen_main() == local  # her own file is preselected as the main document
    with qtbot.waitSignal(dialog.sent, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # an impatient double click
        dialog.submit()
    document = blocker.args[0]
    assert document.summary.summary == "Cấp phép — bản gửi thử"
    assert document.summary.dossier_code == dossier.code
    assert window.document_model.rowCount() == before + 1
    current = window.document_panel.current_item()
    assert current is not None and current.id == document.id
    assert "Đã tạo dự thảo trên iDesk" in window.statusBar().currentMessage()
    # The server has exactly one draft for this dossier.
    page = window.backend.idesk.list_documents(dossier_code=dossier.code)
    assert [d.id for d in page.items] == [document.id]
    names = {a.name for a in document.attachments}
    assert "ghi-chu.pdf" in names and first.data(0, Qt.ItemDataRole.UserRole + 20).name in names
    assert document.main_document.name == "ghi-chu.pdf"


def test_send_refuses_no_file_and_no_main_and_offers_the_existing_draft(qtbot, window, tmp_path):
    linked = {d.dossier_code for d in window.document_model.rows()}
    dossier = _select_dossier(
        qtbot, window, lambda d: is_processing(d) and d.code not in linked
    )
    dialog = _open(qtbot, window, "send", window.actions_.send)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Hãy chọn ít nhất một tệp để gửi sang iDesk."
    # Only the citizen's file ticked: which file is the main document is asked, never guessed.
    first = dialog.files.topLevelItem(0).child(0)
    first.setCheckState(0, Qt.CheckState.Checked)
    assert dialog.chosen_main() is None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Hãy chọn văn bản chính: tệp sẽ được ký và phát hành."
    assert window.backend.idesk.list_documents(dossier_code=dossier.code).items == ()
    dialog.main_combo.setCurrentIndex(dialog.main_combo.findText("Chưa có (soạn sau trên iDesk)"))
    with qtbot.waitSignal(dialog.sent, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    draft = blocker.args[0]
    assert draft.main_document is None
    qtbot.waitUntil(lambda: "send" not in window.dialogs or not window.dialogs["send"].isVisible(), timeout=5000)

    # Again for the same dossier: the existing draft is named, and the files go into it.
    window.dialogs.pop("send", None)
    dialog = _open(qtbot, window, "send", window.actions_.send)
    qtbot.waitUntil(lambda: dialog.existing_label.isVisible(), timeout=10000)
    assert draft.summary.summary in dialog.existing_label.text() and dialog.add_to_existing.isChecked()
    own = tmp_path / "to-trinh.pdf"
    own.write_bytes(b"%PDF-1.4\n% to trinh\n")
    dialog.add_local_files([own])
    with qtbot.waitSignal(dialog.sent, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].id == draft.id and blocker.args[0].main_document.name == "to-trinh.pdf"
    assert [d.id for d in window.backend.idesk.list_documents(dossier_code=dossier.code).items] == [draft.id]
    # "Mở dự thảo" selects the existing draft instead of sending.
    window.dialogs.pop("send", None)
    dialog = _open(qtbot, window, "send", window.actions_.send)
    qtbot.waitUntil(lambda: dialog.open_existing_button.isVisible(), timeout=10000)
    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document_panel.current_item() is not None
                    and window.document_panel.current_item().id == draft.id, timeout=10000)


def test_fetch_attaches_result_files(qtbot, window):
    with_results = {d.dossier_code for d in window.document_model.rows() if d.dossier_code}
    dossier = _select_dossier(
        qtbot, window, lambda d: is_waiting(d) and d.code in with_results
    )
    before = set(window.details.dossier.result_file_names())
    dialog = _open(qtbot, window, "fetch", window.actions_.fetch)
    qtbot.waitUntil(lambda: dialog.files.topLevelItemCount() > 0, timeout=10000)
    assert all(rf.file.name for rf in dialog.result_files)
    assert not dialog.run_button.isEnabled()
    dialog.files.topLevelItem(0).setCheckState(0, Qt.CheckState.Checked)
    assert dialog.run_button.isEnabled()
    chosen = dialog.chosen()[0]
    with qtbot.waitSignal(dialog.fetched, timeout=20000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert window.details.currentWidget() is window.details.dossier
    after = window.details.dossier.result_file_names()
    assert len(after) > len(before) or chosen.file.name in after
    fresh = window.backend.igate.get_dossier(dossier.id)
    assert [f.name for f in fresh.result_files] == after


def test_transfer_to_igate_attaches_to_the_dossier(qtbot, window):
    docs = [d for d in window.document_model.rows() if d.dossier_code]
    by_code = {d.code: d for d in window.dossier_model.rows()}
    summary = next(d for d in reversed(docs) if is_waiting(by_code[d.dossier_code]))
    window.document_panel.select_key(summary.id)
    qtbot.waitUntil(
        lambda: window.details.document.document is not None and window.details.document.document.id == summary.id,
        timeout=10000,
    )
    dialog = _open(qtbot, window, "transfer", window.actions_.transfer)
    assert dialog.chosen(), "result attachments are ticked by default"
    attachments = {a.id: a for a in dialog.document.attachments}
    sent = {attachments[i].latest.file.sha256 for i in dialog.chosen()}
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.state == dialog.CONFIRM and "Xác nhận" == dialog.ok_button.text()
    with qtbot.waitSignal(dialog.transferred, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dossier = blocker.args[0]
    assert dossier.code == summary.dossier_code
    assert "Hoàn tất" in dialog.status.text()
    assert sent <= {f.sha256 for f in dossier.result_files}
    assert sent <= {f.sha256 for f in window.backend.igate.get_dossier(dossier.id).result_files}
    assert window.dossier_panel.current_item().code == summary.dossier_code
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_fetch_dialog_previews_the_first_pdf_at_once_and_then_the_chosen_file(
    qtbot, module_sandbox, tmp_path, file_keyring
):
    from app.views.app import default_preview_factory

    harness = build_harness(qtbot, module_sandbox, tmp_path, file_keyring, preview_factory=default_preview_factory())
    try:
        harness.gui.start(silent=False)
        window = harness.sign_in(qtbot, "hoant")
        with_results = {d.dossier_code for d in window.document_model.rows() if d.dossier_code}
        _select_dossier(qtbot, window, lambda d: is_waiting(d) and d.code in with_results)
        dialog = _open(qtbot, window, "fetch", window.actions_.fetch)
        assert dialog.preview is not None
        qtbot.waitUntil(lambda: dialog.files.topLevelItemCount() > 0, timeout=10000)
        # The first PDF shows without a click, whenever the window gets its focus.
        qtbot.waitUntil(lambda: dialog.preview.page_count > 0, timeout=15000)
        pdfs = [i for i, rf in enumerate(dialog.result_files) if rf.file.name.lower().endswith(".pdf")]
        first = dialog.files.topLevelItem(pdfs[0])
        assert sha256_file(Path(dialog.preview.path)) == dialog.result_files[pdfs[0]].file.sha256
        dialog.activateWindow()
        dialog.files.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        assert dialog.files.currentItem() is first
        dialog.files.setCurrentItem(None)
        with qtbot.waitSignal(dialog.previewed, timeout=15000) as blocker:
            dialog.files.setCurrentItem(first)
        assert sha256_file(blocker.args[0]) == dialog.result_files[pdfs[0]].file.sha256
        dialog.reject()
    finally:
        close_harness(harness)
