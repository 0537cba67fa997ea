"""The installed PySide6 keeps True and None alive across many cross-thread emits.

PySide6 6.12.0 drops a reference to True on every Python emit and to None on every queued delivery
to a Python slot; the interpreter then aborts (bool_dealloc / none_dealloc). The check runs in a
child process, so a broken Qt fails this test instead of killing the test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

EMITS = 50_000

PROGRAM = textwrap.dedent(
    """
    import sys, threading
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot, Qt

    N = int(sys.argv[1])

    class Source(QObject):
        fired = Signal(bool)
        done = Signal()

    class Sink(QObject):
        def __init__(self):
            super().__init__()
            self.count = 0

        @Slot(bool)
        def on_fired(self, value):
            self.count += 1

    app = QCoreApplication([])
    source, sink = Source(), Sink()
    source.fired.connect(sink.on_fired, Qt.QueuedConnection)
    source.done.connect(app.quit, Qt.QueuedConnection)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)

    def work():
        for _ in range(N):
            source.fired.emit(True)
        source.done.emit()

    worker = threading.Thread(target=work)
    worker.start()
    app.exec()
    worker.join()
    app.processEvents()
    print(sink.count, sys.getrefcount(True) - true_before, sys.getrefcount(None) - none_before)
    """
)


def test_cross_thread_emits_keep_true_and_none_alive(tmp_path):
    script = tmp_path / "emits.py"
    script.write_text(PROGRAM, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(script), str(EMITS)], capture_output=True, text=True, timeout=240, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    delivered, true_drift, none_drift = (int(x) for x in done.stdout.split())
    assert delivered == EMITS
    # A leak would show as a drift of about EMITS; a few references either way are the interpreter's.
    assert abs(true_drift) < 100 and abs(none_drift) < 100, (true_drift, none_drift)
