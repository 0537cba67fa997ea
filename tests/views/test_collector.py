"""The GUI's garbage collection: full collections on the UI thread, never under the officer's hands."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from app.views.collector import UiCollector
from app.views.qt import QCoreApplication, QEvent, Qt, QtGui, QWidget
from tests.fixtures.clock import ManualClock


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def grow_oldest_generation() -> tuple[list[list[list[int]]], weakref.ref[Node]]:
    """What a list load leaves: more than a quarter as many long-lived objects again as the oldest
    generation holds, pushed there by the young collections CPython runs as they are made. And a
    reference cycle that reached the oldest generation and then lost its last outside reference:
    only a full collection frees it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    kept = [[[i]] for i in range(len(gc.get_objects(generation=2)) // 2 + 50_000)]
    garbage = weakref.ref(a)
    del a, b
    return kept, garbage


def key_press(widget: QWidget) -> None:
    QCoreApplication.sendEvent(
        widget, QtGui.QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
    )


@pytest.fixture
def full_collections():
    """(generation, thread) of every full collection while the test runs."""
    seen: list[str] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(threading.current_thread().name)

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


@pytest.fixture
def collector(qapp):
    saved = gc.get_threshold(), gc.isenabled()
    clock = ManualClock()
    made = UiCollector(qapp, clock=clock, quiet_s=1.5, longest_wait_s=600)
    made.clock = clock  # type: ignore[attr-defined]
    yield made
    made.stop()
    assert (gc.get_threshold(), gc.isenabled()) == saved


def test_no_full_collection_runs_on_a_worker_thread_while_the_collector_runs(collector, full_collections):
    collector.start()
    kept = []
    loader = threading.Thread(target=lambda: kept.append(grow_oldest_generation()[0]), name="list-loader")
    loader.start()
    loader.join()
    assert kept and full_collections == []


def test_a_due_full_collection_waits_until_the_officer_stops_typing(collector, full_collections, qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    collector.start()
    kept, garbage = grow_oldest_generation()
    assert gc.get_count()[2] > 10, "the young collections ran"

    key_press(widget)
    collector.clock.advance(1.0)
    assert collector.tick() is False
    assert garbage() is not None and full_collections == []

    collector.clock.advance(0.6)
    assert collector.tick() is True
    assert garbage() is None
    assert full_collections == [threading.current_thread().name]
    assert collector.tick() is False, "not due again until the oldest generation grows"
    del kept


def test_a_full_collection_that_waited_too_long_runs_under_the_officer_s_hands(collector, full_collections, qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    collector.start()
    kept, garbage = grow_oldest_generation()
    key_press(widget)
    assert collector.tick() is False
    for _ in range(10):
        collector.clock.advance(60.0)
        key_press(widget)
        if collector.tick():
            break
    assert garbage() is None and len(full_collections) == 1
    assert collector.full_collections == 1
    del kept


def test_stop_gives_collection_back_to_cpython(collector):
    before = gc.get_threshold()
    collector.start()
    assert gc.isenabled() and gc.get_threshold()[2] > 10**6
    collector.stop()
    assert gc.get_threshold() == before and not collector.running


def test_the_oldest_generation_is_not_counted_under_the_officer_s_hands(collector, qtbot, monkeypatch):
    """Counting it walks every object there: 8-17 ms with 10,000 dossiers loaded."""
    widget = QWidget()
    qtbot.addWidget(widget)
    collector.start()
    kept, garbage = grow_oldest_generation()
    walks: list[int] = []
    walk = gc.get_objects

    def counted_walk(*args, **kwargs):
        walks.append(1)
        return walk(*args, **kwargs)

    monkeypatch.setattr(gc, "get_objects", counted_walk)
    key_press(widget)
    for _ in range(3):
        collector.clock.advance(0.4)
        assert collector.tick() is False
    assert walks == []
    collector.clock.advance(0.4)
    assert collector.tick() is True and garbage() is None
    del kept
