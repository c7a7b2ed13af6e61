"""Money amounts in Chinese documents → float 元, and which one is the document's main amount.

Accepted forms: ¥1,234.56 / 1,200,000.00元 / 12.5万元 / 3.2亿元 / 人民币壹拾万元整 (uppercase
numerals) and, right after an amount label, a bare figure with decimals or thousands separators
("招标控制价 | （小写） | 54,905.45"). A figure is never taken as money without a currency sign,
a 元/万元/亿元 unit or such a label, and unit prices ("350元/m²") are not amounts of the document.

The main amount is the first one labelled with a contract-level label (合同价, 变更金额, 造价 …);
failing that, the largest one labelled with a generic label (金额, 合计 …): totals are the largest
figures on a bill. Without any label there is no main amount — nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.labels import preceding_label
from textvalues.numerals import UPPER_DIGITS, UPPER_UNITS, upper_money_value

PRIMARY_LABEL_ENDINGS = (
    "合同价", "合同价款", "合同金额", "合同总价", "签约合同价", "中标价", "中标金额", "投标报价", "投标总价",
    "报价", "总价", "总金额", "变更金额", "变更费用", "造价", "结算价", "结算金额", "结算总价", "控制价",
    "最高投标限价", "审定金额", "审定价", "送审金额", "价款", "估算", "概算", "预算", "总投资", "投资额",
)  # fmt: skip
SECONDARY_LABEL_ENDINGS = ("金额", "合计", "总计", "总额", "费用", "价格")
NOT_AMOUNT_LABEL_ENDINGS = ("单价", "综合单价", "税率", "费率", "比例")

_UNIT_SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_NUMBER = r"\d{1,3}(?:[,，]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = re.compile(
    r"(?<![0-9A-Za-z.,])(?P<currency>¥|\$|人民币|RMB)?\s*(?P<number>"
    + _NUMBER
    + r")\s*(?P<unit>亿元|万元|元)?"
)
_UPPERCASE = re.compile(
    rf"[{UPPER_DIGITS[1:]}拾][{UPPER_DIGITS}{UPPER_UNITS}]*[元圆]"
    rf"(?:[{UPPER_DIGITS}]角)?(?:[{UPPER_DIGITS}]分)?[整正]?"
    rf"|[{UPPER_DIGITS[1:]}]角(?:[{UPPER_DIGITS}]分)?[整正]?"
)
_WAN_NOTE = re.compile(r"[(（]\s*万元\s*[)）]")


@dataclass(frozen=True)
class AmountHit:
    value: float
    start: int
    label: str  # the text just before the amount, ending with its label if it has one


def _label_tier(label: str) -> int:
    """0 for a contract-level label, 1 for a generic one, 2 for none (or a rate/unit price)."""
    if label.endswith(NOT_AMOUNT_LABEL_ENDINGS):
        return 2
    if label.endswith(PRIMARY_LABEL_ENDINGS):
        return 0
    if label.endswith(SECONDARY_LABEL_ENDINGS):
        return 1
    return 2


def _figure_value(match: re.Match[str], text: str) -> tuple[float, str] | None:
    number = float(match.group("number").replace(",", "").replace("，", ""))
    label = preceding_label(text, match.start())
    unit = match.group("unit")
    following = text[match.end() : match.end() + 3].lstrip()
    if following.startswith(("/", "每")) or (unit and following.startswith(("件", "器", "素"))):
        return None  # a unit price ("350元/m²") or a word that merely contains 元 (元件)
    if unit:
        return number * _UNIT_SCALE[unit], label
    if match.group("currency") in ("¥", "人民币", "RMB"):
        return number, label
    # A bare figure counts only right after an amount label, and only when it looks like money.
    looks_like_money = re.search(r"[,，]", match.group("number")) or re.search(
        r"\.\d{2}$", match.group("number")
    )
    if _label_tier(label) < 2 and looks_like_money:
        before = text[max(0, match.start() - 40) : match.start()]
        same_line = before[max(before.rfind("\n"), before.rfind("\f")) + 1 :]
        scale = 1e4 if _WAN_NOTE.search(same_line) else 1.0
        return number * scale, label
    return None


def find_amounts(text: str) -> list[AmountHit]:
    """Every amount in the text, in text order."""
    hits: list[AmountHit] = []
    for match in _FIGURE.finditer(text):
        found = _figure_value(match, text)
        if found is not None:
            hits.append(AmountHit(round(found[0], 2), match.start(), found[1]))
    for match in _UPPERCASE.finditer(text):
        value = upper_money_value(match.group(0))
        if value is not None:
            hits.append(AmountHit(value, match.start(), preceding_label(text, match.start())))
    hits.sort(key=lambda hit: hit.start)
    return hits


def main_amount(hits: list[AmountHit]) -> float | None:
    """First contract-level labelled amount; else the largest generically labelled one; else None."""
    primary = [hit.value for hit in hits if _label_tier(hit.label) == 0]
    if primary:
        return primary[0]
    secondary = [hit.value for hit in hits if _label_tier(hit.label) == 1]
    return max(secondary) if secondary else None


def unique_amounts(hits: list[AmountHit]) -> list[float]:
    """Distinct amounts in order of first appearance (the 小写 and 大写 forms of one sum count once)."""
    return list(dict.fromkeys(hit.value for hit in hits))
