"""Shell flows: resuming a half-done transfer at start, re-login on an expired session, settings."""

from __future__ import annotations

import threading

import pytest

from app.config import load_settings
from app.errors import CancelledError, SessionExpiredError
from app.views.qt import Qt
from tests.fixtures.gui import build_harness, close_harness
from tests.fixtures.states import is_processing

# The offscreen platform can neither pass size hints nor raise windows; those warnings are not the app's.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise"),
]


@pytest.fixture
def harness(qtbot, module_sandbox, tmp_path, file_keyring):
    h = build_harness(qtbot, module_sandbox, tmp_path, file_keyring)
    h.gui.start(silent=False)
    yield h
    close_harness(h)


def test_half_done_transfer_is_offered_and_resumed(qtbot, harness):
    window = harness.sign_in(qtbot, "hoant")
    backend = window.backend
    linked = {d.dossier_code for d in window.document_model.rows()}
    summary = next(
        d for d in window.dossier_model.rows() if is_processing(d) and d.code not in linked
    )
    dossier = backend.igate.get_dossier(summary.id)
    stop = threading.Event()
    stop.set()  # the officer cancelled (or the machine went down) right after it started
    with pytest.raises(CancelledError):
        backend.transfers.send_to_idesk(dossier, summary.procedure_name, [dossier.components[0].files[0]], cancel=stop)
    assert backend.transfers.pending()

    harness.gui.offer_pending()
    qtbot.waitUntil(lambda: "pending" in window.dialogs and window.dialogs["pending"].isVisible(), timeout=10000)
    dialog = window.dialogs["pending"]
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.topLevelItem(0).text(1) == dossier.code
    before = window.document_model.rowCount()
    qtbot.mouseClick(dialog.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document_model.rowCount() == before + 1, timeout=20000)
    assert window.document_panel.current_item().dossier_code == dossier.code
    assert backend.transfers.pending() == []


def test_expired_session_asks_to_sign_in_again_and_keeps_the_window(qtbot, harness):
    window = harness.sign_in(qtbot, "hoant")
    window.dossier_panel.search_edit.setText("giữ nguyên")
    old = window.backend.connected
    harness.gui.errors.present(SessionExpiredError("refresh token refused"))
    login = harness.login
    assert login.isVisible() and "hết hạn" in login.error_label.text()
    qtbot.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.backend.connected is not old, timeout=20000)
    assert harness.gui.main_window is window and window.isVisible() and not login.isVisible()
    assert window.dossier_panel.search_edit.text() == "giữ nguyên"
    assert window.backend.igate.search_dossiers(size=1).items


def test_a_new_language_applies_at_once_and_keeps_the_session(qtbot, harness):
    window = harness.sign_in(qtbot, "hoant")
    backend = window.backend
    qtbot.waitUntil(lambda: not window.document_loader.loading and window.document_model.rowCount() > 2,
                    timeout=20000)
    chosen = window.document_model.item(2).id
    window.document_panel.select_key(chosen)
    qtbot.waitUntil(lambda: window.current_document is not None and window.current_document.id == chosen,
                    timeout=20000)
    window.actions_.settings.trigger()
    dialog = window.dialogs["settings"]
    assert dialog.isVisible() and dialog.tabs.count() >= 1
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    try:
        with qtbot.waitSignal(harness.gui.language_changed, timeout=5000):
            dialog.save()
        assert load_settings(harness.paths.config_file).language == "en"
        assert harness.gui.settings.language == "en"
        # No restart: the main window is open again, in English, on the same session.
        new = harness.main
        assert new is not window and new.isVisible() and not window.isVisible()
        assert new.backend is backend and new.actions_.logout.text() == "Sign out"
        assert harness.login.sign_in_button.text() == "Sign in through SSO" and not harness.login.isVisible()
        qtbot.waitUntil(lambda: not new.dossier_loader.loading and new.dossier_model.rowCount() > 0, timeout=20000)
        # The document the officer had chosen is chosen again, with its details.
        qtbot.waitUntil(lambda: new.current_document is not None and new.current_document.id == chosen,
                        timeout=20000)
        # The core's messages follow the interface: an error reads in English.
        assert harness.gui.errors.lang == "en"
    finally:
        with qtbot.waitSignal(harness.gui.language_changed, timeout=5000):
            harness.gui.set_language("vi")
    assert harness.main.actions_.logout.text() == "Đăng xuất"
    assert harness.login.sign_in_button.text() == "Đăng nhập qua SSO"


