import threading

import pytest

from app.errors import BadInputError
from app.views.tasks import TaskRunner


def test_result_arrives_on_ui_thread(qtbot):
    errors = []
    runner = TaskRunner(on_error=errors.append)
    seen = {}
    ui_thread = threading.get_ident()

    def work(op):
        seen["worker"] = threading.get_ident()
        op.progress(1, 2, "nửa đường")
        return 42

    def done(value):
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    progress = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
        runner.run(work, receiver=runner, on_success=done, on_progress=lambda *a: progress.append(a))
    assert seen["value"] == 42
    assert seen["worker"] != ui_thread
    assert seen["callback"] == ui_thread
    assert progress == [(1, 2, "nửa đường")]
    assert errors == []


def test_core_progress_text_arrives_in_the_interface_language(qtbot, qapp):
    from app.text import Text
    from app.views.i18n import switch_language

    runner = TaskRunner(on_error=pytest.fail)
    step = Text("Đang gửi tệp", "Uploading the file")

    def steps_in(lang: str) -> list:
        progress = []
        switch_language(qapp, lang)
        with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
            runner.run(lambda op: op.progress(1, 2, step), receiver=runner,
                       on_progress=lambda *a: progress.append(a))
        return progress

    try:
        assert steps_in("en") == [(1, 2, "Uploading the file")]
    finally:
        assert steps_in("vi") == [(1, 2, "Đang gửi tệp")]


def test_failure_is_never_swallowed(qtbot):
    errors = []
    runner = TaskRunner(on_error=errors.append)

    def boom(op):
        raise BadInputError("Tệp hỏng.", "Broken file.")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
        runner.run(boom, receiver=runner, on_success=lambda _: pytest.fail("must not succeed"))
    assert len(errors) == 1 and isinstance(errors[0], BadInputError)
    assert runner.active == 0


def test_cancel_is_visible_to_the_worker(qtbot):
    runner = TaskRunner(on_error=pytest.fail)
    started = threading.Event()
    results = []

    def work(op):
        started.set()
        op.cancel_event.wait(5)
        return op.cancelled

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=8000):
        op = runner.run(work, receiver=runner, on_success=results.append)
        assert started.wait(5)
        op.cancel()
    assert results == [True]


def test_outcome_is_dropped_once_the_receiver_is_destroyed(qtbot):
    from app.views.qt import QLabel

    errors = []
    runner = TaskRunner(on_error=errors.append)
    label = QLabel()
    release = threading.Event()
    delivered = []

    def work(op):
        release.wait(5)
        return "xong"

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
        runner.run(work, receiver=label, on_success=lambda text: (label.setText(text), delivered.append(text)))
        label.deleteLater()
        with qtbot.waitSignal(label.destroyed, timeout=5000):
            pass
        release.set()
    runner.wait(5000)
    qtbot.waitUntil(lambda: runner.active == 0)
    # A late result finds no callback: no RuntimeError about a deleted QLabel, nothing delivered.
    assert delivered == [] and errors == []


def test_failure_after_the_receiver_is_gone_is_logged(qtbot, caplog):
    from app.views.qt import QObject

    errors = []
    runner = TaskRunner(on_error=errors.append)
    receiver = QObject()
    release = threading.Event()

    def boom(op):
        release.wait(5)
        raise BadInputError("Tệp hỏng.", "Broken file.")

    runner.run(boom, receiver=receiver, label="late")
    with qtbot.waitSignal(receiver.destroyed, timeout=5000):
        receiver.deleteLater()
    with caplog.at_level("WARNING", logger="app.views.tasks"):
        release.set()
        assert runner.wait(5000)
    assert errors == []
    assert any("after its window closed" in r.getMessage() for r in caplog.records)
