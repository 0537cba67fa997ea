"""How sizes and dates read in the lists, details and dialogs (Vietnamese style: day/month/year)."""

from __future__ import annotations

from datetime import date, datetime


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB" if size else ""


def date_text(value: date | None) -> str:
    """The day only; faster than strftime, which matters at 10,000 rows."""
    if not value:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def datetime_text(value: datetime | None) -> str:
    if not value:
        return ""
    return f"{date_text(value)} {value.hour:02d}:{value.minute:02d}"
