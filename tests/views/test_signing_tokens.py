"""The token picker follows tokens being plugged in and pulled out; training mode signs with a
PKCS#12 file whose passphrase is asked like a PIN; a low PIN count shows in the PIN dialog."""

import os

import pytest

from app.views.qt import QCoreApplication, QEvent, QSettings, Qt
from app.views.signing.pin import PinBroker
from app.views.signing.token_picker import SETTINGS_KEY, TokenPicker
from app.views.tasks import TaskRunner
from tests.fixtures.sample_pdfs import make_sample_pdf

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"), pytest.mark.gui]


@pytest.fixture
def runner():
    errors = []
    r = TaskRunner(on_error=errors.append)
    yield r
    r.wait(10000)
    assert errors == []


def test_picker_follows_plug_and_pull_and_remembers_the_choice(qtbot, tmp_path, runner, softhsm_token,
                                                               softhsm_token_factory):
    from app.signing.token import TokenService

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    service = TokenService([softhsm_token.module_path])
    picker = TokenPicker(runner, service, settings=settings, watch_interval=0.2)
    qtbot.addWidget(picker)
    try:
        with qtbot.waitSignal(picker.scanned, timeout=10000):
            picker.start(watch=True)
        before = len(picker.choices)
        assert before >= 4
        leader = next(i for i, c in enumerate(picker.choices) if c.certificate.label == "leader")
        picker.combo.setCurrentIndex((leader + 1) % before)
        picker.combo.setCurrentIndex(leader)
        remembered = settings.value(SETTINGS_KEY)
        assert remembered == picker.choices[leader].key

        plugged = softhsm_token_factory({"specialist": "02"})
        qtbot.waitUntil(lambda: any(plugged.token_label in c.text for c in picker.choices), timeout=15000)
        # The officer's choice stays selected across the refresh.
        assert picker.current().key == remembered
        plugged.remove()
        qtbot.waitUntil(lambda: not any(plugged.token_label in c.text for c in picker.choices), timeout=15000)
        assert len(picker.choices) == before

        # A new picker (next signing) starts on the remembered certificate.
        again = TokenPicker(runner, service, settings=settings)
        qtbot.addWidget(again)
        with qtbot.waitSignal(again.scanned, timeout=10000):
            again.start(watch=False)
        assert again.current().key == remembered
    finally:
        picker.stop()
        runner.wait(10000)
        service.close()


def test_training_mode_signs_with_a_p12_file(qtbot, tmp_path, runner, demo_pki):
    from app.sandbox.demo_pki import P12_PASSPHRASE
    from app.views.signing.context import SigningContext
    from app.views.signing.sign_dialog import SignDialog

    ctx = SigningContext(runner=runner, broker=PinBroker(), service=None, p12_path=demo_pki.user("leader").p12_path,
                         tsa_url="", watch_tokens=False)
    dlg = SignDialog(ctx, make_sample_pdf(tmp_path / "tap-huan.pdf"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: len(dlg.picker.choices) == 1 and dlg.preview.page_count == 4, timeout=10000)
    assert "tập huấn" in dlg.picker.combo.currentText()
    dlg.placement.add_on_current_page()
    dlg.tsa_group.setChecked(False)
    with qtbot.waitSignal(dlg.signed, timeout=30000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ctx.broker.dialog is not None, timeout=10000)
        ctx.broker.dialog.pin_edit.setText(P12_PASSPHRASE)
        qtbot.mouseClick(ctx.broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].level == "B-B"
    dlg.reject()


def test_low_pin_count_is_announced_before_typing(qtbot, tmp_path, runner, softhsm_token_factory):
    from app.signing.token import TokenService
    from tests.fixtures.token import CKF_USER_PIN_COUNT_LOW

    token = softhsm_token_factory({"leader": "01"})
    token.set_flags(CKF_USER_PIN_COUNT_LOW)
    service = TokenService([token.module_path])
    broker = PinBroker()
    from app.views.signing.controller import SigningController, TokenSignerSource

    controller = SigningController(runner, broker)
    failures = []
    controller.failed.connect(failures.append)
    from app.signing.options import SigningRequest

    request = SigningRequest(make_sample_pdf(tmp_path / "a.pdf"), tmp_path / "a_da_ky.pdf")
    try:
        controller.sign(request, TokenSignerSource(service, token.token_label, "leader"))
        qtbot.waitUntil(lambda: broker.dialog is not None and broker.dialog.isVisible(), timeout=10000)
        assert "Còn ít lần thử" in broker.dialog.warning_label.text()
        qtbot.mouseClick(broker.dialog.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(failures), timeout=10000)
        assert type(failures[0]).__name__ == "PinCancelledError"
        assert not (tmp_path / "a_da_ky.pdf").exists()
    finally:
        runner.wait(10000)
        service.close()


def test_password_typed_in_the_preview_is_used_for_signing(qtbot, tmp_path, runner, demo_pki):
    from app.sandbox.demo_pki import P12_PASSPHRASE
    from app.views.signing.context import SigningContext
    from app.views.signing.sign_dialog import SignDialog

    src = make_sample_pdf(tmp_path / "plain.pdf")
    from tests.signing.pdfs import encrypted_pdf

    locked = encrypted_pdf(src, tmp_path / "mat.pdf", user_pw="bimat", owner_pw="chu")
    ctx = SigningContext(runner=runner, broker=PinBroker(), p12_path=demo_pki.user("leader").p12_path,
                         tsa_url="", watch_tokens=False)
    dlg = SignDialog(ctx, locked)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(dlg.preview.password_bar.isVisible, timeout=5000)
    dlg.preview.password_edit.setText("bimat")
    qtbot.mouseClick(dlg.preview.password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.preview.page_count == 4 and bool(dlg.picker.choices), timeout=5000)
    assert dlg.pdf_password == "bimat"
    dlg.placement.add_on_current_page()
    dlg.tsa_group.setChecked(False)
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.broker.dialog is not None, timeout=10000)
    ctx.broker.dialog.pin_edit.setText(P12_PASSPHRASE)
    qtbot.mouseClick(ctx.broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.signing_result is not None or bool(failures), timeout=30000)
    assert failures == []
    assert dlg.signing_result.output_path.exists()
    dlg.reject()


