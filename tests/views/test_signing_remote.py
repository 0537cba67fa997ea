""""Ký số từ xa" in the sign dialog: the remote choice beside the token's, the countdown with the
request's code while the phone confirms, approval through the sandbox's phone page, and "Hủy"."""

from __future__ import annotations

import pytest
import requests

from app.sandbox.csc_state import CscPolicy
from app.sandbox.server import Sandbox
from app.signing.geometry import Placement
from app.signing.remote.provider import training_provider
from app.views.qt import QSettings, Qt
from app.views.signing.context import SigningContext
from app.views.signing.pin import PinBroker
from app.views.signing.remote import RemoteSignerSource
from app.views.signing.sign_dialog import SignDialog
from app.views.tasks import TaskRunner
from tests.fixtures.sample_pdfs import make_sample_pdf
from tests.signing.render import assert_same_pixels, page_pixels

PAGE_2 = Placement(1, (300.0, 200.0, 450.0, 275.0))


def story_draft(path):
    """The story's main document: the two-page draft decision the leader signs on page 2."""
    from app.sandbox.documents import make_admin_pdf

    make_admin_pdf(path, title="Quyết định", summary="Về việc cấp giấy phép",
                   body_paragraphs=["Căn cứ hồ sơ đề nghị của tổ chức, cá nhân."], number_symbol="QĐ-STTTT",
                   signer_title="GIÁM ĐỐC", signer_name="Lê Văn Tuấn", pages=2)
    return path


def assert_valid_like_a_local_key(dlg, request, result, pki, tmp_path):
    """pyHanko and pdfsig accept it, and it looks exactly as the same request signed with the
    leader's key held locally (the token's path)."""
    from dataclasses import replace

    from app.signing.pades import sign_document
    from app.signing.verify import verify_pdf
    from tests.fixtures.pki import pdfsig, simple_signer

    report = verify_pdf(result.output_path, dlg.ctx.trust)
    assert report.all_valid and report.signatures[0].signer_name == "Lê Văn Tuấn"
    info = pdfsig(result.output_path)
    assert "Signature is Valid" in info and "Total document signed" in info, info
    local = sign_document(replace(request, output_path=tmp_path / "local-key.pdf"),
                          simple_signer(pki, "leader"))
    assert_same_pixels(result.output_path, local.output_path, 1)
    assert page_pixels(result.output_path, 1) != page_pixels(dlg.pdf_path, 1)

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"), pytest.mark.gui]


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    sandbox = Sandbox(tmp_path_factory.mktemp("remote-gui"), pki=True).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def context(qtbot, tmp_path, box, file_keyring):
    from app.signing.trust import TrustStore
    from tests.fixtures.browser import scripted_browser

    box.csc.policy = CscPolicy()
    pki = box.pki_services.pki
    errors = []
    runner = TaskRunner(on_error=errors.append)
    source = RemoteSignerSource(training_provider(box.csc_url, box.issuer), keyring_backend=file_keyring,
                                browser=scripted_browser("tuanlv", "Tuan@2024"))
    ctx = SigningContext(
        runner=runner, broker=PinBroker(), service=None,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        config_dir=tmp_path / "config", tsa_url=box.tsa_url, watch_tokens=False,
        trust=TrustStore.from_certificates([pki.root_cert], [pki.intermediate_cert]),
        remote_sources=(source,),
    )
    yield ctx
    runner.wait(10000)
    source.dialog.close()
    assert errors == []


def open_remote(qtbot, ctx, pdf):
    dlg = SignDialog(ctx, pdf)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count > 0, timeout=10000)
    [index] = [i for i, c in enumerate(dlg.picker.choices) if c.key == "remote|training"]
    assert dlg.picker.combo.itemText(index) == "Ký số từ xa — Ký số từ xa (tập huấn)"
    dlg.picker.combo.setCurrentIndex(index)
    # The provider's credential list (one for this account) comes before signing can start.
    qtbot.waitUntil(dlg.picker.ready, timeout=60000)
    assert not dlg.picker.credential_combo.isVisible()
    return dlg


