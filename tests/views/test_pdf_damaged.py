"""Damaged PDFs in the preview: the window stays alive and says what is wrong, once."""

from __future__ import annotations

import os
import sys

import pytest

from app.services.render_worker import RenderWorker
from app.views.pdf.render_service import RenderService
from app.views.qt import QtCore
from tests.fixtures.gui import shown_preview
from tests.fuzz import gen

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _render_fails(tmp_path):
    """Two pages; the second one's content nests graphics states past MuPDF's limit."""
    doc = gen.base_doc(pages=2)
    doc.objects[7] = gen.stream(b"", b"q " * 100_000)
    path = tmp_path / "trang-hong.pdf"
    path.write_bytes(doc.serialize())
    return path


def _unopenable(tmp_path, damage="tree_loop"):
    doc = gen.base_doc(pages=2)
    if damage == "tree_loop":  # the page tree lists itself among its kids
        doc.objects[2] = doc.objects[2].replace(b"/Kids [", b"/Kids [2 0 R ")
    else:
        doc.objects[2] = doc.objects[2].replace(b"/Count 2", b"/Count 1000000")
    path = tmp_path / f"{damage}.pdf"
    path.write_bytes(doc.serialize())
    return path


@pytest.mark.log_warnings
def test_failing_page_says_so_once_and_is_never_retried(qtbot, tmp_path, preview):
    failures, renders = [], []
    preview.render_thread.page_failed.connect(lambda d, page, detail: failures.append(page))
    preview.render_thread.rendered.connect(lambda d, tag, page, z, img: renders.append((tag, page, z)))
    with qtbot.waitSignal(preview.page_failed, timeout=10000) as blocker:
        preview.open(_render_fails(tmp_path))
    assert blocker.args == [1]
    assert preview.page_count == 2
    assert any(r[:2] == ("page", 0) for r in renders)
    # Scroll and zoom around: the UI asks again and again, the thread never renders it again.
    for percent in (50, 75, 100, 125):
        preview.set_zoom_percent(percent)
        preview.go_to_page(0)
        preview.go_to_page(1)
        # The visible pages were asked for at this zoom: page 0 comes back, page 1 never again.
        qtbot.waitUntil(lambda: ("page", 0, preview.zoom) in renders, timeout=10000)
    assert failures.count(1) == 1
    assert preview.canvas.failed_pages == {1}
    image = preview.canvas.grab().toImage()
    image.save(str(tmp_path / "failed-page.png"))
    # The message is drawn in the page's place (dark red text on the white page).
    rect = preview.canvas.page_rect_in_viewport(1).toRect().intersected(image.rect())
    reddish = sum(1 for x in range(rect.left(), rect.right(), 3) for y in range(rect.top(), rect.bottom(), 3)
                  if image.pixelColor(x, y).red() - image.pixelColor(x, y).green() > 40)
    assert reddish > 5
    assert preview.isVisible()


@pytest.mark.parametrize("damage", ["tree_loop", "count"])
def test_document_that_cannot_open_is_reported_not_blank(qtbot, tmp_path, preview, damage):
    with qtbot.waitSignal(preview.open_failed, timeout=10000) as blocker:
        preview.open(_unopenable(tmp_path, damage))
    error = blocker.args[0]
    assert "bị hỏng" in error.message("vi") and "xin người gửi" in error.message("vi")
    assert "damaged" in error.message("en")
    assert preview.doc_id == 0
    # The shared render thread still serves the next document.
    good = tmp_path / "tot.pdf"
    good.write_bytes(gen.base_doc(pages=1).serialize())
    with qtbot.waitSignal(preview.document_opened, timeout=10000):
        preview.open(good)


def _three_pages(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gen.base_doc(pages=3).serialize())
    return path


@pytest.fixture
def faulty_preview(qtbot):
    """A preview whose render worker crashes or hangs on page 2 of files named so."""
    worker = RenderWorker([sys.executable, "-m", "tests.views.faulty_render_child"], page_timeout=2.0)
    service = RenderService(worker)
    w = shown_preview(qtbot, service)
    yield w
    w.close_document()
    service.stop()


@pytest.mark.log_warnings
@pytest.mark.parametrize("fault", ["crash-me", "hang-me"])
def test_a_page_that_kills_or_hangs_the_renderer_says_so_and_the_rest_show(qtbot, tmp_path, faulty_preview, fault):
    preview = faulty_preview
    worker = preview.renderer.worker
    first_child = worker.pid
    rendered, gaps = [], []
    preview.render_thread.rendered.connect(lambda d, tag, page, z, img: rendered.append((tag, page)))
    # The UI thread stays free while the worker is stuck or restarting: a 20 ms timer keeps ticking.
    clock = QtCore.QElapsedTimer()
    clock.start()
    last = [0]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    preview.set_zoom_percent(25)  # all three pages in view
    with qtbot.waitSignal(preview.page_failed, timeout=15000) as blocker:
        preview.open(_three_pages(tmp_path, f"{fault}.pdf"))
    timer.stop()
    assert blocker.args == [1]
    assert preview.canvas.failed_pages == {1}
    # Pages 1 and 3 show, page 3 from the restarted worker.
    qtbot.waitUntil(lambda: {("page", 0), ("page", 2)} <= set(rendered), timeout=10000)
    assert worker.restarts == 1 and worker.pid != first_child
    # Had the UI thread waited on the stuck worker, one gap would span the whole page time bound;
    # anything shorter is the machine's load, not a block.
    assert max(gaps) < worker.page_timeout * 1000
    assert preview.isVisible()
    # The next document opens and renders as usual.
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        preview.open(_three_pages(tmp_path, "tot.pdf"))
    assert preview.page_count == 3


