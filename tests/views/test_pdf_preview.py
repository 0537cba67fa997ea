import threading

import pytest

from app.views.pdf import geometry as geo
from app.views.qt import QImage, Qt, QtCore
from tests.fixtures.sample_pdfs import make_big_pdf

# The offscreen platform says so whenever a top-level window shows; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def open_and_wait(qtbot, preview, path, page_shown=0):
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(path)
    if page_shown is not None:
        qtbot.waitUntil(lambda: (preview.doc_id, "page", page_shown) in preview.cache._items, timeout=5000)
    return preview


def test_opens_multi_page_pdf_with_displayed_sizes(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    qtbot.waitUntil(lambda: preview.page_sizes[3] == (400.0, 550.0), timeout=5000)
    assert preview.page_count == 4
    # Rotated page: width and height swap; cropped page: the CropBox is what shows.
    assert preview.page_sizes == [(595.0, 842.0), (595.0, 842.0), (842.0, 595.0), (400.0, 550.0)]
    assert preview.page_count_label.text() == "/ 4"
    assert preview.current_page == 0


def test_the_canvas_keeps_qwidget_layout(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    # The page layout has its own name: QWidget.layout() still answers (a scroll area has none).
    assert preview.canvas.layout() is None
    assert preview.canvas.page_layout.rects


def test_visible_pages_render_first(qtbot, tmp_path, preview):
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    order = []
    preview.render_thread.rendered.connect(lambda d, tag, page, z, img: order.append((tag, page)))
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    visible = set(preview.canvas.visible_pages())
    qtbot.waitUntil(lambda: len([o for o in order if o[0] == "page"]) >= len(visible) + 1, timeout=5000)
    pages = [p for tag, p in order if tag == "page"]
    assert set(pages[:len(visible)]) == visible
    assert pages[0] == 0
    # Lazy: far pages are never rendered.
    assert max(pages) <= max(visible) + 2


def test_render_thread_owns_its_document(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    owner = preview.render_thread.document_threads[preview.doc_id]
    assert owner == preview.render_thread.thread_ident
    assert owner != threading.get_ident()
    # The UI side holds no PyMuPDF object at all, only QImages.
    assert not any(type(v).__module__.startswith("pymupdf") for v in vars(preview).values())
    zoom, image = preview.cache.get((preview.doc_id, "page", 0))
    assert isinstance(image, QImage)


def test_zoom_modes_change_image_size(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    qtbot.waitUntil(lambda: preview.page_sizes[2] == (842.0, 595.0), timeout=5000)
    vp_width = preview.canvas.viewport().width()
    # Fit width fits the widest page (the rotated one), so no page needs horizontal scrolling.
    qtbot.waitUntil(
        lambda: preview.cache.get((preview.doc_id, "page", 0))[0] == pytest.approx(preview.zoom), timeout=5000
    )
    zoom, image = preview.cache.get((preview.doc_id, "page", 0))
    assert zoom == pytest.approx((vp_width - 2 * geo.MARGIN) / 842.0)
    assert image.width() == geo.page_pixels(595, zoom)

    preview.set_zoom_percent(100)
    qtbot.waitUntil(lambda: preview.cache.get((preview.doc_id, "page", 0))[0] == pytest.approx(96 / 72), timeout=5000)
    image = preview.cache.get((preview.doc_id, "page", 0))[1]
    assert (image.width(), image.height()) == (794, 1123)
    assert preview.zoom_box.currentText() == "100%"

    preview.set_zoom_mode("fit_page")
    vp = preview.canvas.viewport()
    assert preview.zoom == pytest.approx(min((vp.width() - 24) / 595, (vp.height() - 24) / 842))
    qtbot.waitUntil(
        lambda: preview.cache.get((preview.doc_id, "page", 0))[0] == pytest.approx(preview.zoom), timeout=5000
    )
    assert preview.cache.get((preview.doc_id, "page", 0))[1].height() == geo.page_pixels(842, preview.zoom)
    r = preview.canvas.page_layout.rects[0]
    assert r[3] - r[1] == geo.page_pixels(842, preview.zoom)


def test_ctrl_wheel_and_keys_zoom(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    preview.set_zoom_percent(100)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(125)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(75)
    preview.canvas.zoom_step_requested.emit(1)
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(100)
    preview.zoom_box.setEditText("150%")
    preview.zoom_box.lineEdit().editingFinished.emit()
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(150)


def thumbnails_filled(qtbot, preview):
    qtbot.waitUntil(lambda: preview.thumbnails.count() == preview.page_count > 0, timeout=5000)


def test_page_navigation(qtbot, preview, sample_pdf):
    open_and_wait(qtbot, preview, sample_pdf)
    thumbnails_filled(qtbot, preview)
    pages = []
    preview.page_changed.connect(pages.append)
    qtbot.keyClick(preview.canvas, Qt.Key.Key_PageDown)
    assert preview.current_page == 1
    assert preview.page_box.value() == 2
    qtbot.keyClick(preview.canvas, Qt.Key.Key_End)
    assert preview.current_page == 3
    qtbot.keyClick(preview.canvas, Qt.Key.Key_PageUp)
    assert preview.current_page == 2
    qtbot.keyClick(preview.canvas, Qt.Key.Key_Home)
    assert preview.current_page == 0
    preview.page_box.setValue(3)
    assert preview.current_page == 2
    assert preview.canvas.verticalScrollBar().value() == int(preview.canvas.page_layout.rects[2][1] - geo.MARGIN)
    qtbot.mouseClick(
        preview.thumbnails.viewport(), Qt.MouseButton.LeftButton, pos=preview.thumbnails.row_rect(1).center()
    )
    assert preview.current_page == 1
    assert pages[:4] == [1, 3, 2, 0]
    # Thumbnails render for the rows in view.
    qtbot.waitUntil(lambda: (preview.doc_id, "thumb", 0) in preview.cache._items, timeout=5000)


def test_password_protected_pdf_asks_inline(qtbot, tmp_path, preview):
    import pymupdf

    path = tmp_path / "secret.pdf"
    doc = pymupdf.open()
    doc.new_page()
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="bimat", owner_pw="chu")
    doc.close()
    with qtbot.waitSignal(preview.open_failed, timeout=5000) as blocker:
        preview.open(path)
    assert blocker.args[0].code == "pdf_password_required"
    assert preview.password_bar.isVisible()
    preview.password_edit.setText("bimat")
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        qtbot.mouseClick(preview.password_button, Qt.MouseButton.LeftButton)
    assert not preview.password_bar.isVisible()
    assert preview.page_count == 1


def test_not_a_pdf_fails_with_message(qtbot, tmp_path, preview):
    path = tmp_path / "not.pdf"
    path.write_bytes(b"hello, not a pdf")
    with qtbot.waitSignal(preview.open_failed, timeout=5000) as blocker:
        preview.open(path)
    assert "not.pdf" in blocker.args[0].message("vi")
    with qtbot.waitSignal(preview.open_failed, timeout=5000) as blocker:
        preview.open(tmp_path / "khong-co.pdf")
    assert blocker.args[0].code == "file_missing"
    assert blocker.args[0].message("vi").startswith("Không tìm thấy tệp")


def test_pure_layout_and_conversions():
    layout = geo.layout_pages([(595, 842), (842, 595)], 1.0, 1000)
    assert layout.rects[0] == (202.0, 12.0, 797.0, 854.0)
    assert layout.rects[1][1] == 854.0 + geo.PAGE_SPACING
    assert layout.page_at(300, 500) == 0 and layout.page_at(10, 500) is None
    assert layout.visible_pages(800, 900) == [0, 1]
    r = layout.rects[1]
    assert geo.content_rect_to_displayed(r, 2.0, (r[0] + 20, r[1] + 40, r[0] + 220, r[1] + 140)) == (10, 20, 110, 70)
    assert geo.displayed_rect_to_content(r, 2.0, (10, 20, 110, 70)) == (r[0] + 20, r[1] + 40, r[0] + 220, r[1] + 140)
    assert geo.clamp_rect_into((-5, 590, 95, 640), (842, 595)) == (0, 545, 100, 595)
    assert geo.resize_keep_aspect((10, 10, 110, 60), 300, 70, 2.0) == (10, 10, 300, 155)
    assert geo.resize_keep_aspect((10, 10, 110, 60), 50, 200, 2.0) == (10, 10, 390, 200)


def test_real_ctrl_wheel_zooms_and_plain_wheel_scrolls(qtbot, preview, sample_pdf):
    from app.views.qt import QtGui

    open_and_wait(qtbot, preview, sample_pdf)
    preview.set_zoom_percent(100)
    vp = preview.canvas.viewport()

    def wheel(delta, mods):
        pos = QtCore.QPointF(100, 100)
        event = QtGui.QWheelEvent(
            pos,
            vp.mapToGlobal(pos),
            QtCore.QPoint(),
            QtCore.QPoint(0, delta),
            Qt.MouseButton.NoButton,
            mods,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QtCore.QCoreApplication.sendEvent(vp, event)

    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(125)
    before = preview.canvas.verticalScrollBar().value()
    wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert preview.canvas.verticalScrollBar().value() > before
    assert geo.zoom_to_percent(preview.zoom) == pytest.approx(125)


def test_page_cache_keeps_to_its_budget():
    from app.views.pdf.page_cache import PageCache

    image = QImage(100, 100, QImage.Format.Format_RGB888)
    cache = PageCache(budget_bytes=image.sizeInBytes() * 3)
    for page in range(5):
        cache.put((1, "page", page), 1.0, QImage(image))
    assert len(cache) == 3 and cache.used <= cache.budget
    assert cache.get((1, "page", 0)) is None and cache.get((1, "page", 4)) is not None
    cache.get((1, "page", 2))  # recently used: survives the next insertion
    cache.put((1, "page", 5), 1.0, QImage(image))
    assert cache.get((1, "page", 2)) is not None and cache.get((1, "page", 3)) is None
    cache.drop_document(1)
    assert len(cache) == 0 and cache.used == 0


def test_page_images_are_kept_in_the_backing_store_format(qtbot, preview, sample_pdf):
    """Painting a page then copies its pixels; an RGB888 image would be converted in every frame."""
    open_and_wait(qtbot, preview, sample_pdf)
    _, image = preview.cache.get((preview.doc_id, "page", 0))
    assert image.format() == QImage.Format.Format_RGB32


def test_thumbnails_follow_a_fast_scroll_at_a_bounded_rate_and_end_on_the_current_page(qtbot, tmp_path, preview):
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    thumbnails_filled(qtbot, preview)
    follows = []
    preview.thumbnails.selectionModel().currentChanged.connect(lambda current, _: follows.append(current.row()))
    for page in range(1, 40):  # one page a step, faster than the follow interval
        preview.go_to_page(page)
    assert follows == [1]  # the first change at once, the rest within the interval wait
    qtbot.waitUntil(lambda: preview.thumbnails.currentIndex().row() == 39, timeout=5000)
    assert follows == [1, 39]


def test_the_thumbnails_fill_in_after_page_1_is_on_screen(qtbot, tmp_path, preview):
    # Their list's layout and first paint would otherwise share page 1's frame and delay it.
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    at_open, at_shown = [], []
    preview.document_opened.connect(lambda _: at_open.append(preview.thumbnails.count()))
    preview.page_shown.connect(lambda page: at_shown.append(preview.thumbnails.count()))
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    assert at_open == [0] and at_shown == [0]
    thumbnails_filled(qtbot, preview)
    assert preview.thumbnails.sizes == preview.page_sizes
    assert preview.thumbnails.currentIndex().row() == 0
    # The page sizes that arrive later reach them too.
    qtbot.waitUntil(lambda: (preview.doc_id, "thumb", 0) in preview.cache._items, timeout=5000)


def test_the_neighbours_are_asked_for_once_page_1_is_on_screen(qtbot, tmp_path, preview, monkeypatch):
    # Working out which pages come next, between page 1's arrival and its paint, delayed it.
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    events = []
    real = preview.render_thread.set_wanted
    monkeypatch.setattr(preview.render_thread, "set_wanted",
                        lambda doc, tag, pages: (events.append(("wanted", tag, [p for p, _ in pages])),
                                                 real(doc, tag, pages)))
    put = preview.cache.put  # the first thing the preview does with an image that arrives
    monkeypatch.setattr(preview.cache, "put",
                        lambda key, zoom, image: (events.append(("arrived", key[1], key[2])), put(key, zoom, image)))
    preview.page_shown.connect(lambda page: events.append(("shown", page)))
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    arrived = events.index(("arrived", "page", 0))
    assert [e for e in events[arrived:] if e[0] != "arrived"] == [("shown", 0)]
    qtbot.waitUntil(lambda: any(e[0] == "wanted" and e[1] == "page" and 2 in e[2] for e in events[arrived:]),
                    timeout=5000)
    qtbot.waitUntil(lambda: (preview.doc_id, "page", 2) in preview.cache._items, timeout=5000)


def test_the_thumbnails_fill_in_when_page_1_cannot_be_shown(qtbot, tmp_path, preview, monkeypatch):
    path = make_big_pdf(tmp_path / "big.pdf", pages=3)
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(path)
    preview.canvas.page_failed(0)  # as when page 1's render fails
    thumbnails_filled(qtbot, preview)


def test_the_render_thread_reports_when_it_is_idle(qtbot, tmp_path, preview):
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    thread = preview.render_thread
    preview.close_document()  # its neighbours, sizes and thumbnails may still be on their way
    assert thread.wait_idle(10)
    with thread._cond:
        assert not thread._busy and not thread._has_work()


def test_the_zoom_controls_stay_still_when_a_document_opens(qtbot, tmp_path, preview):
    # A wider page count would move every control after it and repaint the whole toolbar while
    # page 1 is on its way; and the zoom buttons would jump from one document to the next.
    path = make_big_pdf(tmp_path / "big.pdf", pages=120)
    zoom = (preview.zoom_out_button, preview.zoom_box, preview.zoom_in_button)
    before = [w.geometry() for w in zoom]
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    QtCore.QCoreApplication.processEvents()  # the layout request the new texts post
    assert preview.page_count_label.text() == "/ 120"
    assert preview.page_box.maximum() == 120
    assert [w.geometry() for w in zoom] == before


def test_the_scroll_bar_takes_its_range_in_page_1s_frame(qtbot, tmp_path, preview):
    # Its repaint (a new range) would otherwise take the UI thread just as page 1 arrives.
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    bar = preview.canvas.verticalScrollBar()
    at_open, at_shown = [], []
    preview.document_opened.connect(lambda _: at_open.append(bar.maximum()))
    preview.page_shown.connect(lambda page: at_shown.append((page, bar.maximum())))
    with qtbot.waitSignal(preview.page_shown, timeout=5000):
        preview.open(path)
    assert at_open == [0]
    assert at_shown[0][0] == 0 and at_shown[0][1] > 0
    assert at_shown[0][1] == int(preview.canvas.page_layout.height - preview.canvas.viewport().height())


def test_the_scroll_bar_takes_its_range_when_page_1_cannot_be_shown(qtbot, tmp_path, preview):
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(path)
    preview.canvas.page_failed(0)  # as when page 1's render fails
    assert preview.canvas.verticalScrollBar().maximum() > 0


def test_going_to_a_page_before_page_1_shows_scrolls_there(qtbot, tmp_path, preview):
    path = make_big_pdf(tmp_path / "big.pdf", pages=60)
    with qtbot.waitSignal(preview.document_opened, timeout=5000):
        preview.open(path)
    preview.go_to_page(30)  # e.g. to a signature box the app proposes, before any page is drawn
    bar = preview.canvas.verticalScrollBar()
    assert bar.value() == int(preview.canvas.page_layout.rects[30][1] - geo.MARGIN) > 0
    assert preview.current_page == 30


def test_a_landscape_thumbnail_sits_centred_in_a_slot_as_tall_as_a_portrait_one(qtbot, preview, sample_pdf):
    """Every row lays out alike, its page number right under the slot: an icon smaller than the
    slot would leave the rest of the row to the label, which a selection fills with colour."""
    open_and_wait(qtbot, preview, sample_pdf)
    thumbnails_filled(qtbot, preview)
    icons = preview.thumbnails.model_.icons
    qtbot.waitUntil(lambda: 0 in icons and 2 in icons, timeout=5000)
    box = preview.thumbnails.iconSize()
    assert icons[0].actualSize(box) == icons[2].actualSize(box) == box
    landscape = icons[2].pixmap(box).toImage()  # in device pixels: twice the box on a 200 % screen
    middle, height = landscape.width() // 2, landscape.height()
    assert landscape.pixelColor(middle, 2).alpha() == 0  # above the page: the list shows through
    assert landscape.pixelColor(middle, height // 2).name() == "#ffffff"  # the page, centred
    top = next(y for y in range(height) if landscape.pixelColor(middle, y).alpha())
    bottom = max(y for y in range(height) if landscape.pixelColor(middle, y).alpha())
    assert abs(top - (height - 1 - bottom)) <= 1
    assert landscape.pixelColor(middle, top).name() == "#a0a0a0"  # its edge
