"""Timestamps as the outside world must read them: always with their UTC offset.

The catalog writes UTC (``core.catalog.history.now``) but SQLite hands ``datetime`` values back without
a zone; serialised as they are, they are not RFC 3339 ``date-time`` strings and a reader cannot
tell UTC from local time. ``UtcDateTime`` marks a naive value as UTC (an aware one is converted).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]
