"""Dates in every form the archive holds: 2025年7月3日, 2025-07-03, 2025/7/3, 2025.07.03,
二〇二五年七月三日, 2025年07月03号 — each with its span, because a fact keeps its passage.

A date is accepted only when it is a real calendar day between 1990 and 2100: standard numbers
(GB 50300-2013), 图号 and phone numbers never become dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from textvalues.dates import calendar_day
from textvalues.numerals import digit_string_value, small_number

MIN_YEAR = 1990
_CN_DIGIT = "〇零○ＯO一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_PATTERNS = (
    re.compile(r"(?<![\d.])(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"(?<![0-9A-Za-z.\-/])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d]|[.\-/]\d)"),
    re.compile(rf"(?P<y>[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>[{_CN_SMALL}]{{1,3}})\s*月\s*(?P<d>[{_CN_SMALL}]{{1,3}})\s*[日号]"),
)


@dataclass(frozen=True)
class DateHit:
    value: date
    start: int
    end: int
    raw: str


def _from_match(match: re.Match[str]) -> DateHit | None:
    year_text = match.group("y")
    year = int(year_text) if year_text.isdigit() else digit_string_value(year_text)
    value = calendar_day(year, small_number(match.group("m")), small_number(match.group("d")), earliest_year=MIN_YEAR)
    if value is None:
        return None
    return DateHit(value, match.start(), match.end(), match.group(0))


def date_at(text: str, position: int) -> DateHit | None:
    """The date that starts exactly at ``position``, in any accepted form."""
    for pattern in _PATTERNS:
        match = pattern.match(text, position)
        if match:
            return _from_match(match)
    return None


def find_dates(text: str) -> list[DateHit]:
    """Every valid date in the text, in text order; overlapping readings keep the earliest start."""
    hits = [hit for pattern in _PATTERNS for match in pattern.finditer(text) if (hit := _from_match(match))]
    hits.sort(key=lambda hit: (hit.start, -hit.end))
    kept: list[DateHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
