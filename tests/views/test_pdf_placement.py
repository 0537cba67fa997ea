import pytest
from PySide6.QtTest import QTest

from app.signing.geometry import Placement
from app.views.pdf import geometry as geo
from app.views.pdf.placement_panel import PlacementPanel
from app.views.pdf.preview import PdfPreview
from app.views.qt import Qt, QtCore
from tests.fixtures.sample_pdfs import MARKER_RGB, find_colour, marker_displayed

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

BOX = (150.0, 75.0)


@pytest.fixture
def editor(qtbot, sample_pdf):
    preview = PdfPreview()
    preview.resize(1400, 950)
    preview.thumbs_button.setChecked(False)
    panel = PlacementPanel(preview, box_size=BOX)
    qtbot.addWidget(preview)
    qtbot.addWidget(panel)
    preview.show()
    panel.show()
    qtbot.waitExposed(preview)
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(sample_pdf)
    qtbot.waitUntil(lambda: preview.page_sizes[3] == (400.0, 550.0), timeout=5000)
    preview.set_zoom_percent(100)
    yield preview, panel
    preview.close_document()


def wait_rendered(qtbot, preview, pages):
    def done():
        for p in pages:
            c = preview.cache.get((preview.doc_id, "page", p))
            assert c is not None and c[0] == pytest.approx(preview.zoom)
    qtbot.waitUntil(done, timeout=5000)
    preview.canvas.viewport().repaint()


def centre(rect):
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


def pt(x, y):
    return QtCore.QPoint(round(x), round(y))


@pytest.mark.parametrize("target", [1, 2, 3], ids=["plain page 2", "rotated page 3", "cropped page 4"])
def test_drag_signature_onto_page(qtbot, editor, target):
    preview, panel = editor
    canvas, vp = preview.canvas, preview.canvas.viewport()
    # Show the end of the previous page and the start of the target page.
    canvas.verticalScrollBar().setValue(int(canvas.page_layout.rects[target][1] - vp.height() / 3))
    wait_rendered(qtbot, preview, [target - 1, target])
    page_rect = canvas.page_rect_in_viewport(target)
    found = find_colour(vp.grab().toImage(), MARKER_RGB,
                        (page_rect.left(), page_rect.top(), page_rect.right(), vp.height()))
    assert found is not None and found[3] < vp.height() - 1, "the whole marker must be on screen"
    mx, my = centre(found)

    qtbot.mouseClick(panel.insert_button, Qt.MouseButton.LeftButton)
    assert panel.overlay.armed
    prev = canvas.page_rect_in_viewport(target - 1)
    start = pt(prev.center().x(), prev.bottom() - 120)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert panel.placements()[0].page == target - 1
    QTest.mouseMove(vp, pt((start.x() + mx) / 2, (start.y() + my) / 2))
    QTest.mouseMove(vp, pt(mx, my))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pt(mx, my))

    (placement,) = panel.placements()
    assert placement.page == target
    expected = centre(marker_displayed(target))
    got = centre(placement.rect)
    assert got[0] == pytest.approx(expected[0], abs=1.0)
    assert got[1] == pytest.approx(expected[1], abs=1.0)
    assert (placement.width, placement.height) == pytest.approx(BOX)
    assert not panel.overlay.armed
    assert panel.list.item(0).text() == f"Chữ ký trên trang {target + 1}"


def test_resize_keeps_aspect_ratio(qtbot, editor):
    preview, panel = editor
    canvas, vp = preview.canvas, preview.canvas.viewport()
    panel.model.add(Placement(0, (100.0, 100.0, 250.0, 175.0)))
    x0, y0, x1, y1 = panel.overlay.content_rect(panel.model[0])
    ox, oy = canvas.offset()
    handle = pt(x1 - ox - 3, y1 - oy - 3)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, handle)
    QTest.mouseMove(vp, pt(handle.x() + 120, handle.y() + 10))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                              pt(handle.x() + 120, handle.y() + 10))
    p = panel.placements()[0]
    assert p.rect[:2] == (100.0, 100.0)
    # The corner follows the pointer horizontally (the larger of the two asked sizes).
    corner_x = (handle.x() + 120 + ox - canvas.page_layout.rects[0][0]) / preview.zoom
    assert p.width == pytest.approx(corner_x - 100, abs=0.5)
    assert p.width > 230
    assert p.width / p.height == pytest.approx(2.0)


def test_remove_and_all_pages(qtbot, editor):
    preview, panel = editor
    panel.add_on_current_page()
    panel.add_on_current_page()
    assert len(panel.placements()) == 2
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(panel.placements()) == 1

    panel.all_pages_box.setChecked(True)
    placements = panel.placements()
    assert [p.page for p in placements] == [0, 1, 2, 3]
    for p, size in zip(placements, preview.page_sizes, strict=True):
        assert geo.clamp_rect_into(p.rect, size) == p.rect
        assert (p.width, p.height) == pytest.approx(BOX)
    panel.all_pages_box.setChecked(False)
    assert len(panel.placements()) == 1

    preview.canvas.setFocus()
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Delete)
    assert panel.placements() == ()
    assert not panel.remove_button.isEnabled()


def test_proposal_becomes_first_box_and_snap_target(qtbot, sample_pdf):
    from app.views.tasks import TaskRunner

    runner = TaskRunner(on_error=pytest.fail)
    proposal = Placement(1, (300.0, 600.0, 450.0, 675.0))
    seen = []
    preview = PdfPreview()
    panel = PlacementPanel(preview, runner=runner, proposer=lambda path: seen.append(path) or proposal, box_size=BOX)
    qtbot.addWidget(preview)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.proposal_ready, timeout=5000):
        preview.open(sample_pdf)
    assert seen == [str(sample_pdf)]
    assert panel.placements() == (proposal,)
    # A box dragged near the proposal snaps onto it.
    panel.model.replace(0, Placement(1, (305.0, 604.0, 455.0, 679.0)))
    assert panel.overlay._snap(panel.model[0]) == proposal
    panel.model.replace(0, Placement(0, (10.0, 10.0, 160.0, 85.0)))
    panel.snap_to_proposal()
    assert panel.placements() == (proposal,)
    # The view scrolled to the box.
    top, height = preview.canvas.verticalScrollBar().value(), preview.canvas.viewport().height()
    y0, y1 = panel.overlay.content_rect(proposal)[1::2]
    assert top <= y0 and y1 <= top + height
    preview.close_document()


def test_remembered_positions_wait_for_the_document(qtbot, sample_pdf):
    preview = PdfPreview()
    panel = PlacementPanel(preview, box_size=BOX)
    qtbot.addWidget(preview)
    qtbot.addWidget(panel)
    # Remembered for a longer document: page 9 becomes the last page, a box off the page comes back.
    panel.set_placements([Placement(9, (500.0, 500.0, 650.0, 575.0))])
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(sample_pdf)
    qtbot.waitUntil(lambda: preview.page_sizes[3] == (400.0, 550.0), timeout=5000)
    (p,) = panel.placements()
    assert p.page == 3
    assert p.rect == (250.0, 475.0, 400.0, 550.0)
    preview.close_document()


def test_drop_from_the_palette_places_a_box(qtbot, editor):
    from app.views.pdf.placement import SIGNATURE_MIME
    from app.views.qt import QtGui

    preview, panel = editor
    canvas, vp = preview.canvas, preview.canvas.viewport()
    preview.go_to_page(1)
    rect = canvas.page_rect_in_viewport(1)
    target = QtCore.QPointF(rect.left() + 300, rect.top() + 200)
    mime = QtCore.QMimeData()
    mime.setData(SIGNATURE_MIME, QtCore.QByteArray(b"signature"))
    for kind in (QtCore.QEvent.Type.DragEnter, QtCore.QEvent.Type.DragMove):
        event = (QtGui.QDragEnterEvent if kind == QtCore.QEvent.Type.DragEnter else QtGui.QDragMoveEvent)(
            target.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QtCore.QCoreApplication.sendEvent(vp, event)
        assert event.isAccepted()
    drop = QtGui.QDropEvent(target, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QtCore.QCoreApplication.sendEvent(vp, drop)
    (p,) = panel.placements()
    assert p.page == 1
    assert centre(p.rect) == pytest.approx((300 / preview.zoom, 200 / preview.zoom), abs=0.5)
    # Other drags (files, text) are refused.
    other = QtCore.QMimeData()
    other.setText("x")
    enter = QtGui.QDragEnterEvent(target.toPoint(), Qt.DropAction.CopyAction, other, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier)
    QtCore.QCoreApplication.sendEvent(vp, enter)
    assert not enter.isAccepted()


def test_dragging_to_the_bottom_edge_scrolls_to_the_next_page(qtbot, editor):
    preview, panel = editor
    canvas, vp = preview.canvas, preview.canvas.viewport()
    panel.model.add(Placement(0, (200.0, 300.0, 350.0, 375.0)))
    x0, y0, x1, y1 = panel.overlay.content_rect(panel.model[0])
    ox, oy = canvas.offset()
    grab = pt((x0 + x1) / 2 - ox, (y0 + y1) / 2 - oy)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grab)
    edge = pt(grab.x(), vp.height() - 2)
    start = canvas.verticalScrollBar().value()
    for _ in range(60):
        QTest.mouseMove(vp, edge)
    assert canvas.verticalScrollBar().value() > start + 600
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, edge)
    (p,) = panel.placements()
    assert p.page == canvas.page_layout.nearest_page(canvas.verticalScrollBar().value() + vp.height() - 2)
    assert p.page >= 1


def test_arrow_keys_nudge_the_selected_box(qtbot, editor):
    preview, panel = editor
    panel.model.add(Placement(0, (100.0, 100.0, 250.0, 175.0)))
    preview.canvas.setFocus()
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.placements()[0].rect == (101.0, 110.0, 251.0, 185.0)
    for _ in range(60):
        qtbot.keyClick(preview.canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert panel.placements()[0].rect[0] == 0.0  # stops at the page edge
