"""The whole story through the real windows, against the sandbox and a SoftHSM token.

The specialist sends a dossier to iDesk with a two-page draft, the leader signs it on page 2 by
dragging the signature there and forwards it, the clerk numbers, seals and releases it, and the
specialist fetches the signed result back into the dossier. The file iGate then holds carries
both signatures, valid for poppler and for the app's own verifier.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtTest import QTest

from app.config import Settings
from app.domain import DocumentStatus
from app.views.qt import Qt, QtCore
from app.views.signing.install import install
from app.views.signing.step_dialogs import NumberDialog
from tests.fixtures.gui import build_harness, close_harness
from tests.fixtures.pki import pdfsig
from tests.fixtures.states import is_processing

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise"),
]

DRAFT_NAME = "du-thao-quyet-dinh.pdf"


@pytest.fixture
def trust_dir(tmp_path, demo_pki):
    folder = tmp_path / "trust"
    folder.mkdir()
    shutil.copy(demo_pki.root_cert_path, folder / "demo-root.pem")
    shutil.copy(demo_pki.intermediate_cert_path, folder / "demo-ca.pem")
    return folder


@pytest.fixture
def harness(qtbot, module_sandbox, tmp_path, file_keyring, softhsm_token, demo_pki, trust_dir):
    from app.views.app import default_preview_factory

    # The training profile carries the sandbox's own TSA (the demo PKI's); the officer trusts its root.
    profile = replace(module_sandbox.profile(), tsa_url=demo_pki.tsa_url)
    settings = Settings(pkcs11_modules=(softhsm_token.module_path,), extra_trust_dir=str(trust_dir))
    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring, settings=settings, profile=profile,
                      preview_factory=default_preview_factory(), extensions=[install])
    h.gui.start(silent=False)
    yield h
    window = h.gui.main_window
    if window is not None and getattr(window, "signing_actions", None) is not None:
        if window.signing_actions.dialog is not None:
            window.signing_actions.dialog.reject()
    close_harness(h)


def sign_in(qtbot, harness, username):
    with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
        window = harness.sign_in(qtbot, username)
    return window


def sign_out(qtbot, harness, window):
    window.actions_.logout.trigger()
    qtbot.waitUntil(lambda: harness.gui.main_window is None and harness.login.isVisible(), timeout=10000)


def select_document(qtbot, window, doc_id):
    assert window.document_panel.select_key(doc_id)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == doc_id,
                    timeout=10000)
    return window.current_document


def open_signing(qtbot, window, action, cert_label):
    actions = window.signing_actions
    qtbot.waitUntil(action.isEnabled, timeout=10000)
    action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=20000)
    dlg = actions.dialog
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count > 0, timeout=10000)
    dlg.picker.combo.setCurrentIndex(next(i for i, c in enumerate(dlg.picker.choices)
                                          if c.certificate is not None and c.certificate.label == cert_label))
    return dlg


def sign_with_pin(qtbot, window, dlg, pin):
    """Press "Áp dụng", answer the PIN dialog, wait until iDesk confirms the upload."""
    outcome, failures = [], []
    dlg.controller.uploaded.connect(lambda result, version: outcome.append(version))
    dlg.controller.upload_failed.connect(lambda result, error: outcome.append(error))
    dlg.controller.failed.connect(failures.append)
    broker = window.signing_actions.ctx.broker
    qtbot.waitUntil(dlg.sign_button.isEnabled, timeout=10000)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: broker.dialog is not None, timeout=10000)
    broker.dialog.pin_edit.setText(pin)
    qtbot.mouseClick(broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.signing_result is not None or bool(failures), timeout=60000)
    assert failures == [] and dlg.signing_result is not None
    qtbot.waitUntil(lambda: bool(outcome), timeout=30000)
    assert not isinstance(outcome[0], BaseException), outcome[0]
    return dlg.signing_result


def drag_signature_to_page_2(qtbot, dlg):
    """Arm "Chèn chữ ký" and drag from page 1 onto the upper part of page 2; returns the drop point
    in displayed page space (points, top-left origin)."""
    preview, panel = dlg.preview, dlg.placement
    canvas, vp = preview.canvas, preview.canvas.viewport()
    # A desktop-sized dialog: the offscreen screen is 800×600, which the dialog now fits itself into,
    # and at 100 % a page would not fit across the preview there.
    dlg.resize(1200, 800)
    qtbot.waitUntil(lambda: vp.width() >= 600, timeout=5000)
    panel.model.clear()
    preview.set_zoom_percent(100)
    canvas.verticalScrollBar().setValue(int(canvas.page_layout.rects[1][1] - vp.height() / 3))
    qtbot.mouseClick(panel.insert_button, Qt.MouseButton.LeftButton)
    assert panel.overlay.armed
    first, second = canvas.page_rect_in_viewport(0), canvas.page_rect_in_viewport(1)
    start = QtCore.QPoint(first.center().x(), first.bottom() - 120)
    drop = QtCore.QPoint(round(second.left() + second.width() * 0.35), round(second.top() + vp.height() / 3))
    assert vp.rect().contains(start) and vp.rect().contains(drop)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(vp, QtCore.QPoint((start.x() + drop.x()) // 2, (start.y() + drop.y()) // 2))
    QTest.mouseMove(vp, drop)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    ox, oy = canvas.offset()
    page = canvas.page_layout.rects[1]
    return (drop.x() + ox - page[0]) / preview.zoom, (drop.y() + oy - page[1]) / preview.zoom


def test_dossier_to_signed_result_and_back(qtbot, harness, tmp_path, monkeypatch, softhsm_token, demo_pki,
                                           demo_nssdb, trust_dir):
    import pymupdf

    from app.sandbox.documents import make_admin_pdf
    from app.signing.geometry import PageGeometry, displayed_to_user_space
    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf
    from app.views import send_dialog

    draft_pdf = tmp_path / DRAFT_NAME
    make_admin_pdf(draft_pdf, title="Quyết định", summary="Về việc cấp giấy phép",
                   body_paragraphs=["Căn cứ hồ sơ đề nghị của tổ chức, cá nhân."], number_symbol="QĐ-STTTT",
                   signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=2)

    # ---- the specialist sends the dossier to iDesk with the two-page draft ----------------
    window = sign_in(qtbot, harness, "hoant")
    linked = {d.dossier_code for d in window.document_model.rows()}
    dossier = next(d for d in window.dossier_model.rows()
                   if is_processing(d) and d.code not in linked)
    assert window.dossier_panel.select_key(dossier.id)
    qtbot.waitUntil(lambda: window.current_dossier is not None and window.current_dossier.id == dossier.id,
                    timeout=10000)
    qtbot.waitUntil(window.actions_.send.isEnabled, timeout=5000)
    window.actions_.send.trigger()
    qtbot.waitUntil(lambda: "send" in window.dialogs and window.dialogs["send"].isVisible(), timeout=10000)
    send = window.dialogs["send"]
    assert send.code_edit.text() == dossier.code and send.code_edit.isReadOnly()
    monkeypatch.setattr(send_dialog.QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(draft_pdf)], "")))
    # The citizen's application form is ticked first, then her own draft is added: that is the main document.
    citizen = send.files.topLevelItem(0).child(0)
    citizen.setCheckState(0, Qt.CheckState.Checked)
    assert send.chosen_main() is None
    qtbot.mouseClick(send.choose_button, Qt.MouseButton.LeftButton)
    local = send.local_group.child(0)
    local.setCheckState(0, Qt.CheckState.Checked)
    assert send.chosen_local() == [draft_pdf] and send.chosen_main() == draft_pdf
    with qtbot.waitSignal(send.sent, timeout=30000) as sent:
        qtbot.mouseClick(send.ok_button, Qt.MouseButton.LeftButton)
    draft = sent.args[0]
    assert draft.summary.dossier_code == dossier.code
    citizen_form = draft.attachments[0]
    assert citizen_form.kind == "source" and draft.main_document.name == DRAFT_NAME
    qtbot.waitUntil(lambda: window.document_model.row_of(draft.id) >= 0
                    and window.document_panel.current_item() is not None
                    and window.document_panel.current_item().id == draft.id, timeout=10000)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == draft.id,
                    timeout=10000)

    # The draft's PDF opens in the preview from its attachment list.
    tree = window.details.document.attachments
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0, timeout=10000)
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == DRAFT_NAME)
    tree.itemDoubleClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.preview is not None and window.preview.path is not None
                    and window.preview.path.endswith(DRAFT_NAME) and window.preview.page_count == 2, timeout=20000)
    sign_out(qtbot, harness, window)

    # ---- the leader drags the signature onto page 2, signs with the token, forwards ------
    window = sign_in(qtbot, harness, "tuanlv")
    actions = window.signing_actions
    select_document(qtbot, window, draft.id)
    dlg = open_signing(qtbot, window, actions.sign, "leader")
    # The profile's TSA is used as given, never replaced by the government one.
    assert dlg.tsa_url.text() == demo_pki.tsa_url and dlg.tsa_group.isChecked() and dlg.tsa_note.isHidden()
    drop = drag_signature_to_page_2(qtbot, dlg)
    (placement,) = dlg.placement.placements()
    assert placement.page == 1
    centre = ((placement.rect[0] + placement.rect[2]) / 2, (placement.rect[1] + placement.rect[3]) / 2)
    # The pointer lands on whole pixels: within a pixel of the drop point.
    assert centre == pytest.approx(drop, abs=max(1.0, 1.0 / dlg.preview.zoom))
    leader = sign_with_pin(qtbot, window, dlg, softhsm_token.user_pin)
    dlg.reject()
    # The signature panel trusts the officer's extra trust folder (settings' extra_trust_dir).
    panel = window.signature_panel
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.path == str(leader.output_path),
                    timeout=30000)
    assert [s.trust for s in panel.report.signatures] == ["trusted"]
    qtbot.waitUntil(lambda: window.current_document.summary.status is DocumentStatus.SIGNED, timeout=10000)
    qtbot.waitUntil(actions.forward_clerk.isEnabled, timeout=10000)
    with qtbot.waitSignal(actions.document_changed, timeout=10000) as forwarded:
        actions.forward_clerk.trigger()
    assert forwarded.args[0].summary.status is DocumentStatus.WITH_CLERK
    sign_out(qtbot, harness, window)

    # ---- the clerk fills in the number, seals and releases ---------------------------------
    window = sign_in(qtbot, harness, "maipt")
    actions = window.signing_actions
    document = select_document(qtbot, window, draft.id)
    versions = len(document.main_document.versions)
    actions.fill_number.trigger()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, NumberDialog) and actions.dialog.isVisible(), timeout=20000)
    numbering = actions.dialog
    # The draft went to iDesk as a Công văn; the clerk gives the symbol its Quyết định prints.
    # "Đồng ý" right after typing it first shows that register's next number.
    numbering.symbol.setText("QĐ-STTTT")
    qtbot.mouseClick(numbering.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    number = window.backend.idesk.next_number("QĐ-STTTT", date.today().year)
    qtbot.waitUntil(lambda: numbering.seq.isEnabled() and f"{numbering.seq.text()}/QĐ-STTTT" == number, timeout=10000)
    with qtbot.waitSignal(actions.message, timeout=20000):
        qtbot.mouseClick(numbering.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert window.backend.idesk.get_document(draft.id).summary.number == number
    qtbot.waitUntil(lambda: len(window.current_document.main_document.versions) == versions + 1,
                    timeout=10000)
    dlg = open_signing(qtbot, window, actions.seal, "seal")
    sealed = sign_with_pin(qtbot, window, dlg, softhsm_token.user_pin)
    dlg.reject()
    qtbot.waitUntil(lambda: window.current_document.main_document.latest.file.sha256 == sealed.sha256,
                    timeout=10000)
    with qtbot.waitSignal(actions.document_changed, timeout=20000) as released:
        actions.release.trigger()
    released = released.args[0]
    assert released.summary.status is DocumentStatus.RELEASED and released.summary.number == number
    (result,) = [a for a in released.attachments if a.kind == "result"]
    assert result.latest.file.sha256 == sealed.sha256
    # The citizen's form, the FIRST attachment, was never touched.
    form_after = released.attachment(citizen_form.id)
    assert [v.file.sha256 for v in form_after.versions] == [citizen_form.latest.file.sha256]
    sign_out(qtbot, harness, window)

    # ---- the specialist fetches the signed result into the dossier --------------------------
    window = sign_in(qtbot, harness, "hoant")
    assert window.dossier_panel.select_key(dossier.id)
    qtbot.waitUntil(lambda: window.current_dossier is not None and window.current_dossier.id == dossier.id,
                    timeout=10000)
    qtbot.waitUntil(window.actions_.fetch.isEnabled, timeout=5000)
    window.actions_.fetch.trigger()
    qtbot.waitUntil(lambda: "fetch" in window.dialogs and window.dialogs["fetch"].isVisible(), timeout=10000)
    fetch = window.dialogs["fetch"]
    qtbot.waitUntil(lambda: fetch.files.topLevelItemCount() > 0, timeout=10000)
    listed = [fetch.files.topLevelItem(i) for i in range(fetch.files.topLevelItemCount())]
    assert [i.text(0) for i in listed] == [result.latest.file.name]
    listed[0].setCheckState(0, Qt.CheckState.Checked)
    with qtbot.waitSignal(fetch.fetched, timeout=30000) as fetched:
        qtbot.mouseClick(fetch.run_button, Qt.MouseButton.LeftButton)
    final_ref = next(f for f in fetched.args[0].result_files if f.sha256 == sealed.sha256)
    qtbot.waitUntil(lambda: result.latest.file.name in window.details.dossier.result_file_names(), timeout=10000)

    # ---- the file iGate holds: two valid signatures, the leader's where it was dragged ----
    final = window.backend.igate.download_file(final_ref, tmp_path / "final.pdf")
    report = pdfsig(final, demo_nssdb)
    assert report.count("Signature is Valid.") == 2, report
    verified = verify_pdf(final, TrustStore.default([trust_dir]))
    assert len(verified.signatures) == 2 and verified.all_valid, verified.describe("en")
    first = verified.signatures[0]
    assert first.modification in ("form_filling", "none") and first.signer_name
    assert first.page == 1
    assert first.rect_displayed == pytest.approx(placement.rect, abs=1.0)
    with pymupdf.open(final) as doc:
        page = doc[1]
        geom = PageGeometry.of(tuple(page.mediabox), tuple(page.cropbox), page.rotation)
        mediabox_height = page.mediabox.height
        widgets = [w for w in page.widgets() if w.field_type_string == "Signature"]
    expected = displayed_to_user_space(geom, placement.rect)
    # PyMuPDF reports widget rects top-down; the engine's conversion gives PDF user space (bottom-up).
    got = [(w.rect.x0, mediabox_height - w.rect.y1, w.rect.x1, mediabox_height - w.rect.y0) for w in widgets]
    assert any(g == pytest.approx(expected, abs=1.0) for g in got), (got, expected)
    assert leader.output_path.exists()
