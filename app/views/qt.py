"""The one module through which the app imports Qt (PySide6).

Everything in app/views imports Qt names from here, so a binding change or a workaround for a
Qt quirk has exactly one home.
"""

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
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
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

# Names used by the application shell (windows, lists, dialogs).
from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QPersistentModelIndex,
    QTranslator,
    QUrl,
)
from PySide6.QtGui import QBrush, QDesktopServices, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
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
)

__all__ = [
    "QtCore", "QtGui", "QtWidgets",
    "QAbstractTableModel", "QModelIndex", "QObject", "QPointF", "QRectF", "QRunnable", "QSettings", "QSize",
    "QSortFilterProxyModel", "Qt", "QThread", "QThreadPool", "QTimer", "Signal", "Slot",
    "QAction", "QColor", "QIcon", "QImage", "QKeySequence", "QPainter", "QPixmap",
    "QApplication", "QDialog", "QMessageBox", "QWidget",
    "QAbstractItemModel", "QByteArray", "QCoreApplication", "QEvent", "QItemSelectionModel", "QLocale", "QPersistentModelIndex",
    "QTranslator", "QUrl", "QBrush", "QDesktopServices", "QFont", "QGuiApplication", "QPalette",
    "QAbstractItemView", "QCheckBox", "QComboBox", "QDialogButtonBox", "QFileDialog", "QFormLayout", "QFrame",
    "QGroupBox", "QHBoxLayout", "QHeaderView", "QLabel", "QLineEdit", "QListWidget", "QListWidgetItem",
    "QMainWindow", "QMenu", "QPlainTextEdit", "QProgressBar", "QPushButton", "QSplitter", "QStackedWidget",
    "QStatusBar", "QStyle", "QTableView", "QTabWidget", "QToolBar", "QTreeWidget", "QTreeWidgetItem",
    "QVBoxLayout",
]



def _repair_signal_emit() -> None:
    """PySide6 6.12.0's SignalInstance.emit returns True without a reference of its own.

    Each emit from Python then drops one reference to True, and after a few thousand emits the
    interpreter aborts ("bool_dealloc"). Measure it once; when emit is broken, give the reference
    back after every call (an extra reference to a bool costs nothing). A fixed PySide6 is left alone.
    """
    import ctypes
    import sys

    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        incref(True)
    if lost < 8:
        return
    broken_emit = QtCore.SignalInstance.emit

    def emit(self, *args):
        result = broken_emit(self, *args)
        if result is True or result is False:
            incref(result)
        return result

    QtCore.SignalInstance.emit = emit


_repair_signal_emit()
