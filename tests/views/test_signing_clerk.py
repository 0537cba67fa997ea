"""The clerk's numbering in the main window, against the sandbox: a number taken from the iDesk
register cannot be given back, so a file that cannot show it is refused before it is taken."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.config import Settings
from app.domain import DocumentStatus
from app.services.workflow import Action
from app.signing.fields import prepare_draft
from app.views.qt import Qt
from app.views.signing.install import install
from app.views.signing.step_dialogs import NumberDialog
from tests.fixtures.gui import build_harness, close_harness
from tests.signing.pdfs import admin_pdf

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def clerk(qtbot, module_sandbox, tmp_path, file_keyring):
    from app.views.app import default_preview_factory

    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring, settings=Settings(),
                      preview_factory=default_preview_factory(), extensions=[install])
    h.gui.start(silent=False)
    with qtbot.waitSignal(h.gui.extensions_installed, timeout=30000):
        window = h.sign_in(qtbot, "maipt")
    yield h, window
    if window.signing_actions.dialog is not None:
        window.signing_actions.dialog.reject()
    close_harness(h)


def _unnumbered_with_clerk(window):
    idesk = window.backend.idesk
    for row in window.document_model.rows():
        if row.status is DocumentStatus.WITH_CLERK:
            document = idesk.get_document(row.id)
            if not document.summary.number and document.main_document is not None:
                return document
    pytest.skip("the sandbox has no unnumbered document at the clerk")


def _give_main(window, document, pdf):
    """The document's main file becomes `pdf` (a new version), and the window shows it."""
    idesk = window.backend.idesk
    main = document.main_document
    idesk.upload_version(document.id, main.id, pdf, "test", uuid.uuid4().hex)
    window.signing_actions.host.refresh_document(document.id)
    window.document_panel.select_key(document.id)


def _try_number(qtbot, harness, window, accept_dialog: bool):
    actions = window.signing_actions
    actions.fill_number.trigger()
    if accept_dialog:
        qtbot.waitUntil(lambda: isinstance(actions.dialog, NumberDialog) and actions.dialog.isVisible(), timeout=20000)
        qtbot.mouseClick(actions.dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Action.NUMBER not in actions.running, timeout=20000)
    return [d.error.code for d in harness.gui.errors.dialogs]


def test_clerk_number_not_taken_for_a_file_that_cannot_show_it(qtbot, clerk, tmp_path):
    harness, window = clerk
    document = _unnumbered_with_clerk(window)
    idesk = window.backend.idesk
    symbol = "QĐ-STTTT" if document.summary.form == "Quyết định" else "STTTT"
    before = idesk.next_number(symbol, date.today().year)

    # No reserved number/date fields: refused before the register is even asked.
    plain = admin_pdf(tmp_path / "plain.pdf")
    _give_main(window, document, plain)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == document.id
                    and len(window.current_document.main_document.versions) > len(document.main_document.versions),
                    timeout=10000)
    assert _try_number(qtbot, harness, window, accept_dialog=False) == ["no_reserved_fields"]
    assert not isinstance(window.signing_actions.dialog, NumberDialog)
    assert idesk.get_document(document.id).summary.number == ""
    for dialog in list(harness.gui.errors.dialogs):
        dialog.reject()
    qtbot.waitUntil(lambda: not harness.gui.errors.dialogs, timeout=5000)

    # A citizen's form printing "Số: …/ĐĐN": the register's number has another symbol; refused, and
    # the number is not registered (the document could never be numbered again).
    form = prepare_draft(admin_pdf(tmp_path / "form.pdf", symbol="ĐĐN"), tmp_path / "form_prepared.pdf").output_path
    count = len(idesk.get_document(document.id).main_document.versions)
    _give_main(window, document, form)
    qtbot.waitUntil(lambda: len(window.current_document.main_document.versions) > count, timeout=10000)
    assert _try_number(qtbot, harness, window, accept_dialog=True) == ["symbol_mismatch"]
    assert idesk.get_document(document.id).summary.number == ""
    assert idesk.next_number(symbol, date.today().year) == before


def test_changing_the_symbol_proposes_that_register_s_next_number(qtbot, clerk, tmp_path):
    # The walk-through: STTTT proposed 02; the clerk typed QĐ-STTTT (register at 13) and 02 stayed.
    harness, window = clerk
    document = _unnumbered_with_clerk(window)
    idesk = window.backend.idesk
    year = date.today().year
    kh = prepare_draft(admin_pdf(tmp_path / "kh.pdf", symbol="KH-STTTT"), tmp_path / "kh_prepared.pdf").output_path
    count = len(document.main_document.versions)
    _give_main(window, document, kh)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == document.id
                    and len(window.current_document.main_document.versions) > count, timeout=10000)
    actions = window.signing_actions
    actions.fill_number.trigger()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, NumberDialog) and actions.dialog.isVisible(), timeout=20000)
    dialog = actions.dialog
    first = dialog.seq.text()
    expected = idesk.next_number("KH-STTTT", year).split("/")[0]
    assert dialog.symbol.text() != "KH-STTTT" and first != expected

    # Typed, then "Đồng ý" at once: the dialog first shows the KH-STTTT register's next number.
    dialog.symbol.setText("KH-STTTT")
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.seq.isEnabled() and dialog.seq.text() == expected, timeout=10000)
    assert dialog.error.text() == ""
    with qtbot.waitSignal(actions.message, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert blocker.args[0] == f"Đã điền số {expected}/KH-STTTT và ngày ban hành."
    assert idesk.get_document(document.id).summary.number == f"{expected}/KH-STTTT"
