"""Dates in Chinese documents → ISO dates, and which one is the document's own date.

Forms and letters write 2024年5月17日, 2024-05-17, 2024/5/17, 2024.5.17, and official documents
二〇二四年五月十七日. A date is only accepted when it is a real calendar day between 1950 and 2100
(so standard numbers like "GB 50300-2013" or phone numbers never become dates). The document's
own date is the latest date carrying a date label (日期, 签发, 时间 …) or an issuing word after it
(…印发); without one it is the last date in the text, which is where letters and forms sign off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.labels import preceding_label
from textvalues.dates import calendar_day
from textvalues.numerals import digit_string_value, integer_value

MIN_YEAR = 1950
DATE_LABEL_ENDINGS = ("日期", "签发", "签署", "签订", "发文", "时间", "落款")
ISSUED_AFTER = ("印发", "签发", "发布")

_YMD_CHINESE_SUFFIX = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YMD_SEPARATED = re.compile(r"(?<![0-9A-Za-z.\-/])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![0-9]|\.[0-9]|-[0-9])")
_CN_DIGIT = "〇零○O一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_YMD_CHINESE_NUMERALS = re.compile(
    rf"([{_CN_DIGIT}]{{4}})\s*年\s*([{_CN_SMALL}]{{1,3}})\s*月\s*([{_CN_SMALL}]{{1,3}})\s*[日号]"
)


@dataclass(frozen=True)
class DateHit:
    value: date
    start: int
    end: int
    labelled: bool


def _make_date(year: int | None, month: int | None, day: int | None) -> date | None:
    return calendar_day(year, month, day, earliest_year=MIN_YEAR)


def _is_labelled(text: str, start: int, end: int) -> bool:
    if preceding_label(text, start).endswith(DATE_LABEL_ENDINGS):
        return True
    after = text[end : end + 4].lstrip()
    return after.startswith(ISSUED_AFTER)


def find_dates(text: str) -> list[DateHit]:
    """Every valid date in the text, in text order (overlapping matches resolved by position)."""
    hits: list[DateHit] = []
    for match in _YMD_CHINESE_SUFFIX.finditer(text):
        value = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if value:
            hits.append(
                DateHit(value, match.start(), match.end(), _is_labelled(text, match.start(), match.end()))
            )
    for match in _YMD_SEPARATED.finditer(text):
        value = _make_date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if value:
            hits.append(
                DateHit(value, match.start(), match.end(), _is_labelled(text, match.start(), match.end()))
            )
    for match in _YMD_CHINESE_NUMERALS.finditer(text):
        value = _make_date(
            digit_string_value(match.group(1)),
            integer_value(match.group(2)),
            integer_value(match.group(3)),
        )
        if value:
            hits.append(
                DateHit(value, match.start(), match.end(), _is_labelled(text, match.start(), match.end()))
            )
    hits.sort(key=lambda hit: hit.start)
    return hits


def main_date(hits: list[DateHit]) -> date | None:
    """The document's own date: the latest labelled date, else the last date in the text."""
    labelled = [hit.value for hit in hits if hit.labelled]
    if labelled:
        return max(labelled)
    return hits[-1].value if hits else None


def unique_dates(hits: list[DateHit]) -> list[date]:
    """Distinct dates in order of first appearance."""
    return list(dict.fromkeys(hit.value for hit in hits))