def test_remote_signing_waits_for_the_phone_then_signs(qtbot, tmp_path, context, box):
    dlg = open_remote(qtbot, context, story_draft(tmp_path / "du-thao-quyet-dinh.pdf"))
    dlg.placement.set_placements([PAGE_2])
    dlg.show_time.setChecked(False)  # the time differs from one signing to the next
    request = dlg.build_request()
    source = context.remote_sources[0]
    with qtbot.waitSignal(dlg.signed, timeout=90000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: source.dialog.isVisible() and bool(box.csc.pending()), timeout=60000)
        [pending] = box.csc.pending()
        text = source.dialog.wait_label.text()
        assert text.startswith("Đang chờ xác nhận trên điện thoại… còn 4:") or text.endswith("còn 5:00"), text
        assert source.dialog.code_label.text() == f"Mã yêu cầu: {pending.fingerprint}"
        source.dialog.grab().save(str(tmp_path / "remote-wait.png"))
        pressed = requests.post(box.phone_url + "decide", data={"requestID": pending.request_id,
                                                                "decision": "approve"}, timeout=10)
        assert pressed.status_code == 200
    result = blocker.args[0]
    assert result.output_path.exists() and result.level in ("B-T", "B-LT")
    qtbot.waitUntil(lambda: not source.dialog.isVisible(), timeout=10000)
    assert_valid_like_a_local_key(dlg, request, result, box.pki_services.pki, tmp_path)


def test_cancel_while_waiting_leaves_no_output(qtbot, tmp_path, context, box):
    pdf = make_sample_pdf(tmp_path / "to-trinh.pdf")
    dlg = open_remote(qtbot, context, pdf)
    dlg.placement.set_placements([Placement(1, (300.0, 200.0, 450.0, 275.0))])
    source = context.remote_sources[0]
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: source.dialog.isVisible() and bool(box.csc.pending()), timeout=60000)
    [pending] = box.csc.pending()
    qtbot.mouseClick(source.dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures), timeout=20000)
    from app.errors import CancelledError

    assert isinstance(failures[0], CancelledError)
    assert dlg.signing_result is None
    qtbot.waitUntil(lambda: not source.dialog.isVisible(), timeout=10000)
    # Withdrawn at the provider: gone from the phone page, and approving it now does nothing.
    assert pending.status == "withdrawn" and box.csc.pending() == []
    assert pending.fingerprint not in requests.get(box.phone_url, timeout=10).text
    assert box.csc.decide(pending.request_id, approve=True).status == "withdrawn"


@pytest.mark.parametrize("outcome", ["rejected", "expired"])
def test_a_rejection_or_a_timeout_on_the_phone_says_so_and_leaves_no_output(qtbot, tmp_path, context, box,
                                                                             outcome):
    from app.signing.remote.errors import RemoteExpiredError, RemoteRejectedError

    if outcome == "rejected":
        box.csc.policy.mode, box.csc.policy.reject, box.csc.policy.delay_s = "auto", True, 1.0
    else:
        box.csc.policy.expires_in = 2
    dlg = open_remote(qtbot, context, story_draft(tmp_path / "du-thao-quyet-dinh.pdf"))
    dlg.placement.set_placements([PAGE_2])
    source = context.remote_sources[0]
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures), timeout=60000)
    expected = {"rejected": (RemoteRejectedError, "Yêu cầu ký đã bị từ chối trên điện thoại."),
                "expired": (RemoteExpiredError, "Hết thời gian chờ xác nhận trên điện thoại.")}[outcome]
    assert isinstance(failures[0], expected[0])
    assert dlg.status.text().startswith(expected[1])
    assert dlg.signing_result is None and not dlg.output_path.exists()
    qtbot.waitUntil(lambda: not source.dialog.isVisible(), timeout=10000)
    assert box.csc.all_requests()[-1].status == outcome


