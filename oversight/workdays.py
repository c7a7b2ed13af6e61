"""Working days by the State Council's yearly holiday notices (``data/holidays.yaml``).

Deadlines in 机关 work are counted in working days: disclosure within 20 (政府信息公开条例 第二十六条),
a 单一来源 公示 of 5, and many local 签证/审批 limits. A working day is Monday–Friday that is not a
public holiday, or a weekend day the notice makes a working day (调休上班). Years the data file
does not cover are counted Monday–Friday only; every answer that crossed such a year says so,
so nobody mistakes an estimate for a deadline.

This module is deliberately small and free of the rest of oversight: the disclosure work (issue
18) uses it for its due dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from oversight.datafiles import DataFileError, read_yaml

HOLIDAYS_FILE = Path(__file__).parent / "data" / "holidays.yaml"
MAX_SPAN_DAYS = 366 * 30  # a count longer than this is a mistake in the input, not a deadline


class HolidayYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    notice: str
    holidays: tuple[str, ...]
    workdays: tuple[str, ...] = ()

    @field_validator("holidays", "workdays", mode="before")
    @classmethod
    def _dates_or_ranges(cls, values: object) -> tuple[str, ...]:
        """YAML reads a bare 2025-01-01 as a date and a range as text; both become checked text."""
        if not isinstance(values, list | tuple):
            raise ValueError("expected a list of dates or FIRST/LAST ranges")
        texts = tuple(str(value) for value in values)
        for text in texts:
            for part in text.split("/"):
                date.fromisoformat(part.strip())
        return texts


class HolidayFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int
    years: dict[int, HolidayYear]


@dataclass(frozen=True)
class Count:
    """A working-day answer and whether it crossed a year the calendar does not cover."""

    value: int | date
    approximate: bool


def _expand(entries: tuple[str, ...]) -> set[date]:
    days: set[date] = set()
    for entry in entries:
        first, _, last = str(entry).partition("/")
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
        days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return days


class WorkCalendar:
    """Which days are working days, from the holiday notices; see the module docstring."""

    def __init__(self, years: dict[int, HolidayYear]) -> None:
        self.years = frozenset(years)
        self._holidays: set[date] = set()
        self._workdays: set[date] = set()
        for year, notice in years.items():
            self._holidays |= _expand(notice.holidays)
            self._workdays |= _expand(notice.workdays)
            stray = [d for d in _expand(notice.holidays) | _expand(notice.workdays) if abs(d.year - year) > 1]
            if stray:
                raise DataFileError(f"holidays: year {year} lists {stray[0]}, which is not near that year")

    @classmethod
    def load(cls, path: Path | None = None, override: Path | None = None) -> WorkCalendar:
        """The shipped calendar, with a locality's years (same format) replacing or adding years."""
        years = dict(_load_file(path or HOLIDAYS_FILE).years)
        if override is not None:
            years.update(_load_file(override).years)
        return cls(years)

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, start: date, count: int) -> Count:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, left, approximate = start, count, not self.covers(start)
        while left:
            day += timedelta(days=1)
            if (day - start).days > MAX_SPAN_DAYS:
                raise ValueError(f"{count} working days after {start} is beyond any deadline")
            approximate = approximate or not self.covers(day)
            if self.is_working_day(day):
                left -= 1
        return Count(day, approximate)

    def working_days_between(self, start: date, end: date) -> Count:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        sign = 1 if end >= start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        if (high - low).days > MAX_SPAN_DAYS:
            raise ValueError(f"{start} … {end} is too long a span to count in working days")
        days = [low + timedelta(days=n) for n in range(1, (high - low).days + 1)]
        count = sum(1 for day in days if self.is_working_day(day))
        approximate = any(not self.covers(day) for day in (low, *days))
        return Count(sign * count, approximate)


def _load_file(path: Path) -> HolidayFile:
    return read_yaml(path, HolidayFile)


@lru_cache(maxsize=4)
def shipped_calendar() -> WorkCalendar:
    """The calendar of the shipped data file, loaded once per process."""
    return WorkCalendar.load()
