"""Verification panel, PIN broker, batch signing and the remembered position, on real files."""

import threading
from pathlib import Path

import pytest

from app.signing.geometry import Placement
from app.views.qt import QSettings, Qt
from app.views.signing.context import SigningContext
from app.views.signing.pin import PinBroker
from app.views.signing.verification_panel import VerificationPanel
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


@pytest.fixture
def trust(demo_pki):
    from app.signing.trust import TrustStore

    return TrustStore.from_certificates([demo_pki.root_cert], [demo_pki.intermediate_cert])


def soft_sign(demo_pki, src: Path, out: Path, page=0, tsa=True):
    from app.sandbox.demo_pki import P12_PASSPHRASE
    from app.signing.options import SigningRequest, TsaConfig
    from app.signing.pades import sign_document
    from app.signing.soft_signer import open_soft_signer

    request = SigningRequest(src, out, placements=(Placement(page, (300, 600, 450, 675)),),
                             tsa=TsaConfig(demo_pki.tsa_url) if tsa else None)
    with open_soft_signer(demo_pki.user("leader").p12_path, P12_PASSPHRASE) as signer:
        return sign_document(request, signer.signer)


def verified(qtbot, panel, path):
    with qtbot.waitSignal(panel.verified, timeout=30000) as blocker:
        panel.show_file(path)
    return blocker.args[0]


def test_panel_lists_valid_unsigned_and_changed(qtbot, tmp_path, runner, trust, demo_pki):
    import pymupdf

    panel = VerificationPanel(runner, trust=trust)
    qtbot.addWidget(panel)
    plain = make_sample_pdf(tmp_path / "plain.pdf")
    report = verified(qtbot, panel, plain)
    assert report.signatures == () and panel.summary.text() == "Tệp không có chữ ký số."

    signed = tmp_path / "signed.pdf"
    soft_sign(demo_pki, plain, signed)
    verified(qtbot, panel, signed)
    assert panel.summary.text() == "Hợp lệ — 1 chữ ký"
    top = panel.tree.topLevelItem(0)
    assert top.text(0).startswith("Hợp lệ: ")
    lines = [top.child(i).text(0) for i in range(top.childCount())]
    assert any(line.startswith("Thời gian ký: ") and line.endswith("(dấu thời gian)") for line in lines)
    assert "Toàn vẹn: nguyên vẹn" in lines and "Trang 1" in lines

    # Text added after signing: the panel says the document changed.
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(signed.read_bytes())
    doc = pymupdf.open(changed)
    doc[0].insert_text((72, 400), "Sửa sau khi ký", fontsize=14)
    doc.saveIncr()
    doc.close()
    report = verified(qtbot, panel, changed)
    assert report.verdict.key in ("changed", "invalid")
    assert panel.tree.topLevelItem(0).text(0).split(":")[0] in ("Đã bị thay đổi", "Không hợp lệ")

    # Without the demo root the same signature is valid but not trusted.
    from app.signing.trust import TrustStore

    panel.trust = TrustStore.from_certificates([])
    verified(qtbot, panel, signed)
    assert panel.summary.text().startswith("Chưa được tin cậy")


def test_panel_reports_a_broken_file(qtbot, tmp_path, runner, trust):
    panel = VerificationPanel(runner, trust=trust)
    qtbot.addWidget(panel)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nrac")
    with qtbot.waitSignal(panel.failed, timeout=10000):
        panel.show_file(bad)
    assert panel.summary.text().startswith("Không kiểm tra được chữ ký: ")


def test_pin_broker_hands_the_pin_to_the_waiting_thread(qtbot):
    from app.signing.token import PinRequest

    broker = PinBroker(show_dialog=False)
    got = []
    seen = []
    broker.pin_requested.connect(lambda request, error: seen.append((request.token_label, threading.get_ident())))
    worker = threading.Thread(target=lambda: got.append(broker.request_pin(PinRequest("Token A", None, None))))
    worker.start()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0] == ("Token A", threading.get_ident())  # delivered on the UI thread
    assert broker.waiting
    broker.answer("123456")
    worker.join(5)
    assert got == ["123456"] and not broker.waiting
    with pytest.raises(RuntimeError):
        broker.request_pin(PinRequest("Token A", None, None))


