"""A titled list: a filter combo, a debounced search box, a sortable table and a row count."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from app.views.models import ItemRole, RowFilterProxy, RowTableModel
from app.views.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QLabel,
    QLineEdit,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

SEARCH_DEBOUNCE_MS = 250


class ListPanel(QWidget):
    """Emits `current_changed(item)` for the user's selection and `activated(item)` on double-click."""

    current_changed = Signal(object)
    activated = Signal(object)

    def __init__(
        self,
        title: str,
        model: RowTableModel,
        filters: Sequence[tuple[str, Callable[[Any], bool] | None]],
        *,
        search_placeholder: str,
        object_name: str,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.model = model
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(model)
        self._filters = list(filters)
        self._quiet = False

        self.title = QLabel(title)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName(f"{object_name}Filter")
        for label, _predicate in self._filters:
            self.filter_combo.addItem(label)
        self.filter_combo.currentIndexChanged.connect(self._apply_filter)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName(f"{object_name}Search")
        self.search_edit.setPlaceholderText(search_placeholder)
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())

        self.view = QTableView()
        self.view.setObjectName(f"{object_name}View")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.doubleClicked.connect(self._on_double_click)

        self.count_label = QLabel()
        self.count_label.setObjectName(f"{object_name}Count")
        self.status_label = QLabel()
        self.status_label.setObjectName(f"{object_name}Status")

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.search_edit, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.status_label, 1)
        foot.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(foot)

        for signal in (model.modelReset, model.rowsInserted, self.proxy.layoutChanged):
            signal.connect(self._update_count)
        # Rows arriving page by page take their place in the order the officer chose: the model
        # keeps the order of its last sort (RowTableModel.append_rows).
        # A reload keeps the officer's selection when the row comes back.
        self._remembered: str | None = None
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        model.rowsInserted.connect(self._restore_current)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._update_count()

    # -- sorting and filtering -------------------------------------------------------------

    def sort_by(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort (and show the header indicator); -1 keeps the server's order."""
        self.view.horizontalHeader().setSortIndicator(column, order)

    def _apply_filter(self, index: int) -> None:
        self.proxy.set_item_filter(self._filters[index][1] if 0 <= index < len(self._filters) else None)
        self._update_count()

    def set_filter_index(self, index: int) -> None:
        self.filter_combo.setCurrentIndex(index)

    def apply_search(self) -> None:
        self._debounce.stop()
        self.proxy.set_search(self.search_edit.text())
        self._update_count()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _update_count(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = QCoreApplication.translate("ListPanel", "{shown} / {total} dòng")
        self.count_label.setText(text.format(shown=shown, total=total))

    # -- selection -------------------------------------------------------------------------

    def current_item(self):
        index = self.view.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def _on_current(self, current, _previous) -> None:
        if self._quiet:
            return
        if current.isValid():
            self._remembered = None
        self.current_changed.emit(current.data(ItemRole) if current.isValid() else None)

    def _on_double_click(self, index) -> None:
        if index.isValid():
            self.activated.emit(index.data(ItemRole))

    def _remember_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self._remembered = self.model.key(item)

    def _restore_current(self, *_args) -> None:
        if self._remembered is None:
            return
        row = self.model.row_of(self._remembered)
        if row >= 0:
            self._remembered = None
            self.select_source_row(row, quiet=True, reveal=False)

    def select_source_row(self, source_row: int, *, quiet: bool = True, reveal: bool = True) -> bool:
        """Select and scroll to a model row; `quiet` keeps `current_changed` silent (counterpart sync);
        `reveal` clears the filter and search when they hide the row."""
        proxy_index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not proxy_index.isValid() and not reveal:
            return False
        if not proxy_index.isValid():
            if self.filter_combo.currentIndex() != 0:
                self.filter_combo.setCurrentIndex(0)
            if self.search_edit.text():
                self.search_edit.clear()
                self.apply_search()
            proxy_index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if not proxy_index.isValid():
                return False
        self._quiet = quiet
        try:
            self.view.selectionModel().setCurrentIndex(
                proxy_index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._quiet = False
        self.view.scrollTo(proxy_index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_key(self, key: str, *, quiet: bool = False) -> bool:
        row = self.model.row_of(key)
        return row >= 0 and self.select_source_row(row, quiet=quiet)

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
