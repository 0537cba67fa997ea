"""Start screen and sign-in through the real SSO login page of the sandbox."""

from __future__ import annotations

import pytest

from app.paths import AppPaths
from app.views.qt import Qt

# The offscreen platform cannot pass size hints to windows; that warning is not the app's.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_sign_in_fills_both_lists(qtbot, gui_harness, sandbox):
    login = gui_harness.login
    assert login.isVisible()
    assert login.current_profile().issuer == sandbox.issuer
    window = gui_harness.sign_in(qtbot, "hoant")
    assert gui_harness.browser.opened and gui_harness.browser.opened[0].startswith(sandbox.issuer)
    assert window.isVisible() and not login.isVisible()
    assert "Nguyễn Thị Hoa" in window.windowTitle()
    assert window.dossier_model.rowCount() >= 40
    assert window.document_model.rowCount() >= 10
    codes = {d.code for d in window.dossier_model.rows()}
    linked = [d for d in window.document_model.rows() if d.dossier_code]
    assert linked and all(d.dossier_code in codes for d in linked)


def test_unlinked_account_shows_the_fix(qtbot, gui_harness):
    login = gui_harness.login
    gui_harness.browser.username = "khanhdq"
    qtbot.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.error_label.isVisible(), timeout=20000)
    text = login.error_label.text()
    assert "Không thể xác thực người dùng" in text
    assert "Tài khoản liên kết cổng CBCC" in text
    assert gui_harness.gui.main_window is None
    assert not login.waiting and login.sign_in_button.isEnabled()


def test_cancel_while_waiting_for_the_browser(qtbot, gui_harness):
    login = gui_harness.login
    gui_harness.browser.enabled = False  # the officer never finishes in the browser
    qtbot.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(gui_harness.browser.opened), timeout=10000)
    assert login.waiting and login.cancel_button.isVisible()
    qtbot.waitUntil(lambda: login.reopen_button.isVisible(), timeout=5000)
    qtbot.mouseClick(login.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not login.waiting, timeout=10000)
    assert "hủy" in login.error_label.text().lower()
    assert gui_harness.gui.main_window is None


def _hidden_main_windows():
    from app.views.qt import QApplication

    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and not w.isVisible()]


def test_the_main_window_is_built_while_the_sign_in_waits_and_holds_nobody_s_data(qtbot, gui_harness):
    login, gui = gui_harness.login, gui_harness.gui
    gui_harness.browser.enabled = False  # the officer is still in the browser
    before = set(_hidden_main_windows())
    qtbot.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(gui_harness.browser.opened), timeout=10000)
    qtbot.waitUntil(lambda: bool(set(_hidden_main_windows()) - before), timeout=10000)
    (spare,) = set(_hidden_main_windows()) - before
    assert gui.main_window is None and "backend" not in vars(spare)
    assert spare.windowTitle() == "" and spare.user_label.text() == ""
    assert spare.dossier_model.rowCount() == 0 and spare.document_model.rowCount() == 0
    # Cancelled: nothing shows; the next sign-in takes the same window.
    qtbot.mouseClick(login.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not login.waiting, timeout=10000)
    assert not spare.isVisible() and gui.main_window is None
    gui_harness.browser.enabled = True
    window = gui_harness.sign_in(qtbot, "tuanlv")
    assert window is spare and window.isVisible()
    assert "Lê Văn Tuấn" in window.windowTitle() and "Lê Văn Tuấn" in window.user_label.text()
    assert window.dossier_model.rowCount() > 0


def test_logout_then_silent_sign_in_is_gone(qtbot, signed_in, file_keyring):
    harness, window = signed_in
    gui = harness.gui
    window.actions_.logout.trigger()
    assert gui.main_window is None and harness.login.isVisible()
    qtbot.waitUntil(lambda: not gui.runner.active, timeout=10000)
    # Nothing remembered any more: a silent sign-in comes back idle.
    with qtbot.waitSignal(gui.sign_in.idle, timeout=10000):
        gui.sign_in.restore(harness.login.current_profile())


