"""Field filters of the query language (``project:``, ``date:2024-01..2024-06``, ``金额>100000``).

A filter narrows the documents a query selects; it never adds score. Filters typed in the query
text and filters given as options (``SearchQuery.project`` …) become the same ``FieldFilter``
values, so every backend translates one list. Values are checked here, with the position of the
filter in the user's text, so a bad date or amount is reported where it was typed.

Ranges: dates and years are inclusive whole periods (``date:2024-03`` is all of March;
``date>2024-03`` starts on 1 April); amounts keep ``>``/``<`` exclusive. ``金额:1万..5万`` and
``amount>1,000,000`` are understood (``万`` = 10 000, ``亿`` = 100 000 000, a trailing ``元`` is
ignored).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from schemas.search import SearchQuery

# filter name in the query text → the field it filters (lower-case keys; Chinese aliases too)
FILTER_KEYS = {
    "project": "project", "项目": "project",
    "class": "class", "类别": "class", "分类": "class",
    "type": "type", "类型": "type",
    "contractor": "contractor", "施工单位": "contractor",
    "year": "year", "年度": "year", "年份": "year",
    "date": "date", "日期": "date",
    "amount": "amount", "金额": "amount",
    "sort": "sort", "排序": "sort",
}
SORT_VALUES = {"date": "date", "日期": "date", "relevance": "relevance", "相关度": "relevance"}
_OPERATORS = (">=", "<=", ">", "<", ":", "=")
_MULTIPLIERS = {"万": 10_000.0, "亿": 100_000_000.0}


class FilterValueError(ValueError):
    """A filter value that cannot be read; ``offset`` is where in the value the problem starts."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class FieldFilter:
    """One condition: ``field`` is project|class|type|contractor|year|date|amount.

    Text fields use ``value``; ranges use ``low``/``high`` (None = open); ``*_exclusive`` only
    for amounts (dates and years are normalised to inclusive bounds).
    """

    field: str
    value: str | None = None
    low: float | int | date | None = None
    high: float | int | date | None = None
    low_exclusive: bool = False
    high_exclusive: bool = False


def split_filter(word: str) -> tuple[str, str, str] | None:
    """``(field, operator, value)`` when ``word`` starts with a known filter name, else None."""
    for op in _OPERATORS:
        key, found, value = word.partition(op)
        if found and key.lower() in FILTER_KEYS and not any(o in key for o in _OPERATORS):
            return FILTER_KEYS[key.lower()], op, value
    return None


def _period(text: str, offset: int) -> tuple[date, date]:
    """First and last day of ``2024``, ``2024-03`` or ``2024-03-15`` (also ``/`` or ``.``)."""
    match = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text)
    if not match:
        raise FilterValueError(f"{text!r} is not a date (write 2024, 2024-03 or 2024-03-15)", offset)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        raise FilterValueError(f"{text!r} is not a real date", offset) from None


def _amount(text: str, offset: int) -> float:
    raw = text.replace(",", "").removesuffix("元")
    factor = 1.0
    if raw and raw[-1] in _MULTIPLIERS:
        factor, raw = _MULTIPLIERS[raw[-1]], raw[:-1]
    try:
        return float(raw) * factor
    except ValueError:
        raise FilterValueError(f"{text!r} is not an amount (write 100000, 1,000,000 or 10万)", offset) from None


def _year(text: str, offset: int) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise FilterValueError(f"{text!r} is not a year (write four digits, like 2024)", offset)
    return int(text)


def _bounds(op: str, value: str) -> tuple[str | None, str | None, int]:
    """(low text, high text, offset of high) for ``a..b``, ``a..``, ``..b``, or a comparison."""
    if op in (">", ">="):
        return value, None, 0
    if op in ("<", "<="):
        return None, value, 0
    if ".." in value:
        low, _, high = value.partition("..")
        if not low and not high:
            raise FilterValueError("a range needs at least one end (write a..b, a.. or ..b)")
        return low or None, high or None, len(low) + 2
    return value, value, 0


def build_filter(field: str, op: str, value: str) -> FieldFilter:
    """Check and normalise one typed filter; raises FilterValueError for a bad value."""
    if not value:
        raise FilterValueError(f"the {field} filter needs a value after {op!r}")
    if field in ("project", "type", "contractor", "class"):
        if op != ":" and op != "=":
            raise FilterValueError(f"the {field} filter takes ':' (like {field}:…), not {op!r}")
        return FieldFilter(field, value=value.upper() if field == "class" else value)
    if field == "sort":
        raise FilterValueError("sort is not a filter")  # handled by the parser; kept for safety
    low_text, high_text, high_offset = _bounds(op, value)
    if field == "amount":
        low = _amount(low_text, 0) if low_text else None
        high = _amount(high_text, high_offset) if high_text else None
        return FieldFilter("amount", low=low, high=high, low_exclusive=op == ">", high_exclusive=op == "<")
    if field == "year":
        low_year = _year(low_text, 0) if low_text else None
        high_year = _year(high_text, high_offset) if high_text else None
        if op == ">" and low_year is not None:
            low_year += 1
        if op == "<" and high_year is not None:
            high_year -= 1
        return _ordered(FieldFilter("year", low=low_year, high=high_year))
    # date
    low_day = _period(low_text, 0)[0] if low_text else None
    high_day = _period(high_text, high_offset)[1] if high_text else None
    if op == ">" and low_text:
        low_day = _period(low_text, 0)[1] + timedelta(days=1)
    if op == "<" and high_text:
        high_day = _period(high_text, 0)[0] - timedelta(days=1)
    return _ordered(FieldFilter("date", low=low_day, high=high_day))


def _ordered(flt: FieldFilter) -> FieldFilter:
    if flt.low is not None and flt.high is not None and flt.low > flt.high:  # type: ignore[operator]
        raise FilterValueError(f"the {flt.field} range ends before it starts")
    return flt


def option_filters(query: SearchQuery) -> list[FieldFilter]:
    """The filters given as ``SearchQuery`` options, in the same form as typed ones."""
    found: list[FieldFilter] = []
    if query.project:
        found.append(FieldFilter("project", value=query.project))
    if query.class_code and query.class_code.strip():
        found.append(FieldFilter("class", value=query.class_code.strip().upper()))
    if query.doc_type:
        found.append(FieldFilter("type", value=query.doc_type))
    if query.contractor:
        found.append(FieldFilter("contractor", value=query.contractor))
    if query.year is not None:
        found.append(FieldFilter("year", low=query.year, high=query.year))
    if query.date_from is not None or query.date_to is not None:
        found.append(FieldFilter("date", low=query.date_from, high=query.date_to))
    if query.amount_min is not None or query.amount_max is not None:
        found.append(FieldFilter("amount", low=query.amount_min, high=query.amount_max))
    return found
