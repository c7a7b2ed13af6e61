"""C24, the disclosure due list: each disclosable item's formation date + 20 working days (7 for a
行政许可), counted with the oversight holiday calendar, and whether a published version met it.

An item counts as disclosed by the first *standing* publication that carries it (a retracted one no
longer stands: the information has to go out again). Items the reviewer withheld, with a reason,
are listed as such and never as overdue; items with no date cannot be timed and say so.
"""

from __future__ import annotations

from datetime import date, datetime

from disclosure.catalogue import Catalogue
from disclosure.items import RawItem
from disclosure.render.meta import LOCAL_TIME
from oversight.workdays import WorkCalendar
from schemas.disclosure import DueItem


def due_list(project: str, planned: dict[str, list[RawItem]], catalogue: Catalogue, calendar: WorkCalendar,
             published: dict[str, datetime], withheld: dict[str, str], today: date) -> list[DueItem]:
    """One row per item the archive holds now; ``published`` maps item key → first standing
    publication time, ``withheld`` item key → the reviewer's reason.
    """
    names = {category.id: category.name for category in catalogue.categories}
    rows = []
    for category, items in planned.items():
        for raw in items:
            limit = catalogue.limit_for(raw.spec)
            formed = raw.formed
            due = calendar.add_working_days(formed, limit) if formed else None
            when = published.get(raw.key)
            row = DueItem(project=project, key=raw.key, category=category, category_name=names[category],
                          item=raw.name, formed=formed, limit_days=limit, due=due.value if due else None,  # type: ignore[arg-type]
                          approximate=bool(due and due.approximate), status="pending", published_at=when)
            rows.append(_status(row, calendar, withheld.get(raw.key), today))
    rows.sort(key=lambda r: (r.due or date.max, r.key))
    return rows


def _status(row: DueItem, calendar: WorkCalendar, withheld: str | None, today: date) -> DueItem:
    if row.published_at is not None:
        day = row.published_at.astimezone(LOCAL_TIME).date()
        if row.due is not None and day > row.due:
            late = calendar.working_days_between(row.due, day).value
            return row.model_copy(update={"status": "disclosed_late", "overdue_days": late})
        return row.model_copy(update={"status": "disclosed"})
    if withheld is not None:
        return row.model_copy(update={"status": "withheld"})
    if row.due is None:
        return row.model_copy(update={"status": "undated"})
    if today > row.due:
        late = calendar.working_days_between(row.due, today).value
        return row.model_copy(update={"status": "overdue", "overdue_days": late})
    return row
