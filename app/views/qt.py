"""The one module through which the app imports Qt (PySide6).

Everything in app/views imports Qt names from here, so a binding change or a workaround for a
Qt quirk has exactly one home.
"""

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


class QLabel(QtWidgets.QLabel):
    """A label that shows its text literally. Qt's default (AutoText) renders anything looking
    like HTML, and labels here show names and summaries typed by citizens and other agencies:
    an `<img src="\\\\host\\share\\x.png">` in them makes Windows connect to that host. A label
    with fixed markup of its own opts in with setTextFormat(Qt.TextFormat.RichText)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)
