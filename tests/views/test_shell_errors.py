"""The crash dialog for bugs, the error dialog for expected failures, secrets kept out of the log."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from app.errors import AccountNotLinkedError, BadInputError, CancelledError
from app.views.crash_dialog import CrashReporter
from app.views.error_dialog import ErrorPresenter
from app.views.logsetup import LOG_FILE, RedactingFilter, redact, setup_logging
from app.views.qt import QApplication, Qt, QTimer
from app.views.tasks import TaskRunner

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.mark.qt_no_exception_capture
@pytest.mark.log_warnings
def test_unexpected_exception_shows_the_crash_dialog_and_copies_details(qtbot):
    reporter = CrashReporter().install()
    try:
        def boom():
            raise ZeroDivisionError("chia cho 0 trong bộ lọc")

        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=5000)
    finally:
        reporter.uninstall()
    dialog = reporter.dialogs[0]
    assert dialog.isVisible()
    assert "Đã xảy ra lỗi không mong muốn" in dialog.message.text()
    assert not dialog.detail_view.isVisible()
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.detail_view.isVisible()
    assert "ZeroDivisionError" in dialog.detail_view.toPlainText() and "boom" in dialog.detail_view.toPlainText()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "ZeroDivisionError: chia cho 0" in QApplication.clipboard().text()
    dialog.close()


@pytest.mark.qt_no_exception_capture
@pytest.mark.log_warnings
def test_exception_in_a_thread_reaches_the_dialog(qtbot):
    reporter = CrashReporter().install()
    try:
        worker = threading.Thread(target=lambda: 1 / 0, name="worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=5000)
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter._sys_hook
    dialog = reporter.dialogs[0]
    assert "ZeroDivisionError" in dialog.details
    dialog.close()


def test_expected_error_is_shown_in_plain_words(qtbot):
    crashes = []
    presenter = ErrorPresenter("vi", crashes.append)
    runner = TaskRunner(on_error=presenter)

    def fail(op):
        raise AccountNotLinkedError("GET us/user/me -> 401")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=5000):
        runner.run(fail, receiver=runner)
    dialog = presenter.dialogs[0]
    assert "Tài khoản liên kết cổng CBCC" in dialog.message.text()
    assert not dialog.detail_view.isVisible()
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert "us/user/me" in dialog.detail_view.toPlainText()
    assert crashes == []
    # The same failure twice at once (both lists) shows one dialog.
    assert presenter.present(AccountNotLinkedError("GET pa/dossier/search -> 401")) is dialog
    assert len(presenter.dialogs) == 1
    dialog.close()
    # English, cancellations and bugs.
    presenter.lang = "en"
    english = presenter.present(BadInputError("Tệp hỏng.", "Broken file.", detail="x"))
    assert english.message.text() == "Broken file."
    english.close()
    assert presenter.present(CancelledError()) is None
    bug = RuntimeError("bug")
    presenter.present(bug)
    assert crashes == [bug]


def test_log_redacts_secrets(tmp_path):
    assert "abc.def" not in redact("Authorization: Bearer abc.def-ghi")
    assert redact("pin=123456 ok") == "pin=*** ok"
    assert "s3cret" not in redact('{"password": "s3cret", "user": "hoant"}')
    assert "hoant" in redact('{"password": "s3cret", "user": "hoant"}')
    assert "rt-1" not in redact("refresh_token=rt-1&x=2")
    handler = setup_logging(tmp_path)
    try:
        log = logging.getLogger("lienthong.test")
        log.warning("token call with Bearer eyJhbGciOi.xyz and PIN: 1234")
        try:
            raise ValueError("password=hunter2")
        except ValueError:
            log.exception("failed for %s", "hoant")
        handler.flush()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "eyJhbGciOi" not in text and "1234" not in text and "hunter2" not in text
    assert "hoant" in text and "ValueError" in text
    assert isinstance(handler.filters[0], RedactingFilter)
