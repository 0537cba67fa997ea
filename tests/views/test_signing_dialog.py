"""The sign dialog end to end: real widgets, a real SoftHSM token, real PAdES output."""

import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass

import pytest
from PySide6.QtTest import QTest

from app.views.qt import QSettings, Qt, QtCore
from app.views.signing.context import SigningContext
from app.views.signing.pin import PinBroker
from app.views.signing.sign_dialog import SignDialog
from app.views.tasks import TaskRunner
from tests.fixtures.sample_pdfs import make_sample_pdf

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"), pytest.mark.gui]


@pytest.fixture
def context(qtbot, tmp_path, demo_pki, softhsm_token):
    from app.signing.token import TokenService
    from app.signing.trust import TrustStore

    errors = []
    runner = TaskRunner(on_error=errors.append)
    service = TokenService([softhsm_token.module_path])
    ctx = SigningContext(
        runner=runner, broker=PinBroker(), service=service,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        config_dir=tmp_path / "config", tsa_url=demo_pki.tsa_url, watch_tokens=False,
        trust=TrustStore.from_certificates([demo_pki.root_cert], [demo_pki.intermediate_cert]),
    )
    yield ctx
    runner.wait(10000)
    service.close()
    assert errors == []


def open_dialog(qtbot, ctx, pdf, cert_label="leader", **kwargs):
    dlg = SignDialog(ctx, pdf, **kwargs)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: bool(dlg.picker.choices) and dlg.preview.page_count == 4, timeout=10000)
    index = next(i for i, c in enumerate(dlg.picker.choices)
                 if c.certificate is not None and c.certificate.label == cert_label)
    dlg.picker.combo.setCurrentIndex(index)
    return dlg


def drop_signature(qtbot, dlg, page):
    preview = dlg.preview
    qtbot.waitUntil(lambda: preview.page_sizes[3] == (400.0, 550.0), timeout=5000)
    preview.go_to_page(page)
    vp = preview.canvas.viewport()
    rect = preview.canvas.page_rect_in_viewport(page)
    qtbot.mouseClick(dlg.placement.insert_button, Qt.MouseButton.LeftButton)
    target = QtCore.QPoint(
        int(rect.left() + rect.width() * 0.6), int(rect.top() + min(rect.height(), vp.height()) * 0.5)
    )
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target - QtCore.QPoint(30, 20))
    QTest.mouseMove(vp, target)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    (placement,) = dlg.placement.placements()
    assert placement.page == page
    # Centre of the box under the pointer, in displayed points.
    cx = (target.x() - rect.left()) / preview.zoom
    cy = (target.y() - rect.top()) / preview.zoom
    assert ((placement.rect[0] + placement.rect[2]) / 2, (placement.rect[1] + placement.rect[3]) / 2) == pytest.approx(
        (cx, cy), abs=1.0
    )
    return placement


def answer_pin(qtbot, broker, pin):
    qtbot.waitUntil(lambda: broker.dialog is not None and broker.dialog.isVisible(), timeout=10000)
    dialog = broker.dialog
    QTest.keyClicks(dialog.pin_edit, pin) if pin else None
    button = dialog.ok_button if pin else dialog.cancel_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return dialog


