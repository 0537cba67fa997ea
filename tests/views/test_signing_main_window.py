"""The signing extension inside the real main window, against the sandbox and a SoftHSM token:
the leader signs the selected draft (uploaded through the outbox) and forwards it to the clerk,
who seals it with the next number from iDesk and releases it."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from app.config import Settings
from app.domain import DocumentStatus, Role
from app.services import workflow
from app.services.workflow import symbol_for
from app.views.qt import Qt
from app.views.signing.install import install
from app.views.signing.step_dialogs import NumberDialog
from tests.fixtures.gui import build_harness, close_harness

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def harness(qtbot, module_sandbox, tmp_path, file_keyring, softhsm_token):
    from app.views.app import default_preview_factory

    problems = []

    def extension(window, gui):
        try:
            install(window, gui)
        except BaseException as exc:
            problems.append(exc)
            raise

    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring,
                      settings=Settings(pkcs11_modules=(softhsm_token.module_path,)),
                      preview_factory=default_preview_factory(), extensions=[extension])
    h.problems = problems
    h.gui.start(silent=False)
    yield h
    window = h.gui.main_window
    if window is not None and hasattr(window, "signing_actions"):
        if window.signing_actions.dialog is not None:
            window.signing_actions.dialog.reject()
        window.signing_actions.ctx.service.close()
    close_harness(h)


def sign_in(qtbot, harness, username):
    with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
        window = harness.sign_in(qtbot, username)
    assert harness.problems == []
    return window


def select(qtbot, window, doc_id):
    window.document_panel.select_key(doc_id)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == doc_id,
                    timeout=10000)
    return window.current_document


def sign_in_dialog(qtbot, window, action, cert_label, pin, tsa_url):
    """Trigger a signing action, pick the certificate, sign; returns (dialog, result, upload outcome)."""
    actions = window.signing_actions
    action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=20000)
    dlg = actions.dialog
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count > 0, timeout=10000)
    dlg.picker.combo.setCurrentIndex(next(i for i, c in enumerate(dlg.picker.choices)
                                          if c.certificate is not None and c.certificate.label == cert_label))
    # A training profile without a TSA never falls back to the government one: TSA off, with a note.
    assert dlg.tsa_url.text() == "" and not dlg.tsa_group.isChecked() and not dlg.tsa_note.isHidden()
    dlg.tsa_group.setChecked(True)
    dlg.tsa_url.setText(tsa_url)
    if dlg.placement.isVisible() and not dlg.placement.placements():
        dlg.placement.add_on_current_page()
    outcome, failures = [], []
    assert dlg.controller.upload is not None
    dlg.controller.uploaded.connect(lambda result, version: outcome.append((result, version)))
    dlg.controller.upload_failed.connect(lambda result, error: outcome.append((result, error)))
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.ctx.broker.dialog is not None, timeout=10000)
    pin_dialog = actions.ctx.broker.dialog
    pin_dialog.pin_edit.setText(pin)
    qtbot.mouseClick(pin_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.signing_result is not None or bool(failures), timeout=60000)
    assert failures == [] and dlg.signing_result is not None
    assert isinstance(dlg.result(), int)  # QDialog.result() is not shadowed by the signing result
    qtbot.waitUntil(lambda: bool(outcome), timeout=30000)
    result, version = outcome[0]
    assert not isinstance(version, BaseException), version
    return dlg, result, version


def test_leader_signs_forwards_and_clerk_seals_and_releases(qtbot, harness, softhsm_token, demo_pki):
    window = sign_in(qtbot, harness, "tuanlv")
    actions = window.signing_actions
    assert Role.LEADER in window.backend.user.roles
    visible = {a.text() for a in actions.actions()}
    assert {"Ký số token", "Chuyển Văn thư", "Chọn vị trí trước khi ký số", "Ký số hàng loạt"} <= visible
    assert "Phát hành" not in visible and "Ký nháy" not in visible
    assert "Chữ ký số" in [window.detail_tabs.tabText(i) for i in range(window.detail_tabs.count())]

    summary = next(
        d for d in window.document_model.rows() if d.status in (DocumentStatus.DRAFT, DocumentStatus.INITIALED)
    )
    document = select(qtbot, window, summary.id)
    attachment = document.main_document
    assert attachment is not None and actions.sign.isEnabled()
    assert not actions.forward_clerk.isEnabled()  # only once the leader has signed
    assert actions.forward_clerk.toolTip().startswith("Không làm được ở bước")
    versions_before = len(attachment.versions)

    dlg, result, version = sign_in_dialog(
        qtbot, window, actions.sign, "leader", softhsm_token.user_pin, demo_pki.tsa_url
    )
    assert version.file.sha256 == hashlib.sha256(result.output_path.read_bytes()).hexdigest()
    fresh = window.backend.idesk.get_document(document.id)
    att = next(a for a in fresh.attachments if a.id == attachment.id)
    assert len(att.versions) == versions_before + 1 and att.latest.file.sha256 == result.sha256
    assert fresh.summary.status is DocumentStatus.SIGNED
    # The main window reloads the document, so its latest version is the signed one.
    qtbot.waitUntil(lambda: window.current_document.main_document.latest.file.sha256 == result.sha256, timeout=10000)
    # The main window shows the signed file and its signature panel checks it.
    qtbot.waitUntil(
        lambda: window.preview is not None and window.preview.path == str(result.output_path), timeout=10000
    )
    qtbot.waitUntil(
        lambda: (
            window.signature_panel.report is not None and window.signature_panel.report.path == str(result.output_path)
        ),
        timeout=30000,
    )
    assert len(window.signature_panel.report.signatures) == 1
    dlg.reject()

    qtbot.waitUntil(actions.forward_clerk.isEnabled, timeout=10000)
    with qtbot.waitSignal(actions.document_changed, timeout=10000) as blocker:
        actions.forward_clerk.trigger()
    assert blocker.args[0].summary.status is DocumentStatus.WITH_CLERK

    # The clerk: seal with the next number of the year, then release.
    harness.gui.logout()
    window = sign_in(qtbot, harness, "maipt")
    actions = window.signing_actions
    assert {
        "Ký số cơ quan (đóng dấu)",
        "Phát hành",
        "Chỉ điền số KH, ngày tháng năm",
        "Ký số phụ lục",
        "Ký số bản sao điện tử",
    } <= {a.text() for a in actions.actions()}
    select(qtbot, window, document.id)
    # "Chỉ điền số KH, ngày tháng năm": the register's next number, proposed and registered, goes into
    # the reserved fields.
    actions.fill_number.trigger()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, NumberDialog) and actions.dialog.isVisible(), timeout=20000)
    numbering = actions.dialog
    symbol = symbol_for(document.summary.form, "STTTT")
    assert numbering.symbol.text() == symbol and numbering.day() == date.today()
    with qtbot.waitSignal(actions.message, timeout=20000) as blocker:
        qtbot.mouseClick(numbering.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    registered = window.backend.idesk.get_document(document.id).summary
    number, day = registered.number, registered.release_date
    assert day == date.today()
    assert blocker.args[0] == f"Đã điền số {number} và ngày ban hành."
    qtbot.waitUntil(lambda: len(window.current_document.main_document.versions) == len(att.versions) + 1, timeout=10000)
    dlg, sealed, _version = sign_in_dialog(
        qtbot, window, actions.seal, "seal", softhsm_token.user_pin, demo_pki.tsa_url
    )
    assert number.endswith(f"/{symbol}") and number[:2].isdigit()
    assert dlg.number == number and dlg.release_date == day
    qtbot.waitUntil(lambda: dlg.verification.report is not None, timeout=30000)
    assert len(dlg.verification.report.signatures) == 2
    import pymupdf

    with pymupdf.open(sealed.output_path) as doc:
        values = " ".join(str(w.field_value) for page in doc for w in page.widgets() if w.field_type_string == "Text")
    assert number.split("/")[0] in values
    dlg.reject()

    # A signed file still waiting in the outbox holds the release back: iDesk must have it first.
    outbox = window.backend.outbox
    waiting = outbox.put(document.id, att.id, sealed.output_path, "sealed: gửi lại")
    with qtbot.waitSignal(actions.message, timeout=5000) as blocker:
        actions.release.trigger()
    assert blocker.args[0] == "Tệp đã ký của văn bản chưa gửi lên iDesk; hãy gửi xong rồi phát hành."
    assert window.backend.idesk.get_document(document.id).summary.status is not DocumentStatus.RELEASED
    outbox.upload(waiting)

    with qtbot.waitSignal(actions.document_changed, timeout=10000) as blocker:
        actions.release.trigger()
    released = blocker.args[0]
    assert released.summary.status is DocumentStatus.RELEASED and released.summary.number == number
    # The released, sealed file becomes the document's result, which "Lấy từ iDesk" lists.
    (result,) = [a for a in released.attachments if a.kind == "result"]
    assert result.latest.file.sha256 == sealed.sha256
    assert sealed.sha256 in [r.file.sha256 for r in window.backend.idesk.result_files(document.summary.dossier_code)]

    # "Ký số bản sao điện tử": the copy's form and organization; the copy stays on this computer.
    qtbot.waitUntil(
        lambda: window.current_document.summary.status is DocumentStatus.RELEASED and actions.copy.isEnabled(),
        timeout=10000,
    )
    actions.copy.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=20000)
    copy = actions.dialog
    assert copy.copy_group.isVisible() and copy.copy_form.currentText() == "Sao y"
    assert copy.copy_org.text() == window.backend.user.organization != ""
    assert copy.controller.upload is None and copy.output_path.name.endswith("_ban_sao.pdf")
    copy.reject()


def test_leader_batch_signs_ticked_drafts_with_one_pin(qtbot, harness, softhsm_token, demo_pki):
    window = sign_in(qtbot, harness, "tuanlv")
    actions = window.signing_actions
    waiting = [d for d in window.document_model.rows() if d.status in (DocumentStatus.DRAFT, DocumentStatus.INITIALED)]
    assert len(waiting) >= 2
    actions.batch.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=30000)
    dlg = actions.dialog
    assert dlg.table.rowCount() == len(waiting)
    # Each row names the document and the file signed: its main document.
    assert {dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())} == {
        f"{d.summary} — {window.backend.idesk.get_document(d.id).main_document.name}" for d in waiting
    }
    assert [dlg.profile_box.itemData(i).value for i in range(dlg.profile_box.count())] == ["leader"]
    qtbot.waitUntil(lambda: bool(dlg.picker.choices), timeout=10000)
    dlg.picker.combo.setCurrentIndex(
        next(
            i for i, c in enumerate(dlg.picker.choices) if c.certificate is not None and c.certificate.label == "leader"
        )
    )
    dlg.use_tsa.setChecked(False)
    for row in range(2, dlg.table.rowCount()):
        dlg.table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    asked = []
    actions.ctx.broker.pin_requested.connect(lambda request, error: asked.append(request))
    with qtbot.waitSignal(dlg.uploads_done, timeout=90000):
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: actions.ctx.broker.dialog is not None, timeout=10000)
        actions.ctx.broker.dialog.pin_edit.setText(softhsm_token.user_pin)
        qtbot.mouseClick(actions.ctx.broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    results = [dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())]
    assert [t.startswith("Đã ký và gửi lên iDesk") for t in results[:2]] == [True, True], results
    assert all(t == "" for t in results[2:])
    statuses = [window.backend.idesk.get_document(d.id).summary.status for d in waiting]
    assert statuses[:2] == [DocumentStatus.SIGNED] * 2
    assert all(s is not DocumentStatus.SIGNED for s in statuses[2:])
    dlg.reject()


def _double_click_opens_one_dialog(qtbot, actions, action):
    opened = []
    action.trigger()
    action.trigger()  # the second click of a double-click
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=20000)
    opened.append(actions.dialog)
    assert not action.isEnabled() and action.toolTip() == "Đang thực hiện…"
    action.trigger()  # clicking the (disabled) action again does nothing either
    qtbot.waitUntil(lambda: not actions.ctx.runner.active, timeout=20000)
    assert actions.dialog is opened[0]
    dialog = actions.dialog
    dialog.reject()
    qtbot.waitUntil(action.isEnabled, timeout=10000)
    return dialog


def test_double_clicks_on_every_action(qtbot, harness):
    """Every action is re-entrancy safe: a double-click opens one dialog or makes one call, shows no
    error after success, and the button is disabled while its action runs."""
    window = sign_in(qtbot, harness, "hoant")
    draft = next(d for d in window.document_model.rows() if d.status is DocumentStatus.DRAFT)
    select(qtbot, window, draft.id)
    _double_click_opens_one_dialog(qtbot, window.signing_actions, window.signing_actions.initials)
    harness.gui.logout()

    window = sign_in(qtbot, harness, "tuanlv")
    actions = window.signing_actions
    errors = harness.gui.errors
    draft = next(d for d in window.document_model.rows() if d.status is DocumentStatus.DRAFT)
    select(qtbot, window, draft.id)
    for name in ("sign", "choose_position"):
        _double_click_opens_one_dialog(qtbot, actions, getattr(actions, name))
    signed = next(d for d in window.document_model.rows() if d.status is DocumentStatus.SIGNED)
    select(qtbot, window, signed.id)
    qtbot.waitUntil(actions.forward_clerk.isEnabled, timeout=10000)
    forwards = []
    actions.document_changed.connect(forwards.append)
    actions.forward_clerk.trigger()
    actions.forward_clerk.trigger()
    qtbot.waitUntil(lambda: len(forwards) == 1 and not actions.ctx.runner.active, timeout=10000)
    assert len(forwards) == 1 and errors.dialogs == []
    qtbot.waitUntil(lambda: window.current_document.summary.status is DocumentStatus.WITH_CLERK, timeout=10000)
    assert not actions.forward_clerk.isEnabled()
    actions.batch.trigger()
    actions.batch.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=30000)
    batch = actions.dialog
    assert not actions.batch.isEnabled()
    batch.reject()
    qtbot.waitUntil(actions.batch.isEnabled, timeout=10000)
    harness.gui.logout()

    window = sign_in(qtbot, harness, "maipt")
    actions = window.signing_actions
    errors = harness.gui.errors
    select(qtbot, window, signed.id)
    qtbot.waitUntil(actions.fill_number.isEnabled, timeout=10000)
    for name in ("fill_number", "seal", "copy", "appendix"):
        _double_click_opens_one_dialog(qtbot, actions, getattr(actions, name))
    # Numbered in the register, then released with a double-click: one release, no "already released"
    # error after it.
    idesk, today = window.backend.idesk, date.today()
    document = idesk.get_document(signed.id)
    proposal = workflow.propose_number(idesk, document, workflow.Province("Bình Định", "STTTT"), today)
    workflow.register_number(idesk, document, proposal.number, today)
    window.load_document(signed.id)
    qtbot.waitUntil(
        lambda: window.current_document.summary.number == proposal.number and actions.release.isEnabled(), timeout=20000
    )
    released = []
    actions.document_changed.connect(released.append)
    actions.release.trigger()
    actions.release.trigger()
    qtbot.waitUntil(lambda: len(released) == 1 and not actions.ctx.runner.active, timeout=20000)
    assert len(released) == 1 and released[0].summary.status is DocumentStatus.RELEASED
    assert errors.dialogs == []
    qtbot.waitUntil(lambda: window.current_document.summary.status is DocumentStatus.RELEASED, timeout=10000)
    assert not actions.release.isEnabled()
