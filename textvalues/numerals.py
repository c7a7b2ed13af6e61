"""Chinese numerals as 机关 paperwork writes them: 大写 money (壹仟贰佰捌拾陆万肆仟伍佰元整),
small numerals in counts and dates (十七, 二〇二五).

Financial documents write an amount twice, in figures and in 大写 (the uppercase numerals that
resist tampering), and official documents date themselves in Chinese numerals, so both are read
exactly or not at all: a malformed numeral is ``None``, never a guess.
"""

from __future__ import annotations

import re

DIGIT_VALUES: dict[str, int] = {}
for _chars, _value in (("零〇○ＯO０", 0), ("一壹幺", 1), ("二两兩贰貳", 2), ("三叁參叄", 3), ("四肆", 4),
                       ("五伍", 5), ("六陆陸", 6), ("七柒", 7), ("八捌", 8), ("九玖", 9)):
    for _ch in _chars:
        DIGIT_VALUES[_ch] = _value
UNIT_VALUES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
GROUP_VALUES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

UPPER_DIGITS = "零壹贰貳叁參叄肆伍陆陸柒捌玖"
UPPER_UNITS = "拾佰仟万萬亿億"
# 人民币 壹仟贰佰捌拾陆万肆仟伍佰元 [零] 伍角 [陆分] 整 — the integer part may be absent ("伍角").
UPPER_MONEY = re.compile(
    rf"(?:[{UPPER_DIGITS}拾][{UPPER_DIGITS}{UPPER_UNITS}]*[元圆])?"
    rf"(?:零?[{UPPER_DIGITS[1:]}]角)?(?:零?[{UPPER_DIGITS[1:]}]分)?[整正]?"
)


def integer_value(numeral: str) -> int | None:
    """"壹仟贰佰捌拾陆万肆仟伍佰" → 12864500; "十七" → 17; None when it is not a positional numeral."""
    if not numeral:
        return None
    total, section, pending = 0, 0, None
    for ch in numeral:
        if ch in DIGIT_VALUES:
            if pending and DIGIT_VALUES[ch]:
                return None  # "二三": digits in a row are not positional
            pending = DIGIT_VALUES[ch]
        elif ch in UNIT_VALUES:
            section += (1 if pending is None else pending) * UNIT_VALUES[ch]
            pending = None
        elif ch in GROUP_VALUES:
            section += pending or 0
            pending = None
            total = (total + section) * GROUP_VALUES[ch] if GROUP_VALUES[ch] > 10**4 else total + section * 10**4
            section = 0
        else:
            return None
    return total + section + (pending or 0)


def digit_string_value(numeral: str) -> int | None:
    """Digit-by-digit numerals, as years are written: "二〇二五" → 2025."""
    if not numeral or any(ch not in DIGIT_VALUES for ch in numeral):
        return None
    return int("".join(str(DIGIT_VALUES[ch]) for ch in numeral))


def small_number(numeral: str) -> int | None:
    """A month or day in Chinese numerals ("七", "十二", "三十一") or Arabic digits."""
    if numeral.isdigit():
        return int(numeral)
    return integer_value(numeral)


def upper_money_value(text: str) -> float | None:
    """Value in 元 of a 大写 amount ("人民币壹拾万元整" → 100000.0, "伍角" → 0.5); None if malformed or empty."""
    body = text.strip()
    for prefix in ("人民币", "RMB", "¥"):
        body = body.removeprefix(prefix)
    body = body.rstrip("整正").strip()
    if not body:
        return None
    yuan_at = max(body.find("元"), body.find("圆"))
    whole, fraction = (body[:yuan_at], body[yuan_at + 1 :]) if yuan_at >= 0 else ("", body)
    value = 0.0
    if whole:
        number = integer_value(whole)
        if number is None:
            return None
        value = float(number)
    for unit, scale in (("角", 0.1), ("分", 0.01)):
        at = fraction.find(unit)
        if at < 0:
            continue
        digit = fraction[:at].lstrip("零")
        if len(digit) != 1 or digit not in DIGIT_VALUES:
            return None
        value += DIGIT_VALUES[digit] * scale
        fraction = fraction[at + 1 :]
    if fraction.strip("零"):
        return None
    if not whole and value == 0:
        return None
    return round(value, 2)
