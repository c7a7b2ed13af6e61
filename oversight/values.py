"""Reading one typed value right after a label: money, a date, a percentage, a number of days, a
name or a code. The label finder (``oversight.reader``) decides where to look; this module decides
what is written there, and returns ``None`` rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from oversight.dates import date_at
from oversight.money import money_at
from textvalues.numerals import small_number

# between a label and its value: "：", "|", "为", "（大写）", "（元）" … on the same line ("人民币" is
# read by the money reader itself: it makes a bare figure an amount)
_SEPARATORS = re.compile(
    r"(?:[ \t:：|=为是计约即于]|共计|合计为|总计|的"
    r"|[（(](?:大写|小写|含税|不含税|元|万元|人民币|金额|单位[:：]?\s*(?:万元|元)|全称|盖章|签字)[)）])*"
)
_CLAUSE_END = re.compile(r"[，,。；;\n\f|]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_DAYS = re.compile(r"(\d+|[一二三四五六七八九十百零〇两]+)\s*(?:个)?(?:日历天|日历日|天|日)(?![期])")
_NUMBER = re.compile(r"(\d+|[一二三四五六七八九十百]+)")
_CODE = re.compile(r"[A-Za-z0-9\u4e00-\u9fff〔〕\[\]（）()【】\-－—_/#.第号字]{2,40}")
_TEXT_STOP = re.compile(r"[|，,。；;\n\f：:]|\s{2,}|\s(?=日期|编号|时间|金额|部位|专业|地点|签字|盖章)")
_ORGANISATION = re.compile(r"(?:公司|院|局|中心|集团|所|厂|站|委员会|政府|学校|大学|医院|管理处|办公室|单位)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_LABEL = re.compile(r"(?:日期|时间|金额|名称|单位|地点|部位|专业|原因|事由)")
PERCENT_WINDOW = 24  # "为结算总额的3%": words allowed between a label and its percentage


@dataclass(frozen=True)
class Value:
    value: float | int | str | date
    start: int
    end: int
    raw: str
    unit: str | None = None
    tax: str | None = None
    twin: float | None = None  # money written twice (大写 and 小写): the other form's value
    bare: bool = False  # a figure with neither a currency sign nor a unit


def skip_separators(text: str, position: int) -> int:
    return _SEPARATORS.match(text, position).end()


def _money(text: str, at: int) -> Value | None:
    hit = money_at(text, at)
    if hit is None:
        return None
    bare = hit.unit in ("元", "万元") and not re.search(r"[¥￥元万亿]|人民币|RMB", hit.raw)
    return Value(hit.value, hit.start, hit.end, hit.raw, hit.unit, hit.tax, hit.twin, bare)


def _date(text: str, at: int) -> Value | None:
    hit = date_at(text, at)
    return None if hit is None else Value(hit.value, hit.start, hit.end, hit.raw)


def _percent(text: str, at: int) -> Value | None:
    clause = _CLAUSE_END.search(text, at)
    window = text[at : min(clause.start() if clause else len(text), at + PERCENT_WINDOW)]
    match = _PERCENT.search(window)
    if match is None:
        return None
    return Value(float(match.group(1)), at + match.start(), at + match.end(), match.group(0), "%")


def _days(text: str, at: int) -> Value | None:
    match = _DAYS.match(text, at)
    if match is None:
        return None
    count = small_number(match.group(1))
    return None if count is None else Value(count, match.start(), match.end(), match.group(0), "天")


def _number(text: str, at: int) -> Value | None:
    match = _NUMBER.match(text, at)
    if match is None:
        return None
    number = small_number(match.group(1))
    return None if number is None else Value(number, match.start(), match.end(), match.group(0))


def _text(text: str, at: int) -> Value | None:
    stop = _TEXT_STOP.search(text, at)
    end = min(stop.start() if stop else len(text), at + 60)
    value = text[at:end].strip()
    if len(_CJK.findall(value)) < 2 or value.startswith(("年", "月", "日")):
        return None
    return Value(value, at, at + len(value), value)


def _party(text: str, at: int) -> Value | None:
    """An organisation's name: text that ends like one (…有限公司, …设计研究院, …管理局)."""
    found = _text(text, at)
    if found is None:
        return None
    name = re.split(r"[（(]", str(found.value))[0].strip() if str(found.value).endswith(("章）", "章)")) else found.value
    if not _ORGANISATION.search(str(name)) or len(_CJK.findall(str(name))) < 4:
        return None
    return Value(name, found.start, found.start + len(str(name)), str(name))


def _code(text: str, at: int) -> Value | None:
    match = _CODE.match(text, at)
    if match is None:
        return None
    code = _NEXT_LABEL.split(match.group(0))[0]  # "BG-004日期 2024…": a grid cell ran into the next label
    if not re.search(r"\d", code):
        return None
    return Value(code, match.start(), match.start() + len(code), code)


READERS = {"money": _money, "date": _date, "percent": _percent, "days": _days, "number": _number,
           "text": _text, "party": _party, "code": _code}


def value_at(kind: str, text: str, position: int) -> Value | None:
    """The value of type ``kind`` after a label ending at ``position`` (separators skipped)."""
    return READERS[kind](text, skip_separators(text, position))


def row_values(kind: str, text: str, position: int) -> list[Value]:
    """In a table row, the values in the cells right after the label's cell, up to the next label:
    "本期应付款 | 1605110.48 | 1605110.48" gives both, "审定金额 | 2.2万元 | 审减金额 | …" only the first.
    """
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    found: list[Value] = []
    bar = text.find("|", position, line_end)
    while bar >= 0:
        following = text.find("|", bar + 1, line_end)
        cell_end = line_end if following < 0 else following
        if text[bar + 1 : cell_end].strip():
            value = value_at(kind, text, bar + 1)
            if value is None or value.end > cell_end:
                break  # the next label: its values are not this label's
            found.append(value)
        bar = following
    return found
