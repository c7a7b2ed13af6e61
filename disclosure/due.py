"""C24, the disclosure due list: each disclosable item's formation date + 20 working days (7 for a
行政许可), counted with the oversight holiday calendar, and whether a published version met it.

An item counts as disclosed by the first *standing* publication that carries it (a retracted one no
longer stands: the information has to go out again). Items the reviewer withheld, with a reason,
are listed as such and never as overdue; items with no date cannot be timed and say so.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta

from disclosure.catalogue import Catalogue
from disclosure.items import RawItem
from disclosure.render.meta import LOCAL_TIME
from oversight.workdays import WorkCalendar
from schemas.disclosure import DueItem


class WorkdayIndex:
    """Working days between two dates by a running count over the span seen so far: counting day by
    day for each of thousands of items (the overdue list across an agency) took a minute; one table
    shared by them all takes milliseconds. Same answers as ``WorkCalendar.working_days_between``.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.first: date | None = None
        self.running: list[int] = []  # working days in (first, first + i]

    def _last(self) -> date:
        assert self.first is not None
        return self.first + timedelta(days=len(self.running) - 1)

    def _cover(self, low: date, high: date) -> None:
        if self.first is None or low <= self.first:
            if self.first is not None:
                high = max(high, self._last())
            self.first, self.running = low - timedelta(days=1), [0]
        while self._last() < high:
            day = self._last() + timedelta(days=1)
            self.running.append(self.running[-1] + (1 if self.calendar.is_working_day(day) else 0))

    def add(self, start: date, count: int) -> tuple[date, bool]:
        """The ``count``-th working day after ``start``, and whether a year the calendar lacks was
        crossed (as ``WorkCalendar.add_working_days``).
        """
        self._cover(start, start + timedelta(days=2 * count + 40))
        assert self.first is not None
        offset = (start - self.first).days
        target = self.running[offset] + count
        while self.running[-1] < target:
            self._cover(start, self._last() + timedelta(days=60))
        found = bisect_left(self.running, target, lo=offset)
        due = self.first + timedelta(days=found)
        return due, any(year not in self.calendar.years for year in range(start.year, due.year + 1))

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        self._cover(min(start, end), max(start, end))
        assert self.first is not None
        return self.running[(end - self.first).days] - self.running[(start - self.first).days]


def due_list(project: str, planned: dict[str, list[RawItem]], catalogue: Catalogue, calendar: WorkCalendar,
             published: dict[str, datetime], withheld: dict[str, str], today: date,
             index: WorkdayIndex | None = None) -> list[DueItem]:
    """One row per item the archive holds now; ``published`` maps item key → first standing
    publication time, ``withheld`` item key → the reviewer's reason. ``index`` may be shared by the
    lists of many projects.
    """
    index = index or WorkdayIndex(calendar)
    names = {category.id: category.name for category in catalogue.categories}
    rows = []
    for category, items in planned.items():
        for raw in items:
            limit = catalogue.limit_for(raw.spec)
            formed = raw.formed
            due = index.add(formed, limit) if formed else None
            when = published.get(raw.key)
            row = DueItem(project=project, key=raw.key, category=category, category_name=names[category],
                          item=raw.name, formed=formed, limit_days=limit, due=due[0] if due else None,
                          approximate=bool(due and due[1]), status="pending", published_at=when)
            rows.append(_status(row, index, withheld.get(raw.key), today))
    rows.sort(key=lambda r: (r.due or date.max, r.key))
    return rows


def _status(row: DueItem, index: WorkdayIndex, withheld: str | None, today: date) -> DueItem:
    if row.published_at is not None:
        day = row.published_at.astimezone(LOCAL_TIME).date()
        if row.due is not None and day > row.due:
            late = index.between(row.due, day)
            return row.model_copy(update={"status": "disclosed_late", "overdue_days": late})
        return row.model_copy(update={"status": "disclosed"})
    if withheld is not None:
        return row.model_copy(update={"status": "withheld"})
    if row.due is None:
        return row.model_copy(update={"status": "undated"})
    if today > row.due:
        late = index.between(row.due, today)
        return row.model_copy(update={"status": "overdue", "overdue_days": late})
    return row
