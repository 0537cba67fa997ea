"""The signing extension inside the real main window: the leader signs the selected document's
draft with a SoftHSM token, and the signed file lands in iDesk as a new version via the outbox."""

from __future__ import annotations

import hashlib

import pytest

from app.config import Settings
from app.domain import Role
from app.views.qt import Qt
from app.views.signing import install
from app.views.signing.role_actions import signable_attachment
from tests.fixtures.gui import build_harness, close_harness

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def leader_window(qtbot, module_sandbox, tmp_path, file_keyring, softhsm_token):
    from app.views.app import default_preview_factory

    problems = []

    def extension(window, gui):
        try:
            install(window, gui)
        except BaseException as exc:
            problems.append(exc)
            raise

    harness = build_harness(qtbot, module_sandbox, tmp_path, file_keyring,
                            settings=Settings(pkcs11_modules=(softhsm_token.module_path,)),
                            preview_factory=default_preview_factory(), extensions=[extension])
    harness.gui.start(silent=False)
    with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
        window = harness.sign_in(qtbot, "tuanlv")
    assert problems == []
    yield window
    if window.signing_actions.dialog is not None:
        window.signing_actions.dialog.reject()
    window.signing_actions.ctx.service.close()
    close_harness(harness)


def test_leader_signs_the_selected_draft_and_it_is_uploaded(qtbot, leader_window, softhsm_token, demo_pki):
    window = leader_window
    actions = window.signing_actions
    assert Role.LEADER in window.backend.user.roles
    visible = {a.text() for a in actions.actions()}
    assert {"Ký số token", "Chuyển Văn thư", "Chọn vị trí trước khi ký số", "Ký số hàng loạt"} <= visible
    assert "Phát hành" not in visible and "Ký nháy" not in visible
    assert "Chữ ký số" in [window.detail_tabs.tabText(i) for i in range(window.detail_tabs.count())]

    rows = window.document_model.rows()
    assert rows, "the leader sees documents"
    window.document_panel.select_key(rows[0].id)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == rows[0].id,
                    timeout=10000)
    document = window.current_document
    attachment = signable_attachment(document)
    assert attachment is not None and actions.sign.isEnabled()
    versions_before = len(attachment.versions)

    actions.sign.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=20000)
    dlg = actions.dialog
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count > 0, timeout=10000)
    dlg.picker.combo.setCurrentIndex(next(i for i, c in enumerate(dlg.picker.choices)
                                          if c.certificate is not None and c.certificate.label == "leader"))
    # The sandbox has no TSA of its own; the demo PKI's stands in for the government one.
    assert dlg.tsa_url.text() == "http://tsa.ca.gov.vn" and dlg.tsa_group.isChecked()
    dlg.tsa_url.setText(demo_pki.tsa_url)
    if not dlg.placement.placements():
        dlg.placement.add_on_current_page()
    uploaded = []
    assert dlg.controller.upload is not None
    dlg.controller.uploaded.connect(lambda result, version: uploaded.append((result, version)))
    dlg.controller.upload_failed.connect(lambda result, error: uploaded.append((result, error)))
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.ctx.broker.dialog is not None, timeout=10000)
    pin = actions.ctx.broker.dialog
    pin.pin_edit.setText(softhsm_token.user_pin)
    qtbot.mouseClick(pin.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None or bool(failures), timeout=60000)
    assert failures == [] and dlg.result is not None
    qtbot.waitUntil(lambda: bool(uploaded), timeout=30000)
    result, version = uploaded[0]
    assert not isinstance(version, BaseException), version
    assert version.file.sha256 == hashlib.sha256(result.output_path.read_bytes()).hexdigest()

    # iDesk now has the signed file as a new version of the draft.
    fresh = window.backend.idesk.get_document(document.id)
    att = next(a for a in fresh.attachments if a.id == attachment.id)
    assert len(att.versions) == versions_before + 1
    assert att.latest.file.sha256 == result.sha256
    # The main window's preview shows the signed file and the signature panel checks it.
    qtbot.waitUntil(lambda: window.preview is not None and window.preview.path == str(result.output_path),
                    timeout=10000)
    qtbot.waitUntil(lambda: window.signature_panel.report is not None, timeout=30000)
    assert len(window.signature_panel.report.signatures) >= 1
    dlg.reject()