def widget_in_displayed_space(path):
    """Page and displayed rect of the signature widget, read back with pyHanko + the engine's geometry."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from app.signing.geometry import PageGeometry, user_to_displayed_space

    with open(path, "rb") as f:
        reader = PdfFileReader(f)
        sig = reader.embedded_signatures[-1]
        field = sig.sig_field
        widget = field if "/Rect" in field else field["/Kids"][0].get_object()
        page_ref = widget.raw_get("/P")
        for i in range(int(reader.root["/Pages"]["/Count"])):
            ref, _ = reader.find_page_for_modification(i)
            if ref.idnum == page_ref.idnum:
                geom = PageGeometry.from_pyhanko_page(ref.get_object())
                return i, user_to_displayed_space(geom, [float(v) for v in widget["/Rect"]])
    raise AssertionError("widget page not found")


def test_sign_with_token_validates_and_sits_where_dropped(qtbot, tmp_path, context, demo_pki, softhsm_token):
    pdf = make_sample_pdf(tmp_path / "ke-hoach.pdf")
    original = pdf.read_bytes()
    dlg = open_dialog(qtbot, context, pdf)
    placement = drop_signature(qtbot, dlg, page=1)
    assert dlg.sign_button.isEnabled()
    with qtbot.waitSignal(dlg.signed, timeout=60000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    result = blocker.args[0]
    out = result.output_path
    assert out.exists() and out != pdf
    assert pdf.read_bytes() == original
    assert result.level in ("B-T", "B-LT")

    # pyHanko: intact, valid, trusted with the demo root.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from tests.fixtures.pki import validation_context

    with open(out, "rb") as f:
        status = validate_pdf_signature(PdfFileReader(f).embedded_signatures[0], validation_context(demo_pki))
    assert status.intact and status.valid and status.trusted

    # poppler's pdfsig agrees the signature is valid.
    if shutil.which("pdfsig"):
        report = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True, timeout=30).stdout
        assert "Signature is Valid" in report

    # The widget sits where the drag put it.
    page, rect = widget_in_displayed_space(out)
    assert page == placement.page == 1
    assert rect == pytest.approx(placement.rect, abs=1.0)

    # The signed file is now in the preview, and the panel lists the signature as valid.
    qtbot.waitUntil(lambda: dlg.verification.report is not None, timeout=30000)
    assert dlg.preview.path == str(out)
    # The signed file shows without the editing box over it.
    assert dlg.preview.canvas.overlay is None and dlg.placement.placements() == ()
    report = dlg.verification.report
    assert len(report.signatures) == 1 and report.signatures[0].verdict.key == "valid"
    assert dlg.verification.summary.text().startswith("Hợp lệ")
    top = dlg.verification.tree.topLevelItem(0)
    assert top.text(0).startswith("Hợp lệ: ")
    assert any("dấu thời gian" in top.child(i).text(0) for i in range(top.childCount()))
    assert not dlg.sign_button.isEnabled()


def test_wrong_pin_shows_tries_left_then_cancel_leaves_no_file(qtbot, tmp_path, context, softhsm_token_factory):
    from app.signing.token import TokenService

    token = softhsm_token_factory({"leader": "01"})
    context.service = TokenService([token.module_path])
    pdf = make_sample_pdf(tmp_path / "cong-van.pdf")
    dlg = open_dialog(qtbot, context, pdf)
    index = next(i for i, c in enumerate(dlg.picker.choices) if token.token_label in c.text)
    dlg.picker.combo.setCurrentIndex(index)
    drop_signature(qtbot, dlg, page=0)
    out = dlg.output_path
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    first = answer_pin(qtbot, context.broker, "000000")
    assert first.warning_label.text() == ""
    qtbot.waitUntil(lambda: context.broker.dialog is not None and context.broker.dialog is not first, timeout=10000)
    second = context.broker.dialog
    qtbot.waitUntil(second.isVisible, timeout=5000)
    assert second.warning_label.isVisible()
    assert "PIN không đúng" in second.warning_label.text()
    with qtbot.waitSignal(dlg.controller.failed, timeout=10000):
        qtbot.mouseClick(second.cancel_button, Qt.MouseButton.LeftButton)
    assert type(failures[0]).__name__ == "PinCancelledError"
    assert dlg.status.text() == "Đã hủy ký số."
    assert not out.exists()
    context.service.close()


def test_pin_dialog_warnings():
    from app.signing.token import PinRequest
    from app.views.signing.pin import PinDialog

    low = PinDialog(PinRequest("Token A", "count_low", 2))
    assert "Còn ít lần thử" in low.warning_label.text() and "Còn 2 lần thử." in low.warning_label.text()
    final = PinDialog(PinRequest("Token A", "final_try", 1))
    assert "Lần thử cuối cùng" in final.warning_label.text()
    plain = PinDialog(PinRequest("Token A", None, None))
    assert plain.warning_label.text() == "" and not plain.ok_button.isEnabled()
    for d in (low, final, plain):
        d.deleteLater()


def sign_through(qtbot, dlg, broker, pin):
    with qtbot.waitSignal(dlg.signed, timeout=60000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        answer_pin(qtbot, broker, pin)
    return blocker.args[0]


def test_leader_then_clerk_seals_with_number_and_date(qtbot, tmp_path, context, demo_pki, softhsm_token):
    from datetime import date

    import pymupdf

    from app.signing.autoplace import propose_placement
    from app.signing.options import Profile
    from tests.signing.pdfs import admin_pdf

    context.proposer = propose_placement
    draft = admin_pdf(tmp_path / "du-thao.pdf", symbol="QĐ-STTTT")
    leader = SignDialog(context, draft, output_path=tmp_path / "lanh-dao.pdf")
    qtbot.addWidget(leader)
    leader.show()
    qtbot.waitUntil(lambda: bool(leader.picker.choices) and bool(leader.placement.placements()), timeout=10000)
    # The auto-placement proposal became the first box, between the title and the name.
    assert leader.placement.proposal is not None and leader.placement.placements() == (leader.placement.proposal,)
    leader.picker.combo.setCurrentIndex(
        next(
            i
            for i, c in enumerate(leader.picker.choices)
            if c.certificate is not None and c.certificate.label == "leader"
        )
    )
    first = sign_through(qtbot, leader, context.broker, softhsm_token.user_pin)
    assert not (tmp_path / "lanh-dao.prepared.pdf").exists()

    clerk = SignDialog(
        context,
        first.output_path,
        profile=Profile.SEAL,
        output_path=tmp_path / "phat-hanh.pdf",
        number="07/QĐ-STTTT",
        release_date=date(2026, 11, 21),
    )
    qtbot.addWidget(clerk)
    clerk.show()
    qtbot.waitUntil(lambda: bool(clerk.picker.choices) and clerk.preview.page_count > 0, timeout=10000)
    assert not clerk.placement.isVisible()  # the engine puts the seal over the leader's signature
    clerk.picker.combo.setCurrentIndex(
        next(
            i for i, c in enumerate(clerk.picker.choices) if c.certificate is not None and c.certificate.label == "seal"
        )
    )
    second = sign_through(qtbot, clerk, context.broker, softhsm_token.user_pin)
    qtbot.waitUntil(lambda: clerk.verification.report is not None, timeout=30000)
    report = clerk.verification.report
    assert [s.verdict.key for s in report.signatures] == ["valid", "valid"]
    with pymupdf.open(second.output_path) as doc:
        values = {w.field_name: w.field_value for w in doc[0].widgets() if w.field_type_string == "Text"}
    assert "07" in " ".join(str(v) for v in values.values())
    for d in (leader, clerk):
        d.reject()


@dataclass
class HeldTsa:
    url: str
    arrived: threading.Event  # a timestamp request is with the TSA
    release: threading.Event  # the TSA may answer


@pytest.fixture
def slow_tsa(demo_pki):
    """A TSA that holds each request until the test releases it (it relays to the demo TSA), like
    a busy government TSA."""
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    held = HeldTsa("", threading.Event(), threading.Event())

    class Relay(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            held.arrived.set()
            held.release.wait(30)
            req = urllib.request.Request(
                demo_pki.tsa_url, data=body, headers={"Content-Type": "application/timestamp-query"}
            )
            with urllib.request.urlopen(req, timeout=10) as answer:
                data = answer.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    held.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield held
    held.release.set()
    server.shutdown()
    server.server_close()


def test_cancel_while_the_tsa_answers_leaves_no_file(qtbot, tmp_path, context, slow_tsa, softhsm_token):
    context.tsa_url = slow_tsa.url
    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "cham.pdf"))
    dlg.placement.add_on_current_page()
    failures = []
    dlg.controller.failed.connect(failures.append)
    progress = []
    dlg.controller.progress.connect(progress.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    qtbot.waitUntil(
        lambda: slow_tsa.arrived.is_set() and dlg.progress.isVisible() and dlg.cancel_button.isVisible(), timeout=20000
    )
    assert not dlg.close_button.isEnabled()
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    slow_tsa.release.set()  # the answer comes after the officer cancelled
    qtbot.waitUntil(lambda: bool(failures), timeout=20000)
    assert type(failures[0]).__name__ == "CancelledError"
    assert dlg.status.text() == "Đã hủy ký số."
    assert not dlg.output_path.exists()
    assert progress and not dlg.progress.isVisible() and dlg.close_button.isEnabled()


def test_initials_go_on_every_page_without_placing(qtbot, tmp_path, context, softhsm_token):
    import pymupdf

    from app.signing.options import Profile

    pdf = make_sample_pdf(tmp_path / "nhay.pdf")
    dlg = open_dialog(qtbot, context, pdf, cert_label="specialist", profile=Profile.INITIALS)
    assert not dlg.placement.isVisible() and dlg.sign_button.isEnabled()
    result = sign_through(qtbot, dlg, context.broker, softhsm_token.user_pin)
    with pymupdf.open(result.output_path) as doc:
        pages_with_widget = [i for i, page in enumerate(doc) if page.annot_xrefs()]
    assert pages_with_widget == [0, 1, 2, 3]
    dlg.reject()


def test_signature_images_page_sets_the_box_shape(qtbot, tmp_path, context):
    from app.views.qt import QImage
    from app.views.signing.images import SignatureImagePage, SignatureImages

    wide = tmp_path / "chu-ky.png"
    image = QImage(300, 100, QImage.Format.Format_ARGB32)
    image.fill(0)
    assert image.save(str(wide))
    page = SignatureImagePage(context.config_dir, clerk=True)
    qtbot.addWidget(page)
    page.signature_edit.setText(str(wide))
    page.width_box.setValue(180)
    with qtbot.waitSignal(page.saved):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert SignatureImages.load(context.config_dir).signature == str(wide)
    assert not page.signature_preview.pixmap().isNull()

    dlg = SignDialog(context, make_sample_pdf(tmp_path / "hinh.pdf"))
    qtbot.addWidget(dlg)
    assert dlg.image_path == wide
    assert dlg.placement.overlay.box_size == pytest.approx((180.0, 60.0))
    dlg.reject()


def test_electronic_copy_asks_for_its_form_and_organization(qtbot, tmp_path, context, softhsm_token):
    import pymupdf

    from app.signing.options import Profile

    pdf = make_sample_pdf(tmp_path / "ban-sao.pdf")
    dlg = open_dialog(qtbot, context, pdf, cert_label="seal", profile=Profile.COPY)
    assert dlg.copy_group.isVisible() and not dlg.placement.isVisible()
    assert dlg.copy_form.currentText() == "Sao y"
    assert not dlg.sign_button.isEnabled()  # the copying organization is required
    dlg.copy_form.setCurrentText("Trích sao")
    dlg.copy_org.setText("Văn phòng UBND tỉnh Bình Định")
    assert dlg.sign_button.isEnabled()
    options = dlg.build_request().options
    assert (options.copy_form, options.copy_org) == ("Trích sao", "Văn phòng UBND tỉnh Bình Định")
    result = sign_through(qtbot, dlg, context.broker, softhsm_token.user_pin)
    with pymupdf.open(result.output_path) as doc:
        assert [i for i, page in enumerate(doc) if page.annot_xrefs()] == [0]  # top right of the first page
    dlg.reject()


def test_without_a_profile_tsa_signing_has_no_timestamp_and_says_so(qtbot, tmp_path, context):
    from dataclasses import replace

    pdf = make_sample_pdf(tmp_path / "khong-tsa.pdf")
    dlg = open_dialog(qtbot, replace(context, tsa_url=""), pdf)
    assert not dlg.tsa_group.isChecked() and dlg.tsa_note.isVisible() and dlg.tsa_url.text() == ""
    dlg.placement.add_on_current_page()
    assert dlg.build_request().tsa is None
    dlg.reject()
    with_tsa = open_dialog(qtbot, context, pdf)
    assert with_tsa.tsa_group.isChecked() and not with_tsa.tsa_note.isVisible()
    assert with_tsa.tsa_url.text() == context.tsa_url
    with_tsa.reject()


def test_the_tsa_comes_from_the_profile_and_training_never_uses_the_government_one():
    from app.config import ServerProfile, training_profile
    from app.views.signing.context import GOVERNMENT_TSA
    from app.views.signing.install import tsa_url_for

    training = training_profile("http://127.0.0.1:1/sso", "http://127.0.0.1:2/", "http://127.0.0.1:3/")
    assert tsa_url_for(training) == ""
    demo = "http://127.0.0.1:4/tsa"
    assert tsa_url_for(training_profile(training.issuer, training.igate_url, training.idesk_url, demo)) == demo
    real = ServerProfile("binhdinh", "https://sso.example/", "https://igate.example/", "https://idesk.example/")
    assert tsa_url_for(real) == GOVERNMENT_TSA
    assert (
        tsa_url_for(
            ServerProfile("binhdinh", real.issuer, real.igate_url, real.idesk_url, tsa_url="http://tsa.tinh.example")
        )
        == "http://tsa.tinh.example"
    )


def _damaged(path, *, signed_by=None):
    """Four pages whose cross-reference table is gone (MuPDF rebuilds it; pyHanko refuses it)."""
    from tests.fuzz import gen

    data = gen.base_doc(pages=4).serialize() if signed_by is None else signed_by.read_bytes()
    start = data.rindex(b"\nxref\n") + 1
    path.write_bytes(data[:start] + data[data.index(b"trailer", start):])
    return path


def _refused_as_damaged(qtbot, context, pdf, softhsm_token):
    """The specialist's initials on a damaged file: refused, with the repaired copy offered."""
    from app.signing.options import Profile

    dlg = open_dialog(qtbot, context, pdf, cert_label="specialist", profile=Profile.INITIALS)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    qtbot.waitUntil(dlg.repair_button.isVisible, timeout=60000)
    return dlg


