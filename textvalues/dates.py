"""Whether the three numbers a document wrote make a date: a real calendar day inside the years a
reader accepts. The readers differ in where dates may start (ingest takes 1950 on, for old files'
filing dates; oversight 1990 on, so a standard number like GB 50300-2013 never becomes a date) and
in what they keep of a date (a label, a passage), so only this test is shared.
"""

from __future__ import annotations

from datetime import date

LATEST_YEAR = 2100


def calendar_day(year: int | None, month: int | None, day: int | None, *, earliest_year: int) -> date | None:
    """The date, or None when a part is missing, the year is out of range or the day does not exist (2月30日)."""
    if year is None or month is None or day is None or not earliest_year <= year <= LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
