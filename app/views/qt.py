"""The one module through which the app imports Qt (PySide6).

Everything in app/views imports Qt names from here, so a binding change or a workaround for a
Qt quirk has exactly one home.
"""

import sys
from types import ModuleType

from PySide6 import QtCore, QtGui, QtWidgets
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



def _no_feature_switch(module: ModuleType) -> bool:
    return False


def _skip_feature_source_reads() -> None:
    """PySide6 wraps `__import__` for its `from __feature__ import ...` switches: to tell which
    modules a switch may concern, it reads the whole source of every module imported after it and
    looks its file up among all loaded modules (`inspect.getsource`), a few tens of milliseconds
    of the GUI's start. No module here switches a feature on, and every module but this one
    already gets the answer "no PySide in this source" (they import Qt from here): later modules
    get that answer without the reading."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _no_feature_switch  # type: ignore[attr-defined]


_skip_feature_source_reads()


class QLabel(QtWidgets.QLabel):
    """A label that shows its text literally. Qt's default (AutoText) renders anything looking
    like HTML, and labels here show names and summaries typed by citizens and other agencies:
    an `<img src="\\\\host\\share\\x.png">` in them makes Windows connect to that host. A label
    with fixed markup of its own opts in with setTextFormat(Qt.TextFormat.RichText)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)
