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
        runner.run(work, on_success=done, on_progress=lambda *a: progress.append(a))
    assert seen["value"] == 42
    assert seen["worker"] != ui_thread
    assert seen["callback"] == ui_thread
    assert progress == [(1, 2, "nửa đường")]
    assert errors == []


def test_failure_is_never_swallowed(qtbot):
    errors = []
    runner = TaskRunner(on_error=errors.append)

    def boom(op):
        raise BadInputError("Tệp hỏng.", "Broken file.")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
        runner.run(boom, on_success=lambda _: pytest.fail("must not succeed"))
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
        op = runner.run(work, on_success=results.append)
        assert started.wait(5)
        op.cancel()
    assert results == [True]