@pytest.fixture
def mupdf_jobs():
    """The app's worker process for MuPDF jobs (proposals, repaired copies); this one crashes
    on a "crash-me" file, as MuPDF does on some damaged files."""
    from app.services.render_worker import RenderWorker

    worker = RenderWorker([sys.executable, "-m", "tests.views.faulty_render_child"])
    yield worker
    worker.stop()


def test_damaged_unsigned_file_offers_a_repaired_copy_and_notes_it(qtbot, tmp_path, context, softhsm_token,
                                                                     mupdf_jobs):
    from app.services.render_worker import repairer
    from app.signing.repair import REPAIR_OFFER, REPAIR_READY, REPAIRED_NOTE

    context.repairer = repairer(mupdf_jobs)
    pdf = _damaged(tmp_path / "mat-xref.pdf")
    original = pdf.read_bytes()
    dlg = _refused_as_damaged(qtbot, context, pdf, softhsm_token)
    assert "bị hỏng" in dlg.status.text() and REPAIR_OFFER.vi in dlg.status.text()
    assert not dlg.output_path.exists()
    # The repaired copy is shown first; nothing is signed until the officer has seen it.
    with qtbot.waitSignal(dlg.preview.document_opened, timeout=60000):
        qtbot.mouseClick(dlg.repair_button, Qt.MouseButton.LeftButton)
    assert dlg.repaired_from == pdf and dlg.pdf_path != pdf and dlg.preview.path == str(dlg.pdf_path)
    assert REPAIR_READY.vi in dlg.status.text() and "bản sửa lại" in dlg.file_label.text()
    assert not dlg.output_path.exists()
    shown = dlg.pdf_path.read_bytes()
    qtbot.waitUntil(dlg.sign_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(dlg.signed, timeout=60000) as blocker:
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    result = blocker.args[0]
    assert REPAIRED_NOTE in result.warnings and result.output_path.exists()
    # The bytes signed are the bytes previewed: the signature is an update appended to the copy shown.
    assert result.output_path.read_bytes().startswith(shown)
    assert pdf.read_bytes() == original
    assert REPAIRED_NOTE.vi in dlg.status.text()
    qtbot.waitUntil(lambda: dlg.verification.report is not None, timeout=30000)
    assert dlg.verification.report.signatures[0].verdict.key == "valid"
    assert REPAIRED_NOTE.vi in dlg.verification.summary.text()
    dlg.reject()


@pytest.mark.log_warnings
def test_a_repair_that_crashes_mupdf_costs_the_copy_not_the_window(qtbot, tmp_path, context, softhsm_token,
                                                                   mupdf_jobs):
    from app.services.render_worker import repairer

    context.repairer = repairer(mupdf_jobs)
    pdf = _damaged(tmp_path / "crash-me.pdf")
    original = pdf.read_bytes()
    dlg = _refused_as_damaged(qtbot, context, pdf, softhsm_token)
    qtbot.mouseClick(dlg.repair_button, Qt.MouseButton.LeftButton)
    # MuPDF died on the file in the worker process: the officer reads why, the window stays.
    qtbot.waitUntil(lambda: not dlg.repair_button.isVisible() and "bị hỏng" in dlg.status.text(), timeout=60000)
    assert mupdf_jobs.restarts == 1 and dlg.repaired_from is None and dlg.pdf_path == pdf
    assert not dlg.output_path.exists() and pdf.read_bytes() == original
    dlg.reject()


def test_damaged_file_that_carries_signatures_is_refused_with_the_reason(qtbot, tmp_path, context, softhsm_token):
    from app.signing.options import Profile
    from app.signing.repair import REPAIR_REFUSED

    first = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "goc.pdf"), cert_label="specialist",
                        profile=Profile.INITIALS)
    signed = sign_through(qtbot, first, context.broker, softhsm_token.user_pin).output_path
    first.reject()
    pdf = _damaged(tmp_path / "hong.pdf", signed_by=signed)
    original = pdf.read_bytes()
    dlg = open_dialog(qtbot, context, pdf, cert_label="specialist", profile=Profile.INITIALS)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    qtbot.waitUntil(lambda: REPAIR_REFUSED.vi in dlg.status.text(), timeout=60000)
    assert not dlg.repair_button.isVisible()
    assert not dlg.output_path.exists() and pdf.read_bytes() == original
    dlg.reject()


