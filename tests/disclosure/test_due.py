"""C24: due dates in working days with the shared holiday calendar, and each item's status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from disclosure.catalogue import shipped_catalogue
from disclosure.due import due_list
from disclosure.items import RawItem
from oversight.workdays import shipped_calendar
from schemas.oversight import DocumentFacts

CATALOGUE = shipped_catalogue()
CALENDAR = shipped_calendar()


def _item(key: str, category: str, item: str, formed: date | None) -> RawItem:
    spec = next(i for c in CATALOGUE.categories if c.id == category for i in c.items if i.id == item)
    docs = [DocumentFacts(document_id=key, kind="x", kind_name="x", date=formed)] if formed else []
    return RawItem(key, category, spec.name, spec, [], docs)


def test_twenty_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday() -> None:
    # formed Friday 2024-09-27; 2024-09-29 (Sunday) and 2024-10-12 (Saturday) are 调休 working days,
    # 2024-10-01…07 are holidays: the 20th working day after is 2024-10-30 (counted by hand)
    planned = {"bidding": [_item("a", "bidding", "award", date(2024, 9, 27))]}
    row = due_list("P", planned, CATALOGUE, CALENDAR, {}, {}, date(2024, 10, 30))[0]
    assert (row.due, row.limit_days, row.status, row.approximate) == (date(2024, 10, 30), 20, "pending", False)


def test_a_permit_is_due_in_seven_working_days() -> None:
    planned = {"approval_result": [_item("p", "approval_result", "construction_permit", date(2025, 1, 24))]}
    row = due_list("P", planned, CATALOGUE, CALENDAR, {}, {}, date(2025, 3, 1))[0]
    # 2025-01-26 (Sunday) is a working day, 01-28…02-04 the Spring Festival
    assert (row.limit_days, row.due) == (7, date(2025, 2, 10))
    assert row.status == "overdue" and row.overdue_days == 14


def test_statuses_disclosed_late_withheld_undated_and_approximate_beyond_the_calendar() -> None:
    planned = {"bidding": [_item("on-time", "bidding", "award", date(2025, 3, 3)),
                           _item("late", "bidding", "contract", date(2025, 3, 3)),
                           _item("kept", "bidding", "tender", date(2025, 3, 3))],
               "completion": [_item("undated", "completion", "filing", None),
                              _item("future", "completion", "settlement", date(2031, 6, 2))]}
    published = {"on-time": datetime(2025, 3, 20, 2, tzinfo=UTC), "late": datetime(2025, 4, 30, 2, tzinfo=UTC)}
    rows = {r.key: r for r in due_list("P", planned, CATALOGUE, CALENDAR, published, {"kept": "涉密"}, date(2025, 5, 6))}
    assert rows["on-time"].status == "disclosed" and rows["on-time"].due == date(2025, 3, 31)
    assert rows["late"].status == "disclosed_late" and rows["late"].overdue_days == 22  # 04-04 清明 off, 04-27 (Sunday) on
    assert rows["kept"].status == "withheld"
    assert rows["undated"].status == "undated" and rows["undated"].due is None
    assert rows["future"].approximate and rows["future"].status == "pending"


def test_the_workday_index_agrees_with_the_calendar_day_by_day() -> None:
    from disclosure.due import WorkdayIndex

    index = WorkdayIndex(CALENDAR)
    pairs = [(date(2024, 9, 27), date(2024, 10, 30)), (date(2025, 1, 24), date(2025, 3, 1)),
             (date(2023, 12, 29), date(2026, 1, 5)), (date(2025, 3, 1), date(2025, 1, 24)),
             (date(2020, 6, 1), date(2021, 2, 1)), (date(2025, 5, 5), date(2025, 5, 5))]
    for start, end in pairs:
        assert index.between(start, end) == CALENDAR.working_days_between(start, end).value, (start, end)
    for start, _end in pairs:
        for count in (1, 7, 20, 400):
            expected = CALENDAR.add_working_days(start, count)
            assert index.add(start, count) == (expected.value, expected.approximate), (start, count)
