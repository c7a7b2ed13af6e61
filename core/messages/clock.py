"""Moments as people read them: the archive's local time, not the UTC the catalog stores.

The catalog and the audit trail keep UTC (one order everywhere, no summer-time gaps); every page,
export and report converts at the last moment. A local date range typed into a filter is turned
back into UTC bounds here, so "2024-03-01 to 2024-03-31" means Beijing days, not London ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ConfigError

AUDIT_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"  # the audit trail's stored form (core/security/audit.py)


class LocalClock:
    def __init__(self, zone: str = "Asia/Shanghai") -> None:
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"display_timezone {zone!r} is not a known time zone", zone=zone) from exc
        self.zone_name = zone

    def local(self, moment: datetime | str | None) -> datetime | None:
        """A stored moment (aware, naive UTC from SQLite, or the audit trail's text) in local time."""
        if moment is None or moment == "":
            return None
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone)

    def format(self, moment: datetime | str | None, seconds: bool = False) -> str:
        found = self.local(moment)
        if found is None:
            return ""
        return found.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()

    def start_of(self, day: date) -> datetime:
        """Local midnight of ``day``, as an aware UTC moment."""
        return datetime.combine(day, time.min, tzinfo=self.zone).astimezone(UTC)

    def audit_bounds(self, date_from: date | None, date_to: date | None) -> tuple[str | None, str | None]:
        """Local dates (inclusive) → the audit trail's ``since``/``until`` text bounds in UTC."""
        since = self.start_of(date_from).strftime(AUDIT_TIME) if date_from else None
        until = self.start_of(date_to + timedelta(days=1)).strftime(AUDIT_TIME) if date_to else None
        return since, until

    def last_months(self, count: int = 12) -> list[tuple[str, datetime, datetime]]:
        """The last ``count`` local calendar months, oldest first: (``YYYY-MM``, start, end) in UTC."""
        today = self.today()
        year, month = today.year, today.month
        months = []
        for _ in range(count):
            months.append((year, month))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        bounds = []
        for year, month in reversed(months):
            nxt = (year + 1, 1) if month == 12 else (year, month + 1)
            bounds.append((f"{year:04d}-{month:02d}", self.start_of(date(year, month, 1)),
                           self.start_of(date(nxt[0], nxt[1], 1))))
        return bounds

    def audit_text(self, moment: datetime) -> str:
        """An aware moment in the audit trail's stored text form (for comparisons in SQL)."""
        return moment.astimezone(UTC).strftime(AUDIT_TIME)
