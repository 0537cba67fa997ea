"""`PdfPreview`: the PDF viewer the main window embeds.

API for the main window:
    preview = PdfPreview(parent)
    preview.open(path, password=None)    # asynchronous; `document_opened(path)` when the layout is ready
    preview.close_document()
    preview.current_page / preview.go_to_page(i) / preview.page_count / preview.page_sizes
    preview.set_zoom_mode("fit_width" | "fit_page") / preview.set_zoom_percent(125)
    signals: page_changed(int), document_opened(str), open_failed(object: LienThongError),
             page_failed(int)
Pages render in the render worker process, through a `RenderService` passed in (one for the whole
app); a preview made without one starts and owns its own.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from app.errors import LienThongError
from app.signing.errors import CorruptPdfError, NotAPdfError, PasswordRequiredError, WrongPdfPasswordError
from app.views.pdf import geometry as geo
from app.views.pdf.canvas import PageCanvas
from app.views.pdf.page_cache import PageCache
from app.views.pdf.render_service import RenderService
from app.views.pdf.render_thread import TAG_PAGE, TAG_THUMB, OpenFailed
from app.views.pdf.thumbnails import ThumbnailList
from app.views.qt import QTimer, QtWidgets, QWidget, Signal

log = logging.getLogger(__name__)

ZOOM_STEPS = (25, 33, 50, 67, 75, 100, 125, 150, 200, 300, 400, 600)
# While the pages scroll by, the thumbnails follow the current page at most this often: each
# follow repaints the whole list and its scroll bar, a frame's worth of work of its own.
THUMBNAILS_FOLLOW_MS = 100


def _forget_documents(thread, doc_ids: set) -> None:
    for doc_id in list(doc_ids):
        thread.close_document(doc_id)
    doc_ids.clear()


class PdfPreview(QWidget):
    page_changed = Signal(int)
    document_opened = Signal(str)
    document_closed = Signal()
    open_failed = Signal(object)
    page_sizes_changed = Signal()  # sizes of later pages arrived (they start as page 1's size)
    page_shown = Signal(int)
    page_failed = Signal(int)  # the page cannot be drawn; the canvas says so in its place

    def __init__(self, parent=None, *, renderer: RenderService | None = None, cache: PageCache | None = None) -> None:
        super().__init__(parent)
        owned = renderer is None
        self.renderer = renderer if renderer is not None else RenderService()
        self.renderer.start()
        self.render_thread = self.renderer.thread
        self.cache = cache or PageCache()
        self.path: str | None = None
        self.doc_id = 0
        self._password: str | None = None
        self._open_ids: set[int] = set()
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(THUMBNAILS_FOLLOW_MS)
        self._follow.timeout.connect(self._follow_due)
        self._follow_pending = False
        self._build()
        t = self.render_thread
        t.opened.connect(self._on_opened)
        t.sizes_ready.connect(self._on_sizes)
        t.rendered.connect(self._on_rendered)
        t.failed.connect(self._on_failed)
        t.page_failed.connect(self._on_page_failed)
        # Runs after the Python wrapper may be gone, so it captures only the thread and the ids.
        self.destroyed.connect(functools.partial(_forget_documents, t, self._open_ids))
        if owned:
            self.destroyed.connect(functools.partial(RenderService.stop, self.renderer))

    def _build(self) -> None:
        tb = QtWidgets.QHBoxLayout()
        tb.setContentsMargins(4, 2, 4, 2)
        self.thumbs_button = QtWidgets.QToolButton(self)
        self.thumbs_button.setText(self.tr("Trang thu nhỏ"))
        self.thumbs_button.setCheckable(True)
        self.thumbs_button.setChecked(True)
        self.page_box = QtWidgets.QSpinBox(self)
        self.page_box.setKeyboardTracking(False)
        self.page_box.setRange(0, 0)
        self.page_box.setAccessibleName(self.tr("Số trang"))
        self.page_count_label = QtWidgets.QLabel("/ 0", self)
        self.zoom_out_button = QtWidgets.QToolButton(self)
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(self.tr("Thu nhỏ (Ctrl -)"))
        self.zoom_in_button = QtWidgets.QToolButton(self)
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(self.tr("Phóng to (Ctrl +)"))
        self.zoom_box = QtWidgets.QComboBox(self)
        self.zoom_box.setEditable(True)
        self.zoom_box.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.zoom_box.addItem(self.tr("Vừa chiều rộng"), "fit_width")
        self.zoom_box.addItem(self.tr("Vừa trang"), "fit_page")
        for p in ZOOM_STEPS:
            self.zoom_box.addItem(f"{p}%", p)
        navigation: tuple[QWidget, ...] = (self.thumbs_button, QtWidgets.QLabel(self.tr("Trang"), self),
                                           self.page_box, self.page_count_label)
        for widget in navigation:
            tb.addWidget(widget)
        # The zoom controls sit at the right end: a page count of another width then moves
        # nothing but itself when a document opens (no repaint of the toolbar while page 1 is
        # on its way, no zoom buttons jumping from one document to the next).
        tb.addStretch(1)
        zoom: tuple[QWidget, ...] = (self.zoom_out_button, self.zoom_box, self.zoom_in_button)
        for widget in zoom:
            tb.addWidget(widget)

        self.password_bar = QtWidgets.QWidget(self)
        pb = QtWidgets.QHBoxLayout(self.password_bar)
        pb.setContentsMargins(4, 2, 4, 2)
        self.password_label = QtWidgets.QLabel(self.tr("Tệp PDF được bảo vệ bằng mật khẩu. Nhập mật khẩu để mở:"))
        self.password_edit = QtWidgets.QLineEdit(self.password_bar)
        self.password_edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password_button = QtWidgets.QPushButton(self.tr("Mở"), self.password_bar)
        widgets: tuple[QWidget, ...] = (self.password_label, self.password_edit, self.password_button)
        for widget in widgets:
            pb.addWidget(widget)
        self.password_bar.hide()

        self.canvas = PageCanvas(self.cache, self)
        self.thumbnails = ThumbnailList(self)
        pages = QtWidgets.QHBoxLayout()
        pages.setContentsMargins(0, 0, 0, 0)
        pages.setSpacing(2)
        pages.addWidget(self.thumbnails)
        pages.addWidget(self.canvas, 1)

        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(tb)
        box.addWidget(self.password_bar)
        box.addLayout(pages, 1)

        self.thumbs_button.toggled.connect(self.thumbnails.setVisible)
        self.page_box.valueChanged.connect(lambda v: self.go_to_page(v - 1) if v > 0 else None)
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.zoom_box.activated.connect(self._zoom_chosen)
        zoom_edit = self.zoom_box.lineEdit()
        if zoom_edit is not None:  # the box is editable
            zoom_edit.editingFinished.connect(self._zoom_typed)
        self.password_button.clicked.connect(self._password_entered)
        self.password_edit.returnPressed.connect(self._password_entered)
        self.canvas.wanted_changed.connect(self._request_pages)
        self.canvas.current_page_changed.connect(self._page_changed)
        self.canvas.zoom_changed.connect(self._show_zoom)
        self.canvas.zoom_step_requested.connect(self.zoom_step)
        self.canvas.page_shown.connect(self.page_shown)
        self.canvas.first_frame.connect(self._first_frame)
        self.thumbnails.page_clicked.connect(self.go_to_page)
        self.thumbnails.wanted_changed.connect(self._request_thumbnails)
        self._show_zoom(self.canvas.zoom)

    # ---- public API ----------------------------------------------------------------------

    def open(self, path, password: str | None = None) -> None:
        self.close_document()
        self.path = str(Path(path))
        self._password = password
        self.render_thread.device_pixel_ratio = self.devicePixelRatioF()
        self.doc_id = self.render_thread.open_document(self.path, password, self.canvas.first_page_zoom())
        self._open_ids.add(self.doc_id)

    def close_document(self) -> None:
        if self.doc_id:
            self.render_thread.close_document(self.doc_id)
            self._open_ids.discard(self.doc_id)
            self.cache.drop_document(self.doc_id)
            self.doc_id = 0
            self.path = None
            self.canvas.clear()
            self.thumbnails.set_pages([])
            self.page_box.setRange(0, 0)
            self.page_count_label.setText("/ 0")
            self.document_closed.emit()
        self.password_bar.hide()

    @property
    def current_page(self) -> int:
        return self.canvas.current_page

    @property
    def page_count(self) -> int:
        return len(self.canvas.sizes)

    @property
    def page_sizes(self) -> list[tuple[float, float]]:
        """Displayed page sizes in points (CropBox, /Rotate applied)."""
        return list(self.canvas.sizes)

    @property
    def password(self) -> str | None:
        """The password the open document was unlocked with (None when it needs none)."""
        return self._password if self.doc_id else None

    @property
    def zoom(self) -> float:
        """Logical pixels per displayed point."""
        return self.canvas.zoom

    def go_to_page(self, page: int) -> None:
        self.canvas.go_to_page(page)

    def show_rect(self, page: int, rect) -> None:
        """Scroll to a displayed rect (points, top-left origin) on a page."""
        self.canvas.ensure_visible(page, rect)

    def set_zoom_mode(self, mode: str) -> None:
        self.canvas.set_zoom_mode(mode)

    def set_zoom_percent(self, percent: float) -> None:
        self.canvas.set_zoom_mode("fixed", geo.percent_to_zoom(percent))

    def zoom_step(self, direction: int) -> None:
        percent = geo.zoom_to_percent(self.canvas.zoom)
        if direction > 0:
            target = next((p for p in ZOOM_STEPS if p > percent + 0.5), ZOOM_STEPS[-1])
        else:
            target = next((p for p in reversed(ZOOM_STEPS) if p < percent - 0.5), ZOOM_STEPS[0])
        self.set_zoom_percent(target)

    # ---- render thread results -----------------------------------------------------------

    def _on_opened(self, doc_id: int, count: int, first) -> None:
        if doc_id != self.doc_id:
            return
        # Pages whose size is not known yet are assumed to look like the first until reported.
        sizes = [tuple(first)] * count
        self.password_bar.hide()
        self.canvas.set_document(doc_id, sizes)
        # The thumbnails fill in after the first frame (`_after_first_frame`): laying out and
        # painting their list (a scroll bar appears) would delay page 1 on a fast render.
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, count)
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_count_label.setText(f"/ {count}")
        self.document_opened.emit(self.path)

    def _on_sizes(self, doc_id: int, start: int, sizes) -> None:
        if doc_id != self.doc_id:
            return
        changed = any(tuple(s) != self.canvas.sizes[start + i] for i, s in enumerate(sizes))
        if changed:
            self.canvas.update_sizes(start, [tuple(s) for s in sizes])
            if self.thumbnails.count() == len(self.canvas.sizes):  # not filled yet: they take the canvas's
                self.thumbnails.sizes[start:start + len(sizes)] = [tuple(s) for s in sizes]
            self.page_sizes_changed.emit()

    def _on_rendered(self, doc_id: int, tag: str, page: int, zoom: float, image) -> None:
        if doc_id != self.doc_id:
            return
        self.cache.put((doc_id, tag, page), zoom, image)
        if tag == TAG_PAGE:
            self.canvas.image_arrived(page)
            # The visible ones may all be in: ask for the neighbours. Before the first frame, once
            # it is painted (`_after_first_frame`): working them out would delay it.
            if page in self.canvas.visible_pages() and not self.canvas.first_frame_due:
                self._request_pages()
        else:
            self.thumbnails.set_image(page, image)

    def _on_page_failed(self, doc_id: int, page: int, detail: str) -> None:
        if doc_id != self.doc_id:
            return
        self.canvas.page_failed(page)
        self.page_failed.emit(page)

    def _on_failed(self, doc_id: int, failure: OpenFailed) -> None:
        if doc_id != self.doc_id:
            return
        self._open_ids.discard(doc_id)
        self.doc_id = 0
        name = Path(self.path or "").name
        error: LienThongError
        if failure.kind == "password":
            error = (WrongPdfPasswordError(name, failure.detail) if self._password
                     else PasswordRequiredError(name, failure.detail))
            self.password_label.setText(error.message(self._lang()))
            self.password_edit.clear()
            self.password_bar.show()
            self.password_edit.setFocus()
        elif failure.kind == "missing":
            from app.signing.verify import FileMissingError

            error = FileMissingError(Path(self.path or ""))
        elif failure.kind == "not_pdf":
            error = NotAPdfError(name, failure.detail)
        else:
            error = CorruptPdfError(name, failure.detail)
        self.open_failed.emit(error)

    def _password_entered(self) -> None:
        path = self.path
        if path:
            self.open(path, self.password_edit.text())

    def _lang(self) -> str:
        return "en" if self.locale().language().name == "English" else "vi"

    # ---- requests ------------------------------------------------------------------------

    def _request_pages(self) -> None:
        if not self.doc_id:
            return
        zoom = self.canvas.zoom
        visible = set(self.canvas.visible_pages())
        wanted = []
        for page in self.canvas.wanted_pages():
            if page in self.canvas.failed_pages:
                continue
            cached = self.cache.get((self.doc_id, TAG_PAGE, page))
            if cached is None or abs(cached[0] - zoom) > 1e-6:
                wanted.append((page, zoom))
        # Neighbours only once the visible pages are in: rendering them meanwhile would compete
        # with painting the visible ones (PyMuPDF holds the GIL while it renders).
        missing_visible = [w for w in wanted if w[0] in visible]
        self.render_thread.set_wanted(self.doc_id, TAG_PAGE, missing_visible or wanted)

    def _request_thumbnails(self) -> None:
        if not self.doc_id or not self.thumbnails.isVisible():
            return
        wanted = []
        for page in self.thumbnails.visible_rows():
            if page < len(self.thumbnails.sizes) and self.cache.get((self.doc_id, TAG_THUMB, page)) is None:
                wanted.append((page, self.thumbnails.zoom_for(page)))
        self.render_thread.set_wanted(self.doc_id, TAG_THUMB, wanted)

    def _first_frame(self) -> None:
        # Once this frame is out: its thread would take the GIL at every Qt call the rest of the
        # frame makes, and the thumbnails' layout would join the frame.
        QTimer.singleShot(0, self, functools.partial(self._after_first_frame, self.doc_id))

    def _after_first_frame(self, doc_id: int) -> None:
        if doc_id != self.doc_id:
            return
        self.thumbnails.set_pages(self.canvas.sizes)
        self.thumbnails.select_page(self.canvas.current_page)
        self._request_pages()
        # The background work (page sizes, neighbours, thumbnails) may start.
        self.render_thread.resume(doc_id)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        if self._follow.isActive():
            self._follow_pending = True  # followed within the interval: once more at its end
        else:
            self._thumbnails_follow()
            self._follow.start()
        self.page_changed.emit(page)

    def _follow_due(self) -> None:
        if self._follow_pending:
            self._thumbnails_follow()
            self._follow.start()

    def _thumbnails_follow(self) -> None:
        self._follow_pending = False
        self.thumbnails.select_page(self.canvas.current_page)
        self._request_thumbnails()

    # ---- zoom box ------------------------------------------------------------------------

    def _show_zoom(self, zoom: float) -> None:
        mode = self.canvas.zoom_mode
        if mode in ("fit_width", "fit_page"):
            self.zoom_box.setCurrentIndex(self.zoom_box.findData(mode))
        self.zoom_box.setEditText(f"{geo.zoom_to_percent(zoom):.0f}%")

    def _zoom_chosen(self, index: int) -> None:
        data = self.zoom_box.itemData(index)
        if data in ("fit_width", "fit_page"):
            self.set_zoom_mode(data)
        elif data:
            self.set_zoom_percent(float(data))

    def _zoom_typed(self) -> None:
        text = self.zoom_box.currentText().strip().rstrip("%").strip().replace(",", ".")
        try:
            percent = float(text)
        except ValueError:
            self._show_zoom(self.canvas.zoom)
            return
        if abs(geo.percent_to_zoom(percent) - self.canvas.zoom) > 1e-6:
            self.set_zoom_percent(percent)
