"""The one module through which the app imports Qt (PySide6).

Everything in app/views imports Qt names from here, so a binding change or a workaround for a
Qt quirk has exactly one home.

The names are looked up when first imported from here, not all at once: PySide6 builds a class
(and every enum in it) on first access, and a class the start does not use need not be built
before the first window shows. A view that needs a class only for a dialog or a rarer action
imports it where it uses it. Only the names in `__all__` can be imported.
"""

from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import (
        QAbstractItemModel,
        QAbstractTableModel,
        QByteArray,
        QCoreApplication,
        QEvent,
        QItemSelectionModel,
        QLocale,
        QModelIndex,
        QObject,
        QPersistentModelIndex,
        QPointF,
        QRectF,
        QRunnable,
        QSettings,
        QSize,
        QSortFilterProxyModel,
        Qt,
        QThread,
        QThreadPool,
        QTimer,
        QTranslator,
        QUrl,
        Signal,
        SignalInstance,
        Slot,
    )
    from PySide6.QtGui import (
        QAction,
        QBrush,
        QColor,
        QDesktopServices,
        QFont,
        QGuiApplication,
        QIcon,
        QImage,
        QKeySequence,
        QPainter,
        QPalette,
        QPixmap,
    )
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QApplication,
        QCheckBox,
        QComboBox,
        QDialog,
        QDialogButtonBox,
        QFileDialog,
        QFormLayout,
        QFrame,
        QGroupBox,
        QHBoxLayout,
        QHeaderView,
        QLineEdit,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMenu,
        QMessageBox,
        QPlainTextEdit,
        QProgressBar,
        QPushButton,
        QSplitter,
        QStackedWidget,
        QStatusBar,
        QStyle,
        QTableView,
        QTabWidget,
        QToolBar,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
        QWidget,
    )


__all__ = [
    "QtCore", "QtGui", "QtWidgets",
    "QAbstractTableModel", "QModelIndex", "QObject", "QPointF", "QRectF", "QRunnable", "QSettings", "QSize",
    "QSortFilterProxyModel", "Qt", "QThread", "QThreadPool", "QTimer", "Signal", "SignalInstance", "Slot",
    "QAction", "QColor", "QIcon", "QImage", "QKeySequence", "QPainter", "QPixmap",
    "QApplication", "QDialog", "QMessageBox", "QWidget",
    "QAbstractItemModel", "QByteArray", "QCoreApplication", "QEvent", "QItemSelectionModel", "QLocale",
    "QPersistentModelIndex",
    "QTranslator", "QUrl", "QBrush", "QDesktopServices", "QFont", "QGuiApplication", "QPalette",
    "QAbstractItemView", "QCheckBox", "QComboBox", "QDialogButtonBox", "QFileDialog", "QFormLayout", "QFrame",
    "QGroupBox", "QHBoxLayout", "QHeaderView", "QLabel", "QLineEdit", "QListWidget", "QListWidgetItem",
    "QMainWindow", "QMenu", "QPlainTextEdit", "QProgressBar", "QPushButton", "QSplitter", "QStackedWidget",
    "QStatusBar", "QStyle", "QTableView", "QTabWidget", "QToolBar", "QTreeWidget", "QTreeWidgetItem",
    "QVBoxLayout",
]


class QLabel(QtWidgets.QLabel):
    """A label that shows its text literally. Qt's default (AutoText) renders anything looking
    like HTML, and labels here show names and summaries typed by citizens and other agencies:
    an `<img src="\\\\host\\share\\x.png">` in them makes Windows connect to that host. A label
    with fixed markup of its own opts in with setTextFormat(Qt.TextFormat.RichText)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


if not TYPE_CHECKING:  # mypy sees the imports above; a module __getattr__ would hide typos from it

    def __getattr__(name: str) -> object:
        if name in __all__:
            for module in (QtCore, QtGui, QtWidgets):
                value = getattr(module, name, None)
                if value is not None:
                    globals()[name] = value
                    return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