def test_the_profile_tsa_list_fails_over_to_the_second(qtbot, tmp_path, context, box):
    from dataclasses import replace

    box.csc.policy.mode = "auto"
    ctx = replace(context, tsa_url="http://127.0.0.1:9/tsa", tsa_fallback_urls=(box.tsa_url,))
    pdf = make_sample_pdf(tmp_path / "to-trinh.pdf")
    dlg = open_remote(qtbot, ctx, pdf)
    dlg.placement.set_placements([Placement(1, (300.0, 200.0, 450.0, 275.0))])
    with qtbot.waitSignal(dlg.signed, timeout=90000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.tsa_url == box.tsa_url and result.level in ("B-T", "B-LT")
    assert ctx.tsa_memory.last == box.tsa_url


def test_the_clerks_seal_step_chooses_the_organisations_credential_and_remembers_it(qtbot, tmp_path, box,
                                                                                   file_keyring):
    from datetime import date

    from app.signing.options import Profile, SigningRequest
    from app.signing.pades import sign_document
    from app.signing.trust import TrustStore
    from app.signing.verify import verify_pdf
    from tests.fixtures.browser import scripted_browser
    from tests.fixtures.pki import simple_signer
    from tests.signing.pdfs import admin_pdf

    box.csc.policy = CscPolicy(mode="auto")
    pki = box.pki_services.pki
    errors = []
    runner = TaskRunner(on_error=errors.append)
    source = RemoteSignerSource(training_provider(box.csc_url, box.issuer), keyring_backend=file_keyring,
                                browser=scripted_browser("maipt", "Mai@2024"))
    ctx = SigningContext(
        runner=runner, broker=PinBroker(), service=None,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        config_dir=tmp_path / "config", tsa_url=box.tsa_url, watch_tokens=False,
        trust=TrustStore.from_certificates([pki.root_cert], [pki.intermediate_cert]), remote_sources=(source,),
        server_profile="binhdinh",
    )

    def open_step(pdf, profile, context=ctx, **kw):
        dlg = SignDialog(context, pdf, profile=profile, **kw)
        qtbot.addWidget(dlg)
        with qtbot.waitSignal(dlg.picker.credentials_listed, timeout=60000) as listed:
            dlg.show()
            qtbot.waitUntil(lambda: bool(dlg.picker.choices), timeout=10000)
            [index] = [i for i, c in enumerate(dlg.picker.choices) if c.key == "remote|training"]
            dlg.picker.combo.setCurrentIndex(index)
        assert listed.args == [2]
        qtbot.waitUntil(lambda: dlg.sign_button.isEnabled() or dlg.placement.isVisible(), timeout=10000)
        return dlg

    seal_step = dict(number="07/QĐ-STTTT", release_date=date(2026, 11, 21))
    # The leader has signed (the engine reserved the number fields then); the clerk seals.
    draft = tmp_path / "lanh-dao.pdf"
    sign_document(SigningRequest(admin_pdf(tmp_path / "du-thao.pdf", symbol="QĐ-STTTT"), draft, Profile.LEADER,
                                 (Placement(0, (330.0, 560.0, 500.0, 640.0)),)), simple_signer(pki, "leader"))
    dlg = open_step(draft, Profile.SEAL, output_path=tmp_path / "phat-hanh.pdf", **seal_step)
    combo = dlg.picker.credential_combo
    assert combo.isVisible() and dlg.picker.credential_label.isVisible()
    assert [combo.itemData(i) for i in range(combo.count())] == ["maipt-clerk", "maipt-seal"]
    # Nothing remembered or configured yet: the credential of the kind the step needs, the organization's.
    assert combo.currentData() == "maipt-seal"
    assert "Sở Thông tin và Truyền thông" in combo.currentText()
    # A token plugged in or pulled out lists the signers again, not the provider's credentials.
    listed_again = []
    dlg.picker.credentials_listed.connect(listed_again.append)
    with qtbot.waitSignal(dlg.picker.scanned, timeout=10000):
        dlg.picker.refresh()
    assert listed_again == [] and combo.isVisible() and combo.currentData() == "maipt-seal"
    assert dlg.picker.ready()
    assert dlg.sign_button.isEnabled()
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.signing_result is not None or bool(failures), timeout=90000)
    assert failures == []
    report = verify_pdf(dlg.signing_result.output_path, ctx.trust)
    assert report.all_valid and len(report.signatures) == 2
    assert report.signatures[1].signer_name == "Sở Thông tin và Truyền thông tỉnh Bình Định"
    dlg.reject()

    # The next seal step offers the seal again; an electronic copy is the organization's too; a
    # personal step takes the personal credential, and what the officer chooses there is kept.
    again = open_step(draft, Profile.SEAL, output_path=tmp_path / "phat-hanh-2.pdf", **seal_step)
    assert again.picker.credential_combo.currentData() == "maipt-seal"
    assert again.picker.source().credential == "maipt-seal"
    again.reject()
    copy = open_step(draft, Profile.COPY, output_path=tmp_path / "ban-sao.pdf", copy_org="Sở Nội vụ")
    assert copy.picker.credential_combo.currentData() == "maipt-seal"
    copy.reject()
    personal = open_step(draft, Profile.INITIALS, output_path=tmp_path / "nhay.pdf")
    assert personal.picker.credential_combo.currentData() == "maipt-clerk"
    personal.picker.credential_combo.setCurrentIndex(personal.picker.credential_combo.findData("maipt-seal"))
    personal.picker.remember()
    personal.reject()
    kept = open_step(draft, Profile.INITIALS, output_path=tmp_path / "nhay-2.pdf")
    assert kept.picker.credential_combo.currentData() == "maipt-seal"
    kept.reject()
    # The choice belongs to the server profile it was made in.
    from dataclasses import replace

    elsewhere = open_step(draft, Profile.INITIALS, replace(ctx, server_profile="training"),
                          output_path=tmp_path / "nhay-3.pdf")
    assert elsewhere.picker.credential_combo.currentData() == "maipt-clerk"
    elsewhere.reject()
    runner.wait(10000)
    source.dialog.close()
    assert errors == []


