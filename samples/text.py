"""Small text helpers: the ways Chinese project paperwork writes dates, amounts and numbers.

Real archives mix ``2024年5月17日``, ``2024-05-17`` and ``2024.05.17`` in one folder, and write
amounts both as ``¥12,864,500.00`` and in capital numerals; the generator does the same so the
field extractor meets the variety it will meet in practice.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")

DATE_STYLES = ("cn", "cn", "cn", "iso", "dot")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿")


def cn_date(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def fmt_date(when: date, style: str = "cn") -> str:
    if style == "iso":
        return when.isoformat()
    if style == "dot":
        return f"{when.year}.{when.month:02d}.{when.day:02d}"
    return cn_date(when)


def any_date(rng: random.Random, when: date) -> str:
    """The date in a style picked at random (mostly the Chinese one, as on most forms)."""
    return fmt_date(when, rng.choice(DATE_STYLES))


def money(amount: float) -> str:
    return f"{amount:,.2f}"


def yuan(amount: float) -> str:
    return f"¥{amount:,.2f}"


def wan(amount: float) -> str:
    """Amount in 万元 with two decimals, the way budgets and approvals quote it."""
    return f"{amount / 10000:,.2f}万元"


def _four_digits(number: int) -> str:
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        digit = number // (10**pos) % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[pos]
    return out


def rmb_upper(amount: float) -> str:
    """Capital-numeral amount as written on contracts: 壹仟贰佰捌拾陆万肆仟伍佰元整."""
    fen_total = round(amount * 100)
    integer, cents = divmod(fen_total, 100)
    if integer == 0:
        head = "零元"
    else:
        groups = []
        while integer:
            groups.append(integer % 10000)
            integer //= 10000
        head = ""
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                need_zero = bool(head)
                continue
            if head and (need_zero or group < 1000):
                head += "零"
            head += _four_digits(group) + _BIG_UNITS[index]
            need_zero = False
        head += "元"
    jiao, fen = divmod(cents, 10)
    if not jiao and not fen:
        return head + "整"
    tail = (_DIGITS[jiao] + "角") if jiao else ("零" if fen else "")
    if fen:
        tail += _DIGITS[fen] + "分"
    return head + tail


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]