def test_the_outbox_note_says_a_repaired_copy_was_signed():
    from app.signing.repair import REPAIRED_NOTE, version_note

    assert version_note("Ký nháy", ()) == "Ký nháy"
    assert version_note("Ký nháy", (REPAIRED_NOTE,)) == "Ký nháy (ký trên bản sửa lại của tệp gốc bị hỏng)"


def test_apply_is_off_while_a_signing_is_in_flight(qtbot, tmp_path, context, softhsm_token):
    from app.signing.options import Profile

    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "dang-ky.pdf"), cert_label="specialist",
                      profile=Profile.INITIALS)
    failures = []
    dlg.controller.failed.connect(failures.append)
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    # The PIN dialog is up: a second "Áp dụng" would start a second signing of the same file.
    qtbot.waitUntil(lambda: context.broker.dialog is not None and context.broker.dialog.isVisible(), timeout=10000)
    assert dlg.cancel_button.isVisible() and not dlg.sign_button.isEnabled()
    answer_pin(qtbot, context.broker, "")
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert dlg.sign_button.isEnabled()
    dlg.reject()


@pytest.mark.parametrize(("profile", "title"), [
    ("LEADER", "Ký số token — a.pdf"), ("INITIALS", "Ký nháy — a.pdf"), ("SEAL", "Ký số cơ quan (đóng dấu) — a.pdf"),
])
def test_the_title_names_the_step(qtbot, tmp_path, context, profile, title):
    from app.signing.options import Profile

    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "a.pdf"), profile=Profile[profile])
    assert dlg.windowTitle() == title
    dlg.reject()