def _type_otp(qtbot, source, code: str):
    qtbot.waitUntil(lambda: source.otp_dialog is not None and source.otp_dialog.isVisible(), timeout=60000)
    dialog = source.otp_dialog
    assert dialog.code_edit.echoMode() == dialog.code_edit.EchoMode.Password
    said = dialog.error_label.text() if dialog.error_label.isVisible() else ""
    qtbot.keyClicks(dialog.code_edit, code)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: source.otp_dialog is not dialog, timeout=10000)
    return said


def test_the_otp_has_its_own_step_and_a_wrong_code_is_asked_again(qtbot, tmp_path, context, box):
    box.csc.policy.mode = "otp"
    dlg = open_remote(qtbot, context, story_draft(tmp_path / "du-thao-quyet-dinh.pdf"))
    dlg.placement.set_placements([PAGE_2])
    dlg.show_time.setChecked(False)
    request = dlg.build_request()
    source = context.remote_sources[0]
    pins = []
    context.broker.pin_requested.connect(lambda *a: pins.append(a))
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: source.otp_dialog is not None, timeout=60000)
    first = source.otp_dialog
    assert first.windowTitle() == "Nhập mã OTP" and not first.error_label.isVisible()
    assert "Lê Văn Tuấn" in first.info_label.text()
    right = box.csc.last_otp("tuanlv-leader")
    _type_otp(qtbot, source, "000000" if right != "000000" else "111111")
    qtbot.waitUntil(lambda: source.otp_dialog is not None and source.otp_dialog.isVisible(), timeout=60000)
    second = source.otp_dialog
    assert second.error_label.isVisible() and second.error_label.text().startswith("Mã OTP không đúng. Hãy nhập lại")
    second.grab().save(str(tmp_path / "remote-otp.png"))
    _type_otp(qtbot, source, right)
    qtbot.waitUntil(lambda: dlg.signing_result is not None or bool(failures), timeout=90000)
    assert failures == [] and pins == []  # never the PIN dialog
    assert_valid_like_a_local_key(dlg, request, dlg.signing_result, box.pki_services.pki, tmp_path)


def test_wrong_otps_up_to_the_providers_limit_lock_the_credential(qtbot, tmp_path, context, box):
    from app.signing.remote.errors import RemoteLockedError

    box.csc.policy.mode, box.csc.policy.otp_tries = "otp", 2
    pdf = make_sample_pdf(tmp_path / "to-trinh.pdf")
    dlg = open_remote(qtbot, context, pdf)
    dlg.placement.set_placements([Placement(1, (300.0, 200.0, 450.0, 275.0))])
    source = context.remote_sources[0]
    failures = []
    dlg.controller.failed.connect(failures.append)
    try:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        asked = []
        for _ in range(2):
            qtbot.waitUntil(lambda: source.otp_dialog is not None, timeout=60000)
            wrong = "000000" if box.csc.last_otp("tuanlv-leader") != "000000" else "111111"
            asked.append(_type_otp(qtbot, source, wrong))
        qtbot.waitUntil(lambda: bool(failures), timeout=60000)
        assert isinstance(failures[0], RemoteLockedError) and dlg.signing_result is None
        assert asked[0] == "" and asked[1].startswith("Mã OTP không đúng")
        assert source.otp_dialog is None
    finally:
        box.csc.unlock("tuanlv-leader")


