"""Table models over tuples of domain dataclasses, and the proxies that filter and sort them.

Each row's search text (lower-case, without Vietnamese diacritics) and sort keys are computed
once when rows are set, so filtering and sorting 10,000 rows stays cheap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterable, Sequence, TypeVar

from app.domain import DocumentFolder, DossierSummary, IDeskDocumentSummary
from app.safe_names import display_text
from app.views.formatting import date_text
from app.views.i18n import enum_label
from app.views.plain import tooltip
from app.views.qt import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

if TYPE_CHECKING:
    from app.views.qt import QBrush, QFont

# A list cell shows the start of a very long text; its tooltip holds more.
CELL_LIMIT = 300

T = TypeVar("T")

ItemRole = Qt.ItemDataRole.UserRole + 1  # the dataclass behind the row
HighlightRole = Qt.ItemDataRole.UserRole + 2  # True for a row linked to the selection on the other side
SortRole = Qt.ItemDataRole.UserRole + 3
SearchRole = Qt.ItemDataRole.UserRole + 4

HIGHLIGHT_COLOR = "#fff3c4"
OVERDUE_COLOR = "#b3261e"


@lru_cache(maxsize=None)
def _brush(color: str) -> QBrush:
    """Made for the first row that needs it: the first brush builds PySide's gradient types, which
    the window's first paint, before any row has arrived, does not need."""
    from app.views.qt import QBrush, QColor

    return QBrush(QColor(color))


@lru_cache(maxsize=1)
def _bold_font() -> QFont:
    from app.views.qt import QFont

    font = QFont()
    font.setBold(True)
    return font


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case without diacritics, so "nguyen thi hoa" finds "Nguyễn Thị Hoa".

    The training server folds its own search; the client never imports server code, and this
    one is cached because a 10,000-row list folds every cell once.
    """
    if not text:
        return ""
    if text.isascii():
        return text.casefold()
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = decomposed.encode("ascii", "ignore").decode("ascii")
    # Scripts without an ASCII base letter would vanish; keep them, minus the marks.
    if len(stripped) < len(text) // 2:
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


@dataclass(frozen=True)
class Column(Generic[T]):
    """A list column: its title, the text shown for a row and, when it sorts differently, its key."""

    title: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Read-only rows of one dataclass type; rows can be replaced or appended (paged loading)."""

    def __init__(self, columns: Sequence[Column[T]], key: Callable[[T], str], parent=None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._key = key
        self._rows: list[T] = []
        self._texts: list[tuple[str, ...]] = []
        self._search: list[str] = []
        self._sort: list[tuple[Any, ...]] = []
        self._highlight_codes: frozenset[str] = frozenset()
        self._keys: set[str] = set()
        # (column, descending) of the last sort(); rows that arrive later take their place in it.
        self._order: tuple[int, bool] | None = None

    # -- content ---------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows, self._texts, self._search, self._sort = [], [], [], []
        self._keys = set()
        self._add(rows)
        if self._order is not None:
            self._reorder(self._sorted_order(*self._order))
        self.endResetModel()

    def append_rows(self, rows: Iterable[T]) -> None:
        """Add rows not already here (by key): at the end, or, once sorted, each in its place.

        In place, a page of 200 rows costs its own rows' work, where sorting all the rows again
        for every page cost the whole list's, 50 times for 10,000 dossiers, on the UI thread."""
        rows = [r for r in rows if self._key(r) not in self._keys]
        if not rows:
            return
        if self._order is None:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._add(rows)
            self.endInsertRows()
            return
        column, descending = self._order
        derived = sorted(
            ((item, *self._derive(item)) for item in rows),
            key=lambda entry: entry[3][column],
            reverse=descending,
        )
        # Where each new row goes among the rows already here (after equal keys, as a stable
        # sort of the old rows followed by the new ones would put it); rows that go to the same
        # place arrive as one insertion.
        runs: list[tuple[int, list[tuple[T, tuple[str, ...], str, tuple[Any, ...]]]]] = []
        for entry in derived:
            at = self._place(entry[3][column], column, descending)
            if runs and runs[-1][0] == at:
                runs[-1][1].append(entry)
            else:
                runs.append((at, [entry]))
        inserted = 0
        for at, run in runs:
            start = at + inserted
            self.beginInsertRows(QModelIndex(), start, start + len(run) - 1)
            self._rows[start:start] = [entry[0] for entry in run]
            self._texts[start:start] = [entry[1] for entry in run]
            self._search[start:start] = [entry[2] for entry in run]
            self._sort[start:start] = [entry[3] for entry in run]
            self._keys.update(self._key(entry[0]) for entry in run)
            self.endInsertRows()
            inserted += len(run)

    def _place(self, key: Any, column: int, descending: bool) -> int:
        """Index of the first row that sorts after `key` (binary search; rows already sorted)."""
        keys = self._sort
        low, high = 0, len(keys)
        while low < high:
            middle = (low + high) // 2
            other = keys[middle][column]
            if (other < key) if descending else (key < other):
                high = middle
            else:
                low = middle + 1
        return low

    def _in_order(self, row: int) -> bool:
        if self._order is None:
            return True
        column, descending = self._order
        here = self._sort[row][column]
        before = self._sort[row - 1][column] if row > 0 else None
        after = self._sort[row + 1][column] if row + 1 < len(self._sort) else None
        if descending:
            return not (before is not None and before < here) and not (after is not None and here < after)
        return not (before is not None and here < before) and not (after is not None and after < here)

    def replace_row(self, row_item: T) -> int:
        """Update the row with the same key, or append it; returns its row number."""
        key = self._key(row_item)
        for i, existing in enumerate(self._rows):
            if self._key(existing) == key:
                self._rows[i] = row_item
                self._texts[i], self._search[i], self._sort[i] = self._derive(row_item)
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
                if self._order is not None and not self._in_order(i):
                    column, descending = self._order
                    self.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
                    return self._row_of(key)
                return i
        self.append_rows([row_item])
        return self._row_of(key)

    def _row_of(self, key: str) -> int:
        return next(i for i, row in enumerate(self._rows) if self._key(row) == key)

    def _derive(self, item: T):
        raw = [c.text(item) for c in self._columns]
        texts = tuple(display_text(t, limit=CELL_LIMIT) for t in raw)
        folded = [fold(t) for t in raw]
        sort = tuple(c.sort_key(item) if c.sort_key else f for c, f in zip(self._columns, folded, strict=True))
        return texts, " ".join(folded), sort

    def _add(self, rows: Iterable[T]) -> None:
        for item in rows:
            texts, search, sort = self._derive(item)
            self._keys.add(self._key(item))
            self._rows.append(item)
            self._texts.append(texts)
            self._search.append(search)
            self._sort.append(sort)

    def rows(self) -> tuple[T, ...]:
        return tuple(self._rows)

    def item(self, row: int) -> T:
        return self._rows[row]

    def key(self, item: T) -> str:
        return self._key(item)

    def row_of(self, key: str) -> int:
        for i, item in enumerate(self._rows):
            if self._key(item) == key:
                return i
        return -1

    def search_text(self, row: int) -> str:
        return self._search[row]

    # -- highlight -------------------------------------------------------------------------

    def code_of(self, item: T) -> str:
        raise NotImplementedError

    def set_highlight(self, codes: Iterable[str]) -> None:
        codes = frozenset(c for c in codes if c)
        if codes == self._highlight_codes:
            return
        self._highlight_codes = codes
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.BackgroundRole, HighlightRole, Qt.ItemDataRole.FontRole],
            )

    def is_highlighted(self, row: int) -> bool:
        return bool(self._highlight_codes) and self.code_of(self._rows[row]) in self._highlight_codes

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._texts[row][col])
        if role == ItemRole:
            return self._rows[row]
        if role == SortRole:
            return self._sort[row][col]
        if role == SearchRole:
            return self._search[row]
        if role == HighlightRole:
            return self.is_highlighted(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _brush(HIGHLIGHT_COLOR) if self.is_highlighted(row) else None
        return self.extra_data(row, col, role)

    def extra_data(self, row: int, col: int, role):
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by the precomputed keys in one Python `sorted` call (fast at 10,000 rows); rows
        set or appended later keep this order. A column of -1 keeps the rows as they are."""
        if not 0 <= column < len(self._columns):
            self._order = None
            return
        self._order = (column, order == Qt.SortOrder.DescendingOrder)
        if len(self._rows) < 2:
            return
        self.layoutAboutToBeChanged.emit()
        new_order = self._sorted_order(*self._order)
        position = [0] * len(new_order)
        for new, old in enumerate(new_order):
            position[old] = new
        self._reorder(new_order)
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(position[i.row()], i.column()) if i.isValid() else i for i in persistent]
        )
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, descending: bool) -> list[int]:
        keys = self._sort
        return sorted(range(len(keys)), key=lambda i: keys[i][column], reverse=descending)

    def _reorder(self, new_order: list[int]) -> None:
        self._rows = [self._rows[i] for i in new_order]
        self._texts = [self._texts[i] for i in new_order]
        self._search = [self._search[i] for i in new_order]
        self._sort = [self._sort[i] for i in new_order]


def _date_key(value) -> float:
    return value.timestamp() if isinstance(value, datetime) else 0.0


class DossierTableModel(RowTableModel[DossierSummary]):
    """iGate dossiers: code, service, applicant, appointment (overdue in red), step."""

    APPOINTMENT_COLUMN = 3

    def __init__(self, lang: str = "vi", now: Callable[[], datetime] = datetime.now, parent=None) -> None:
        columns: tuple[Column[DossierSummary], ...] = (
            Column(QCoreApplication.translate("Models", "Mã hồ sơ"), lambda d: d.code),
            Column(QCoreApplication.translate("Models", "Thủ tục / dịch vụ công"), lambda d: d.procedure_name),
            Column(QCoreApplication.translate("Models", "Người nộp"), lambda d: d.applicant_name),
            Column(
                QCoreApplication.translate("Models", "Hẹn trả"),
                lambda d: date_text(d.appointment_date),
                lambda d: _date_key(d.appointment_date),
            ),
            Column(
                QCoreApplication.translate("Models", "Bước xử lý"),
                lambda d: d.status.label,  # as the server names it
                lambda d: fold(d.status.label),
            ),
        )
        super().__init__(columns, key=lambda d: d.id, parent=parent)
        self._now = now

    def code_of(self, item: DossierSummary) -> str:
        return item.code

    def is_overdue(self, row: int) -> bool:
        item = self._rows[row]
        due = item.appointment_date
        if due is None:
            return False
        now = self._now()
        # Servers may send dates with or without an offset; compare like with like.
        now = now.astimezone() if due.tzinfo is not None else now.replace(tzinfo=None)
        return item.is_overdue(now)

    def extra_data(self, row: int, col: int, role):
        if col == self.APPOINTMENT_COLUMN and self.is_overdue(row):
            if role == Qt.ItemDataRole.ForegroundRole:
                return _brush(OVERDUE_COLOR)
            if role == Qt.ItemDataRole.FontRole:
                return _bold_font()
            if role == Qt.ItemDataRole.ToolTipRole:
                return QCoreApplication.translate("Models", "Đã quá hạn trả kết quả")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            extra = self.extra_data(index.row(), index.column(), role)
            if extra:
                return extra
        return super().data(index, role)


class DocumentTableModel(RowTableModel[IDeskDocumentSummary]):
    """iDesk documents: summary (trích yếu), form, dossier code, status, folder."""

    def __init__(self, lang: str = "vi", parent=None) -> None:
        columns: tuple[Column[IDeskDocumentSummary], ...] = (
            Column(QCoreApplication.translate("Models", "Trích yếu"), lambda d: d.summary),
            Column(QCoreApplication.translate("Models", "Hình thức"), lambda d: d.form),
            Column(QCoreApplication.translate("Models", "Mã hồ sơ"), lambda d: d.dossier_code),
            Column(QCoreApplication.translate("Models", "Trạng thái"), lambda d: enum_label(d.status, lang)),
            Column(QCoreApplication.translate("Models", "Thư mục"), lambda d: enum_label(d.folder, lang)),
        )
        super().__init__(columns, key=lambda d: d.id, parent=parent)

    def code_of(self, item: IDeskDocumentSummary) -> str:
        return item.dossier_code


class RowFilterProxy(QSortFilterProxyModel):
    """Filters by a predicate on the row's item and by folded search words (all must match)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._accept_item: Callable[[Any], bool] | None = None
        self.setDynamicSortFilter(False)

    def set_search(self, text: str) -> None:
        words = tuple(fold(text).split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_item_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._accept_item = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return True
        if self._accept_item is not None and not self._accept_item(model.item(source_row)):
            return False
        if self._words:
            haystack = model.search_text(source_row)
            return all(w in haystack for w in self._words)
        return True

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        # The source sorts itself on precomputed keys; the proxy keeps the source order and
        # only filters, which is much faster than a Python lessThan called n·log n times.
        self.sourceModel().sort(column, order)

    def items(self) -> list[Any]:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return []
        return [model.item(self.mapToSource(self.index(r, 0)).row()) for r in range(self.rowCount())]


STATE_FILTERS: dict[str, Callable[[DossierSummary], bool]] = {
    # From the current task's flags, not from status ids (they differ between provinces).
    "send": lambda d: d.status.can_send_to_idesk,
    "results": lambda d: d.status.can_attach_results,
    "finished": lambda d: d.status.finished,
}


def state_filter(kind: str | None) -> Callable[[DossierSummary], bool] | None:
    return None if kind is None else STATE_FILTERS[kind]


def folder_filter(folder: DocumentFolder | None) -> Callable[[IDeskDocumentSummary], bool] | None:
    return None if folder is None else (lambda d: d.folder is folder)
