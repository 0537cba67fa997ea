"""Vietnam time (UTC+7, no daylight saving): the time every officer reads, whatever zone the
machine or the server writes in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def in_vietnam(value: datetime) -> datetime:
    """An aware time as read in Vietnam; a naive one (a server's own local time) as it is."""
    return value.astimezone(VN_TZ) if value.tzinfo is not None else value
