"""Logging to a rotating file under the log folder, with secrets redacted before they are written."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "lienthong.log"

_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE)
# key=value, key: value, "key": "value" where the key names a secret.
_NAMED = re.compile(
    r"""(?P<key>["']?[\w\-]*(?:pin|password|passwd|token|secret)[\w\-]*["']?\s*[:=]\s*)(?P<q>["']?)(?P<val>[^\s"',;&}]+)""",
    re.IGNORECASE,
)
REDACTED = "***"


def redact(text: str) -> str:
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    return _NAMED.sub(lambda m: m.group("key") + m.group("q") + REDACTED, text)


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


def setup_logging(log_dir: Path, level: int = logging.INFO) -> logging.Handler:
    """Attach a rotating, redacting file handler to the root logger; returns it for removal."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(log_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    # Font subsetting (PDF generation) reports every table it touches at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler
