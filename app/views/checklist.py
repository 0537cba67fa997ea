"""Pieces the transfer dialogs share: checkable file lists, progress, the failure line."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from app.errors import CancelledError, LienThongError
from app.safe_names import display_text
from app.views.plain import tooltip
from app.views.qt import QHBoxLayout, QHeaderView, QLabel, QProgressBar, Qt, QTreeWidget, QTreeWidgetItem

PayloadRole = Qt.ItemDataRole.UserRole + 20


def stretch_first_column(tree: QTreeWidget) -> None:
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, tree.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def group(tree: QTreeWidget, title: str) -> QTreeWidgetItem:
    node = QTreeWidgetItem(tree, [title])
    node.setFlags(node.flags() & ~Qt.ItemFlag.ItemIsUserCheckable & ~Qt.ItemFlag.ItemIsSelectable)
    node.setFirstColumnSpanned(True)
    return node


def checkable(parent, columns: Iterable[str], payload: Any, checked: bool = False) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, [display_text(c, limit=1000) for c in columns])
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(0, PayloadRole, payload)
    return item


def walk(tree: QTreeWidget) -> Iterator[QTreeWidgetItem]:
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        if item is None:
            continue
        yield item
        stack[0:0] = [item.child(i) for i in range(item.childCount())]


def checked_payloads(tree: QTreeWidget) -> list:
    return [
        item.data(0, PayloadRole)
        for item in walk(tree)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable
        and item.checkState(0) == Qt.CheckState.Checked
        and item.data(0, PayloadRole) is not None
    ]


def set_checked(tree: QTreeWidget, predicate) -> int:
    """Tick every item whose payload satisfies `predicate`; returns how many."""
    count = 0
    for item in walk(tree):
        payload = item.data(0, PayloadRole)
        if payload is not None and predicate(payload):
            item.setCheckState(0, Qt.CheckState.Checked)
            count += 1
    return count


def show_progress(bar: QProgressBar, done: int, total: int) -> None:
    """Progress in permille: byte counts may exceed what a QProgressBar's int holds."""
    bar.setRange(0, 1000)
    bar.setValue(int(1000 * done / total) if total > 0 else 0)


def show_failure(status, exc: BaseException, lang: str, cancelled_text: str, report) -> None:
    """A transfer dialog's failure: expected ones in its status line, bugs to `report` (the crash dialog)."""
    if isinstance(exc, CancelledError):
        status.setText(cancelled_text)
    elif isinstance(exc, LienThongError):
        status.setText(exc.message(lang))
        status.setToolTip(tooltip(exc.detail))
    else:
        report(exc)


def status_line(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def hidden_progress() -> QProgressBar:
    bar = QProgressBar()
    bar.setVisible(False)
    return bar


def button_row(*buttons, leading=None) -> QHBoxLayout:
    """Buttons on the right, as dialogs on Windows have them; `leading` stays on the left."""
    row = QHBoxLayout()
    if leading is not None:
        row.addWidget(leading)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row