def test_the_dialog_fits_a_small_screen(qtbot, tmp_path, context):
    # 1366×768 laptops are common; the buttons at the bottom must stay on the screen.
    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "a.pdf"))
    area = dlg.screen().availableGeometry()
    title_bar = 30  # the window manager's, above the client area
    assert dlg.height() + title_bar <= area.height() and dlg.width() <= area.width()
    dlg.reject()


def _answer_question(qtbot, answer: str) -> list[str]:
    """Click `answer` in the certificate question once it is up; the question's text is kept."""
    from app.views.qt import QApplication, QMessageBox

    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "holderQuestion":
            QtCore.QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == answer).click()

    QtCore.QTimer.singleShot(0, click)
    return seen


def test_a_certificate_of_someone_else_is_named_and_must_be_confirmed(qtbot, tmp_path, context, softhsm_token):
    from app.domain import UserInfo
    from app.signing.options import Profile

    context.user = UserInfo("s", "hoant", "Nguyễn Thị Hoa", "hoant@binhdinh.gov.vn",
                            organization="Sở Thông tin và Truyền thông tỉnh Bình Định")
    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "nhay.pdf"), cert_label="leader",
                      profile=Profile.INITIALS)
    # The leader's certificate on a shared token, chosen by the specialist: said before anything is signed.
    assert dlg.holder_warning.isVisible() and "Lê Văn Tuấn" in dlg.holder_warning.text()
    qtbot.waitUntil(dlg.sign_button.isEnabled, timeout=10000)
    seen = _answer_question(qtbot, "Không ký")
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    assert seen and "Nguyễn Thị Hoa" in seen[0] and "Lê Văn Tuấn" in seen[0]
    assert context.broker.dialog is None and not dlg.output_path.exists()
    # "Vẫn ký" signs with it, as the officer decided.
    _answer_question(qtbot, "Vẫn ký")
    with qtbot.waitSignal(dlg.signed, timeout=60000):
        qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
        answer_pin(qtbot, context.broker, softhsm_token.user_pin)
    dlg.reject()
    # The officer's own certificate: no warning, no question.
    own = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "nhay-2.pdf"), cert_label="specialist",
                      profile=Profile.INITIALS)
    assert own.holder_warning.isHidden() and own.holder_warning.mismatch() == ""
    own.reject()