def test_settings_pages_from_extensions(qtbot, harness):
    from app.views.qt import QLabel

    harness.gui.add_settings_page(lambda parent: QLabel("trang ký số", parent), "Hồ sơ ký số")
    harness.sign_in(qtbot, "hoant", wait_lists=False)
    dialog = harness.gui.open_settings()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[-1] == "Hồ sơ ký số"
    dialog.reject()


def test_window_layout_is_remembered(qtbot, harness):
    window = harness.sign_in(qtbot, "hoant", wait_lists=False)
    window.resize(720, 520)
    window.lists_splitter.setSizes([200, 500])
    wanted = window.lists_splitter.sizes()
    window.close()  # saves the layout
    harness.gui.logout()
    again = harness.sign_in(qtbot, "hoant", wait_lists=False)
    assert again is not window
    assert (again.width(), again.height()) == (720, 520)
    assert again.lists_splitter.sizes() == wanted


def test_profile_file_is_offered(qtbot, harness, tmp_path, sandbox):
    login = harness.login
    good = tmp_path / "tinh.toml"
    good.write_text(
        f'name = "tinh"\nissuer = "{sandbox.issuer}"\n'
        f'igate_url = "{sandbox.igate_url}"\nidesk_url = "{sandbox.idesk_url}"\n',
        encoding="utf-8",
    )
    profile = login.add_profile_file(good)
    assert profile is not None and login.current_profile().name == "tinh"
    assert login.profile_combo.currentText() == "tinh"
    bad = tmp_path / "hong.toml"
    bad.write_text("issuer = [", encoding="utf-8")
    assert login.add_profile_file(bad) is None
    assert login.error_label.isVisible() and login.current_profile().name == "tinh"


def test_another_officer_after_expiry_gets_a_fresh_window(qtbot, harness):
    window = harness.sign_in(qtbot, "hoant", wait_lists=False)
    harness.gui.errors.present(SessionExpiredError("refresh token refused"))
    fresh = harness.sign_in(qtbot, "tuanlv", wait_lists=False)
    assert fresh is not window and harness.gui.main_window is fresh
    assert fresh.backend.user.username == "tuanlv" and not window.isVisible()


def test_sessions_ended_at_the_sso_ask_to_sign_in_again(qtbot, make_sandbox, tmp_path, file_keyring):
    box = make_sandbox()
    h = build_harness(qtbot, box, tmp_path, file_keyring)
    try:
        h.gui.start(silent=False)
        window = h.sign_in(qtbot, "hoant")
        # An SSO administrator ends every session (tokens revoked at the provider).
        with box.db.connection() as conn:
            conn.execute("UPDATE tokens SET access_revoked = 1, refresh_revoked = 1")
            conn.commit()
        window.actions_.refresh.trigger()
        qtbot.waitUntil(lambda: h.login.isVisible() and h.login.error_label.isVisible(), timeout=20000)
        assert "hết hạn" in h.login.error_label.text()
        # One prompt to sign in again, no error dialog for the other list that failed the same way.
        assert h.gui.errors.dialogs == [] and h.gui.crash.dialogs == []
        old = window.backend.connected
        searches = len([r for r in box.request_log if "dossier/search" in r.path and r.status == 200])
        qtbot.mouseClick(h.login.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.backend.connected is not old, timeout=20000)
        assert h.gui.main_window is window
        # The lists load again by themselves with the new session.
        qtbot.waitUntil(
            lambda: len([r for r in box.request_log if "dossier/search" in r.path and r.status == 200]) > searches,
            timeout=20000,
        )
        qtbot.waitUntil(lambda: not window.dossier_loader.loading, timeout=20000)
        assert window.dossier_model.rowCount() >= 40
    finally:
        close_harness(h)


def test_closed_session_reads_as_an_ended_session(qtbot, harness):
    from app.errors import NotSignedInError

    harness.sign_in(qtbot, "hoant", wait_lists=False)
    harness.gui.errors.present(NotSignedInError("session signed out"))
    harness.gui.errors.present(SessionExpiredError("refresh token refused"))
    assert "hết hạn" in harness.login.error_label.text()
    assert harness.gui.errors.dialogs == []
