"""A Word draft in the real windows: "Ký nháy" converts the .docx, previews the PDF, signs it with the
token and uploads it beside the untouched .docx (the signature panel names the converter); the
leader signs that PDF where auto-placement puts it. (Numbering and sealing a Word draft's PDF:
tests/services/test_word_drafts.py.) A damaged .docx stops with a clear message and changes nothing."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from app.config import Settings
from app.domain import DocumentStatus
from app.fileio import sha256_file
from app.services.word_drafts import word_main
from app.signing.convert import LibreOfficeConverter
from app.signing.doctext import normalise, pdf_text, source_paragraphs
from app.views.qt import Qt
from app.views.signing.install import install
from tests.fixtures.gui import build_harness, close_harness
from tests.fixtures.pki import pdfsig, validation_context
from tests.signing.checks import assert_all_valid
from tests.signing.worddocs import decree30_docx

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(LibreOfficeConverter.find_program() is None, reason="LibreOffice is not installed"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise"),
]


def sign_in(qtbot, harness, username):
    with qtbot.waitSignal(harness.gui.extensions_installed, timeout=30000):
        return harness.sign_in(qtbot, username)


def select_document(qtbot, window, doc_id):
    assert window.document_panel.select_key(doc_id)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == doc_id,
                    timeout=10000)


def open_signing(qtbot, window, action, cert_label):
    actions = window.signing_actions
    action.trigger()
    # The .docx is downloaded and converted before the dialog opens.
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=120000)
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


@pytest.fixture
def harness(qtbot, module_sandbox, tmp_path, file_keyring, softhsm_token, demo_pki):
    from app.views.app import default_preview_factory

    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(demo_pki.root_cert_path, trust / "demo-root.pem")
    shutil.copy(demo_pki.intermediate_cert_path, trust / "demo-ca.pem")
    profile = replace(module_sandbox.profile(), tsa_url=demo_pki.tsa_url)
    settings = Settings(pkcs11_modules=(softhsm_token.module_path,), extra_trust_dir=str(trust))
    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring, settings=settings, profile=profile,
                      preview_factory=default_preview_factory(), extensions=[install])
    h.gui.start(silent=False)
    yield h
    window = h.gui.main_window
    actions = getattr(window, "signing_actions", None) if window is not None else None
    if actions is not None and actions.dialog is not None:
        actions.dialog.reject()
    close_harness(h)


def sign_out(qtbot, harness, window):
    window.actions_.logout.trigger()
    qtbot.waitUntil(lambda: harness.gui.main_window is None and harness.login.isVisible(), timeout=10000)


def test_docx_draft_story(qtbot, harness, tmp_path, softhsm_token, demo_pki, demo_nssdb):
    docx = decree30_docx(tmp_path / "Kế hoạch trồng cây 2026.docx")
    original = sha256_file(docx)
    window = sign_in(qtbot, harness, "hoant")
    idesk = window.backend.idesk
    ref = idesk.upload_file(docx)
    draft = idesk.create_draft("Kế hoạch trồng cây 2026", "", [(ref, "draft")], key="gui-word", form="Kế hoạch")
    window.document_loader.reload()
    qtbot.waitUntil(lambda: window.document_model.row_of(draft.id) >= 0, timeout=10000)
    select_document(qtbot, window, draft.id)
    actions = window.signing_actions
    # A Word main document is signable: the PDF is made when the step starts.
    qtbot.waitUntil(actions.initials.isEnabled, timeout=10000)

    dlg = open_signing(qtbot, window, actions.initials, "specialist")
    # The preview shows the converted PDF, named after the source, and says which converter made it.
    assert dlg.pdf_path.name == "Kế hoạch trồng cây 2026.pdf" and dlg.preview.page_count == 1
    assert "LibreOffice" in dlg.status.text()
    words = normalise(" ".join(source_paragraphs(docx)[0])).split()
    assert normalise(pdf_text(dlg.pdf_path)[0]).split() == words
    result = sign_with_pin(qtbot, window, dlg, softhsm_token.user_pin)
    dlg.reject()

    document = idesk.get_document(draft.id)
    assert document.summary.status is DocumentStatus.INITIALED
    word = word_main(document)
    assert [v.file.sha256 for v in word.source.versions] == [original]
    assert word.current and word.pdf.latest.file.sha256 == result.sha256
    assert "LibreOffice" in word.pdf.latest.note
    panel = window.signature_panel
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.path == str(result.output_path),
                    timeout=30000)
    assert panel.converter.startswith("LibreOffice") and "LibreOffice" in panel.summary.text()
    sign_out(qtbot, harness, window)

    # ---- the leader signs the PDF iDesk now holds: no second conversion -------------------
    window = sign_in(qtbot, harness, "tuanlv")
    select_document(qtbot, window, draft.id)
    actions = window.signing_actions
    qtbot.waitUntil(actions.sign.isEnabled, timeout=10000)
    dlg = open_signing(qtbot, window, actions.sign, "leader")
    assert dlg.pdf_path.read_bytes() == Path(result.output_path).read_bytes()
    # Auto-placement found the title and the name on the converted page.
    qtbot.waitUntil(lambda: dlg.placement.proposal is not None, timeout=20000)
    assert dlg.placement.proposal.page == 0
    if not dlg.placement.placements():
        dlg.placement.snap_to_proposal()
    assert dlg.placement.placements() == (dlg.placement.proposal,)
    leader = sign_with_pin(qtbot, window, dlg, softhsm_token.user_pin)
    dlg.reject()
    qtbot.waitUntil(lambda: window.current_document.summary.status is DocumentStatus.SIGNED, timeout=10000)

    # ---- iDesk: the .docx untouched beside the signed PDF, both signatures valid -------------
    idesk = window.backend.idesk
    document = idesk.get_document(draft.id)
    word = word_main(document)
    assert [v.file.sha256 for v in word.source.versions] == [original]
    final = idesk.download_file(word.pdf.latest.file, tmp_path / "final.pdf")
    assert sha256_file(final) == leader.sha256
    converted = idesk.download_file(word.pdf.versions[0].file, tmp_path / "converted.pdf")
    # Every signature is an incremental update of the converted bytes the specialist previewed.
    assert final.read_bytes().startswith(converted.read_bytes())
    assert normalise(pdf_text(converted)[0]).split() == words
    assert_all_valid(final, 2, vc=validation_context(demo_pki))
    if demo_nssdb is not None:
        assert pdfsig(final, demo_nssdb).count("Signature is Valid.") == 2


def test_a_damaged_docx_stops_with_a_clear_message_and_changes_nothing(qtbot, harness, tmp_path):
    good = decree30_docx(tmp_path / "goc.docx")
    bad = tmp_path / "Tờ trình hỏng.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[: len(data) // 3] if info.filename == "word/document.xml" else data)
    window = sign_in(qtbot, harness, "hoant")
    idesk = window.backend.idesk
    draft = idesk.create_draft("Tờ trình", "", [(idesk.upload_file(bad), "draft")], key="gui-word-bad")
    window.document_loader.reload()
    qtbot.waitUntil(lambda: window.document_model.row_of(draft.id) >= 0, timeout=10000)
    select_document(qtbot, window, draft.id)
    actions = window.signing_actions
    qtbot.waitUntil(actions.initials.isEnabled, timeout=10000)
    actions.initials.trigger()
    dialogs = harness.gui.errors.dialogs
    qtbot.waitUntil(lambda: bool(dialogs), timeout=120000)
    message = dialogs[0].error.message("vi")
    assert "Tờ trình hỏng.docx" in message and "Tệp gốc không bị thay đổi" in message
    assert actions.dialog is None
    document = idesk.get_document(draft.id)
    assert [a.name for a in document.attachments] == ["Tờ trình hỏng.docx"]
    assert document.summary.status is DocumentStatus.DRAFT


def test_batch_signing_leaves_a_word_draft_to_be_signed_on_its_own(qtbot, harness, tmp_path):
    docx = decree30_docx(tmp_path / "Báo cáo.docx")
    window = sign_in(qtbot, harness, "tuanlv")
    idesk = window.backend.idesk
    draft = idesk.create_draft("Báo cáo soạn bằng Word", "", [(idesk.upload_file(docx), "draft")], key="gui-word-batch")
    window.document_loader.reload()
    qtbot.waitUntil(lambda: window.document_model.row_of(draft.id) >= 0, timeout=10000)
    actions = window.signing_actions
    messages = []
    actions.message.connect(messages.append)
    actions.batch.trigger()
    qtbot.waitUntil(lambda: any("Word" in m for m in messages), timeout=60000)
    # Other Word drafts of this module's sandbox may be counted too.
    assert any(m.split(" ", 1)[0].isdigit() and "văn bản soạn bằng Word" in m for m in messages)
    dialog = actions.dialog
    if dialog is not None:
        # The other drafts waiting for the leader are offered; the Word draft (no PDF yet) is not.
        assert dialog.files and not any(f.name.startswith(draft.id) for f in dialog.files)
        dialog.reject()