def test_closing_the_dialog_during_the_upload_keeps_it_until_done(qtbot, tmp_path, runner, demo_pki):
    import threading
    from types import SimpleNamespace

    from app.domain import (
        Attachment,
        AttachmentRole,
        AttachmentVersion,
        DocumentFolder,
        DocumentStatus,
        FileRef,
        IDeskDocument,
        IDeskDocumentSummary,
    )
    from app.sandbox.demo_pki import P12_PASSPHRASE
    from app.views.signing.context import SigningContext
    from app.views.signing.role_actions import SigningActions

    pdf = make_sample_pdf(tmp_path / "du-thao.pdf")
    ref = FileRef("f1", "du-thao.pdf", pdf.stat().st_size, "")
    document = IDeskDocument(
        IDeskDocumentSummary("d1", "Kế hoạch thử", "Kế hoạch", "", DocumentStatus.DRAFT, DocumentFolder.DRAFTS),
        (Attachment("a1", "du-thao.pdf", "draft", (AttachmentVersion(1, ref),), role=AttachmentRole.MAIN),))
    release = threading.Event()
    uploaded, refreshed = [], []

    class Outbox:
        def put(self, doc_id, att_id, path, note):
            return SimpleNamespace(doc_id=doc_id, path=path, note=note)

        def upload(self, item):
            release.wait(10)  # a slow network
            uploaded.append(item)
            return item

    host = SimpleNamespace(
        current_document=lambda: document, fetch=lambda r, on_ready, on_failure=None: on_ready(pdf), idesk=lambda: None,
        outbox=lambda: Outbox(), parent_widget=lambda: None, show_signed=lambda path: None,
        document_changed=lambda d: None, refresh_document=refreshed.append, refresh_list=lambda: None,
        batch_candidates=lambda: [])
    ctx = SigningContext(runner=runner, broker=PinBroker(), p12_path=demo_pki.user("leader").p12_path,
                         tsa_url="", watch_tokens=False, work_dir=tmp_path / "signed")
    actions = SigningActions(host, ctx, roles=())
    actions.update_enabled(document)
    actions.sign.trigger()
    dlg = actions.dialog
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count == 4, timeout=10000)
    dlg.placement.add_on_current_page()
    dlg.tsa_group.setChecked(False)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.broker.dialog is not None, timeout=10000)
    ctx.broker.dialog.pin_edit.setText(P12_PASSPHRASE)
    qtbot.mouseClick(ctx.broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.signing_result is not None, timeout=30000)
    assert dlg.controller.in_flight  # the upload is still running
    destroyed = []
    dlg.destroyed.connect(lambda: destroyed.append(True))
    dlg.reject()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what a deleteLater would do
    assert actions.dialog is None and not destroyed  # closed, but kept until the upload ends
    release.set()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=10000)
    assert uploaded[0].note == "signed: Lãnh đạo ký số" and uploaded[0].doc_id == "d1"
    assert refreshed == ["d1"]


@pytest.mark.log_warnings
def test_a_failing_token_watch_tells_the_officer_and_recovers(qtbot, tmp_path, runner, softhsm_token, monkeypatch):
    """SoftHSM2 reads its configuration whenever the watch re-initializes it: without one the
    module fails, the picker says so in Vietnamese, and the list comes back once it is readable."""
    from app.signing.token import TokenService

    service = TokenService([softhsm_token.module_path])
    picker = TokenPicker(runner, service, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                         watch_interval=0.1)
    qtbot.addWidget(picker)
    good = os.environ["SOFTHSM2_CONF"]
    try:
        with qtbot.waitSignal(picker.scanned, timeout=10000):
            picker.start(watch=True)
        assert picker.choices and picker.status.text() == ""
        with qtbot.waitSignal(picker.watch_failed, timeout=10000) as failed:
            monkeypatch.setenv("SOFTHSM2_CONF", str(tmp_path / "missing.conf"))
        assert failed.args[0].startswith("Không theo dõi được USB token: ")
        assert picker.status.text() == failed.args[0]
        monkeypatch.setenv("SOFTHSM2_CONF", good)
        qtbot.waitUntil(lambda: picker.status.text() == "" and len(picker.choices) >= 4, timeout=10000)
    finally:
        monkeypatch.setenv("SOFTHSM2_CONF", good)
        picker.stop()
        runner.wait(10000)
        service.close()