def _session_stored(qtbot, sandbox, folder, keyring):
    """An earlier start where hoant signed in through the browser: her session is in `keyring`."""
    from tests.fixtures.gui import build_harness, close_harness

    first = build_harness(qtbot, sandbox, folder, keyring)
    first.gui.start(silent=False)
    first.sign_in(qtbot, "hoant", wait_lists=False)
    close_harness(first)


def test_silent_sign_in_at_start(qtbot, sandbox, tmp_path, file_keyring):
    from tests.fixtures.gui import build_harness, close_harness

    _session_stored(qtbot, sandbox, tmp_path / "a", file_keyring)
    # A second start with the same keyring signs in without the browser.
    second = build_harness(qtbot, sandbox, tmp_path / "b", file_keyring)
    try:
        with qtbot.waitSignal(second.gui.main_window_shown, timeout=15000):
            second.gui.start(silent=True)
        assert second.browser.opened == []
        qtbot.waitUntil(lambda: not second.main.dossier_loader.loading, timeout=15000)
    finally:
        close_harness(second)


def test_a_silent_sign_in_started_before_the_windows_goes_straight_to_the_main_window(
    qtbot, sandbox, tmp_path, file_keyring
):
    from tests.fixtures.gui import build_harness, close_harness

    _session_stored(qtbot, sandbox, tmp_path / "a", file_keyring)
    # `lienthong gui` starts the silent sign-in before it loads Qt; here it has finished first.
    second = build_harness(qtbot, sandbox, tmp_path / "b", file_keyring, early_sign_in=sandbox.profile())
    backend = second.early.result.result(timeout=30)
    assert backend is not None
    try:
        with qtbot.waitSignal(second.gui.main_window_shown, timeout=15000):
            second.gui.start(silent=True)
        # Its outcome is taken as is (no second sign-in), and the sign-in window was not even built.
        assert second.gui.backend is backend and second.browser.opened == []
        assert second.gui.built_login_window is None
        qtbot.waitUntil(lambda: not second.main.dossier_loader.loading, timeout=15000)
    finally:
        close_harness(second)


def test_the_start_screen_waits_for_a_silent_sign_in_still_under_way(qtbot, sandbox, tmp_path, file_keyring):
    import threading

    from tests.fixtures.gui import build_harness, close_harness

    _session_stored(qtbot, sandbox, tmp_path / "a", file_keyring)
    answer = threading.Event()

    class SlowKeyring:
        """The system keyring, answering only when the test says so."""

        def get_password(self, service, account):
            answer.wait(30)
            return file_keyring.get_password(service, account)

        def __getattr__(self, name):
            return getattr(file_keyring, name)

    second = build_harness(qtbot, sandbox, tmp_path / "b", SlowKeyring(), early_sign_in=sandbox.profile())
    try:
        with qtbot.waitSignal(second.gui.main_window_shown, timeout=15000):
            second.gui.start(silent=True)
            assert second.login.isVisible() and second.login.waiting
            answer.set()
        assert second.gui.backend is second.early.result.result()
        assert second.browser.opened == []
    finally:
        answer.set()
        close_harness(second)


def test_a_silent_sign_in_for_another_profile_is_not_taken(qtbot, sandbox, tmp_path, file_keyring):
    import dataclasses

    from tests.fixtures.gui import build_harness, close_harness

    _session_stored(qtbot, sandbox, tmp_path / "a", file_keyring)
    # Nothing is stored for that profile: taken, its outcome would leave the officer signed out.
    other = dataclasses.replace(sandbox.profile(), name="another")
    second = build_harness(qtbot, sandbox, tmp_path / "b", file_keyring, early_sign_in=other)
    assert second.early.result.result(timeout=30) is None
    try:
        with qtbot.waitSignal(second.gui.main_window_shown, timeout=15000):
            second.gui.start(silent=True)
        assert "Nguyễn Thị Hoa" in second.main.windowTitle()
    finally:
        close_harness(second)