@pytest.mark.parametrize("where", ["otp dialog", "sign dialog"])
def test_cancel_at_the_otp_step_leaves_no_output(qtbot, tmp_path, context, box, where):
    from app.errors import CancelledError

    box.csc.policy.mode = "otp"
    pdf = make_sample_pdf(tmp_path / "to-trinh.pdf")
    dlg = open_remote(qtbot, context, pdf)
    dlg.placement.set_placements([Placement(1, (300.0, 200.0, 450.0, 275.0))])
    source = context.remote_sources[0]
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: source.otp_dialog is not None and source.otp_dialog.isVisible(), timeout=60000)
    button = source.otp_dialog.cancel_button if where == "otp dialog" else dlg.cancel_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures), timeout=20000)
    assert isinstance(failures[0], CancelledError) and dlg.signing_result is None
    assert not dlg.output_path.exists()
    qtbot.waitUntil(lambda: source.otp_dialog is None, timeout=10000)


def test_the_sign_dialogs_cancel_withdraws_the_request_too(qtbot, tmp_path, context, box):
    from app.errors import CancelledError

    pdf = make_sample_pdf(tmp_path / "to-trinh.pdf")
    dlg = open_remote(qtbot, context, pdf)
    dlg.placement.set_placements([Placement(1, (300.0, 200.0, 450.0, 275.0))])
    source = context.remote_sources[0]
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: source.dialog.isVisible() and bool(box.csc.pending()), timeout=60000)
    [pending] = box.csc.pending()
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures), timeout=20000)
    assert isinstance(failures[0], CancelledError) and dlg.signing_result is None
    assert pending.status == "withdrawn" and box.csc.pending() == []


def test_the_batch_dialog_signs_twenty_documents_with_one_authorization(qtbot, tmp_path, context, box):
    from pathlib import Path

    from app.signing.autoplace import propose_placement
    from app.signing.options import Profile
    from app.signing.verify import verify_pdf
    from app.views.signing.batch_dialog import BatchSignDialog
    from tests.fixtures.pki import pdfsig
    from tests.signing.pdfs import admin_pdf

    box.csc.policy.mode = "auto"
    context.proposer = propose_placement
    before, made = len(box.csc.all_requests()), box.csc.signatures_made
    files = [admin_pdf(tmp_path / f"qd-{n:02d}.pdf", symbol="QĐ-STTTT") for n in range(20)]
    dlg = BatchSignDialog(context, files, output_dir=tmp_path / "da-ky")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: bool(dlg.picker.choices), timeout=10000)
    [index] = [i for i, c in enumerate(dlg.picker.choices) if c.key == "remote|training"]
    dlg.picker.combo.setCurrentIndex(index)
    qtbot.waitUntil(lambda: dlg.picker.ready() and dlg.sign_button.isEnabled(), timeout=60000)
    assert dlg.profile_box.currentData() is Profile.LEADER
    pins = []
    context.broker.pin_requested.connect(lambda *a: pins.append(a))
    with qtbot.waitSignal(dlg.finished_batch, timeout=600000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    items = blocker.args[0]
    assert [Path(i.request.input_path).name for i in items] == [f.name for f in files]
    assert all(i.ok for i in items), [i.error for i in items if not i.ok]
    assert dlg.status.text() == "Đã ký 20/20 tệp." and pins == []
    # One authorization (one phone confirmation) covered the twenty signatures.
    assert [r.num_signatures for r in box.csc.all_requests()[before:]] == [20]
    assert box.csc.signatures_made - made == 20
    for item in items:
        report = verify_pdf(item.result.output_path, context.trust)
        assert report.all_valid, item.result.output_path
        [sig] = report.signatures
        assert sig.signer_name == "Lê Văn Tuấn" and sig.level == "B-T" and sig.timestamp_valid
        info = pdfsig(item.result.output_path)
        assert "Signature is Valid" in info and "Total document signed" in info, info
