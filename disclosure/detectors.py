"""Finding personal data in a text: 身份证号, mobile numbers, bank accounts, personal addresses and
the names written after a person's role. Each finder returns spans; the redactor decides what to
do with them.

The finders lean towards hiding: a number that only looks like an ID (labelled 身份证 but with a
wrong check digit, an OCR slip) is hidden as a suspect, and any run of digits after an account
label is hidden whatever its length. They lean away from numbers the disclosure must show: an
18-digit 施工许可证编号 (region code + issue date + sequence) has an ID's shape, so a valid-looking ID
must also put its holder's birth at least 16 years back and must not stand right after a label of
an organisation's number (许可证编号, 备案编号, 项目代码 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from disclosure.redaction_rules import RedactionRules

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCES = frozenset({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                       50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91})
MIN_AGE = 16  # people named in a building project's papers are of working age
LABEL_WINDOW = 14  # characters before a number searched for its label

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ -]?(\d{8})[ -]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_ID_LABEL = re.compile(r"(?:身份证|证件号|身份号码|公民身份|身份证明)[^0-9]{0,8}$")
_ORG_NUMBER_LABEL = re.compile(
    r"(?:许可证|证书|备案|登记|合同|项目|招标|信用|文件|报告|图纸|许可|批准|审查|监督|凭证|发票)"
    r"(?:编号|号码|代码|证号|号)[^0-9]{0,4}$")
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])")
_CARD_GROUPED = re.compile(r"(?<![0-9])(?:\d{4}[ -]){3,4}\d{1,4}(?![0-9])")
_CARD_PLAIN = re.compile(r"(?<![0-9])62\d{14,17}(?![0-9])")
_DIGIT_RUN = re.compile(r"[ \t]*(\d[\d \-]{6,40}\d)")
_SEPARATORS = re.compile(r"[ \t:：|为是（）()\[\]【】]*")
_CLAUSE_END = re.compile(r"[，,。；;\n\f|]|\s{2,}")


@dataclass(frozen=True)
class Finding:
    kind: str  # a RedactionKind
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def id_check_digit(first17: str) -> str:
    """The 18th character of a 公民身份号码 (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def _birth(digits: str) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _label_before(text: str, start: int, label: re.Pattern[str]) -> bool:
    return label.search(text[max(0, start - LABEL_WINDOW) : start]) is not None


def find_ids(text: str, today: date) -> Iterator[Finding]:
    """Valid 身份证号 (check digit, province, a birth date of someone of working age); suspects when
    labelled as an ID but failing a test; 15-digit old IDs when labelled.
    """
    for match in _ID.finditer(text):
        region, birth_text, tail = match.groups()
        first17 = region + birth_text + tail[:3]
        birth = _birth(birth_text)
        plausible = int(region[:2]) in PROVINCES and birth is not None and birth.year >= 1900
        labelled = _label_before(text, match.start(), _ID_LABEL)
        valid = plausible and birth is not None and id_check_digit(first17) == tail[3].upper() \
            and birth <= date(today.year - MIN_AGE, today.month, min(today.day, 28))
        if valid and (labelled or not _label_before(text, match.start(), _ORG_NUMBER_LABEL)):
            yield Finding("id_number", match.start(), match.end())
        elif labelled:
            yield Finding("id_suspect", match.start(), match.end())
    for match in _ID15.finditer(text):
        if _label_before(text, match.start(), _ID_LABEL):
            yield Finding("id_suspect", match.start(), match.end())


def find_mobiles(text: str) -> Iterator[Finding]:
    for match in _MOBILE.finditer(text):
        yield Finding("mobile", match.start(), match.end())


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _after_labels(text: str, labels: re.Pattern[str] | None) -> Iterator[tuple[int, int]]:
    """(start, end) of what follows each label, over separators."""
    if labels is None:
        return
    for match in labels.finditer(text):
        yield match.end(), _SEPARATORS.match(text, match.end()).end()


def find_bank_accounts(text: str, rules: RedactionRules) -> Iterator[Finding]:
    """Any digit run after an account label; unlabelled, card numbers written in groups of four,
    and plain UnionPay card numbers (62…) that pass the Luhn check. Each span once.
    """
    spans: list[tuple[int, int]] = []
    for _label_end, at in _after_labels(text, rules.bank_regex):
        run = _DIGIT_RUN.match(text, at)
        if run is not None and 8 <= sum(ch.isdigit() for ch in run.group(1)) <= 30:
            spans.append((run.start(1), run.end(1)))
    for match in _CARD_GROUPED.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            spans.append((match.start(), match.end()))
    for match in _CARD_PLAIN.finditer(text):
        if luhn_ok(match.group(0)) and not _label_before(text, match.start(), _ORG_NUMBER_LABEL):
            spans.append((match.start(), match.end()))
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
            yield Finding("bank_account", start, end)


def find_addresses(text: str, rules: RedactionRules) -> Iterator[Finding]:
    for _label_end, at in _after_labels(text, rules.address_regex):
        stop = _CLAUSE_END.search(text, at)
        end = stop.start() if stop else len(text)
        if end - at >= 4:
            yield Finding("address", at, end)


def find_labelled_names(text: str, rules: RedactionRules) -> Iterator[tuple[str, str]]:
    """(name, role label) for every person's name written after a role label ("联系人：王某某")."""
    if rules.person_regex is None:
        return
    for match in rules.person_regex.finditer(text):
        role = "".join(match.group("role").split())
        name = match.group("name")
        if rules.is_name(name):
            yield name, role


def find_all(text: str, rules: RedactionRules, today: date) -> list[Finding]:
    """Every finding of the number and address finders, overlaps resolved (the earliest, then the
    longest, wins).
    """
    found = [*find_ids(text, today), *find_mobiles(text), *find_bank_accounts(text, rules),
             *find_addresses(text, rules)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
