"""Chinese numerals: the uppercase amounts of contracts (壹拾万元整) and the digits of dates (二〇二四).

Financial documents write amounts twice, in figures and in 大写 (anti-fraud uppercase numerals),
and official documents date themselves in Chinese numerals, so both have to be read exactly.
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "０": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

UPPERCASE_DIGITS = "零壹贰貳叁參叄肆伍陆陸柒捌玖"
UPPERCASE_UNITS = "拾佰仟万萬亿億"


def parse_chinese_integer(numeral: str) -> int | None:
    """Value of a positional Chinese numeral ("壹拾万", "伍万肆仟玖佰零伍", "十七"); None if invalid."""
    if not numeral:
        return None
    total = 0  # completed 亿/万 sections
    section = 0  # the part below 万 being built
    digit: int | None = None
    for ch in numeral:
        if ch in DIGITS:
            if digit not in (None, 0) and DIGITS[ch] != 0:
                return None  # two digits in a row ("二三") is not a positional numeral
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            digit = None
            if BIG_UNITS[ch] == 10**8:
                total = (total + section) * 10**8
            else:
                total += section * 10**4
            section = 0
        else:
            return None
    return total + section + (digit or 0)


def parse_digit_sequence(numeral: str) -> int | None:
    """Value of digit-by-digit numerals as in years: "二〇二四" → 2024."""
    if not numeral or any(ch not in DIGITS for ch in numeral):
        return None
    return int("".join(str(DIGITS[ch]) for ch in numeral))


def parse_uppercase_amount(text: str) -> float | None:
    """Value in 元 of an uppercase amount: "人民币壹拾万元整" → 100000.0, "伍元肆角伍分" → 5.45."""
    text = text.strip()
    for prefix in ("人民币", "RMB", "¥"):
        text = text.removeprefix(prefix)
    text = text.rstrip("整正").strip()
    yuan_at = max(text.find("元"), text.find("圆"))
    integer_part, fraction = (text[:yuan_at], text[yuan_at + 1 :]) if yuan_at >= 0 else ("", text)
    value = 0.0
    if integer_part:
        integer = parse_chinese_integer(integer_part)
        if integer is None:
            return None
        value = float(integer)
    fraction = fraction.lstrip("零")
    for unit, scale in (("角", 0.1), ("分", 0.01)):
        at = fraction.find(unit)
        if at >= 0:
            digits = fraction[:at].lstrip("零")
            if len(digits) != 1 or digits not in DIGITS:
                return None
            value += DIGITS[digits] * scale
            fraction = fraction[at + 1 :].lstrip("零")
    if fraction:
        return None
    if not integer_part and value == 0:
        return None
    return round(value, 2)
