"""Money as the documents write it, with the unit kept: ¥12,864,500.00 / 1286.45万元 / 3.2亿元 /
人民币壹仟贰佰捌拾陆万肆仟伍佰元整, and bare figures under a "单位：万元" or "金额（元）" heading.

``money_at`` reads the amount that starts at a position (the extractor calls it right after a
label) and, when the same sum is written twice (小写 and 大写 side by side, as contracts must),
reads the twin as well so the caller can compare them: two forms that disagree inside one
document are a finding, never a silent pick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textvalues.numerals import UPPER_MONEY, upper_money_value

UNIT_SCALE = {"元": 1.0, "万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8}
_FIGURE = re.compile(
    r"(?P<lead>[-－−])?(?P<currency>¥|￥|人民币|RMB)?[ \t]*(?P<sign>[-－−])?(?P<number>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ \t]*(?P<unit>亿元|万元|元|万(?![平方吨人个次千台套米㎡])|亿))?"
)
_TWIN_GAP = re.compile(r"[\s（(：:，,]*(?:大写|小写)?[\s：:）)]*(?:人民币|RMB)?\s*")
_UNIT_HEADING = re.compile(
    r"(?:金额|计量|币种及|货币)?单位\s*[:：|]?\s*(?:人民币)?\s*(万元|元)(?![/每])"
    r"|[（(]\s*(?:单位\s*[:：]\s*)?(?:人民币)?\s*(万元|元)\s*[)）]"
)
_LOOKS_LIKE_MONEY = re.compile(r"[,，]\d{3}|\.\d{2}$")  # thousands separators, or cents
_TAX = re.compile(r"(不含税|含税|除税|税前|税后)")
UNIT_LOOKBACK = 2000  # characters before a bare figure searched for its 单位 heading (a long table)


@dataclass(frozen=True)
class Money:
    """One amount: ``value`` in 元, ``unit`` as written (元 / 万元 / 亿元 / 大写), its span and text."""

    value: float
    unit: str
    start: int
    end: int
    raw: str
    tax: str | None = None
    twin: float | None = None  # the same sum in its other form (大写 ↔ 小写), when written twice

    @property
    def twins_disagree(self) -> bool:
        return self.twin is not None and abs(self.twin - self.value) > 0.005


def unit_heading_before(text: str, position: int) -> str | None:
    """The unit a table or form declares for its bare figures ("单位：万元", "金额（元）"), nearest first."""
    window = text[max(0, position - UNIT_LOOKBACK) : position]
    found = None
    for match in _UNIT_HEADING.finditer(window):
        found = match.group(1) or match.group(2)
    return found


def _tax_note(text: str, start: int, end: int) -> str | None:
    """含税/不含税 written in the same clause as the amount (a label's note or right after it)."""
    before = re.split(r"[，。；;\n|]", text[max(0, start - 12) : start])[-1]
    after = re.split(r"[，。；;\n|]", text[end : end + 12])[0]
    match = _TAX.search(before + " " + after)
    if match is None:
        return None
    return "不含税" if match.group(1) in ("不含税", "除税", "税前") else "含税"


def _figure_at(text: str, position: int, *, bare_ok: bool) -> Money | None:
    match = _FIGURE.match(text, position)
    if match is None or not match.group("number"):
        return None
    number_text = match.group("number")
    number = float(number_text.replace(",", "").replace("，", ""))
    if match.group("sign") or match.group("lead"):
        number = -number
    after = text[match.end() : match.end() + 2]
    if after[:1] in ("/", "每", "%", "％", "㎡", "年", "月", "日", "号", "-") or re.match(r"\d", after[:1] or ""):
        return None  # a unit price, a rate, a date, or a number running on
    unit = match.group("unit")
    start = match.start() if match.group("currency") or match.group("lead") else match.start("sign") \
        if match.group("sign") else match.start("number")
    if unit:
        written = {"万": "万元", "亿": "亿元"}.get(unit, unit)
        return Money(round(number * UNIT_SCALE[unit], 2), written, start, match.end(), text[start:match.end()])
    if match.group("currency"):
        return Money(round(number, 2), "元", start, match.end(), text[start:match.end()])
    if not bare_ok:
        return None
    heading = unit_heading_before(text, position)
    scale = UNIT_SCALE[heading] if heading else 1.0
    if heading is None and not _LOOKS_LIKE_MONEY.search(number_text):
        return None  # "3" or "16.1" after a label is a count or a clause number, not money
    return Money(round(number * scale, 2), heading or "元", match.start(), match.end(), number_text)


_UPPER_PREFIX = re.compile(r"(?:人民币|RMB)?\s*(?:[（(]\s*大写\s*[)）])?\s*(?:大写)?[：:]?\s*")


def _upper_at(text: str, position: int) -> Money | None:
    start = _UPPER_PREFIX.match(text, position).end()
    match = UPPER_MONEY.match(text, start)
    if match is None or not match.group(0) or not re.search("[元圆角]", match.group(0)):
        return None
    value = upper_money_value(match.group(0))
    if value is None:
        return None
    return Money(value, "大写", position, match.end(), text[position : match.end()])


def money_at(text: str, position: int, *, bare_ok: bool = True) -> Money | None:
    """The amount written at ``position`` (after a label's separators), with its twin if there is one."""
    first = _upper_at(text, position) or _figure_at(text, position, bare_ok=bare_ok)
    if first is None:
        return None
    gap = _TWIN_GAP.match(text, first.end)
    twin_at = gap.end() if gap else first.end
    twin = _figure_at(text, twin_at, bare_ok=False) if first.unit == "大写" else _upper_at(text, twin_at)
    tax = _tax_note(text, first.start, twin.end if twin else first.end)
    end = twin.end if twin else first.end
    if twin is not None and first.unit == "大写":
        # the figure is what people read and quote; the 大写 is kept as its twin to compare with
        return Money(twin.value, twin.unit, first.start, end, text[first.start:end], tax, first.value)
    return Money(first.value, first.unit, first.start, end, text[first.start:end], tax,
                 twin.value if twin else None)


def find_money(text: str) -> list[Money]:
    """Every amount with a currency sign, a unit or in 大写, in text order (bare figures are skipped)."""
    found: list[Money] = []
    position = 0
    candidates = re.compile(r"[¥￥]|人民币|RMB|\d|[壹贰貳叁參叄肆伍陆陸柒捌玖拾]")
    while True:
        match = candidates.search(text, position)
        if match is None:
            return found
        hit = money_at(text, match.start(), bare_ok=False)
        if hit is None:
            skip = re.compile(r"\d+(?:[.,，]\d+)*").match(text, match.start())
            position = skip.end() if skip else match.end()
            continue
        found.append(hit)
        position = hit.end
