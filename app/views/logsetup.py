"""Logging to a rotating file under the log folder, with secrets redacted before they are written."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.redact import REDACTED, redact

LOG_FILE = "lienthong.log"
__all__ = ["LOG_FILE", "REDACTED", "RedactingFilter", "redact", "setup_logging"]


class PrivateRotatingFileHandler(RotatingFileHandler):
    """Log files only their owner can read (0600; on Windows the folder is in the user's profile)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name != "nt":
            os.chmod(self.baseFilename, 0o600)  # a file left by an older version
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message (and traceback text) with secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a broken format string must not hide the record)
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO, file_name: str = LOG_FILE) -> logging.Handler:
    """Attach a rotating, redacting file handler to the root logger; returns it for removal."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt":
        os.chmod(log_dir, 0o700)
    handler = PrivateRotatingFileHandler(log_dir / file_name, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    # Font subsetting (PDF generation) reports every table it touches at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler
