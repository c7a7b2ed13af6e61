"""The many ways one amount or one date is written in a project's paperwork, chosen at random per
document so that no test can read a value off a fixed position or a fixed format.

Amounts: ¥12,864,500.00 / 12864500.00元 / 1,286.45万元 / 人民币壹仟贰佰捌拾陆万肆仟伍佰元整, alone or
with its 大写 twin in either order. Dates: 2025年7月3日 / 2025年07月03日 / 2025-07-03 / 2025.07.03 /
2025/7/3 / 二〇二五年七月三日.
"""

from __future__ import annotations

import random
from datetime import date

from samples.text import rmb_upper

_CN_DIGITS = "〇一二三四五六七八九"
DATE_STYLES = ("cn", "cn0", "iso", "dot", "slash", "upper")
MONEY_STYLES = ("sign", "unit", "comma_unit", "wan", "upper", "sign_upper", "upper_sign")


def cn_small(number: int) -> str:
    """1–31 in Chinese numerals as dates write them: 三, 十, 十七, 二十, 三十一."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def write_date(when: date, style: str) -> str:
    if style == "cn0":
        return f"{when.year}年{when.month:02d}月{when.day:02d}日"
    if style == "iso":
        return when.isoformat()
    if style == "dot":
        return f"{when.year}.{when.month:02d}.{when.day:02d}"
    if style == "slash":
        return f"{when.year}/{when.month}/{when.day}"
    if style == "upper":
        year = "".join(_CN_DIGITS[int(d)] for d in str(when.year))
        return f"{year}年{cn_small(when.month)}月{cn_small(when.day)}日"
    return f"{when.year}年{when.month}月{when.day}日"


def write_money(amount: float, style: str) -> str:
    """``amount`` 元 in one style; 万元 is used only when it is exact to the cent (a multiple of 100 元)."""
    if style == "wan" and round(amount * 100) % 10000 != 0:
        style = "comma_unit"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if style == "sign":
        return f"{sign}¥{value:,.2f}"
    if style == "unit":
        return f"{sign}{value:.2f}元"
    if style == "comma_unit":
        return f"{sign}{value:,.2f}元"
    if style == "wan":
        return f"{sign}{value / 10000:,.2f}万元"
    upper = rmb_upper(value)
    if style == "upper":
        return f"{sign}人民币{upper}"
    if style == "sign_upper":
        return f"{sign}¥{value:,.2f}（大写：人民币{upper}）"
    return f"人民币（大写）{upper}（小写：{sign}¥{value:,.2f}）"


class Styles:
    """One document's random choices of how to write things (one rng stream per project)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def date(self, when: date) -> str:
        return write_date(when, self.rng.choice(DATE_STYLES))

    def money(self, amount: float, *, signed: bool = False) -> str:
        """Any style; ``signed`` amounts (a change that lowers the price) avoid 大写, which has no minus."""
        styles = ("sign", "unit", "comma_unit", "wan") if signed and amount < 0 else MONEY_STYLES
        return write_money(amount, self.rng.choice(styles))

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def fmt(self) -> str:
        return self.pick(("pdf", "pdf", "docx", "xlsx"))
