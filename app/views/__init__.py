"""The PySide6 front end: windows, dialogs, item models and the controllers that run work off the UI thread."""