def test_a_silent_sign_in_refused_before_the_windows_shows_why_on_the_start_screen(
    qtbot, sandbox, tmp_path, file_keyring
):
    from app.services.compose import connect
    from tests.fixtures.browser import scripted_browser
    from tests.fixtures.gui import ACCOUNTS, build_harness, close_harness

    # An SSO session for an account iGate does not know, stored by an earlier sign-in.
    paths = AppPaths.under(tmp_path / "a").ensure()
    browser = scripted_browser("khanhdq", ACCOUNTS["khanhdq"])
    connect(sandbox.profile(), paths, keyring_backend=file_keyring, browser=browser).login(timeout=30)
    harness = build_harness(qtbot, sandbox, tmp_path / "b", file_keyring, early_sign_in=sandbox.profile())
    try:
        with qtbot.waitSignal(harness.gui.sign_in.failed, timeout=15000):
            harness.gui.start(silent=True)
        login = harness.login
        assert login.isVisible() and login.error_label.isVisible()
        assert "Tài khoản liên kết cổng CBCC" in login.error_label.text()
        assert harness.gui.main_window is None and not login.waiting
    finally:
        close_harness(harness)


def test_cancelled_silent_sign_in_stays_on_the_start_screen(qtbot, sandbox, tmp_path, file_keyring):
    from tests.fixtures.gui import build_harness, close_harness

    _session_stored(qtbot, sandbox, tmp_path / "a", file_keyring)
    second = build_harness(qtbot, sandbox, tmp_path / "b", file_keyring)
    try:
        with qtbot.waitSignal(second.gui.sign_in.failed, timeout=15000):
            second.gui.start(silent=True)
            assert second.login.waiting
            # "Hủy" before the answer arrives (no event is processed in between).
            second.login.cancel_requested.emit()
        assert second.gui.main_window is None and not second.login.waiting
        assert "hủy" in second.login.error_label.text().lower()
    finally:
        close_harness(second)


def test_window_titles_leave_the_app_name_to_the_platform(qtbot, gui_harness):
    # Qt appends the application display name ("… — Liên Thông Desk") to every window title on
    # Windows and X11; a title that starts with it showed the name twice.
    login = gui_harness.login
    assert login.windowTitle() == "Đăng nhập"
    window = gui_harness.sign_in(qtbot, "hoant")
    assert window.windowTitle() == "Nguyễn Thị Hoa"


def test_signing_out_ends_the_remote_signing_session_too(qtbot, gui_harness, sandbox, file_keyring):
    # Walk-through: hoant signed remotely, signed out; tuanlv signed in on the same computer and his
    # "Lãnh đạo ký số" went out with Nguyễn Thị Hoa's remote credential.
    from app.sandbox import accounts
    from app.signing.remote.errors import RemoteSignInError
    from app.signing.remote.provider import oidc_client, restore_session, sign_in, training_provider
    from tests.fixtures.browser import scripted_browser

    provider = training_provider(sandbox.csc_url, sandbox.issuer)
    gui = gui_harness.gui
    gui.remote_providers, gui.remote_keyring = (provider,), file_keyring
    account = accounts.by_username("hoant")
    sign_in(provider, keyring_backend=file_keyring, browser=scripted_browser("hoant", account.password))
    assert restore_session(provider, keyring_backend=file_keyring) is not None
    gui_harness.sign_in(qtbot, "hoant")
    gui.logout()
    stored = oidc_client(provider, keyring_backend=file_keyring).store
    qtbot.waitUntil(lambda: stored.load() is None, timeout=10000)
    with pytest.raises(RemoteSignInError):
        restore_session(provider, keyring_backend=file_keyring)