def test_cancelling_the_operation_closes_the_pin_dialog(qtbot):
    from app.signing.token import PinRequest

    broker = PinBroker()
    cancel = threading.Event()
    got = []
    request = PinRequest("Token B", "final_try", 1)
    worker = threading.Thread(target=lambda: got.append(broker.request_pin(request, cancel)))
    worker.start()
    qtbot.waitUntil(lambda: broker.dialog is not None and broker.dialog.isVisible(), timeout=5000)
    dialog = broker.dialog
    assert "Lần thử cuối cùng" in dialog.warning_label.text()
    cancel.set()
    worker.join(5)
    assert got == [None]
    qtbot.waitUntil(lambda: broker.dialog is None, timeout=5000)


@pytest.fixture
def context(tmp_path, runner, trust, demo_pki, softhsm_token):
    from app.signing.placement_memory import PlacementMemory
    from app.signing.token import TokenService

    service = TokenService([softhsm_token.module_path])
    ctx = SigningContext(
        runner=runner,
        broker=PinBroker(),
        service=service,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        config_dir=tmp_path / "config",
        work_dir=tmp_path / "signed",
        tsa_url=demo_pki.tsa_url,
        watch_tokens=False,
        trust=trust,
        memory=PlacementMemory(tmp_path / "config" / "placements.json"),
    )
    yield ctx
    service.close()


def choose_cert(qtbot, picker, label):
    qtbot.waitUntil(lambda: bool(picker.choices), timeout=10000)
    picker.combo.setCurrentIndex(
        next(i for i, c in enumerate(picker.choices) if c.certificate is not None and c.certificate.label == label)
    )


def test_batch_signs_ticked_files_with_one_pin(qtbot, tmp_path, context, softhsm_token):
    from app.signing.options import Profile
    from app.views.signing.batch_dialog import BatchSignDialog

    files = [make_sample_pdf(tmp_path / f"vb-{i}.pdf", pages=2) for i in range(3)]
    dlg = BatchSignDialog(context, files)
    qtbot.addWidget(dlg)
    dlg.show()
    choose_cert(qtbot, dlg.picker, "specialist")
    dlg.profile_box.setCurrentIndex(dlg.profile_box.findData(Profile.INITIALS))
    dlg.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    asked = []
    context.broker.pin_requested.connect(lambda request, error: asked.append(request))
    with qtbot.waitSignal(dlg.finished_batch, timeout=90000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: context.broker.dialog is not None, timeout=10000)
        context.broker.dialog.pin_edit.setText(softhsm_token.user_pin)
        qtbot.mouseClick(context.broker.dialog.ok_button, Qt.MouseButton.LeftButton)
    items = blocker.args[0]
    assert len(asked) == 1
    assert [Path(i.request.input_path).name for i in items] == ["vb-0.pdf", "vb-2.pdf"]
    assert all(i.ok for i in items), [i.error for i in items]
    assert all(Path(i.result.output_path).parent == tmp_path / "signed" for i in items)
    assert dlg.table.item(0, 1).text().startswith("Đã ký (PAdES B-")
    assert dlg.table.item(1, 1).text() == ""
    assert dlg.progress.value() == dlg.progress.maximum() == 2
    assert dlg.status.text() == "Đã ký 2/2 tệp."


def test_a_batch_result_stays_readable_beside_long_summaries(qtbot, tmp_path, context):
    """iDesk summaries run long; the result column keeps its width and its full text as a tooltip."""
    from app.views.signing.batch_dialog import BatchSignDialog

    files = [make_sample_pdf(tmp_path / f"vb-{i}.pdf") for i in range(2)]
    summary = "Đề nghị phê duyệt danh mục thủ tục hành chính thực hiện liên thông iGate - iDesk năm 2026 — du-thao.pdf"
    dlg = BatchSignDialog(context, files, labels=[summary, summary])
    qtbot.addWidget(dlg)
    dlg.resize(700, 400)
    dlg.show()
    qtbot.waitExposed(dlg)
    done = dlg.table.fontMetrics().horizontalAdvance("Đã ký và gửi lên iDesk (PAdES B-LTA)")
    assert dlg.table.columnWidth(1) > done
    assert dlg.table.columnWidth(0) + dlg.table.columnWidth(1) <= dlg.table.viewport().width()
    assert "liên thông iGate - iDesk năm 2026" in dlg.table.item(0, 0).toolTip()  # a cut summary, whole
    dlg._set_status(0, "Không ký được: <b>chứng thư</b> đã hết hạn")
    item = dlg.table.item(0, 1)
    assert "&lt;b&gt;chứng thư&lt;/b&gt; đã hết hạn" in item.toolTip()  # shown literally