@pytest.mark.log_warnings
def test_page_tree_loop_is_reported_and_the_renderer_goes_on(qtbot, tmp_path, faulty_preview):
    preview = faulty_preview
    with qtbot.waitSignal(preview.open_failed, timeout=10000) as blocker:
        preview.open(_unopenable(tmp_path, "tree_loop"))
    assert "bị hỏng" in blocker.args[0].message("vi")
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        preview.open(_three_pages(tmp_path, "tot.pdf"))


def test_stopping_the_render_service_is_final_and_safe_after_its_thread_is_gone(qtbot):
    """At exit the exit handler stops the service, Qt may delete its thread, and then a preview
    that owned the service is destroyed and stops it again: no error, no restart."""
    service = RenderService().start()
    pid = service.worker.pid
    assert pid is not None
    service.stop()
    service.thread.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    service.stop()
    service.start()
    assert service.worker.pid is None


@pytest.mark.log_warnings
def test_a_document_that_keeps_killing_the_renderer_stops_being_rendered(qtbot, tmp_path, faulty_preview):
    """Every page crashes the worker: after a few restarts the remaining pages say they cannot be
    shown without another try, and the next document renders as usual."""
    preview = faulty_preview
    worker = preview.renderer.worker
    failed = []
    preview.page_failed.connect(failed.append)
    preview.set_zoom_percent(25)
    path = tmp_path / "crash-all.pdf"
    path.write_bytes(gen.base_doc(pages=8).serialize())
    preview.open(path)
    qtbot.waitUntil(lambda: bool(preview.canvas.visible_pages()) and
                    set(preview.canvas.visible_pages()) <= set(failed), timeout=30000)
    preview.go_to_page(7)
    qtbot.waitUntil(lambda: 7 in failed, timeout=30000)
    assert len(set(failed)) > 3
    assert worker.restarts == 3
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        preview.open(_three_pages(tmp_path, "tot.pdf"))


def _hold_page_1(tmp_path, name="wait-first.pdf"):
    """A three-page file whose page 1 the faulty child renders only once `release()` is called."""
    path = tmp_path / name
    path.write_bytes(gen.base_doc(pages=3).serialize())
    go = str(path) + ".go"
    os.mkfifo(go)
    writer = []

    def reader_waits() -> bool:
        try:  # the child opens the FIFO once page 1's render starts; until then there is no reader
            writer.append(os.open(go, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            return False
        return True

    def release() -> None:
        os.write(writer[0], b"1")
        os.close(writer[0])

    return path, reader_waits, release


def _page_1_pixel(preview):
    """The colour in the middle of page 1's place in the viewport, painted now."""
    x0, y0, x1, y1 = preview.canvas.page_rect_in_viewport(0).getCoords()
    image = preview.canvas.viewport().grab().toImage()
    return image.pixelColor(int((x0 + x1) / 2), int(min(y0 + 100, (y0 + y1) / 2))).name()


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the test holds page 1 back through a FIFO")


@needs_fifo
def test_the_pages_are_laid_out_while_page_1_renders(qtbot, tmp_path, faulty_preview, monkeypatch):
    """The UI hears of the document once page 1's render is on its way: the page count, sizes and
    layout are ready while the worker still renders page 1, and no blank page is painted in its
    place meanwhile (for a moment: then a blank page says one is coming); then page 1 shows."""
    from app.views.pdf import canvas

    monkeypatch.setattr(canvas, "FIRST_PAGE_WAIT_MS", 60_000)
    preview = faulty_preview
    path, reader_waits, release = _hold_page_1(tmp_path)
    rendered = []
    preview.render_thread.rendered.connect(lambda d, tag, page, z, img: rendered.append((tag, page)))
    with qtbot.waitSignal(preview.document_opened, timeout=10000):
        preview.open(path)
    assert preview.page_count == 3 and preview.canvas.page_layout.rects
    # Still rendering page 1, not given up on it at the time bound.
    assert ("page", 0) not in rendered and preview.renderer.worker.restarts == 0
    qtbot.waitUntil(reader_waits, timeout=10000)
    assert _page_1_pixel(preview) == "#525659"  # the viewport's background, not a white page
    with qtbot.waitSignal(preview.page_shown, timeout=10000) as shown:
        release()
    assert shown.args == [0]
    # A page 1 that takes longer than the wait gets its blank placeholder meanwhile.
    monkeypatch.setattr(canvas, "FIRST_PAGE_WAIT_MS", 50)
    path, reader_waits, release = _hold_page_1(tmp_path, "wait-first-2.pdf")
    with qtbot.waitSignal(preview.document_opened, timeout=10000):
        preview.open(path)
    qtbot.waitUntil(reader_waits, timeout=10000)
    qtbot.waitUntil(lambda: _page_1_pixel(preview) == "#ffffff", timeout=5000)
    with qtbot.waitSignal(preview.page_shown, timeout=10000):
        release()