def test_the_pdf_password_prompt_goes_on_without_asking_about_the_certificate_again(qtbot, tmp_path, context,
                                                                                    softhsm_token):
    from app.domain import UserInfo
    from app.signing.errors import PasswordRequiredError
    from app.signing.options import Profile
    from app.views.qt import QApplication, QtWidgets

    context.user = UserInfo("s", "hoant", "Nguyễn Thị Hoa", "hoant@binhdinh.gov.vn",
                            organization="Sở Thông tin và Truyền thông tỉnh Bình Định")
    dlg = open_dialog(qtbot, context, make_sample_pdf(tmp_path / "nhay.pdf"), cert_label="leader",
                      profile=Profile.INITIALS)
    qtbot.waitUntil(dlg.sign_button.isEnabled, timeout=10000)
    seen = _answer_question(qtbot, "Vẫn ký")
    qtbot.mouseClick(dlg.sign_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    answer_pin(qtbot, context.broker, "")
    qtbot.waitUntil(lambda: not dlg.controller.busy, timeout=10000)
    asked_again: list[str] = []
    watching = [True]

    def watch() -> None:
        # The password prompt first, then (the bug) the certificate question: answered "Không ký".
        box = QApplication.activeModalWidget()
        if isinstance(box, QtWidgets.QInputDialog):
            box.setTextValue("mat-khau")
            box.accept()
        elif isinstance(box, QtWidgets.QMessageBox) and box.objectName() == "holderQuestion":
            asked_again.append(box.text())
            next(b for b in box.buttons() if b.text() == "Không ký").click()
        if watching[0]:
            QtCore.QTimer.singleShot(20, watch)

    # The signing stops for the file's password: once it is typed, the same "Áp dụng" goes on to
    # the PIN, without the certificate question the officer has already answered.
    QtCore.QTimer.singleShot(0, watch)
    dlg.controller.failed.emit(PasswordRequiredError("nhay.pdf"))
    try:
        answer_pin(qtbot, context.broker, "")
    finally:
        watching[0] = False
    assert dlg.pdf_password == "mat-khau" and not asked_again
    qtbot.waitUntil(lambda: not dlg.controller.busy, timeout=10000)
    dlg.reject()