def test_chosen_position_is_used_for_the_next_document_of_the_form(qtbot, tmp_path, context):
    from app.views.signing.position_dialog import PositionDialog
    from app.views.signing.sign_dialog import SignDialog

    first = make_sample_pdf(tmp_path / "kh-1.pdf")
    pos = PositionDialog(context, first, form="Kế hoạch")
    qtbot.addWidget(pos)
    pos.show()
    qtbot.waitUntil(lambda: pos.preview.page_count == 4, timeout=5000)
    pos.placement.model.add(Placement(3, (200.0, 400.0, 350.0, 475.0)))
    with qtbot.waitSignal(pos.remembered, timeout=5000):
        qtbot.mouseClick(pos.save_button, Qt.MouseButton.LeftButton)

    second = make_sample_pdf(tmp_path / "kh-2.pdf")
    dlg = SignDialog(context, second, form="Kế hoạch")
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: bool(dlg.placement.placements()), timeout=5000)
    (placement,) = dlg.placement.placements()
    # Remembered on the last page, so it comes back on this document's last page.
    assert placement == Placement(3, (200.0, 400.0, 350.0, 475.0))
    other = SignDialog(context, make_sample_pdf(tmp_path / "cv.pdf"), form="Công văn")
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: other.preview.page_count == 4, timeout=5000)
    assert other.placement.placements() == ()
    for d in (dlg, other):
        d.reject()


def test_english_catalog_translates_the_signing_views(qapp):
    from app.views.i18n import switch_language
    from app.views.qt import QCoreApplication

    switch_language(qapp, "en")
    try:
        assert QCoreApplication.translate("SigningActions", "Ký số token") == "Sign with token"
        assert QCoreApplication.translate("PdfPreview", "Vừa chiều rộng") == "Fit width"
    finally:
        switch_language(qapp, "vi")
    assert QCoreApplication.translate("SigningActions", "Ký số token") == "Ký số token"


def test_panel_highlights_in_displayed_space_and_reads_the_extra_trust_folder(qtbot, tmp_path, runner, demo_pki):
    """A signature on a rotated page: activating it gives the rectangle as displayed, not PDF user
    space; with no trust store given, the panel loads the shipped roots plus the officer's folder."""
    import shutil

    from app.sandbox.demo_pki import P12_PASSPHRASE
    from app.signing.options import SigningRequest
    from app.signing.pades import sign_document
    from app.signing.soft_signer import open_soft_signer

    src, out = make_sample_pdf(tmp_path / "xoay.pdf"), tmp_path / "xoay-ky.pdf"
    box = (60.0, 80.0, 210.0, 155.0)
    with open_soft_signer(demo_pki.user("leader").p12_path, P12_PASSPHRASE) as signer:
        sign_document(SigningRequest(src, out, placements=(Placement(2, box),)), signer.signer)
    folder = tmp_path / "tin-cay"
    folder.mkdir()
    shutil.copy(demo_pki.root_cert_path, folder / "goc.pem")
    shutil.copy(demo_pki.intermediate_cert_path, folder / "trung-gian.pem")

    panel = VerificationPanel(runner, extra_trust_dirs=[folder])
    qtbot.addWidget(panel)
    (sig,) = verified(qtbot, panel, out).signatures
    assert sig.trust == "trusted"
    assert sig.page == 2 and sig.rect_displayed == pytest.approx(box, abs=0.5)
    assert sig.rect != pytest.approx(sig.rect_displayed, abs=0.5)  # the page is rotated
    with qtbot.waitSignal(panel.signature_activated) as activated:
        panel.tree.itemActivated.emit(panel.tree.topLevelItem(0), 0)
    assert activated.args[0] == 2 and activated.args[1] == pytest.approx(box, abs=0.5)

    plain = VerificationPanel(runner)
    qtbot.addWidget(plain)
    (sig,) = verified(qtbot, plain, out).signatures
    assert sig.trust != "trusted"
