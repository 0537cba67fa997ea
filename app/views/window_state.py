"""Remembered window geometry and splitter positions (QSettings, an INI file in the config folder)."""

from __future__ import annotations

from pathlib import Path

from app.views.qt import QSettings, QSplitter, QWidget

# Room for the title bar and frame the window manager adds around the client area.
FRAME_ALLOWANCE = 40


class WindowState:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @classmethod
    def in_folder(cls, config_dir: Path) -> "WindowState":
        return cls(QSettings(str(Path(config_dir) / "window.ini"), QSettings.Format.IniFormat))

    def restore(self, name: str, window: QWidget, splitters: dict[str, QSplitter] | None = None) -> bool:
        geometry = self._settings.value(f"{name}/geometry")
        restored = bool(geometry) and window.restoreGeometry(geometry)
        state = self._settings.value(f"{name}/state")
        if state and hasattr(window, "restoreState"):
            window.restoreState(state)
        for key, splitter in (splitters or {}).items():
            value = self._settings.value(f"{name}/splitter/{key}")
            if value:
                splitter.restoreState(value)
        return restored

    def save(self, name: str, window: QWidget, splitters: dict[str, QSplitter] | None = None) -> None:
        self._settings.setValue(f"{name}/geometry", window.saveGeometry())
        if hasattr(window, "saveState"):
            self._settings.setValue(f"{name}/state", window.saveState())
        for key, splitter in (splitters or {}).items():
            self._settings.setValue(f"{name}/splitter/{key}", splitter.saveState())
        self._settings.sync()


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to the preferred size, shrunk to the screen's free area: a 1366×768 laptop with a
    taskbar has about 700 pixels of height, and buttons below its edge cannot be reached."""
    area = window.screen().availableGeometry()
    window.resize(min(width, area.width()), min(height, area.height() - FRAME_ALLOWANCE))
