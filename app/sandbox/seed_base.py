"""What the seeding modules share: the sandbox province's time zone, timestamps and ids."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

VN = timezone(timedelta(hours=7))


def iso(moment: datetime) -> str:
    return moment.astimezone(VN).isoformat(timespec="seconds")


def hexid(rng: random.Random) -> str:
    """An iGate-style id (24 hex digits, as a MongoDB ObjectId), from the seed's random stream."""
    return f"{rng.getrandbits(96):024x}"
